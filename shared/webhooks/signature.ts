/**
 * Standard Webhooks (https://www.standardwebhooks.com/) signing and verification, with the stack's
 * clock for the freshness window. Headers: `webhook-id`, `webhook-timestamp` (Unix seconds),
 * `webhook-signature` = space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
 * Secrets are `whsec_` + base64 of the key bytes. Interoperates with the `standardwebhooks` package
 * (tested), which we do not use for verification because it reads `Date.now()` instead of our clock.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '#shared/clock.ts';

export const TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = 'whsec_';

export type WebhookProblem =
  | 'MISSING_HEADERS'
  | 'BAD_TIMESTAMP'
  | 'STALE_TIMESTAMP'
  | 'FUTURE_TIMESTAMP'
  | 'BAD_SIGNATURE'
  | 'NO_SECRET';

export class WebhookVerificationError extends Error {
  override name = 'WebhookVerificationError';
  constructor(
    readonly problem: WebhookProblem,
    message: string,
  ) {
    super(message);
  }
}

export class InvalidSecretError extends Error {
  override name = 'InvalidSecretError';
}

export function generateSecret(): string {
  return SECRET_PREFIX + randomBytes(32).toString('base64');
}

export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : undefined;
  if (b64 === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new InvalidSecretError('webhook secret must be whsec_ followed by base64');
  }
  const key = Buffer.from(b64, 'base64');
  if (key.length < 24) throw new InvalidSecretError('webhook secret must hold at least 24 bytes');
  return key;
}

export function sign(secret: string, id: string, timestampSeconds: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestampSeconds}.${body}`)
    .digest('base64');
  return `v1,${mac}`;
}

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** Headers for a message signed with every secret given (several during rotation). */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestampSeconds: number,
  body: string,
): SignedHeaders {
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => sign(s, id, timestampSeconds, body)).join(' '),
  };
}

/**
 * Verifies a message against any of `secrets`. Header names are matched case-insensitively.
 * Returns the webhook id and timestamp; throws WebhookVerificationError naming the problem.
 */
export function verify(
  secrets: readonly string[],
  headers: Record<string, string | undefined>,
  body: string,
  clock: Clock,
): { id: string; timestamp: number } {
  const lower: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const id = lower['webhook-id'];
  const ts = lower['webhook-timestamp'];
  const sig = lower['webhook-signature'];
  if (!id || !ts || !sig) {
    throw new WebhookVerificationError(
      'MISSING_HEADERS',
      'webhook-id, webhook-timestamp and webhook-signature are required',
    );
  }
  if (!/^\d{1,12}$/.test(ts))
    throw new WebhookVerificationError('BAD_TIMESTAMP', 'webhook-timestamp must be Unix seconds');
  const timestamp = Number(ts);
  const now = Math.floor(clock.now() / 1000);
  if (now - timestamp > TOLERANCE_SECONDS) {
    throw new WebhookVerificationError('STALE_TIMESTAMP', 'webhook-timestamp is older than 5 minutes');
  }
  if (timestamp - now > TOLERANCE_SECONDS) {
    throw new WebhookVerificationError('FUTURE_TIMESTAMP', 'webhook-timestamp is more than 5 minutes ahead');
  }
  if (secrets.length === 0)
    throw new WebhookVerificationError('NO_SECRET', 'no secret is configured for this sender');
  const content = `${id}.${timestamp}.${body}`;
  const expected = secrets.map((s) => createHmac('sha256', secretKey(s)).update(content).digest());
  for (const part of sig.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (expected.some((e) => e.length === given.length && timingSafeEqual(e, given)))
      return { id, timestamp };
  }
  throw new WebhookVerificationError('BAD_SIGNATURE', 'no webhook-signature matches');
}
