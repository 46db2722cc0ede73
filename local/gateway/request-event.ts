/**
 * Builds the API Gateway HTTP API payload format 2.0 event for a request, as API Gateway would:
 * lower-case headers (repeated ones joined with commas), cookies apart, query parameters (repeated ones
 * joined with commas), the raw query string, and the body as text — or base64 for binary content.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';

export interface RawRequest {
  method: string;
  /** Path and query, as on the request line. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  sourceIp: string;
  now: number;
}

const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]*\+json|xml|x-www-form-urlencoded|javascript))/i;

export function toPayloadV2(
  raw: RawRequest,
  route: { routeKey: string; pathParameters?: Record<string, string> },
) {
  const q = raw.url.indexOf('?');
  const rawPath = q >= 0 ? raw.url.slice(0, q) : raw.url;
  const rawQueryString = q >= 0 ? raw.url.slice(q + 1) : '';
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, value] of Object.entries(raw.headers)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'cookie') {
      cookies = (Array.isArray(value) ? value.join('; ') : value).split(/;\s*/).filter(Boolean);
      continue;
    }
    headers[lower] = Array.isArray(value) ? value.join(',') : value;
  }
  let queryStringParameters: Record<string, string> | undefined;
  if (rawQueryString !== '') {
    queryStringParameters = {};
    for (const [k, v] of new URLSearchParams(rawQueryString)) {
      queryStringParameters[k] =
        queryStringParameters[k] === undefined ? v : `${queryStringParameters[k]},${v}`;
    }
  }
  const contentType = headers['content-type'] ?? '';
  const hasBody = raw.body.length > 0;
  // A body that is not valid UTF-8 goes base64-encoded (as binary), so the handler sees its real bytes
  // and can refuse it (functions/edge/http.ts rawBody) instead of reading U+FFFD replacements.
  const isText = !hasBody || ((contentType === '' || TEXT_TYPES.test(contentType)) && isUtf8(raw.body));
  let path = rawPath;
  try {
    path = decodeURI(rawPath);
  } catch {
    path = rawPath;
  }
  const time = new Date(raw.now);
  return {
    version: '2.0' as const,
    routeKey: route.routeKey,
    rawPath,
    rawQueryString,
    ...(cookies ? { cookies } : {}),
    headers,
    ...(queryStringParameters ? { queryStringParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: raw.method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: raw.sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route.routeKey,
      stage: '$default',
      time: time.toISOString(),
      timeEpoch: raw.now,
    },
    ...(route.pathParameters && Object.keys(route.pathParameters).length > 0
      ? { pathParameters: route.pathParameters }
      : {}),
    ...(hasBody ? { body: isText ? raw.body.toString('utf8') : raw.body.toString('base64') } : {}),
    isBase64Encoded: hasBody && !isText,
  };
}
