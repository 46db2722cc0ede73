/**
 * SMS to the applicant: which message, in the applicant's language (`input.locale`, default Chinese), to
 * the phone given at intake. The texts are policy data (`messages`); this module picks and fills them.
 * Pure. A message never holds an ID number in clear: the request is named by the last 8 characters of its
 * number, and any 18-character ID-number pattern left in a text is masked before it is returned.
 */
import { maskIdNumber } from '#shared/domain/id-number.ts';
import { requestReference } from '#shared/domain/request.ts';
import type { Locale } from '#shared/domain/types.ts';
import { kindOf, type Messages, type Policy, render } from '#shared/policy/policy.ts';
import { noticeTexts } from '#shared/policy/texts.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';

export type MessageKey = keyof Messages;

/**
 * One SMS. `to` is E.164 (`+86…`); `key` says which message (accepted, issued, …); `requestId` names the
 * request it is about (absent for a sign-in code, which is about none).
 */
export interface Sms {
  requestId?: string;
  key: MessageKey;
  to: string;
  locale: Locale;
  text: string;
}

/**
 * The port the use cases send through: Amazon SNS on AWS (`shared/notify/sns-notifier.ts`), the local
 * outbox on the embedded stack. `send` rejects when the provider refuses; callers log and go on.
 */
export interface Notifier {
  send(sms: Sms): Promise<void>;
}

const MOBILE = /^1[3-9]\d{9}$/;
const ID_NUMBER = /\d{17}[\dX]/g;

/** The E.164 form of a mainland mobile number (`13800000000` → `+8613800000000`); landlines: undefined. */
export function smsNumber(phone: string): string | undefined {
  return MOBILE.test(phone) ? `+86${phone}` : undefined;
}

/**
 * The message `key` for a request, or undefined when the phone given cannot take an SMS (a landline).
 * `vars`: `deadline` (Beijing day), `reference` (certificate or written-reply number), `code` (one-time code).
 */
export function smsFor(
  policy: Policy,
  request: { requestId: string; input: IntakeRequest },
  key: MessageKey,
  vars: { deadline?: string; reference?: string; code?: string } = {},
): Sms | undefined {
  const to = smsNumber(request.input.applicant.phone);
  if (to === undefined) return undefined;
  const locale: Locale = request.input.locale ?? 'zh';
  const kind = kindOf(policy, request.input.proof);
  const filled = render(noticeTexts(policy).messages[key], {
    number: requestReference(request.requestId),
    kindName: kind?.name ?? request.input.proof,
    ...vars,
  });
  return {
    requestId: request.requestId,
    key,
    to,
    locale,
    text: filled[locale].replace(ID_NUMBER, (id) => maskIdNumber(id)),
  };
}

/**
 * The citizen sign-in code (`messages.recoveryCode`: lost-link recovery and the data tracker), in `locale`,
 * to `phone` as given; undefined for a phone that cannot take an SMS (a landline).
 */
export function signInCodeSms(policy: Policy, phone: string, locale: Locale, code: string): Sms | undefined {
  const to = smsNumber(phone);
  if (to === undefined) return undefined;
  const filled = render(noticeTexts(policy).messages.recoveryCode, { code });
  return {
    key: 'recoveryCode',
    to,
    locale,
    text: filled[locale].replace(ID_NUMBER, (id) => maskIdNumber(id)),
  };
}
