/**
 * POST /v1/requests/{requestId}/findings — an officer (or supervisor) acting for the request's station
 * confirms or refutes; the waiting workflow resumes (use-cases/findings.ts). 202 when accepted.
 */
import { notFound } from '#shared/http/problem.ts';
import { FindingsBodySchema } from '#shared/schemas/findings.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actorOf, actsFor, requireStaff } from '../edge/auth.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { submitFinding } from '../use-cases/findings.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const { value } = jsonBody(event);
    const body = validate(FindingsBodySchema, value);
    const requestId = event.pathParameters?.requestId ?? '';
    const request = /^[0-9A-Za-z_-]{1,100}$/.test(requestId)
      ? await deps.store.getRequest(requestId)
      : undefined;
    if (!request || !actsFor(principal, request.station)) throw new HttpError(notFound());
    const result = await submitFinding(
      deps,
      requestId,
      {
        outcome: body.outcome,
        by: actorOf(principal),
        facts: body.facts,
        ...(body.note ? { note: body.note } : {}),
      },
      { firstRead: request },
    );
    return json(202, { ...result, status: 'ACCEPTED', links: { request: `/v1/requests/${requestId}` } });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
