/**
 * Counters maintained as requests move (issue 18: bounded reads), so `countByStatus` and
 * `countFinishedSince` read a handful of small items instead of every request ever made:
 *
 * | item | pk | sk | attributes |
 * | --- | --- | --- | --- |
 * | status counter (4 shards by request id) | `COUNT#STATUS#{shard}` | `COUNT` | `c#{status}`, `o#{status}#{outcome}`, `t#{status}` (on time), `l#{status}` (late); finished per station (all time) `sf#{station}`, late `sl#{station}` |
 * | finished per hour | `COUNT#FINISHED` | `{YYYY-MM-DDTHH}` (UTC hour of finishedAt) | `f#{status}#{outcome}`, per station `s#{station}#{status}#{outcome}`, on time `st#{station}`, late `sl#{station}`, per officer `a#{station}#{assignee}` |
 *
 * | ratings per station (4 shards by request id) | `COUNT#RATINGS#{shard}` | `COUNT` | `r#{station}#{score}` (`UNKNOWN` without a station) |
 * | one officer's ratings | `COUNT#RATINGS#OFFICER#{officer}` | `COUNT` | `r#{score}` |
 * | complaints per station (4 shards by complaint id) | `COUNT#COMPLAINTS#{shard}` | `COUNT` | `k#{station}#{status}` (`UNKNOWN` without a station) |
 *
 * (`{station}` is `UNASSIGNED` for a request without one in the hourly items.) The public on-time rate per
 * station reads the all-time `sf#`/`sl#` of the status shards; the supervision report's finished figures
 * read the hourly items of its range; nothing reads finished requests themselves (the status index holds
 * only open ones, keys.ts).
 *
 * Each request write adds its delta (what the request counted for after the write minus before) with one
 * `ADD` update per item, after the conditional request write succeeded: a transition is counted once (a
 * retried step re-reads the new version and writes nothing). The two writes are not one transaction
 * (dynalite has none): a process that dies between them loses that count (it never counts twice).
 * Hourly buckets keep `countFinishedSince(…, dayOf)` exact for any day function aligned on hours (Beijing
 * days are): a 30-day series reads at most 720 small items.
 */
import { isFinal, type RequestStatus } from '#shared/domain/request.ts';
import { shardOf } from './keys.ts';
import type { RequestRecord } from './model.ts';
import type { StatusTally } from './port.ts';

export const COUNTER_SHARDS = 4;

export const counterKeys = {
  status: (shard: number) => ({ pk: `COUNT#STATUS#${shard}`, sk: 'COUNT' }),
  /** Ratings per station and score (COUNTER_SHARDS shards by request id): `r#{station}#{score}`. */
  ratings: (shard: number) => ({ pk: `COUNT#RATINGS#${shard}`, sk: 'COUNT' }),
  /** One officer's ratings per score: `r#{score}`. */
  officerRatings: (officer: string) => ({ pk: `COUNT#RATINGS#OFFICER#${officer}`, sk: 'COUNT' }),
  /** Complaints per station and status (COUNTER_SHARDS shards by complaint id): `k#{station}#{status}`. */
  complaints: (shard: number) => ({ pk: `COUNT#COMPLAINTS#${shard}`, sk: 'COUNT' }),
  finishedPartition: 'COUNT#FINISHED',
  finished: (hour: string) => ({ pk: 'COUNT#FINISHED', sk: hour }),
};

/** The shard of a request's status counts (a stable hash of its id: keys.ts `shardOf`). */
export function counterShard(requestId: string): number {
  return shardOf(requestId, COUNTER_SHARDS);
}

type Counted = Pick<RequestRecord, 'status' | 'outcome' | 'onTime' | 'station'>;

/** What one request adds to the status counters (the rule of `tallyStatus`, as attributes). */
function contribution(r: Counted): Record<string, number> {
  const outcome = typeof r.outcome === 'string' ? r.outcome : 'NONE';
  const out: Record<string, number> = { [`c#${r.status}`]: 1, [`o#${r.status}#${outcome}`]: 1 };
  if (r.onTime === true) out[`t#${r.status}`] = 1;
  if (r.onTime === false) out[`l#${r.status}`] = 1;
  if (isFinal(r.status) && r.station) {
    out[`sf#${r.station}`] = 1;
    if (r.onTime === false) out[`sl#${r.station}`] = 1;
  }
  return out;
}

/** The status-counter change of a write from `before` (undefined: a new request) to `after`; {} if none. */
export function statusDelta(before: Counted | undefined, after: Counted): Record<string, number> {
  const delta: Record<string, number> = { ...contribution(after) };
  if (before) for (const [k, v] of Object.entries(contribution(before))) delta[k] = (delta[k] ?? 0) - v;
  for (const [k, v] of Object.entries(delta)) if (v === 0) delete delta[k];
  return delta;
}

/**
 * The finished-per-hour change when a request reaches a final status: the hour bucket and its
 * attributes; undefined otherwise (or without an ISO finishedAt).
 */
export function finishedDelta(
  before: Counted | undefined,
  after: Counted & Pick<RequestRecord, 'finishedAt' | 'assignee'>,
): { hour: string; add: Record<string, number> } | undefined {
  if (!isFinal(after.status) || (before && isFinal(before.status))) return undefined;
  const at = after.finishedAt ?? '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}/.test(at)) return undefined;
  const outcome = typeof after.outcome === 'string' ? after.outcome : 'NONE';
  const station = after.station ?? UNASSIGNED;
  const add: Record<string, number> = {
    [`f#${after.status}#${outcome}`]: 1,
    [`s#${station}#${after.status}#${outcome}`]: 1,
  };
  if (after.onTime === true) add[`st#${station}`] = 1;
  if (after.onTime === false) add[`sl#${station}`] = 1;
  if (after.assignee) add[`a#${station}#${after.assignee}`] = 1;
  return { hour: at.slice(0, 13), add };
}

/** The station of a finished request without one, in the hourly counters and the supervision report. */
export const UNASSIGNED = 'UNASSIGNED';

/** Finished requests per station from hourly counter items (`addFinishedItem`). */
export interface FinishedFigures {
  /** By station: finished count by outcome, on time, late. */
  stations: Record<
    string,
    { finished: number; byOutcome: Record<string, number>; onTime: number; late: number }
  >;
  /** By station, then officer (the assignee): finished count. */
  officers: Record<string, Record<string, number>>;
}

/** Adds one hourly finished-counter item (`COUNT#FINISHED` / hour) to `figures`. */
export function addFinishedItem(figures: FinishedFigures, item: Record<string, unknown>): void {
  const station = (code: string) => {
    const row = figures.stations[code] ?? { finished: 0, byOutcome: {}, onTime: 0, late: 0 };
    figures.stations[code] = row;
    return row;
  };
  for (const [k, v] of Object.entries(item)) {
    if (typeof v !== 'number' || v === 0) continue;
    const [kind, ...rest] = k.split('#');
    if (kind === 's' && rest.length >= 3) {
      // s#{station}#{status}#{outcome}: a station code has no '#'.
      const row = station(rest[0]!);
      const outcome = rest.slice(2).join('#');
      row.finished += v;
      row.byOutcome[outcome] = (row.byOutcome[outcome] ?? 0) + v;
    } else if (kind === 'st' && rest.length === 1) station(rest[0]!).onTime += v;
    else if (kind === 'sl' && rest.length === 1) station(rest[0]!).late += v;
    else if (kind === 'a' && rest.length >= 2) {
      const officers = figures.officers[rest[0]!] ?? {};
      figures.officers[rest[0]!] = officers;
      const officer = rest.slice(1).join('#');
      officers[officer] = (officers[officer] ?? 0) + v;
    }
  }
}

/** All-time finished and late requests per station from the status-counter shards (`sf#`, `sl#`). */
export function addStationFinished(
  into: Map<string, { finished: number; late: number }>,
  item: Record<string, unknown>,
): void {
  for (const [k, v] of Object.entries(item)) {
    if (typeof v !== 'number') continue;
    const finished = k.startsWith('sf#');
    if (!finished && !k.startsWith('sl#')) continue;
    const code = k.slice(3);
    const row = into.get(code) ?? { finished: 0, late: 0 };
    if (finished) row.finished += v;
    else row.late += v;
    into.set(code, row);
  }
}

/** Adds one status-counter item's figures for `status` to `tally`. */
export function addCounterItem(
  tally: StatusTally,
  item: Record<string, unknown>,
  status: RequestStatus,
): void {
  const n = (v: unknown) => (typeof v === 'number' ? v : 0);
  tally.count += n(item[`c#${status}`]);
  tally.onTime += n(item[`t#${status}`]);
  tally.late += n(item[`l#${status}`]);
  const prefix = `o#${status}#`;
  for (const [k, v] of Object.entries(item)) {
    if (!k.startsWith(prefix) || n(v) === 0) continue;
    const outcome = k.slice(prefix.length);
    tally.byOutcome[outcome] = (tally.byOutcome[outcome] ?? 0) + n(v);
  }
  for (const [k, v] of Object.entries(tally.byOutcome)) if (v === 0) delete tally.byOutcome[k];
}

/** `UpdateExpression` parts that ADD each attribute of `add` (names and values as placeholders). */
export function addExpression(add: Record<string, number>) {
  const names: Record<string, string> = {};
  const values: Record<string, number> = {};
  const parts = Object.entries(add).map(([attribute, value], i) => {
    names[`#a${i}`] = attribute;
    values[`:v${i}`] = value;
    return `#a${i} :v${i}`;
  });
  return {
    UpdateExpression: `ADD ${parts.join(', ')}`,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

/** A rating's station when it names none (as `tallyAccountability` files it). */
export const UNKNOWN_STATION = 'UNKNOWN';

/** The rating counters one new rating adds to: its station shard and, with an officer, the officer's item. */
export function ratingDeltas(r: {
  requestId: string;
  station?: string | undefined;
  officer?: string | undefined;
  score: number;
}): { key: { pk: string; sk: string }; add: Record<string, number> }[] {
  const out = [
    {
      key: counterKeys.ratings(counterShard(r.requestId)),
      add: { [`r#${r.station ?? UNKNOWN_STATION}#${r.score}`]: 1 },
    },
  ];
  if (r.officer) out.push({ key: counterKeys.officerRatings(r.officer), add: { [`r#${r.score}`]: 1 } });
  return out;
}

/** Score counts from rating counter items: `r#{station}#{score}` (by station) or `r#{score}` (an officer). */
export function scoreCounts(
  items: readonly Record<string, unknown>[],
): { key?: string; score: number; count: number }[] {
  const sums = new Map<string, { key?: string; score: number; count: number }>();
  for (const item of items)
    for (const [k, v] of Object.entries(item)) {
      if (!k.startsWith('r#') || typeof v !== 'number' || v === 0) continue;
      const parts = k.slice(2).split('#');
      const score = Number(parts.at(-1));
      if (!Number.isFinite(score)) continue;
      const key = parts.length > 1 ? parts.slice(0, -1).join('#') : undefined;
      const id = `${key ?? ''}#${score}`;
      const row = sums.get(id) ?? { ...(key !== undefined ? { key } : {}), score, count: 0 };
      row.count += v;
      sums.set(id, row);
    }
  return [...sums.values()];
}

/** The counter items a recount writes: the status shards and the finished-per-hour buckets. */
export interface RecountedCounters {
  /** Shard → attributes (every shard, empty where no request falls). */
  status: Map<number, Record<string, number>>;
  /** UTC hour (`YYYY-MM-DDTHH`) → attributes. */
  finished: Map<string, Record<string, number>>;
  requests: number;
}

/**
 * The counters as the writes would have built them, from the requests themselves (each counted as if
 * created in its present state): what `npm run admin -- counters recount` writes over a table made
 * before the counters existed (infra/recount.ts). Feed it every request, in any order.
 */
export function recountOf(
  input: Iterable<Counted & Pick<RequestRecord, 'requestId' | 'finishedAt' | 'station'>>,
): RecountedCounters {
  const status = new Map<number, Record<string, number>>();
  for (let shard = 0; shard < COUNTER_SHARDS; shard += 1) status.set(shard, {});
  const finished = new Map<string, Record<string, number>>();
  const add = (into: Record<string, number>, delta: Record<string, number>) => {
    for (const [k, v] of Object.entries(delta)) into[k] = (into[k] ?? 0) + v;
  };
  let requests = 0;
  for (const r of input) {
    requests += 1;
    add(status.get(counterShard(r.requestId)) as Record<string, number>, statusDelta(undefined, r));
    const done = finishedDelta(undefined, r);
    if (!done) continue;
    const bucket = finished.get(done.hour) ?? {};
    finished.set(done.hour, bucket);
    add(bucket, done.add);
  }
  return { status, finished, requests };
}

/** What a complaint counts for: its station (or `UNKNOWN_STATION`) and status. */
type CountedComplaint = { complaintId: string; station?: string | undefined; status: string };

/**
 * The complaint-counter change of a complaint write from `before` (undefined: a new complaint) to `after`
 * (`k#{station}#{status}`: −1 for what it was, +1 for what it is): the item (its shard by complaint id)
 * and the attributes to ADD; undefined when nothing changes (same station and status).
 */
export function complaintDelta(
  before: CountedComplaint | undefined,
  after: CountedComplaint,
): { key: { pk: string; sk: string }; add: Record<string, number> } | undefined {
  const attribute = (c: CountedComplaint) => `k#${c.station ?? UNKNOWN_STATION}#${c.status}`;
  const add: Record<string, number> = { [attribute(after)]: 1 };
  if (before) add[attribute(before)] = (add[attribute(before)] ?? 0) - 1;
  for (const [k, v] of Object.entries(add)) if (v === 0) delete add[k];
  if (Object.keys(add).length === 0) return undefined;
  return { key: counterKeys.complaints(counterShard(after.complaintId)), add };
}

/** Complaint counts per station and status from complaint counter items (`k#{station}#{status}`), zeros left out. */
export function complaintCounts(
  items: readonly Record<string, unknown>[],
): { station: string; status: string; count: number }[] {
  const sums = new Map<string, number>();
  for (const item of items)
    for (const [k, v] of Object.entries(item)) {
      if (!k.startsWith('k#') || typeof v !== 'number') continue;
      sums.set(k, (sums.get(k) ?? 0) + v);
    }
  const out: { station: string; status: string; count: number }[] = [];
  for (const [k, count] of sums) {
    if (count === 0) continue;
    const parts = k.slice(2).split('#');
    const status = parts.pop() ?? '';
    out.push({ station: parts.join('#'), status, count });
  }
  return out.sort((a, b) => a.station.localeCompare(b.station) || a.status.localeCompare(b.status));
}
