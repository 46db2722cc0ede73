/**
 * Counters maintained as requests move (issue 18: bounded reads), so `countByStatus` and
 * `countFinishedSince` read a handful of small items instead of every request ever made:
 *
 * | item | pk | sk | attributes |
 * | --- | --- | --- | --- |
 * | status counter (4 shards by request id) | `COUNT#STATUS#{shard}` | `COUNT` | `c#{status}`, `o#{status}#{outcome}`, `t#{status}` (on time), `l#{status}` (late) |
 * | finished per hour | `COUNT#FINISHED` | `{YYYY-MM-DDTHH}` (UTC hour of finishedAt) | `f#{status}#{outcome}`, per station `s#{station}#{status}#{outcome}` |
 *
 * Each request write adds its delta (what the request counted for after the write minus before) with one
 * `ADD` update per item, after the conditional request write succeeded: a transition is counted once (a
 * retried step re-reads the new version and writes nothing). The two writes are not one transaction
 * (dynalite has none): a process that dies between them loses that count (it never counts twice).
 * Hourly buckets keep `countFinishedSince(…, dayOf)` exact for any day function aligned on hours (Beijing
 * days are): a 30-day series reads at most 720 small items.
 */
import { isFinal, type RequestStatus } from '#shared/domain/request.ts';
import type { RequestRecord } from './model.ts';
import type { StatusTally } from './port.ts';

export const COUNTER_SHARDS = 4;

export const counterKeys = {
  status: (shard: number) => ({ pk: `COUNT#STATUS#${shard}`, sk: 'COUNT' }),
  finishedPartition: 'COUNT#FINISHED',
  finished: (hour: string) => ({ pk: 'COUNT#FINISHED', sk: hour }),
};

/** The shard of a request's status counts (a stable hash of its id). */
export function counterShard(requestId: string): number {
  let h = 0;
  for (let i = 0; i < requestId.length; i += 1) h = (Math.imul(h, 31) + requestId.charCodeAt(i)) | 0;
  return (h >>> 0) % COUNTER_SHARDS;
}

type Counted = Pick<RequestRecord, 'status' | 'outcome' | 'onTime'>;

/** What one request adds to the status counters (the rule of `tallyStatus`, as attributes). */
function contribution(r: Counted): Record<string, number> {
  const outcome = typeof r.outcome === 'string' ? r.outcome : 'NONE';
  const out: Record<string, number> = { [`c#${r.status}`]: 1, [`o#${r.status}#${outcome}`]: 1 };
  if (r.onTime === true) out[`t#${r.status}`] = 1;
  if (r.onTime === false) out[`l#${r.status}`] = 1;
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
  after: Counted & Pick<RequestRecord, 'finishedAt' | 'station'>,
): { hour: string; add: Record<string, number> } | undefined {
  if (!isFinal(after.status) || (before && isFinal(before.status))) return undefined;
  const at = after.finishedAt ?? '';
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}/.test(at)) return undefined;
  const outcome = typeof after.outcome === 'string' ? after.outcome : 'NONE';
  const add: Record<string, number> = { [`f#${after.status}#${outcome}`]: 1 };
  if (after.station) add[`s#${after.station}#${after.status}#${outcome}`] = 1;
  return { hour: at.slice(0, 13), add };
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
