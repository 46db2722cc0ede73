/**
 * The citizen one-time-code sign-in (public; rate-limited per phone and per address):
 *  - POST /v1/citizen/codes `{ idNumber, phone, locale? }` → 202, the same answer whether or not a request
 *    was ever filed with this ID number and phone; if one was, a 6-digit code goes by SMS to that phone.
 *  - POST /v1/citizen/sessions `{ idNumber, phone, code }` → 200 `{ sessionToken, expiresAt }` (15 minutes),
 *    or one 401 for a wrong, expired or used code alike.
 * The session opens the data tracker and lost-link recovery (citizen-data.ts). Use case: use-cases/citizens.ts.
 */
import { CitizenCodeRequestSchema, CitizenSessionRequestSchema } from '#shared/schemas/citizen.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { sendSignInCode, signIn } from '../use-cases/citizens.ts';

export const CODE_SENT_MESSAGE = {
  zh: '如该身份证号与手机号办理过申请，验证码已发送至该手机，10分钟内有效。',
  en: 'If a request was filed with this ID number and phone, a code has been sent to that phone; it is valid for 10 minutes.',
};

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const { value } = jsonBody(event);
    const address = event.requestContext.http.sourceIp;
    if (event.routeKey === 'POST /v1/citizen/sessions') {
      const attempt = validate(CitizenSessionRequestSchema, value);
      return json(200, await signIn(deps, { ...attempt, address }), { 'cache-control': 'no-store' });
    }
    const ask = validate(CitizenCodeRequestSchema, value);
    const { validForSeconds } = await sendSignInCode(deps, { ...ask, locale: ask.locale ?? 'zh', address });
    return json(202, { accepted: true, validForSeconds, message: CODE_SENT_MESSAGE });
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
