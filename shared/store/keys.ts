/**
 * Every key of the single table, in one place. Item types (pk / sk):
 *
 * | item | pk | sk | gsi1 (byOpenStatus) | gsi2 (byOwner) |
 * | --- | --- | --- | --- | --- |
 * | request (not final) | `REQ#{id}` | `REQUEST` | `STATUS#{status}#{shard}` / `{deadline or acceptedAt}#{id}` (final: none) | open: `STATION#{station}` / `{deadline}#{id}` |
 * | event (audit trail) | `REQ#{id}` | `EVENT#{seq:6}` | – | – |
 * | certificate | `CERT#{number}` | `CERT` | – | – |
 * | exchange record | `EXCH#{id}` | `EXCH` | – | `DEPT#{code}` / `EXCH#{answeredAt}#{id}` |
 * | dead letter | `DLQ#{messageId}` | `DLQ` | – | `DEPT#{code}` / `DLQ#{at}#{messageId}` |
 * | idempotency key (Powertools, idempotency.ts) | `IDEM#{sha256 of the Idempotency-Key, base64}` | `IDEM` | – | – |
 * | idempotency key's request link (intake) | `IDEM#{sha256 of the Idempotency-Key, hex}` | `LINK` | – | – |
 * | webhook de-dup | `HOOK#{department}#{webhookId}` | `HOOK` | – | – |
 * | rate-limit window | `RATE#{client}#{windowStart}` | `RATE` | – | – |
 * | principal (token) | `PRINCIPAL#{sha256(token)}` | `PRINCIPAL` | – | – |
 * | status counter (counters.ts) | `COUNT#STATUS#{shard}` | `COUNT` | – | – |
 * | finished per hour (counters.ts) | `COUNT#FINISHED` | `{YYYY-MM-DDTHH}` | – | – |
 * | search lookup | `FIND#{search key}` | `REQ#{requestId}` | – | – |
 *
 * A finished request of a station carries gsi2 `STATION_DONE#{station}` / `{finishedAt}#{id}` (done list).
 * | subscription (periodic exchange) | `SUBSCRIPTIONS` | `DEPT#{code}` | – | – |
 * | subscribed person (per-person index) | `WATCH#{sha256(idNumber)}` | `DEPT#{code}` | – | – |
 * | registry change | `CHANGE#{changeId}` | `CHANGE` | – | – |
 * | a person's registry change (overlay on the registry) | `PCHANGE#{sha256(idNumber)}` | `{effectiveOn}#{changeId}` | – | – |
 * | feed entry (one per subscriber and change) | `FEED#{code}` | `{recordedAt}#{changeId}` | – | – |
 * | request filed at a station (收受分离) | `ACCEPT#{requestId}` | `ACCEPT` | – | `STATION#{station}` / `ACCEPTED#{acceptedAt}#{requestId}` |
 * | registry check (a disputed answer) | `CHECK#{checkId}` | `CHECK` | – | `STATION#{station}` / `CHECK#{openedAt}#{checkId}` |
 * | complaint | `CMP#{id}` | `COMPLAINT` | open: `CMPOPEN#{status}` / `{deadline or acceptedAt}#{id}` | concluded: `CMPDONE#{status}` / `{finishedAt}#{id}` |
 * | complaint counter (counters.ts) | `COUNT#COMPLAINTS#{shard}` | `COUNT` | – | – |
 * | accountability record | `ACC#{recordId}` | `ACC` | – | `OFFICER#{officer}` or `BODY#{code}` / `{at}#{recordId}` |
 * | rating | `RATING#{requestId}` | `RATING` | – | review open: `REVIEW#OPEN` / `{at}#{requestId}` |
 * | citizen's phone (pair known) | `CITIZEN#{citizenKey}` | `PHONE#{phoneKey}` | – | – |
 * | citizen's request link | `CITIZEN#{citizenKey}` | `REQ#{acceptedAt}#{id}` | – | – |
 * | citizen's exchange copy | `CITIZEN#{citizenKey}` | `EXCH#{answeredAt}#{id}` | – | – |
 * | one-time code | `OTP#{citizenKey}#{phoneKey}` | `OTP` | – | – |
 * | abolished-demand counter | `DEMAND#{YYYY-MM or ALL}` | `{body}#{kind}` | – | – |
 * | abolished-demand report | `REPORT#ABOLISHED#{YYYY-MM}` | `REPORT` | – | – |
 */
import { isFinal, isOpen, type RequestStatus } from '#shared/domain/request.ts';
import type { RequestRecord } from './model.ts';

export const REQUEST_SK = 'REQUEST';
export const EVENT_PREFIX = 'EVENT#';

export const keys = {
  request: (id: string) => ({ pk: `REQ#${id}`, sk: REQUEST_SK }),
  event: (id: string, seq: number) => ({
    pk: `REQ#${id}`,
    sk: `${EVENT_PREFIX}${String(seq).padStart(6, '0')}`,
  }),
  certificate: (number: string) => ({ pk: `CERT#${number}`, sk: 'CERT' }),
  exchange: (id: string) => ({ pk: `EXCH#${id}`, sk: 'EXCH' }),
  deadLetter: (id: string) => ({ pk: `DLQ#${id}`, sk: 'DLQ' }),
  /** `keyHash`: sha256 (hex) of an intake Idempotency-Key (`IdempotencyLink`); the key is never a key. */
  idempotencyLink: (keyHash: string) => ({ pk: `IDEM#${keyHash}`, sk: 'LINK' }),
  webhook: (department: string, webhookId: string) => ({ pk: `HOOK#${department}#${webhookId}`, sk: 'HOOK' }),
  rate: (client: string, windowStart: number) => ({ pk: `RATE#${client}#${windowStart}`, sk: 'RATE' }),
  principal: (tokenHash: string) => ({ pk: `PRINCIPAL#${tokenHash}`, sk: 'PRINCIPAL' }),
  subscription: (department: string) => ({ pk: SUBSCRIPTIONS_PK, sk: `DEPT#${department}` }),
  /** `personHash`: sha256 (hex) of the ID number; the key never holds it in clear. */
  watch: (personHash: string, department: string) => ({
    pk: `WATCH#${personHash}`,
    sk: `DEPT#${department}`,
  }),
  change: (changeId: string) => ({ pk: `CHANGE#${changeId}`, sk: 'CHANGE' }),
  /** A person's copy of a registry change (`personHash` as in `watch`), ordered by effective date. */
  personChange: (personHash: string, effectiveOn: string, changeId: string) => ({
    pk: `PCHANGE#${personHash}`,
    sk: `${effectiveOn}#${changeId}`,
  }),
  feed: (department: string, position: string) => ({ pk: feedPartition(department), sk: position }),
  check: (checkId: string) => ({ pk: `CHECK#${checkId}`, sk: 'CHECK' }),
  acceptance: (requestId: string) => ({ pk: `ACCEPT#${requestId}`, sk: 'ACCEPT' }),
  complaint: (id: string) => ({ pk: `CMP#${id}`, sk: 'COMPLAINT' }),
  accountability: (recordId: string) => ({ pk: `ACC#${recordId}`, sk: 'ACC' }),
  rating: (requestId: string) => ({ pk: `RATING#${requestId}`, sk: 'RATING' }),
  citizenPhone: (citizen: string, phone: string) => ({ pk: citizenPartition(citizen), sk: `PHONE#${phone}` }),
  citizenRequest: (citizen: string, acceptedAt: string, id: string) => ({
    pk: citizenPartition(citizen),
    sk: `REQ#${acceptedAt}#${id}`,
  }),
  citizenExchange: (citizen: string, answeredAt: string, id: string) => ({
    pk: citizenPartition(citizen),
    sk: `EXCH#${answeredAt}#${id}`,
  }),
  oneTimeCode: (citizen: string, phone: string) => ({ pk: `OTP#${citizen}#${phone}`, sk: 'OTP' }),
  demandCounter: (period: string, body: string, kind: string) => ({
    pk: demandPartition(period),
    sk: `${body}#${kind}`,
  }),
  demandReport: (month: string) => ({ pk: `REPORT#ABOLISHED#${month}`, sk: 'REPORT' }),
};

/** The one partition listing every subscription (tens of items: one per connected body). */
export const SUBSCRIPTIONS_PK = 'SUBSCRIPTIONS';
export const feedPartition = (department: string) => `FEED#${department}`;
/**
 * A station's partition of byOwner holds its open requests (sort key: the deadline, a digit first), then
 * the requests filed there (`ACCEPTED#…`, 收受分离), then its registry checks (`CHECK#…`).
 */
export const CHECK_QUEUE_PREFIX = 'CHECK#';
export const ACCEPTED_QUEUE_PREFIX = 'ACCEPTED#';
/** Below this every sort key of the station partition is a request's deadline. */
export const REQUESTS_QUEUE_UPPER = 'A';

/** A complaint's status-index partition while open (ACCEPTED, ASSIGNED, ESCALATED). */
export const complaintStatusPartition = (status: string) => `CMPOPEN#${status}`;
/** A concluded complaint's owner-index partition (UPHELD, NOT_UPHELD), sorted by finish: the supervisor's list. */
export const complaintDonePartition = (status: string) => `CMPDONE#${status}`;
/** Before the complaint counters (reindex.ts): every complaint, final too, sat in the status index here. */
export const legacyComplaintStatusPartition = (status: string) => `CMPSTATUS#${status}`;
export const officerPartition = (officer: string) => `OFFICER#${officer}`;
export const bodyAccountabilityPartition = (body: string) => `BODY#${body}`;
export const RATINGS_PARTITION = 'RATINGS';
export const OPEN_REVIEWS_PARTITION = 'REVIEW#OPEN';

export const citizenPartition = (citizen: string) => `CITIZEN#${citizen}`;
export const demandPartition = (period: string) => `DEMAND#${period}`;

/**
 * Shards of each request status in the status index (`STATUS#{status}#{0..STATUS_SHARDS-1}`). Why: an
 * unsharded status is one partition key for every open request of that status, so all the writes of a
 * season's intake (each transition deletes one index entry and puts another) and the sweeper's reads land
 * on one index partition (≈ 1,000 writes/s, 3,000 reads/s at most; a throttled index write back-pressures
 * the table write, i.e. intake). Eight shards spread them eight ways; readers fan out over the eight
 * Queries and merge by sort key (`listByStatus`). A request's shard is a stable hash of its id: fixed for
 * its life, so a status change moves its entry from one `STATUS#…#{n}` to another with the same n. Changing
 * the count needs a re-index (`npm run admin -- reindex`).
 */
export const STATUS_SHARDS = 8;

/** A stable, well-spread hash of `id` (32-bit, Java's String.hashCode), reduced to `0..shards-1`. */
export function shardOf(id: string, shards: number): number {
  let h = 0;
  for (let i = 0; i < id.length; i += 1) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
  return (h >>> 0) % shards;
}

/** One shard of a status in the status index (see STATUS_SHARDS). */
export const statusPartition = (status: RequestStatus, shard: number) => `STATUS#${status}#${shard}`;
/** Every shard of a status, in shard order (what `listByStatus` fans out over). */
export const statusPartitions = (status: RequestStatus) =>
  Array.from({ length: STATUS_SHARDS }, (_, shard) => statusPartition(status, shard));
/** The unsharded partition of certflow before issue 18's re-index (read only by the re-index). */
export const legacyStatusPartition = (status: RequestStatus) => `STATUS#${status}`;
export const stationPartition = (station: string) => `STATION#${station}`;
/** A station's finished requests (byOwner, newest first by `finishedAt`): the console's "done" list. */
export const stationDonePartition = (station: string) => `STATION_DONE#${station}`;
/** A search key's lookup items (`FIND#{key}` / `REQ#{requestId}`): functions/use-cases/search.ts. */
export const searchPartition = (searchKey: string) => `FIND#${searchKey}`;
export const departmentPartition = (code: string) => `DEPT#${code}`;

/**
 * The attention band of an open status partition: a request holding an accepted finding that has not
 * been applied, or one whose steps failed (`recoveries`), sorts first (`!` is below every digit) by its
 * last change, so the reconciliation reads `gsi1sk < graceAgo` and gets exactly the troubled and the
 * overdue requests, never the healthy open ones.
 */
export const ATTENTION_PREFIX = '!';

export function needsAttention(r: Pick<RequestRecord, 'pendingFinding' | 'recoveries'>): boolean {
  return r.pendingFinding !== undefined || (r.recoveries ?? 0) > 0;
}

/**
 * Where a request sorts among those of its status: final by `finishedAt`, open in the attention band
 * (`!{updatedAt}`) or by deadline, otherwise by `acceptedAt`. The status index's sort key is
 * `{statusOrder}#{requestId}`; a finished request's done-list key uses the same order.
 */
export function statusOrder(r: RequestRecord): string {
  if (isFinal(r.status)) return r.finishedAt ?? r.updatedAt;
  if (isOpen(r.status) && needsAttention(r)) return `${ATTENTION_PREFIX}${r.updatedAt}`;
  return r.deadline ?? r.acceptedAt;
}

/**
 * The index keys a request carries in its status (both sparse). The status index (gsi1) holds only
 * requests that are not final: a request reaching a final status is written without gsi1pk / gsi1sk (the
 * whole-item PutItem removes them), so the index stays as large as the open work, not the history. The
 * station queue (gsi2) only while open; a finished request of a station sits in its done list.
 */
export function requestIndexKeys(r: RequestRecord): Record<string, string | undefined> {
  const final = isFinal(r.status);
  const order = statusOrder(r);
  const inQueue = isOpen(r.status) && r.station !== undefined && r.deadline !== undefined;
  const done = final && r.station !== undefined;
  return {
    gsi1pk: final ? undefined : statusPartition(r.status, shardOf(r.requestId, STATUS_SHARDS)),
    gsi1sk: final ? undefined : `${order}#${r.requestId}`,
    gsi2pk: inQueue ? stationPartition(r.station!) : done ? stationDonePartition(r.station!) : undefined,
    gsi2sk: inQueue ? `${r.deadline}#${r.requestId}` : done ? `${order}#${r.requestId}` : undefined,
  };
}

export const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'itemType', 'expiresAt'];

export function stripKeys<T>(item: Record<string, unknown>): T {
  const copy: Record<string, unknown> = { ...item };
  for (const k of KEY_ATTRIBUTES) delete copy[k];
  return copy as T;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export class InvalidCursorError extends Error {
  override name = 'InvalidCursorError';
}

/**
 * The JSON object a cursor encodes (`encodeCursor`): every value a string. Throws InvalidCursorError (a 400
 * naming `cursor` at the edge) when it does not decode to one.
 */
export function decodeCursor(cursor: string | undefined): Record<string, unknown> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new TypeError('not an object');
    for (const v of Object.values(value)) if (typeof v !== 'string') throw new TypeError('not a key');
    return value as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidCursorError('cursor is not one this API returned', { cause });
  }
}

/** Index key pairs a start key may carry besides the table's own `pk` / `sk` (table-definition.ts). */
const INDEX_KEY_PAIRS = [
  ['gsi1pk', 'gsi1sk'],
  ['gsi2pk', 'gsi2sk'],
] as const;

/**
 * `key` as an ExclusiveStartKey (DynamoDB Query): the table's `pk` and `sk`, plus at most one index's key
 * pair, complete, every value a string — the shape DynamoDB hands out as LastEvaluatedKey. Anything else
 * (a forged cursor: missing `sk`, foreign attributes) is an InvalidCursorError, refused before any read
 * instead of reaching DynamoDB as a ValidationException (a 500).
 */
export function checkStartKey(key: Record<string, unknown>): Record<string, unknown> {
  const names = Object.keys(key);
  const pair = INDEX_KEY_PAIRS.find(([p, s]) => p in key || s in key);
  const allowed = new Set(['pk', 'sk', ...(pair ?? [])]);
  if (
    typeof key.pk !== 'string' ||
    typeof key.sk !== 'string' ||
    (pair && (typeof key[pair[0]] !== 'string' || typeof key[pair[1]] !== 'string')) ||
    names.some((n) => !allowed.has(n))
  )
    throw new InvalidCursorError('cursor is not one this API returned');
  return key;
}

/** `decodeCursor` for a Query's ExclusiveStartKey (`checkStartKey`); undefined without a cursor. */
export function decodeStartKey(cursor: string | undefined): Record<string, unknown> | undefined {
  const key = decodeCursor(cursor);
  return key === undefined ? undefined : checkStartKey(key);
}
