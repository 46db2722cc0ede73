/**
 * POST /v1/requests/{requestId}/reveal — `{ reason }`: the investigating officer (the request's assignee)
 * sees the full ID numbers of the request's people and their registry records. The reveal is recorded
 * first (event PERSONAL_DATA_REVEALED: who, why, whose); anyone else gets 403. `Cache-Control: no-store`.
 */
import { notFound } from '#shared/http/problem.ts';
import { RevealBodySchema } from '#shared/schemas/casework.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actorOf, actsFor, requireStaff } from '../edge/auth.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { revealPeople } from '../use-cases/casework.ts';

const REQUEST_ID = /^[0-9A-Za-z_-]{1,100}$/;

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const body = validate(RevealBodySchema, jsonBody(event).value);
    const requestId = event.pathParameters?.requestId ?? '';
    const request = REQUEST_ID.test(requestId) ? await deps.store.getRequest(requestId) : undefined;
    if (!request || !actsFor(principal, request.station)) throw new HttpError(notFound());
    const revealed = await revealPeople(deps, request, principal, body.reason, actorOf(principal));
    deps.logger.info('personal data revealed', { requestId, by: actorOf(principal) });
    return json(200, { requestId, ...revealed }, { 'cache-control': 'no-store' });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
