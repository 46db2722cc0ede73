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

// --- citizens: keys by person and phone, one-time codes and sessions (docs/api.md "Citizens") ---

/**
 * The key of a person in the table (data tracker, link recovery): HMAC-SHA256 of the GB 11643 ID number
 * (upper-case X) with the stack's secret, base64url (43 characters). The ID number itself is never a key.
 */
export function citizenKey(secret: string, idNumber: string): string {
  return createHmac('sha256', secret).update(`citizen:${idNumber.toUpperCase()}`).digest('base64url');
}

/** The key of a phone number (as given at intake, digits and hyphen), HMAC-SHA256 like `citizenKey`. */
export function phoneKey(secret: string, phone: string): string {
  return createHmac('sha256', secret)
    .update(`phone:${phone.replaceAll('-', '')}`)
    .digest('base64url');
}

/** The stored form of a one-time code for a person and phone: HMAC-SHA256 (hex), so a table copy cannot test codes. */
export function oneTimeCodeHash(secret: string, citizen: string, phone: string, code: string): string {
  return createHmac('sha256', secret).update(`otp:${citizen}:${phone}:${code}`).digest('hex');
}

/** A 6-digit one-time code from `random` (≥ 4 bytes), leading zeros kept. */
export function newOneTimeCode(random: Buffer): string {
  return String(random.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

/** What a citizen session token carries: the person's and the phone's keys, and when it ends (epoch s). */
export interface CitizenSession {
  citizen: string;
  phone: string;
  /** Expiry, seconds since the epoch. */
  exp: number;
}

/**
 * A citizen session token (`cts_<citizen>.<phone>.<exp>.<mac>`, 146 characters): the two keys, the expiry
 * (epoch s) and an HMAC-SHA256 of them with the stack's secret. Short-lived (the caller sets `exp`);
 * nothing is stored for it.
 */
export function signCitizenSession(secret: string, session: CitizenSession): string {
  const payload = `${session.citizen}.${session.phone}.${session.exp}`;
  return `cts_${payload}.${createHmac('sha256', secret).update(`session:${payload}`).digest('base64url')}`;
}

/** The session of a token signed by `signCitizenSession` and not expired at `nowMs`, else undefined. */
export function verifyCitizenSession(
  secret: string,
  token: string,
  nowMs: number,
): CitizenSession | undefined {
  const m = /^cts_([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return undefined;
  const [, citizen, phone, exp, mac] = m as unknown as [string, string, string, string, string];
  const expected = createHmac('sha256', secret).update(`session:${citizen}.${phone}.${exp}`).digest();
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  if (Number(exp) * 1000 <= nowMs) return undefined;
  return { citizen, phone, exp: Number(exp) };
}
