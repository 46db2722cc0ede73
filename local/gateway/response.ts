/**
 * Turns a handler's result into an HTTP response the way API Gateway HTTP API (payload 2.0) does: a
 * result with `statusCode` is used as is (base64 bodies decoded, `cookies` as Set-Cookie); any other
 * value is JSON with status 200; a missing result is an empty 200... and a handler that throws is a 500.
 */
export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

export function fromHandlerResult(result: unknown): HttpResponse {
  if (result !== null && typeof result === 'object' && 'statusCode' in result) {
    const r = result as {
      statusCode: number;
      headers?: Record<string, string | number | boolean>;
      body?: string;
      isBase64Encoded?: boolean;
      cookies?: string[];
    };
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
    if (r.cookies && r.cookies.length > 0) headers['set-cookie'] = r.cookies;
    const body =
      r.body === undefined ? Buffer.alloc(0) : Buffer.from(r.body, r.isBase64Encoded ? 'base64' : 'utf8');
    return { status: r.statusCode, headers, body };
  }
  if (result === undefined) return { status: 200, headers: {}, body: Buffer.alloc(0) };
  return {
    status: 200,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(typeof result === 'string' ? result : JSON.stringify(result)),
  };
}

export function internalServerError(): HttpResponse {
  return {
    status: 500,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ message: 'Internal Server Error' })),
  };
}
