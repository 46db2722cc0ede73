/**
 * Periodic exchange by subscription (定期交换), signed by the connected body like its other calls
 * (Standard Webhooks; `?department=CODE` or the `x-certflow-department` header); unsigned → 401.
 *  - POST /v1/exchange/subscriptions — `{ changeTypes, people?, remove? }`: subscribe (or change the
 *    change types) and register / remove people of the body's caseload by ID number. A replay of the
 *    same signed message (webhook-id) gets the first answer.
 *  - GET /v1/exchange/subscriptions?department=CODE — the subscription (signed over an empty body):
 *    change types, how many people, delivery state; 404 if the body has none.
 *
 * Primary course (POST):
 *  1. Verify the signature (401), validate the body (400), require a connected body that may ask the
 *     matching ad-hoc questions (403: `CHANGE_QUESTION`, `mayAskExchange`).
 *  2. De-duplicate on webhook-id.
 *  3. Subscribe (use-cases/periodic-exchange.ts `subscribe`).
 */

import { CHANGE_QUESTION } from '#shared/domain/periodic-exchange.ts';
import { forbidden, notFound } from '#shared/http/problem.ts';
import { isConnected, mayAskExchange } from '#shared/policy/policy.ts';
import { SubscriptionBodySchema } from '#shared/schemas/exchange.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentParam, requireSignedDepartment } from '../edge/auth.ts';
import { answerOnce, claimMessage } from '../edge/dedup.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { HttpError, type HttpEvent, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { subscribe, subscriptionView } from '../use-cases/periodic-exchange.ts';

async function post(deps: Deps, event: HttpEvent) {
  // 1.
  const { raw, value } = jsonBody(event);
  const code = departmentParam(event, { header: true });
  const { department, webhookId } = await requireSignedDepartment(deps, event, code, raw);
  const body = validate(SubscriptionBodySchema, value);
  if (!isConnected(deps.policy, department.code) || !department.connected) throw new HttpError(forbidden());
  // Subscribing never widens what the body may learn: only what it may ask ad hoc.
  if (body.changeTypes.some((t) => !mayAskExchange(deps.policy, department.code, CHANGE_QUESTION[t])))
    throw new HttpError(forbidden());
  // 2.
  const claim = await claimMessage(deps, department.code, webhookId);
  if (claim.kind === 'replay') return claim.result;
  // 3.
  return answerOnce(deps, department.code, webhookId, claim, async () => ({
    statusCode: 200,
    body: await subscribe(deps, department.code, body),
  }));
}

async function get(deps: Deps, event: HttpEvent) {
  const code = departmentParam(event, { header: true });
  const { department } = await requireSignedDepartment(deps, event, code, '');
  const subscription = await deps.exchange.getSubscription(department.code);
  if (!subscription) throw new HttpError(notFound());
  return json(200, { subscription: subscriptionView(subscription) });
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) =>
    event.requestContext.http.method === 'GET' ? get(deps, event) : post(deps, event),
  );
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
