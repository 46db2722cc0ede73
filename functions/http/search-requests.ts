/**
 * POST /v1/requests/search — the officer console's search: `{ q, station? }` where q is a request number or
 * its 8-character reference, a name or an ID number (looked up by its keyed hash: use-cases/search.ts).
 * Officer / supervisor; only requests of stations the caller acts for. A POST so that an ID number never
 * sits in a URL (access logs, browser history). Rows as the queue's, names and ID numbers masked.
 */
import { forbidden } from '#shared/http/problem.ts';
import { SearchBodySchema } from '#shared/schemas/casework.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actsFor, requireStaff } from '../edge/auth.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { consoleRow } from '../use-cases/casework.ts';
import { nowIso } from '../use-cases/requests.ts';
import { searchRequests } from '../use-cases/search.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const body = validate(SearchBodySchema, jsonBody(event).value);
    if (body.station !== undefined && !actsFor(principal, body.station)) throw new HttpError(forbidden());
    const found = await searchRequests(
      deps,
      body.q,
      (r) => actsFor(principal, r.station) && (body.station === undefined || r.station === body.station),
    );
    const now = nowIso(deps);
    return json(200, { items: found.map((r) => consoleRow(r, now)) }, { 'cache-control': 'no-store' });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
