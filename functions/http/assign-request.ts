/**
 * POST /v1/requests/{requestId}/assignee — claim an open request (`{}`: the caller) or assign it to an
 * officer (`{ "officer": "wang.li" }`). Officer or supervisor acting for the request's station; a
 * supervisor assigns (a supervisor does not investigate). Audited (event ASSIGNED). 200 with the row.
 */
import { notFound, problem } from '#shared/http/problem.ts';
import { AssignBodySchema } from '#shared/schemas/casework.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actorOf, actsFor, requireStaff } from '../edge/auth.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { assignRequest, consoleRow } from '../use-cases/casework.ts';
import { nowIso } from '../use-cases/requests.ts';

const REQUEST_ID = /^[0-9A-Za-z_-]{1,100}$/;

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const body = validate(AssignBodySchema, jsonBody(event).value);
    const requestId = event.pathParameters?.requestId ?? '';
    const request = REQUEST_ID.test(requestId) ? await deps.store.getRequest(requestId) : undefined;
    if (!request || !actsFor(principal, request.station)) throw new HttpError(notFound());
    const officer = body.officer ?? principal.name;
    if (body.officer === undefined && principal.role !== 'OFFICER')
      throw new HttpError(
        problem(403, {
          detail: {
            zh: '督导员不承办请求：请指定民警',
            en: 'a supervisor does not investigate: name an officer',
          },
        }),
      );
    const updated = await assignRequest(deps, request, officer, actorOf(principal));
    return json(200, consoleRow(updated, nowIso(deps)));
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
