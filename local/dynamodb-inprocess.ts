/**
 * An in-process transport from the AWS SDK to an embedded service's node:http request listener (dynalite,
 * and the local Step Functions service): the SDK builds and parses requests exactly as over HTTP,
 * but each request is handed to the listener in memory instead of through a TCP socket. The stack's own
 * clients use it (the HTTP endpoints stay up for other tools); it saves the loopback HTTP work, which
 * dominated the local stack's CPU time.
 *
 * `inProcessClientConfig(target)` and `withoutNetworkMiddleware(client)` are the one place that configures
 * such a client: the transport, and no retry or SigV4 (nothing leaves the process, and neither dynalite
 * nor the local Step Functions service checks signatures; dynalite only checks that an `AWS4-`
 * Authorization header and a date are present, which the transport sets). Only how the stack builds its
 * clients differs: the handlers call them exactly as on AWS.
 */
import type { Server } from 'node:http';
import { callListener, type Listener, type ListenerRequest, type ListenerResponse } from './listener-call.js';

export type { Listener };

/** One request handed over in memory (to a listener here, or to another thread: dynamodb.ts). */
export type InProcessCall = (request: ListenerRequest) => Promise<ListenerResponse>;

/**
 * The Authorization and date headers every in-process request carries instead of SigV4's (an HMAC chain
 * over the canonical request, ~7% of the stack's CPU): of SigV4's shape, which is all dynalite checks
 * (dynalite/index.js: "AWS4-" prefix, Credential/Signature/SignedHeaders present, X-Amz-Date or Date).
 */
const IN_PROCESS_AUTHORIZATION =
  'AWS4-HMAC-SHA256 Credential=local/20260101/local/local/aws4_request, SignedHeaders=host, Signature=in-process';
const IN_PROCESS_DATE = '20260101T000000Z';

/**
 * The middleware of an SDK client that only calls over a network need, by name (as `middlewareStack`
 * names them, @smithy/core and @aws-sdk/core): retries (an in-memory call has no throttling or dropped
 * connection to retry; dynalite never throttles), the auth scheme's identity and SigV4 signing (nothing
 * in the process checks a signature; `InProcessHandler` sets the headers dynalite requires), X-Ray's
 * recursion-detection header and the SDK's own request logging (no logger is configured). The
 * serializer, deserializer, endpoint, user agent (Powertools adds its own after it), host header and
 * content length stay: the request is the one a client sends over HTTP.
 */
export const NETWORK_ONLY_MIDDLEWARE = [
  'retryMiddleware',
  'httpAuthSchemeMiddleware',
  'httpSigningMiddleware',
  'recursionDetectionMiddleware',
  'loggerMiddleware',
] as const;

/**
 * `client` without the middleware that only network calls need (`NETWORK_ONLY_MIDDLEWARE`): ≈ 30% of the
 * SDK's CPU per call on the stack's own clients (`npx tsx bench/workflow/sdk-calls.ts`). For clients
 * built with `inProcessClientConfig` only. `keepRetry`: the retry middleware stays (the local Step
 * Functions service answers InternalFailure 500 when an execution was reloaded meanwhile, which SDK
 * clients retry: local/stepfunctions/model.ts `Reloaded`). Throws if a name is missing (an SDK change to
 * look at).
 */
export function withoutNetworkMiddleware<C extends { middlewareStack: { remove(name: string): boolean } }>(
  client: C,
  options: { keepRetry?: boolean } = {},
): C {
  for (const name of NETWORK_ONLY_MIDDLEWARE) {
    if (options.keepRetry && name === 'retryMiddleware') continue;
    if (!client.middlewareStack.remove(name))
      throw new Error(`the SDK client has no ${name}: check NETWORK_ONLY_MIDDLEWARE against the SDK`);
  }
  return client;
}

/**
 * The client options of an SDK client that calls `target` in memory: `{ requestHandler }`, to be spread
 * into the client's configuration (endpoint, region and credentials stay as for HTTP). The client is then
 * passed through `withoutNetworkMiddleware`.
 */
export function inProcessClientConfig(target: Server | Listener | { call: InProcessCall }): {
  requestHandler: never;
} {
  return { requestHandler: new InProcessHandler(target) as never };
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
    request.headers.authorization = IN_PROCESS_AUTHORIZATION;
    request.headers['x-amz-date'] = IN_PROCESS_DATE;
    return { response: await this.#call(request) };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}
