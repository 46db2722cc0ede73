/**
 * GET /v1/metrics/summary — counts by status and outcome, on-time rate, overdue now, and what the reform
 * saved (docs/api.md). Bounded reads (issue 18): the counts come from the counters the store keeps as
 * requests move (shared/store/counters.ts: a few small items, whatever the number of requests); only
 * `overdueNow` reads the status index's entries (open requests sorting before now, its small projection:
 * no request item), never a Scan.
 *
 * `overdueNow` counts what the console and the supervision report call overdue (`isOverdue`,
 * use-cases/casework.ts): an open request past its deadline, or escalated — an escalation happens at the
 * deadline and sets a new one, and the request stays past the service standard. So it is the escalated
 * requests (their counter) plus the others past their deadline.
 *
 * `series`: the last SERIES_DAYS Beijing days (today included, oldest first), each `{ date, byOutcome }`
 * counting the requests that reached a final status (DECLINED, ANSWERED_BY_EXCHANGE, ISSUED, REFUSED)
 * that day, by decision outcome, from the per-hour finished counters (at most 720 small items). Open
 * requests are not in the series (they have no day yet).
 *
 * `?station=CODE` (contract name): that station's open work — `{ at, station, open, byStatus,
 * overdueNow, escalatedNow }` from its queue (the byStation index, no Scan) — for a supervisor only: 401
 * without a sign-in (or with an officer's, which is not a supervisor sign-in), 400 for a malformed code,
 * 404 for a station the registry does not know. Without `station` the answer stays public and
 * aggregate-only.
 */

import { beijingDate, startOfBeijingDay } from '#shared/domain/beijing-day.ts';
import { FINAL_STATUSES, OPEN_STATUSES, REQUEST_STATUSES } from '#shared/domain/request.ts';
import { AVOIDED_OUTCOMES } from '#shared/domain/types.ts';
import { notFound } from '#shared/http/problem.ts';
import type { MetricsSummary } from '#shared/schemas/responses.ts';
import * as z from '#shared/schemas/zod.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireSupervisorSignIn } from '../edge/auth.ts';
import { HttpError, httpHandler, json, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { isOverdue } from '../use-cases/casework.ts';

export const TRIPS_PER_CERTIFICATE = 2;
export const YUAN_PER_TRIP = 10;
export const SERIES_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Finished requests per Beijing day and outcome, for the last `days` days ending with `now`'s day. */
export async function outcomeSeries(deps: Deps, nowMs: number, days = SERIES_DAYS) {
  const today = startOfBeijingDay(beijingDate(new Date(nowMs))).getTime();
  const dates = Array.from({ length: days }, (_, i) =>
    beijingDate(new Date(today - (days - 1 - i) * DAY_MS)),
  );
  const since = startOfBeijingDay(dates[0]!).toISOString();
  const counted: Record<string, Record<string, number>> = {};
  for (const status of FINAL_STATUSES) {
    const perDay = await deps.store.countFinishedSince(status, since, (at) => beijingDate(new Date(at)));
    for (const [date, byOutcome] of Object.entries(perDay)) {
      const into = counted[date] ?? {};
      counted[date] = into;
      for (const [outcome, n] of Object.entries(byOutcome)) into[outcome] = (into[outcome] ?? 0) + n;
    }
  }
  // Days after today (a finishedAt ahead of the clock, e.g. a test clock set back) are left out.
  return dates.map((date) => ({ date, byOutcome: counted[date] ?? {} }));
}

export async function metricsSummary(deps: Deps): Promise<MetricsSummary> {
  const byStatus: Record<string, number> = {};
  const byOutcome: Record<string, number> = {};
  let onTime = 0;
  let late = 0;
  for (const status of REQUEST_STATUSES) {
    const c = await deps.store.countByStatus(status);
    byStatus[status] = c.count;
    for (const [outcome, n] of Object.entries(c.byOutcome)) {
      if (outcome !== 'NONE') byOutcome[outcome] = (byOutcome[outcome] ?? 0) + n;
    }
    onTime += c.onTime;
    late += c.late;
  }
  const now = new Date(deps.clock.now()).toISOString();
  let overdueNow = byStatus.ESCALATED ?? 0;
  for (const status of OPEN_STATUSES) {
    if (status === 'ESCALATED') continue;
    let cursor: string | undefined;
    do {
      const page = await deps.store.listStatusEntries(status, {
        before: now,
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      overdueNow += page.items.filter((r) => r.deadline !== undefined && r.deadline < now).length;
      cursor = page.cursor;
    } while (cursor);
  }
  const series = await outcomeSeries(deps, deps.clock.now());
  const certificatesAvoided = AVOIDED_OUTCOMES.reduce((sum, o) => sum + (byOutcome[o] ?? 0), 0);
  const tripsSaved = certificatesAvoided * TRIPS_PER_CERTIFICATE;
  return {
    at: now,
    total: Object.values(byStatus).reduce((a, b) => a + b, 0),
    byStatus,
    byOutcome,
    decidedWithDeadline: onTime + late,
    onTimeRate: onTime + late === 0 ? null : onTime / (onTime + late),
    overdueNow,
    escalatedNow: byStatus.ESCALATED ?? 0,
    certificatesIssued: byStatus.ISSUED ?? 0,
    certificatesAvoided,
    tripsSaved,
    yuanSaved: tripsSaved * YUAN_PER_TRIP,
    series,
  };
}

/** One station's open requests by status, overdue and escalated now (pages of its queue). */
export async function stationSummary(deps: Deps, station: string) {
  const now = new Date(deps.clock.now()).toISOString();
  const byStatus: Record<string, number> = {};
  let open = 0;
  let overdueNow = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.store.listStationQueue(station, { limit: 200, ...(cursor ? { cursor } : {}) });
    for (const r of page.items) {
      open += 1;
      byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
      if (isOverdue(r, now)) overdueNow += 1;
    }
    cursor = page.cursor;
  } while (cursor);
  return { at: now, station, open, byStatus, overdueNow, escalatedNow: byStatus.ESCALATED ?? 0 };
}

const StationQuery = z.object({ station: z.string().check(z.regex(/^[A-Z0-9-]{2,40}$/, 'station code')) });

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const station = event.queryStringParameters?.station;
    if (station === undefined) return json(200, await metricsSummary(deps));
    await requireSupervisorSignIn(deps, event, {
      zh: '按派出所的统计需要督导员登录',
      en: 'per-station figures need a supervisor sign-in',
    });
    const { station: code } = validate(StationQuery, { station });
    const registry = await deps.registry();
    if (!registry.stations().some((s) => s.code === code)) throw new HttpError(notFound());
    return json(200, await stationSummary(deps, code));
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
