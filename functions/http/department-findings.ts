/**
 * POST /v1/webhooks/{department}/findings — a connected department's signed finding.
 *
 * Primary course:
 *  1. Verify the Standard Webhooks signature with the department's secrets and the stack's clock (401).
 *  2. Validate the body (415 / 400); only connected departments report findings (403), and only on an
 *     investigation dispatched to them (`dispatchedTo`, from the policy's `consults`; else 404).
 *  3. De-duplicate on webhook-id: a message seen before gets the first answer again.
 *  4. Submit the finding (use-cases/findings.ts), then keep the answer for the webhook-id. A refused finding
 *     (404 / 409) releases the webhook-id: a rejected message stores nothing.
 */
import { forbidden, notFound } from '#shared/http/problem.ts';
import { isConnected } from '#shared/policy/policy.ts';
import { DepartmentFindingsSchema } from '#shared/schemas/intake.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireSignedDepartment } from '../edge/auth.ts';
import { answerOnce, claimMessage } from '../edge/dedup.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { HttpError, httpHandler, jsonBody, validate } from '../edge/http.ts';
import { submitFinding } from '../use-cases/findings.ts';

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
    const claim = await claimMessage(deps, department.code, webhookId);
    if (claim.kind === 'replay') return claim.result;
    // 4.
    return answerOnce(deps, department.code, webhookId, claim, async () => {
      // Remit: only a department the investigation was dispatched to may report its finding; for any
      // other the request is unknown (404, as for an officer of another station).
      const request = await deps.store.getRequest(body.requestId);
      if (!request?.dispatchedTo?.includes(department.code)) throw new HttpError(notFound());
      const result = await submitFinding(
        deps,
        body.requestId,
        {
          outcome: body.outcome,
          by: `department:${department.code}`,
          facts: body.facts,
          ...(body.note ? { note: body.note } : {}),
        },
        { firstRead: request },
      );
      return { statusCode: 202, body: { ...result, status: 'ACCEPTED', webhookId } };
    });
  });
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
