/**
 * The citizen one-time-code sign-in — ONE implementation, used by the data tracker ("who asked about me")
 * and by lost-link recovery — and the filing that makes both possible: requests under their applicant,
 * exchange records under the people they are about. Persons and phones are HMAC keys
 * (`citizenKey`, `phoneKey`); an ID number is never a key, a log field or a stored value here.
 *
 * Primary course of a sign-in:
 *  1. `sendSignInCode`: count the ask against the phone's and the address's hourly limits (429 past
 *     them, whether or not the pair is known); if a request was ever filed with this ID number and phone,
 *     store a fresh code's HMAC (valid 10 minutes, replacing any earlier one) and send the code by SMS
 *     through the notification port. The answer is the same either way (no enumeration).
 *  2. `signIn`: count against the address's limit; spend the code (one conditional write: right code,
 *     not expired, not used, fewer than 5 wrong tries); a good code gives a 15-minute signed session.
 *     Every failure answers the same 401.
 *  3. `citizenSessionOf`: the bearer session of a data-tracker or recovery route, or NotSignedInError.
 */
import {
  type CitizenSession,
  citizenKey,
  newOneTimeCode,
  oneTimeCodeHash,
  phoneKey,
  signCitizenSession,
  verifyCitizenSession,
} from '#shared/certificates/ids-and-codes.ts';
import { CITIZEN_SIGN_IN } from '#shared/domain/citizen.ts';
import { signInCodeSms } from '#shared/domain/notifications.ts';
import type { Locale } from '#shared/domain/types.ts';
import type { ExchangeRecord, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { NotSignedInError, RateLimitedError, SignInFailedError } from './errors.ts';
import { searchKeysOf } from './search.ts';

/** The keys of a person and phone under the stack's secret. */
export function keysOf(deps: Deps, idNumber: string, phone: string) {
  return {
    citizen: citizenKey(deps.config.tokenSecret, idNumber),
    phone: phoneKey(deps.config.tokenSecret, phone),
  };
}

/**
 * Files a new request where it is found again (idempotent: intake calls it again on a replay): for the
 * console's search under its keyed hashes and reference (search.ts `searchKeysOf`), and for lost-link
 * recovery under its applicant's ID number and phone (HMAC keys), in one store call (`fileRequest`: the
 * lookups, the link and the pair's mark one BatchWriteItem).
 */
export async function fileNewRequest(
  deps: Deps,
  request: Pick<RequestRecord, 'requestId' | 'proof' | 'acceptedAt' | 'input'>,
): Promise<void> {
  const { idNumber, phone } = request.input.applicant;
  const k = idNumber === undefined ? undefined : keysOf(deps, idNumber, phone);
  await deps.store.fileRequest(
    request.requestId,
    searchKeysOf(deps.config.tokenSecret, request.requestId, request.input),
    k && {
      citizenKey: k.citizen,
      link: {
        requestId: request.requestId,
        proof: request.proof,
        acceptedAt: request.acceptedAt,
        phoneKey: k.phone,
      },
    },
  );
}

/** Files an exchange record under each person it is about (the data tracker); idempotent. */
export async function fileUnderSubjects(
  deps: Deps,
  record: ExchangeRecord,
  idNumbers: readonly (string | undefined)[],
): Promise<void> {
  const seen = new Set<string>();
  for (const id of idNumbers) {
    if (id === undefined) continue;
    const key = citizenKey(deps.config.tokenSecret, id);
    if (seen.has(key)) continue;
    seen.add(key);
    await deps.store.linkCitizenExchange(key, record);
  }
}

/** Counts one hit of `key` in the current sign-in window; throws the 429 past `limit`. */
async function countHit(deps: Deps, key: string, limit: number): Promise<void> {
  const now = deps.clock.now();
  const windowStart = Math.floor(now / CITIZEN_SIGN_IN.windowMs) * CITIZEN_SIGN_IN.windowMs;
  const expiresAt = Math.floor((windowStart + 2 * CITIZEN_SIGN_IN.windowMs) / 1000);
  if (await deps.store.hitRateLimit(key, windowStart, limit, expiresAt)) return;
  const retryAfter = Math.max(1, Math.ceil((windowStart + CITIZEN_SIGN_IN.windowMs - now) / 1000));
  deps.metrics.addMetric('CitizenSignInRateLimited', 'Count', 1);
  throw new RateLimitedError(retryAfter);
}

/** Step 1: asks for a code. Resolves the same whether or not the pair is known; throws RateLimitedError past a limit. */
export async function sendSignInCode(
  deps: Deps,
  ask: { idNumber: string; phone: string; locale: Locale; address: string },
): Promise<{ validForSeconds: number }> {
  const k = keysOf(deps, ask.idNumber, ask.phone);
  await countHit(deps, `otp-address:${ask.address}`, CITIZEN_SIGN_IN.perAddress);
  await countHit(deps, `otp-phone:${k.phone}`, CITIZEN_SIGN_IN.perPhone);
  const validForSeconds = CITIZEN_SIGN_IN.codeTtlMs / 1000;
  if (!(await deps.store.isCitizenPairKnown(k.citizen, k.phone))) return { validForSeconds };
  const code = newOneTimeCode(deps.random(4));
  const now = deps.clock.now();
  await deps.store.putOneTimeCode({
    citizenKey: k.citizen,
    phoneKey: k.phone,
    codeHash: oneTimeCodeHash(deps.config.tokenSecret, k.citizen, k.phone, code),
    validUntil: now + CITIZEN_SIGN_IN.codeTtlMs,
    attempts: 0,
    sentAt: new Date(now).toISOString(),
  });
  const sms = signInCodeSms(deps.policy, ask.phone, ask.locale, code);
  if (sms !== undefined) {
    try {
      await deps.notifier.send(sms);
      deps.metrics.addMetric('SmsSent', 'Count', 1);
    } catch (error) {
      deps.metrics.addMetric('SmsFailed', 'Count', 1);
      deps.logger.warn('sign-in code not sent', { error: String(error) });
    }
  }
  return { validForSeconds };
}

/** Step 2: a good code gives a signed session token; anything else SignInFailedError (one 401). */
export async function signIn(
  deps: Deps,
  attempt: { idNumber: string; phone: string; code: string; address: string },
): Promise<{ sessionToken: string; expiresAt: string }> {
  await countHit(deps, `otp-address:${attempt.address}`, CITIZEN_SIGN_IN.perAddress);
  const k = keysOf(deps, attempt.idNumber, attempt.phone);
  const now = deps.clock.now();
  const good = await deps.store.useOneTimeCode(
    k.citizen,
    k.phone,
    oneTimeCodeHash(deps.config.tokenSecret, k.citizen, k.phone, attempt.code),
    now,
    CITIZEN_SIGN_IN.maxAttempts,
  );
  if (!good) throw new SignInFailedError('sign-in failed');
  const exp = Math.floor(now / 1000) + CITIZEN_SIGN_IN.sessionSeconds;
  return {
    sessionToken: signCitizenSession(deps.config.tokenSecret, { citizen: k.citizen, phone: k.phone, exp }),
    expiresAt: new Date(exp * 1000).toISOString(),
  };
}

/** Step 3: the citizen session of a bearer token, or a 401. */
export function citizenSessionOf(deps: Deps, token: string | undefined): CitizenSession {
  const session = token && verifyCitizenSession(deps.config.tokenSecret, token, deps.clock.now());
  if (!session) throw new NotSignedInError('no citizen session');
  return session;
}
