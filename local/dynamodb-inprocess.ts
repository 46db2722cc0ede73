/**
 * An in-process transport from the AWS SDK to an embedded service's node:http request listener (dynalite,
 * and the local Step Functions service): the SDK builds and parses requests exactly as over HTTP,
 * but each request is handed to the listener in memory instead of through a TCP socket. The stack's own
 * clients use it (the HTTP endpoints stay up for other tools); it saves the loopback HTTP work, which
 * dominated the local stack's CPU time.
 *
 * `inProcessClientConfig(target)` is the one place that configures such a client: the transport and a
 * signer that skips SigV4 (nothing leaves the process, and neither dynalite nor the local Step Functions
 * service checks signatures; dynalite only checks that an `AWS4-` Authorization header and a date are
 * present). Only how the stack builds its clients differs: the handlers call them exactly as on AWS.
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';

/** The parts of the SDK's HttpRequest this transport reads. */
interface SdkHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An SDK HttpResponse (the SDK checks its shape, not its class). The body is the bytes themselves: the
 * SDK's collectBody takes a Uint8Array as it is, so no stream is built per response.
 */
interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

export type Listener = (req: unknown, res: unknown) => void;

class FakeResponse {
  statusCode = 200;
  contentType: string | undefined;
  readonly headers: Record<string, string> = {};
  constructor(
    private readonly done: (status: number, headers: Record<string, string>, body: Buffer) => void,
  ) {}
  setHeader(name: string, value: unknown): void {
    this.headers[name.toLowerCase()] = String(value);
  }
  getHeader(name: string): string | undefined {
    return this.headers[name.toLowerCase()];
  }
  writeHead(status: number, headers: Record<string, unknown> = {}): this {
    this.statusCode = status;
    for (const [k, v] of Object.entries(headers)) this.setHeader(k, v);
    return this;
  }
  end(body?: string | Buffer): void {
    this.done(this.statusCode, this.headers, body === undefined ? Buffer.alloc(0) : Buffer.from(body));
  }
}

/**
 * A request signer for in-process calls: instead of SigV4 (an HMAC chain over the canonical request,
 * ~7% of the stack's CPU) it sets a fixed header of SigV4's shape, which is all dynalite checks
 * (dynalite/index.js: "AWS4-" prefix, Credential/Signature/SignedHeaders present, X-Amz-Date or Date).
 * The SDK's `signer` option takes any `{ sign(request) }` (@aws-sdk/core resolveAwsSdkSigV4Config).
 */
export const inProcessSigner = {
  async sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> {
    request.headers.authorization =
      'AWS4-HMAC-SHA256 Credential=local/20260101/local/local/aws4_request, SignedHeaders=host, Signature=in-process';
    request.headers['x-amz-date'] = '20260101T000000Z';
    return request;
  },
};

/**
 * The client options of an SDK client that calls `target` in memory: `{ requestHandler, signer }`, to be
 * spread into the client's configuration (endpoint, region and credentials stay as for HTTP).
 */
export function inProcessClientConfig(target: Server | Listener): {
  requestHandler: never;
  signer: typeof inProcessSigner;
} {
  return { requestHandler: new InProcessHandler(target) as never, signer: inProcessSigner };
}

export class InProcessHandler {
  readonly #listener: Listener;

  /** A server (its request listener is used) or the listener itself. */
  constructor(target: Server | Listener) {
    const listener =
      typeof target === 'function' ? target : (target.listeners('request')[0] as Listener | undefined);
    if (!listener) throw new TypeError('the server has no request listener');
    this.#listener = listener;
  }

  handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> {
    return new Promise((resolve, reject) => {
      const req = Object.assign(new EventEmitter(), {
        destroy() {},
        method: request.method,
        url: request.path,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const res = new FakeResponse((statusCode, headers, body) => {
        resolve({ response: { statusCode, headers, body } });
      });
      try {
        this.#listener(req, res);
      } catch (error) {
        reject(error);
        return;
      }
      const body = request.body as string | Uint8Array | undefined;
      setImmediate(() => {
        if (body !== undefined && body.length > 0)
          // A view on the same bytes: Buffer.from(uint8Array) would call valueOf(), which the SDK's JSON
          // body adapter answers by decoding to a string (with a warning).
          req.emit(
            'data',
            typeof body === 'string'
              ? Buffer.from(body)
              : Buffer.from(body.buffer, body.byteOffset, body.byteLength),
          );
        req.emit('end');
      });
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
