/**
 * GET /v1/supervision?from=YYYY-MM-DD&to=YYYY-MM-DD[&station=CODE] — the supervisors' report
 * (use-cases/supervision.ts): per-station and per-officer figures for the Beijing day range, and the
 * overdue and escalated requests with links to drill into (`GET /v1/requests/{id}` with its audit trail).
 * A supervisor sign-in only: 401 without a token, 403 for an officer. Names and ID numbers masked.
 */
import { notFound } from '#shared/http/problem.ts';
import { SupervisionQuerySchema } from '#shared/schemas/casework.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireSupervisor } from '../edge/auth.ts';
import { HttpError, httpHandler, json, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { supervisionReport } from '../use-cases/supervision.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    await requireSupervisor(deps, event);
    const query = validate(SupervisionQuerySchema, event.queryStringParameters ?? {});
    if (query.station !== undefined) {
      const registry = await deps.registry();
      if (!registry.station(query.station)) throw new HttpError(notFound());
    }
    return json(200, await supervisionReport(deps, query), { 'cache-control': 'no-store' });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
