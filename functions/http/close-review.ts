/**
 * POST /v1/reviews/{requestId}/close — a supervisor closes the poor-rating review (差评回访) of a request's
 * rating with `{ outcome: RECTIFIED | NO_FAULT, remark }` (use-cases/reviews.ts). 200 with the closed
 * review; 400 bad body (nothing stored); 401 / 403 without a supervisor sign-in; 404 no open or closed
 * review the supervisor may see; 409 closed already.
 */
import { ReviewClosureSchema } from '#shared/schemas/complaint.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actorOf, actsFor, requireSupervisor } from '../edge/auth.ts';
import { httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { closeReview } from '../use-cases/reviews.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireSupervisor(deps, event);
    const { value } = jsonBody(event);
    const body = validate(ReviewClosureSchema, value);
    const requestId = event.pathParameters?.requestId ?? '';
    const closed = await closeReview(deps, requestId, body, { principal, by: actorOf(principal), actsFor });
    return json(200, {
      requestId: closed.requestId,
      score: closed.score,
      review: 'CLOSED',
      closure: closed.closure,
      links: { request: `/v1/requests/${closed.requestId}` },
    });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
