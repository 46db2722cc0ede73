/**
 * GET /v1/stations/{station}/queue — the officer console's work list. `view=open` (default): the station's
 * open investigations (INVESTIGATING, ESCALATED) by deadline, through the byOwner index; `view=done`: its
 * finished requests, newest first. Filters `status`, `proof`, `overdue=true|false`, `assignee=me|none|NAME`
 * are applied to at most 500 requests read (then no cursor). Officer / supervisor token acting for the
 * station. Rows tell two requests apart (use-cases/casework.ts `consoleRow`), names and ID numbers masked.
 * On the first page of `view=open`, `accepted`: requests filed here and handled at the competent station
 * (收受分离, role ACCEPTING; the items have role HANDLING), and `checks`: the registry checks that disputed
 * exchange answers opened at the station (结果反馈), oldest first.
 */
import { forbidden } from '#shared/http/problem.ts';
import { QueueQuerySchema } from '#shared/schemas/casework.ts';
import type { Page, RequestRecord } from '#shared/store/model.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actsFor, requireStaff } from '../edge/auth.ts';
import { HttpError, httpHandler, json, limitParam, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { acceptedAtStation, type ConsoleRow, checksAtStation, consoleRow } from '../use-cases/casework.ts';
import { nowIso } from '../use-cases/requests.ts';

/** How many requests a filtered listing reads at most (bounded reads; the rest is not shown). */
export const FILTER_READ_LIMIT = 500;

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const station = event.pathParameters?.station ?? '';
    if (!actsFor(principal, station)) throw new HttpError(forbidden());
    const q = validate(QueueQuerySchema, event.queryStringParameters ?? {});
    const read = (options: { limit: number; cursor?: string }): Promise<Page<RequestRecord>> =>
      q.view === 'done'
        ? deps.store.listStationDone(station, options)
        : deps.store.listStationQueue(station, options);
    const now = nowIso(deps);
    const filtered =
      q.status !== undefined || q.proof !== undefined || q.overdue !== undefined || q.assignee !== undefined;
    if (!filtered) {
      const page = await read({
        limit: limitParam(q.limit, 50, 200),
        ...(q.cursor ? { cursor: q.cursor } : {}),
      });
      const first = !q.cursor && q.view !== 'done';
      const [checks, accepted] = first
        ? await Promise.all([checksAtStation(deps, station), acceptedAtStation(deps, station)])
        : [[], []];
      return json(200, {
        station,
        items: page.items.map((r) => ({ ...consoleRow(r, now), role: 'HANDLING' as const })),
        ...(page.cursor ? { cursor: page.cursor } : {}),
        ...(accepted.length > 0 ? { accepted } : {}),
        ...(checks.length > 0 ? { checks } : {}),
      });
    }
    const assignee = q.assignee === 'me' ? principal.name : q.assignee;
    const keep = (row: ConsoleRow) =>
      (q.status === undefined || row.status === q.status) &&
      (q.proof === undefined || row.proof === q.proof) &&
      (q.overdue === undefined || row.overdue === (q.overdue === 'true')) &&
      (assignee === undefined ||
        (assignee === 'none' ? row.assignee === undefined : row.assignee === assignee));
    const rows: ConsoleRow[] = [];
    let cursor: string | undefined;
    let seen = 0;
    do {
      const page = await read({ limit: 100, ...(cursor ? { cursor } : {}) });
      seen += page.items.length;
      rows.push(...page.items.map((r) => consoleRow(r, now)).filter(keep));
      cursor = page.cursor;
    } while (cursor && seen < FILTER_READ_LIMIT);
    return json(200, {
      station,
      items: rows
        .slice(0, limitParam(q.limit, 50, 200))
        .map((row) => ({ ...row, role: 'HANDLING' as const })),
      ...(cursor ? { truncated: true } : {}),
    });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
