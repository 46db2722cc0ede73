/**
 * An in-process transport from the AWS SDK to the embedded dynalite: the SDK builds, signs and parses
 * requests exactly as over HTTP, but each request is handed to dynalite's request listener in memory
 * instead of through a TCP socket. The stack's own clients use it (the HTTP endpoint stays up for other
 * tools); it saves the loopback HTTP work, which dominated the local stack's CPU time.
 */
import { EventEmitter } from 'node:events';
import type { Server } from 'node:http';
import { Readable } from 'node:stream';

/** The parts of the SDK's HttpRequest this transport reads. */
interface SdkHttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** An SDK HttpResponse (the SDK checks its shape, not its class). */
interface SdkHttpResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Readable;
}

type Listener = (req: unknown, res: unknown) => void;

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
  end(body?: string | Buffer): void {
    this.done(this.statusCode, this.headers, body === undefined ? Buffer.alloc(0) : Buffer.from(body));
  }
}

export class InProcessHandler {
  readonly #listener: Listener;

  constructor(server: Server) {
    const listener = server.listeners('request')[0] as Listener | undefined;
    if (!listener) throw new TypeError('dynalite server has no request listener');
    this.#listener = listener;
  }

  handle(request: SdkHttpRequest): Promise<{ response: SdkHttpResponse }> {
    return new Promise((resolve, reject) => {
      const req = Object.assign(new EventEmitter(), {
        method: request.method,
        url: request.path,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
      });
      const res = new FakeResponse((statusCode, headers, body) => {
        resolve({ response: { statusCode, headers, body: Readable.from([body]) } });
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
          req.emit('data', typeof body === 'string' ? Buffer.from(body) : Buffer.from(body));
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
