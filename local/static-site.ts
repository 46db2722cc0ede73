/**
 * The web pages, served by the local gateway for every path that is not the API. `createStaticSite()`
 * builds the pages in memory with esbuild (web/build.ts, a few hundred milliseconds, started at once and
 * awaited by the first request), compresses each file once with brotli and gzip, and answers with
 * content types, ETags, caching headers (hashed assets: a year, immutable; pages: revalidate) and
 * security headers (a strict Content-Security-Policy: scripts, styles and connections from this origin only).
 */
import { createHash } from 'node:crypto';
import { brotliCompressSync, gzipSync, constants as zlibConstants } from 'node:zlib';
import { PROBLEM_CONTENT_TYPE, problem } from '#shared/http/problem.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '#shared/http/security-headers.ts';
import { type BuildOptions, buildSite, pageFileForPath, type SiteFile } from '../web/build.ts';

export type HeaderValue = string | readonly string[] | undefined;
export type RequestHeaders = Readonly<Record<string, HeaderValue>>;

export interface StaticResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type StaticSite = (
  method: string,
  path: string,
  headers?: RequestHeaders,
) => Promise<StaticResponse | undefined>;

export interface StaticSiteOptions extends BuildOptions {
  /** Prebuilt files (tests); otherwise built with `buildSite`. */
  readonly files?: Map<string, SiteFile>;
}

/** One source for both homes (shared/http/security-headers.ts); re-exported for the site's users. */
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS };

interface Prepared {
  readonly file: SiteFile;
  readonly etag: string;
  readonly br?: Buffer;
  readonly gzip?: Buffer;
}

function prepare(file: SiteFile): Prepared {
  const etag = `"${createHash('sha256').update(file.body).digest('base64url').slice(0, 22)}"`;
  const compressible =
    /^(text\/|application\/json|image\/svg)/.test(file.contentType) && file.body.length > 256;
  if (!compressible) return { file, etag };
  const br = brotliCompressSync(file.body, {
    params: {
      [zlibConstants.BROTLI_PARAM_QUALITY]: 11,
      [zlibConstants.BROTLI_PARAM_SIZE_HINT]: file.body.length,
    },
  });
  const gzip = gzipSync(file.body, { level: 9 });
  return {
    file,
    etag,
    ...(br.length < file.body.length ? { br } : {}),
    ...(gzip.length < file.body.length ? { gzip } : {}),
  };
}

function header(headers: RequestHeaders | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== name) continue;
    return Array.isArray(value) ? value.join(', ') : (value as string | undefined);
  }
  return undefined;
}

/** The encodings the client accepts with a non-zero quality (`br;q=0` refuses brotli). */
export function acceptedEncodings(acceptEncoding: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    accepted.add(name);
  }
  if (accepted.has('*')) {
    accepted.add('br');
    accepted.add('gzip');
  }
  return accepted;
}

function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}

export function createStaticSite(options: StaticSiteOptions = {}): StaticSite {
  const ready: Promise<Map<string, Prepared>> = (async () => {
    const files = options.files ?? (await buildSite(options));
    return new Map([...files].map(([path, file]) => [path, prepare(file)]));
  })();
  // Surface a build failure at the first request, not as an unhandled rejection now.
  ready.catch(() => undefined);

  return async (method, rawPath, headers) => {
    const path = decodeURIComponentSafe(rawPath.split(/[?#]/, 1)[0] ?? '/');
    if (path === undefined) return undefined;
    if (path.startsWith('/v1/') || path.startsWith('/_local/') || path === '/healthz') return undefined;
    const files = await ready;
    const filePath = pageFileForPath(path) ?? path;
    const prepared = files.get(filePath);
    if (!prepared) return undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      return {
        status: 405,
        headers: { allow: 'GET, HEAD', 'content-type': PROBLEM_CONTENT_TYPE, ...SECURITY_HEADERS },
        body: Buffer.from(JSON.stringify(problem(405))),
      };
    }
    const common: Record<string, string> = {
      'content-type': prepared.file.contentType,
      'cache-control': prepared.file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag: prepared.etag,
      vary: 'Accept-Encoding',
      ...SECURITY_HEADERS,
    };
    if (etagMatches(header(headers, 'if-none-match'), prepared.etag)) {
      return { status: 304, headers: common, body: Buffer.alloc(0) };
    }
    const accepted = acceptedEncodings(header(headers, 'accept-encoding'));
    let body = prepared.file.body;
    if (prepared.br && accepted.has('br')) {
      body = prepared.br;
      common['content-encoding'] = 'br';
    } else if (prepared.gzip && accepted.has('gzip')) {
      body = prepared.gzip;
      common['content-encoding'] = 'gzip';
    }
    common['content-length'] = String(body.length);
    return { status: 200, headers: common, body: method === 'HEAD' ? Buffer.alloc(0) : body };
  };
}

function decodeURIComponentSafe(path: string): string | undefined {
  try {
    const decoded = decodeURIComponent(path);
    return decoded.includes('\0') || decoded.includes('..') ? undefined : decoded;
  } catch {
    return undefined;
  }
}
