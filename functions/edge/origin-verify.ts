/**
 * Only CloudFront may use the execute-api endpoint (issue 18). CloudFront's `/v1/*` origin IS the HTTP
 * API's execute-api domain, so the endpoint cannot be disabled (`disableExecuteApiEndpoint` would cut
 * CloudFront off too), and an HTTP API takes neither a resource policy nor a WAF web ACL (REST APIs only).
 * So CloudFront adds a secret origin header (`x-origin-verify`, the value of a generated Secrets Manager
 * secret: infra/constructs/web.ts) and every HTTP handler (edge/http.ts) refuses, with 403, a request that
 * arrived on an execute-api domain without it: calls that skip CloudFront skip its WAF limits, and now get
 * nothing. A request on the API's custom domain (`apiDomainName`: department and registry systems) is not
 * checked; the stage's throttling bounds those.
 *
 * The value is read as the token secret is (edge/token-secret.ts: the Parameters and Secrets extension);
 * on a mismatch it is read again past the function's memory at most once a minute, so a replaced secret
 * (README "Origin header") is picked up once the extension's cache (its TTL, 300 s) has it.
 * Only the AWS deployment with CloudFront sets `CERTFLOW_ORIGIN_VERIFY_ARN`; the local stack and the China
 * cells (no CloudFront) have no check.
 */
import { timingSafeEqual } from 'node:crypto';
import { ENV } from '#shared/config/config.ts';
import type { SecretReader } from './secrets-extension.ts';
import { SecretSource } from './token-secret.ts';

/** The header CloudFront adds to every request it sends to the API. */
export const ORIGIN_VERIFY_HEADER = 'x-origin-verify';
/** The Secrets Manager secret (ARN) holding the header's value. */
export const ORIGIN_VERIFY_ENV = ENV.originVerifyId;
/** How often a mismatch may fetch the value again (ms). */
export const ORIGIN_VERIFY_REFETCH_MS = 60_000;
/**
 * The Parameters and Secrets extension's cache TTL in the functions that check the header (seconds): a
 * mismatch's re-read skips only the function's own memory (edge/secrets-extension.ts), so a replaced value
 * is accepted within this plus `SECRET_MEMORY_SECONDS`, about a minute as with the SDK re-read before.
 */
export const ORIGIN_VERIFY_MAX_AGE_SECONDS = 60;

/** `{id}.execute-api.{region}.amazonaws.com` (`.com.cn` in the China regions). */
export function isExecuteApiDomain(domain: string | undefined): boolean {
  return /^[a-z0-9]+\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/i.test(domain ?? '');
}

export interface OriginRequest {
  headers?: Record<string, string | undefined> | undefined;
  requestContext: { domainName?: string | undefined };
}

export class OriginVerifier {
  readonly #value: SecretSource;
  readonly #now: () => number;
  #lastRefetch = Number.NEGATIVE_INFINITY;

  /** `reader`: the extension (edge/secrets-extension.ts); `secretId`: the secret's ARN. */
  constructor(reader: SecretReader, secretId: string, now: () => number = Date.now) {
    this.#value = new SecretSource(reader, secretId, now);
    this.#now = now;
  }

  /** True when the request may pass: not on an execute-api domain, or carrying the right header. */
  async allows(request: OriginRequest): Promise<boolean> {
    if (!isExecuteApiDomain(request.requestContext.domainName)) return true;
    const given = request.headers?.[ORIGIN_VERIFY_HEADER];
    if (!given) return false;
    if (same(given, await this.#value.get())) return true;
    if (this.#now() - this.#lastRefetch < ORIGIN_VERIFY_REFETCH_MS) return false;
    this.#lastRefetch = this.#now();
    return same(given, await this.#value.get({ forceFetch: true }));
  }
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
