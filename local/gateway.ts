/**
 * The local API gateway: node:http on 127.0.0.1 → API Gateway HTTP API payload 2.0 events
 * (gateway/request-event.ts) → the registry's handlers → HTTP responses (gateway/response.ts).
 * `/healthz` and `/_local/…` are the stack's own routes; other GET paths go to the web pages
 * (`local/static-site.ts`) when the stack serves them. Bodies over 1 MiB are cut off with a 413 here;
 * the handlers enforce docs/api.md's 64 KiB themselves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '#shared/clock.ts';
import { PROBLEM_CONTENT_TYPE, problem } from '#shared/http/problem.ts';
import { toPayloadV2 } from './gateway/request-event.ts';
import { fromHandlerResult, type HttpResponse, internalServerError } from './gateway/response.ts';
import { matchRoute, type Route } from './gateway/routes.ts';

export const MAX_GATEWAY_BODY = 1024 * 1024;

export type LocalRoute = (
  method: string,
  path: string,
  query: URLSearchParams,
  headers: Record<string, string>,
  body: Buffer,
) => Promise<HttpResponse | undefined>;

export interface GatewayOptions {
  port: number;
  clock: Clock;
  /** API routes; resolved on each request, so the stack can start the gateway before its functions. */
  routes: () => readonly Route[] | undefined;
  invoke: (functionName: string, event: unknown) => Promise<unknown>;
  local: LocalRoute;
  /** A mounted Node request handler (the local OpenID provider at `/oidc`): true when it took the request. */
  mounted?: (req: IncomingMessage, res: ServerResponse) => boolean;
  staticSite?: (
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
  ) => Promise<{ status: number; headers: Record<string, string>; body: Buffer } | undefined>;
  onError?: (error: unknown) => void;
}

export interface Gateway {
  url: string;
  port: number;
  end(): Promise<void>;
}

function problemResponse(
  status: number,
  extra: Record<string, string> = {},
  detail?: { zh: string; en: string },
): HttpResponse {
  return {
    status,
    headers: { 'content-type': PROBLEM_CONTENT_TYPE, ...extra },
    body: Buffer.from(JSON.stringify(problem(status, detail ? { detail } : {}))),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_GATEWAY_BODY) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, response: HttpResponse, head: boolean): void {
  res.writeHead(response.status, { ...response.headers, 'content-length': String(response.body.length) });
  res.end(head ? undefined : response.body);
}

export async function start(options: GatewayOptions): Promise<Gateway> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q >= 0 ? url.slice(0, q) : url;
    if (options.mounted?.(req, res)) return;
    const body = await readBody(req);
    if (body === 'too-large') return send(res, problemResponse(413), false);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
    const local = await options.local(
      method,
      path,
      new URLSearchParams(q >= 0 ? url.slice(q + 1) : ''),
      headers,
      body,
    );
    if (local) return send(res, local, method === 'HEAD');
    if (path.startsWith('/v1/')) {
      const routes = options.routes();
      if (!routes) return send(res, problemResponse(503, { 'retry-after': '1' }), false);
      const routeMethod =
        method === 'OPTIONS' ? (req.headers['access-control-request-method'] ?? 'GET') : method;
      const match = matchRoute(routes, routeMethod === 'HEAD' ? 'GET' : routeMethod, path);
      if (match.kind === 'none') return send(res, problemResponse(404), false);
      if (match.kind === 'method-not-allowed') {
        return send(res, problemResponse(405, { allow: match.allowed.join(', ') }), false);
      }
      const event = toPayloadV2(
        {
          method,
          url,
          headers: req.headers,
          body,
          sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
          now: options.clock.now(),
        },
        { routeKey: match.route.routeKey, pathParameters: match.pathParameters },
      );
      let response: HttpResponse;
      try {
        response = fromHandlerResult(await options.invoke(match.route.functionName, event));
      } catch (error) {
        options.onError?.(error);
        response = internalServerError();
      }
      return send(res, response, method === 'HEAD');
    }
    if (options.staticSite && (method === 'GET' || method === 'HEAD')) {
      const page = await options.staticSite(method, path, req.headers);
      if (page) return send(res, page, false);
    }
    return send(res, problemResponse(404), false);
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      options.onError?.(error);
      if (!res.headersSent) send(res, internalServerError(), false);
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async end() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      });
    },
  };
}
