/**
 * GET /v1/transparency/accountability — public, aggregate only (no personal data, no officer names):
 * per station of the registry (and any other with figures) its on-time rate of finished requests, complaints received / upheld / open, the number
 * of ratings and their average (shared/domain/complaint.ts `tallyAccountability`; every figure from the
 * counters, shared/store/counters.ts: a few small reads whatever the traffic), with the station's
 * name from the registry; complaints by kind; and the policy's source for the complaint deadline.
 */

import { tallyAccountability } from '#shared/domain/complaint.ts';
import { COMPLAINT_KINDS } from '#shared/policy/accountability.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json } from '../edge/http.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async () => {
    const [complaints, ratings, finished, registry] = await Promise.all([
      deps.accountability.complaintCounts(),
      deps.accountability.ratingsByStation(),
      deps.accountability.finishedByStation(),
      deps.registry(),
    ]);
    const onTime = new Map<string, { finished: number; onTime: number }>();
    for (const f of finished)
      if (f.finished > 0) onTime.set(f.station, { finished: f.finished, onTime: f.finished - f.late });
    const rows = tallyAccountability(complaints, ratings);
    // Every station of the registry (zeros included: the complaint form picks from them), then any
    // other that has figures (UNKNOWN: complaints that named neither a request with a station nor one).
    const stations = [
      ...registry.stations().map((x) => x.code),
      ...[...new Set([...rows.map((r) => r.station), ...onTime.keys()])]
        .filter((code) => !registry.station(code))
        .sort(),
    ];
    const byStation = stations.map((station) => {
      const r = rows.find((x) => x.station === station);
      const t = onTime.get(station);
      return {
        station,
        name: registry.station(station)?.name ?? station,
        finished: t?.finished ?? 0,
        onTimeRate: t && t.finished > 0 ? Math.round((t.onTime / t.finished) * 1000) / 1000 : null,
        complaintsReceived: r?.complaintsReceived ?? 0,
        complaintsUpheld: r?.complaintsUpheld ?? 0,
        complaintsOpen: r?.complaintsOpen ?? 0,
        ratings: r?.ratings ?? 0,
        ratingAverage: r?.ratingAverage ?? null,
      };
    });
    return json(200, {
      generatedAt: new Date(deps.clock.now()).toISOString(),
      stations: byStation,
      policy: {
        findingWorkingDays: deps.accountabilityPolicy.complaint.findingWorkingDays,
        escalationIntervalWorkingDays: deps.accountabilityPolicy.complaint.escalationIntervalWorkingDays,
        source: deps.accountabilityPolicy.source,
      },
      kinds: COMPLAINT_KINDS.map((code) => ({
        code,
        name: deps.accountabilityPolicy.kinds.find((k) => k.code === code)?.name ?? { zh: code, en: code },
      })),
    });
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
