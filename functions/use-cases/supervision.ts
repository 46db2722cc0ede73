/**
 * The supervisors' report (GET /v1/supervision): for a Beijing day range and optionally one station —
 * per-station and per-officer figures, and the lists of overdue and escalated requests to drill into.
 *
 * Primary course:
 * 1. Read the open requests (INVESTIGATING, ESCALATED) through the store port's status listing.
 * 2. Read the figures of the requests finished in the range from the hourly finished counters (no
 *    finished request is read: the status index holds only open ones; shared/store/counters.ts).
 * 3. Keep the station asked for; tally per station and per officer (the assignee); list overdue and
 *    escalated open requests by deadline.
 * Reads are bounded (`SUPERVISION_READ_LIMIT` open requests per status, a few counter items per day of the
 * range); past the limit the answer says `truncated`.
 */
import { beijingDate, endOfBeijingDay, startOfBeijingDay } from '#shared/domain/beijing-day.ts';
import { OPEN_STATUSES, type RequestStatus } from '#shared/domain/request.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { type ConsoleRow, consoleRow } from './casework.ts';
import { nowIso } from './requests.ts';

/** Requests read per status at most. */
export const SUPERVISION_READ_LIMIT = 2000;

interface StationFigures {
  station: string;
  name?: string;
  open: number;
  overdue: number;
  escalated: number;
  finished: number;
  byOutcome: Record<string, number>;
  onTime: number;
  late: number;
}

interface OfficerFigures {
  officer: string;
  open: number;
  overdue: number;
  finished: number;
}

async function readStatus(
  deps: Deps,
  status: RequestStatus,
  range: { after?: string; before?: string },
): Promise<{ items: RequestRecord[]; truncated: boolean }> {
  const items: RequestRecord[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listByStatus(status, {
      ...range,
      limit: 200,
      ...(cursor ? { cursor } : {}),
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor && items.length < SUPERVISION_READ_LIMIT);
  return { items, truncated: cursor !== undefined };
}

/** The report for `from`..`to` (Beijing days, inclusive) and `station` (all when absent). */
export async function supervisionReport(deps: Deps, query: { from: string; to: string; station?: string }) {
  const now = nowIso(deps);
  const inStation = (r: RequestRecord) => query.station === undefined || r.station === query.station;
  let truncated = false;
  // 1.
  const open: RequestRecord[] = [];
  for (const status of OPEN_STATUSES) {
    const read = await readStatus(deps, status, {});
    truncated ||= read.truncated;
    open.push(...read.items.filter(inStation));
  }
  // 2.
  const finished = await deps.store.finishedFigures(
    startOfBeijingDay(query.from).toISOString(),
    new Date(endOfBeijingDay(query.to).getTime() - 1).toISOString(),
  );
  // 3.
  const registry = await deps.registry();
  const stations = new Map<string, StationFigures>();
  const officers = new Map<string, OfficerFigures>();
  const stationOf = (code: string) => {
    let figures = stations.get(code);
    if (!figures) {
      const name = registry.station(code)?.name;
      figures = {
        station: code,
        ...(name ? { name } : {}),
        open: 0,
        overdue: 0,
        escalated: 0,
        finished: 0,
        byOutcome: {},
        onTime: 0,
        late: 0,
      };
      stations.set(code, figures);
    }
    return figures;
  };
  const officerOf = (name: string) => {
    let figures = officers.get(name);
    if (!figures) {
      figures = { officer: name, open: 0, overdue: 0, finished: 0 };
      officers.set(name, figures);
    }
    return figures;
  };
  const rows = open.map((r) => consoleRow(r, now));
  for (const row of rows) {
    const s = stationOf(row.station ?? 'UNASSIGNED');
    s.open += 1;
    if (row.overdue) s.overdue += 1;
    if (row.status === 'ESCALATED') s.escalated += 1;
    if (row.assignee) {
      const o = officerOf(row.assignee);
      o.open += 1;
      if (row.overdue) o.overdue += 1;
    }
  }
  const inQuery = (code: string) => query.station === undefined || code === query.station;
  for (const [code, f] of Object.entries(finished.stations)) {
    if (!inQuery(code)) continue;
    const s = stationOf(code);
    s.finished += f.finished;
    for (const [outcome, n] of Object.entries(f.byOutcome))
      s.byOutcome[outcome] = (s.byOutcome[outcome] ?? 0) + n;
    s.onTime += f.onTime;
    s.late += f.late;
  }
  for (const [code, byOfficer] of Object.entries(finished.officers)) {
    if (!inQuery(code)) continue;
    for (const [officer, n] of Object.entries(byOfficer)) officerOf(officer).finished += n;
  }
  const byDeadline = (a: ConsoleRow, b: ConsoleRow) => (a.deadline ?? '').localeCompare(b.deadline ?? '');
  return {
    at: now,
    from: query.from,
    to: query.to,
    ...(query.station ? { station: query.station } : {}),
    today: beijingDate(new Date(now)),
    stations: [...stations.values()].sort((a, b) => a.station.localeCompare(b.station)),
    officers: [...officers.values()].sort((a, b) => a.officer.localeCompare(b.officer)),
    overdue: rows.filter((r) => r.overdue).sort(byDeadline),
    escalated: rows.filter((r) => r.status === 'ESCALATED').sort(byDeadline),
    truncated,
  };
}
