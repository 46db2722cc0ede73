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
import type { Server } from 'node:http';
import { callListener, type Listener, type ListenerRequest, type ListenerResponse } from './listener-call.js';

export type { Listener };

/** One request handed over in memory (to a listener here, or to another thread: dynamodb.ts). */
export type InProcessCall = (request: ListenerRequest) => Promise<ListenerResponse>;

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
export function inProcessClientConfig(target: Server | Listener | { call: InProcessCall }): {
  requestHandler: never;
  signer: typeof inProcessSigner;
} {
  return { requestHandler: new InProcessHandler(target) as never, signer: inProcessSigner };
}

/**
 * The SDK's request handler for in-process calls. The response body is the bytes themselves (an SDK
 * HttpResponse is checked by shape, and its collectBody takes a Uint8Array as it is), so no stream is
 * built per response.
 */
export class InProcessHandler {
  readonly #call: InProcessCall;

  /** A server (its request listener is used), the listener itself, or `{ call }` (e.g. to a worker). */
  constructor(target: Server | Listener | { call: InProcessCall }) {
    if (typeof target !== 'function' && 'call' in target) {
      this.#call = target.call;
      return;
    }
    const listener =
      typeof target === 'function' ? target : (target.listeners('request')[0] as Listener | undefined);
    if (!listener) throw new TypeError('the server has no request listener');
    this.#call = (request) => callListener(listener, request);
  }

  async handle(request: ListenerRequest): Promise<{ response: ListenerResponse }> {
    return { response: await this.#call(request) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
