/**
 * Reads of the sharded status index (issue 18: bounded reads), shared by the store adapters:
 *
 * - `queryShards`: one page across the shards of a status (keys.ts `STATUS_SHARDS`): one Query per shard
 *   (each at most `limit` entries), merged by sort key, at most `limit` entries returned, and a cursor
 *   holding each shard's position (opaque to callers: base64url, like every cursor of the API).
 * - `batchGet`: the whole items of a page of index entries (the index projects only keys and a few
 *   non-personal attributes), BatchGetItem in chunks of 100, strongly consistent, in the entries' order;
 *   an entry whose item is gone is left out.
 *
 * A page costs `STATUS_SHARDS` Queries of at most `limit` small projected entries plus `limit` item reads:
 * bounded by the page size, whatever the number of requests.
 */
import { BatchGetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { checkStartKey, decodeCursor, encodeCursor, InvalidCursorError } from './keys.ts';
import type { StatusEntry } from './port.ts';
import type { TableAccess } from './table-access.ts';
import { STATUS_INDEX } from './table-definition.ts';

/** A shard's place in a cursor: its next exclusive start key, or `done`. */
const DONE = 'done';

/** The sort-key range of a status query: `gsi1sk` between `after` and `before` (each optional, inclusive). */
export interface SortRange {
  after?: string;
  before?: string;
}

export interface IndexPage {
  /** Index entries (table keys, index keys and the projected attributes), in sort-key order. */
  items: Record<string, unknown>[];
  cursor?: string;
}

function keyOf(item: Record<string, unknown>): Record<string, unknown> {
  return { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
}

function decodePositions(
  cursor: string | undefined,
  shards: number,
): (Record<string, unknown> | 'done' | undefined)[] {
  const raw = decodeCursor(cursor) ?? {};
  const positions: (Record<string, unknown> | 'done' | undefined)[] = Array.from({ length: shards });
  for (const [k, v] of Object.entries(raw)) {
    const shard = Number(k);
    if (!Number.isInteger(shard) || shard < 0 || shard >= shards)
      throw new InvalidCursorError('cursor is not one this API returned');
    if (v === DONE) positions[shard] = DONE;
    else {
      try {
        const key: unknown = JSON.parse(String(v));
        if (typeof key !== 'object' || key === null || Array.isArray(key)) throw new TypeError('not a key');
        positions[shard] = checkStartKey(key as Record<string, unknown>);
      } catch (cause) {
        if (cause instanceof InvalidCursorError) throw cause;
        throw new InvalidCursorError('cursor is not one this API returned', { cause });
      }
    }
  }
  return positions;
}

/**
 * One page of the status index over `partitions` (the shards of one status), `range` on the sort key,
 * at most `limit` entries in sort-key order. Every entry is returned exactly once across pages; the order
 * is global (an entry of a shard the page has not reached yet is never skipped past).
 */
export async function queryShards(
  t: TableAccess,
  what: string,
  partitions: readonly string[],
  range: SortRange,
  limit: number,
  cursor?: string,
): Promise<IndexPage> {
  const positions = decodePositions(cursor, partitions.length);
  const values: Record<string, unknown> = {};
  let condition = 'gsi1pk = :p';
  if (range.after !== undefined && range.before !== undefined) {
    condition += ' AND gsi1sk BETWEEN :after AND :before';
    values[':after'] = range.after;
    values[':before'] = range.before;
  } else if (range.before !== undefined) {
    condition += ' AND gsi1sk <= :before';
    values[':before'] = range.before;
  } else if (range.after !== undefined) {
    condition += ' AND gsi1sk >= :after';
    values[':after'] = range.after;
  }
  const results = await Promise.all(
    partitions.map(async (partition, shard) => {
      const position = positions[shard];
      if (position === DONE) return { items: [], last: undefined, done: true };
      const out = await t.send(what, () =>
        t.doc.send(
          new QueryCommand({
            TableName: t.table,
            IndexName: STATUS_INDEX,
            KeyConditionExpression: condition,
            ExpressionAttributeValues: { ...values, ':p': partition },
            Limit: limit,
            ...(position ? { ExclusiveStartKey: position } : {}),
          }),
        ),
      );
      return { items: out.Items ?? [], last: out.LastEvaluatedKey, done: out.LastEvaluatedKey === undefined };
    }),
  );
  // Entries up to the smallest last key of a shard with more to read are safe to hand out in order.
  const sortKey = (i: Record<string, unknown>) => String(i.gsi1sk);
  let boundary: string | undefined;
  for (const r of results) {
    const last = r.items.at(-1);
    if (!r.done && last && (boundary === undefined || sortKey(last) < boundary)) boundary = sortKey(last);
  }
  const merged = results
    .flatMap((r, shard) => r.items.map((item) => ({ item, shard })))
    .filter(({ item }) => boundary === undefined || sortKey(item) <= boundary)
    .sort(
      (a, b) =>
        sortKey(a.item).localeCompare(sortKey(b.item)) || String(a.item.pk).localeCompare(String(b.item.pk)),
    )
    .slice(0, limit);
  const next: Record<string, string> = {};
  let more = false;
  results.forEach((r, shard) => {
    const taken = merged.filter((m) => m.shard === shard);
    let position: Record<string, unknown> | 'done' | undefined;
    if (taken.length === r.items.length) position = r.done ? DONE : r.last;
    else position = taken.length > 0 ? keyOf(taken.at(-1)!.item) : positions[shard];
    if (position === DONE) next[shard] = DONE;
    else {
      more = true;
      if (position) next[shard] = JSON.stringify(position);
    }
  });
  return { items: merged.map((m) => m.item), ...(more ? { cursor: encodeCursor(next) } : {}) };
}

/** BatchGetItem of `keys` (any number; chunks of 100), strongly consistent, in `keys`' order, missing left out. */
export async function batchGet(
  t: TableAccess,
  what: string,
  keys: readonly { pk: unknown; sk: unknown }[],
): Promise<Record<string, unknown>[]> {
  const found = new Map<string, Record<string, unknown>>();
  const id = (k: { pk: unknown; sk: unknown }) => `${String(k.pk)}\u0000${String(k.sk)}`;
  for (let i = 0; i < keys.length; i += 100) {
    let pending: Record<string, unknown>[] | undefined = keys
      .slice(i, i + 100)
      .map((k) => ({ pk: k.pk, sk: k.sk }));
    for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
      const request = pending;
      const out = await t.send(what, () =>
        t.doc.send(
          new BatchGetCommand({ RequestItems: { [t.table]: { Keys: request, ConsistentRead: true } } }),
        ),
      );
      for (const item of out.Responses?.[t.table] ?? [])
        found.set(id(item as { pk: unknown; sk: unknown }), item);
      pending = out.UnprocessedKeys?.[t.table]?.Keys as Record<string, unknown>[] | undefined;
      if (pending && pending.length > 0) {
        if (attempt >= 8)
          throw new Error(`${what}: BatchGetItem left keys unprocessed after ${attempt + 1} tries`);
        await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt) * Math.random()));
      }
    }
  }
  return keys.map((k) => found.get(id(k))).filter((i): i is Record<string, unknown> => i !== undefined);
}

/** A request's status-index entry as the port shows it (the projected attributes, keys.ts). */
export function statusEntry(item: Record<string, unknown>): StatusEntry {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const station = text(item.station);
  const deadline = text(item.deadline);
  return {
    requestId: String(item.requestId),
    status: item.status as StatusEntry['status'],
    ...(station !== undefined ? { station } : {}),
    ...(deadline !== undefined ? { deadline } : {}),
    acceptedAt: String(item.acceptedAt),
    updatedAt: String(item.updatedAt),
  };
}
