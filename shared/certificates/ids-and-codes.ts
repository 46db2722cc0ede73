/**
 * Certificate numbers, verification codes and request access tokens. Codes and tokens are derived
 * (HMAC-SHA256 with the stack's token secret) so that an idempotent replay can answer the same token
 * again, and are stored only as SHA-256 hashes: a copy of the table reveals neither.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

function base32(bytes: Buffer, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += CROCKFORD[bytes[i % bytes.length]! % 32];
  return out;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function hashesEqual(aHex: string, bHex: string): boolean {
  const a = Buffer.from(aHex, 'hex');
  const b = Buffer.from(bHex, 'hex');
  return a.length === b.length && a.length > 0 && timingSafeEqual(a, b);
}

/** The applicant's bearer token for one request (`cft_` + 43 characters). */
export function deriveAccessToken(secret: string, requestId: string): string {
  return `cft_${createHmac('sha256', secret).update(`access:${requestId}`).digest('base64url')}`;
}

/** Certificate number: province prefix, Beijing date of issue, 8 characters derived from the request. */
export function certificateNumber(requestId: string, issuedOn: string, prefix = 'JL'): string {
  const digest = createHash('sha256').update(`certificate:${requestId}`).digest();
  return `${prefix}-${issuedOn.replaceAll('-', '')}-${base32(digest, 8)}`;
}

/** The 10-character verification code printed on the certificate. */
export function deriveVerificationCode(secret: string, number: string): string {
  return base32(createHmac('sha256', secret).update(`verify:${number}`).digest(), 10);
}

/**
 * The search key of a name or an ID number (officer console search): HMAC-SHA256 with the stack's token
 * secret, base64url — the term itself is never stored. `kind` separates names from numbers.
 */
export function searchKeyOf(secret: string, kind: 'name' | 'idNumber', value: string): string {
  const tag = kind === 'name' ? 'NAME' : 'ID';
  return `${tag}#${createHmac('sha256', secret).update(`search-${kind}:${value}`).digest('base64url')}`;
}

/** Request ids: time-ordered (48-bit ms, Crockford base32) + 80 random bits; 26 characters. */
export function newRequestId(nowMs: number, random: Buffer): string {
  let time = '';
  let t = nowMs;
  for (let i = 0; i < 10; i += 1) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  return `${time}${base32(random, 16)}`;
}
