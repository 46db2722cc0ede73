/**
 * GET /v1/metrics/summary — counts by status and outcome, on-time rate, overdue now, and what the reform
 * saved (API.md). Reads the byStatusDeadline index, one query per status; never a Scan.
 */
import { AVOIDED_OUTCOMES, REQUEST_STATUSES } from '#shared/domain/types.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json } from '../lib/http.ts';

export const TRIPS_PER_CERTIFICATE = 2;
export const YUAN_PER_TRIP = 10;

export async function metricsSummary(deps: Deps) {
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
  let overdueNow = 0;
  for (const status of ['INVESTIGATING', 'ESCALATED'] as const) {
    let cursor: string | undefined;
    do {
      const page = await deps.store.listByStatus(status, {
        before: now,
        limit: 500,
        ...(cursor ? { cursor } : {}),
      });
      overdueNow += page.items.filter((r) => r.deadline !== undefined && r.deadline < now).length;
      cursor = page.cursor;
    } while (cursor);
  }
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
  };
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async () => json(200, await metricsSummary(deps)));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
