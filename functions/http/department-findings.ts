/**
 * POST /v1/webhooks/{department}/findings — a connected department's signed finding.
 *
 * Primary course:
 *  1. Verify the Standard Webhooks signature with the department's secrets and the stack's clock (401).
 *  2. Validate the body (415 / 400); only connected departments report findings (403).
 *  3. De-duplicate on webhook-id: a message seen before gets the first answer again.
 *  4. Submit the finding (lib/findings.ts), then keep the answer for the webhook-id. A refused finding
 *     (404 / 409) releases the webhook-id: a rejected message stores nothing.
 */
import { conflict, forbidden } from '#shared/http/problem.ts';
import { isConnected } from '#shared/policy/policy.ts';
import { DepartmentFindingsSchema } from '#shared/schemas/intake.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { requireSignedDepartment } from '../lib/auth.ts';
import { submitFinding } from '../lib/findings.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../lib/http.ts';

const WEBHOOK_TTL_SECONDS = 7 * 24 * 3600;

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    // 1.
    const { raw, value } = jsonBody(event);
    const { department, webhookId } = await requireSignedDepartment(
      deps,
      event,
      event.pathParameters?.department,
      raw,
    );
    // 2.
    const body = validate(DepartmentFindingsSchema, value);
    if (!isConnected(deps.policy, department.code) || !department.connected) throw new HttpError(forbidden());
    // 3.
    const now = deps.clock.now();
    const at = new Date(now).toISOString();
    const expiresAt = Math.floor(now / 1000) + WEBHOOK_TTL_SECONDS;
    const claim = await deps.store.claimWebhook(department.code, webhookId, at, expiresAt);
    if (!claim.claimed) {
      if (claim.existing.state === 'DONE' && claim.existing.response) {
        return json(claim.existing.response.statusCode, claim.existing.response.body, {
          'webhook-replayed': 'true',
        });
      }
      throw new HttpError(conflict({ zh: '该消息正在处理中', en: 'this message is being processed' }));
    }
    // 4.
    try {
      const result = await submitFinding(deps, body.requestId, {
        outcome: body.outcome,
        by: `department:${department.code}`,
        facts: body.facts,
        ...(body.note ? { note: body.note } : {}),
      });
      const answer = { ...result, status: 'ACCEPTED', webhookId };
      await deps.store.completeWebhook(
        department.code,
        webhookId,
        { statusCode: 202, body: answer },
        at,
        expiresAt,
      );
      return json(202, answer);
    } catch (error) {
      await deps.store.releaseWebhook(department.code, webhookId);
      throw error;
    }
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
