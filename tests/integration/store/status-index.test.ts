/**
 * The status index under issue 18's bounded reads, against dynalite: it holds only open requests (a final
 * one leaves it), sharded (`STATUS#{status}#{n}`), projecting a few non-personal attributes; pages merge
 * the shards by sort key; finished figures, the on-time rate per station and the rating figures come from
 * counters; `reindex` migrates a table written the old way, and the local stack rebuilds an older data
 * directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { COMPLAINT_STATUSES } from '#shared/domain/complaint.ts';
import { REQUEST_STATUSES, type RequestStatus } from '#shared/domain/request.ts';
import { DynamoAccountabilityStore } from '#shared/store/dynamo-accountability.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { VersionConflictError } from '#shared/store/errors.ts';
import { keys, STATUS_SHARDS, statusPartitions } from '#shared/store/keys.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { plainDocumentCalls } from '#shared/store/plain-document.ts';
import { reindexStatusIndex } from '#shared/store/reindex.ts';
import {
  certflowTable,
  LEGACY_STATUS_INDEX,
  STATUS_INDEX,
  STATUS_INDEX_ATTRIBUTES,
  toCreateTableInput,
} from '#shared/store/table-definition.ts';
import { request } from '#tests/helpers/domain-requests.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;
let accountability: DynamoAccountabilityStore;

beforeAll(async () => {
  dynamo = await start();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
  accountability = new DynamoAccountabilityStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => {
  await dynamo.end();
});

async function received(s: DynamoStore, id: string, station = 'CC-YHL') {
  await s.createRequest(
    {
      requestId: id,
      status: 'RECEIVED',
      proof: 'KINSHIP',
      input: request({ proof: 'NAME' }),
      accessTokenHash: 'h',
      acceptedAt: '2026-11-20T01:00:00.000Z',
      updatedAt: '2026-11-20T01:00:00.000Z',
      escalationLevel: 0,
      station,
    },
    { type: 'RECEIVED', actor: 'applicant' },
  );
  return (await s.getRequest(id))!;
}

async function investigating(s: DynamoStore, id: string, deadline: string, station = 'CC-YHL') {
  return s.updateRequest(
    await received(s, id, station),
    { status: 'INVESTIGATING', outcome: 'INVESTIGATE', deadline, assignee: 'officer:wang' },
    { type: 'INVESTIGATING', actor: 'system' },
    '2026-11-20T01:00:01.000Z',
  );
}

/** Every entry of the status index for request statuses (all shards), raw. */
async function indexEntries(tableName: string, client = dynamo.client): Promise<Record<string, unknown>[]> {
  const doc = plainDocumentCalls(client);
  const out: Record<string, unknown>[] = [];
  for (const status of REQUEST_STATUSES as readonly RequestStatus[])
    for (const p of [...statusPartitions(status), `STATUS#${status}`]) {
      const page = await doc.send(
        new QueryCommand({
          TableName: tableName,
          IndexName: STATUS_INDEX,
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': p },
        }),
      );
      out.push(...(page.Items ?? []));
    }
  return out;
}

describe('the status index holds only open requests', () => {
  it('a finished request leaves it; open ones stay, sharded, with no personal data projected', async () => {
    // 30 requests finished (issued on time / refused late), 12 still investigating at 2 stations.
    for (let i = 0; i < 30; i += 1) {
      const v2 = await investigating(store, `f${i}`, '2026-11-27T15:59:59.999Z', i % 2 ? 'CC-YHL' : 'CC-NGA');
      await store.updateRequest(
        v2,
        i < 20 ? { status: 'ISSUED', onTime: true } : { status: 'REFUSED', onTime: false },
        { type: i < 20 ? 'ISSUED' : 'REFUSED', actor: 'officer:wang' },
        '2026-11-21T03:00:00.000Z',
      );
    }
    for (let i = 0; i < 12; i += 1)
      await investigating(
        store,
        `o${String(i).padStart(2, '0')}`,
        `2026-11-${String(10 + i).padStart(2, '0')}T15:59:59.999Z`,
      );
    const entries = await indexEntries(dynamo.tableName);
    expect(entries).toHaveLength(12);
    expect(new Set(entries.map((e) => e.gsi1pk)).size).toBeGreaterThan(1); // spread over shards
    for (const e of entries) {
      expect(String(e.gsi1pk)).toMatch(new RegExp(`^STATUS#INVESTIGATING#[0-${STATUS_SHARDS - 1}]$`));
      const allowed = new Set<string>(['pk', 'sk', 'gsi1pk', 'gsi1sk', ...STATUS_INDEX_ATTRIBUTES]);
      expect(Object.keys(e).filter((k) => !allowed.has(k))).toEqual([]);
      expect(e).not.toHaveProperty('input'); // names, ID numbers, phones live only on the item
    }
    // The final request item itself has no status-index keys.
    const doc = plainDocumentCalls(dynamo.client);
    const { Items } = await doc.send(
      new QueryCommand({
        TableName: dynamo.tableName,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': keys.request('f0').pk, ':sk': 'REQUEST' },
      }),
    );
    expect(Items?.[0]).not.toHaveProperty('gsi1pk');
    expect(Items?.[0]).toMatchObject({ status: 'ISSUED', gsi2pk: 'STATION_DONE#CC-NGA' });
  });

  it('pages merge the shards by deadline: every open request once, in order, full items', async () => {
    const seen: RequestRecord[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.listByStatus('INVESTIGATING', { limit: 5, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen.map((r) => r.requestId)).toEqual(
      Array.from({ length: 12 }, (_, i) => `o${String(i).padStart(2, '0')}`),
    );
    expect(seen[0]).toMatchObject({ input: { proof: 'NAME' }, assignee: 'officer:wang' });
    // Bounded by the range: deadlines up to 14 November.
    const due = await store.listStatusEntries('INVESTIGATING', { before: '2026-11-14T16:00:00.000Z' });
    expect(due.items.map((e) => e.requestId)).toEqual(['o00', 'o01', 'o02', 'o03', 'o04']);
    expect(due.items[0]).toEqual({
      requestId: 'o00',
      status: 'INVESTIGATING',
      station: 'CC-YHL',
      deadline: '2026-11-10T15:59:59.999Z',
      acceptedAt: '2026-11-20T01:00:00.000Z',
      updatedAt: '2026-11-20T01:00:01.000Z',
    });
    await expect(store.listByStatus('ISSUED')).rejects.toBeInstanceOf(RangeError);
    await expect(store.listByStatus('INVESTIGATING', { cursor: 'bm90IGEgY3Vyc29y' })).rejects.toThrow(
      /cursor/,
    );
  });

  it('finished figures come from the counters: supervision range, on-time rate per station', async () => {
    const figures = await store.finishedFigures('2026-11-20T16:00:00.000Z', '2026-11-21T15:59:59.999Z');
    expect(figures.stations['CC-NGA']).toEqual({
      finished: 15,
      byOutcome: { INVESTIGATE: 15 },
      onTime: 10,
      late: 5,
    });
    expect(figures.officers['CC-YHL']).toEqual({ 'officer:wang': 15 });
    expect(await store.finishedFigures('2026-11-22T00:00:00.000Z', '2026-11-23T00:00:00.000Z')).toEqual({
      stations: {},
      officers: {},
    });
    expect(await accountability.finishedByStation()).toEqual([
      { station: 'CC-NGA', finished: 15, late: 5 },
      { station: 'CC-YHL', finished: 15, late: 5 },
    ]);
  });

  it('rating figures come from counters kept as ratings are given (a second rating counts nothing)', async () => {
    const rating = (requestId: string, score: number, officer?: string) => ({
      requestId,
      score,
      text: '',
      at: '2026-11-21T04:00:00.000Z',
      station: 'CC-YHL',
      ...(officer ? { officer } : {}),
    });
    expect(await accountability.putRating(rating('f1', 5, 'officer:wang'))).toBe(true);
    expect(await accountability.putRating(rating('f3', 2, 'officer:wang'))).toBe(true);
    expect(await accountability.putRating(rating('f3', 1, 'officer:wang'))).toBe(false);
    expect(await accountability.putRating({ ...rating('f5', 4), station: undefined })).toBe(true);
    expect(
      (await accountability.ratingsByStation()).sort(
        (a, b) => a.station.localeCompare(b.station) || a.score - b.score,
      ),
    ).toEqual([
      { station: 'CC-YHL', score: 2, count: 1 },
      { station: 'CC-YHL', score: 5, count: 1 },
      { station: 'UNKNOWN', score: 4, count: 1 },
    ]);
    expect((await accountability.officerRatings('officer:wang')).sort((a, b) => a.score - b.score)).toEqual([
      { score: 2, count: 1 },
      { score: 5, count: 1 },
    ]);
    expect(await accountability.officerRatings('officer:li')).toEqual([]);
  });
});

describe('complaints: open ones in the status index, concluded ones out, figures from counters', () => {
  const complaint = (id: string, station: string | undefined, deadline: string) => ({
    complaintId: id,
    kind: 'OBSTRUCTION' as const,
    status: 'ASSIGNED' as const,
    text: 'x',
    ...(station ? { station } : {}),
    contact: { name: '张三', phone: '13800000000' },
    accessTokenHash: 'h',
    acceptedAt: '2026-11-01T01:00:00.000Z',
    updatedAt: '2026-11-01T01:00:00.000Z',
    deadline,
    history: [],
  });

  it('filing and concluding move the counters once; UPHELD lists newest first in pages, not from the status index', async () => {
    const db = await start();
    try {
      const a = new DynamoAccountabilityStore(db.client, db.tableName);
      for (let i = 1; i <= 5; i += 1)
        expect(
          await a.createComplaint(
            complaint(`K${i}`, i === 5 ? undefined : 'CC-YHL', `2026-11-2${i}T00:00:00.000Z`),
          ),
        ).toBe(true);
      expect(await a.createComplaint(complaint('K1', 'CC-YHL', '2026-11-21T00:00:00.000Z'))).toBe(false);
      const stale = (await a.getComplaint('K1'))!;
      const conclude = async (id: string, status: 'UPHELD' | 'NOT_UPHELD', day: number) => {
        const current = (await a.getComplaint(id))!;
        const at = `2026-11-0${day}T02:00:00.000Z`;
        await a.updateComplaint(
          current,
          { status, finishedAt: at },
          { type: status, actor: 'supervisor' } as never,
          at,
        );
      };
      await conclude('K1', 'UPHELD', 3);
      await conclude('K2', 'UPHELD', 5);
      await conclude('K3', 'UPHELD', 4);
      await conclude('K5', 'NOT_UPHELD', 6);
      // A stale second finding fails its condition and counts nothing.
      await expect(
        a.updateComplaint(stale, { status: 'NOT_UPHELD' }, undefined, '2026-11-07T00:00:00.000Z'),
      ).rejects.toThrow(VersionConflictError);
      expect(await a.complaintCounts()).toEqual([
        { station: 'CC-YHL', status: 'ASSIGNED', count: 1 },
        { station: 'CC-YHL', status: 'UPHELD', count: 3 },
        { station: 'UNKNOWN', status: 'NOT_UPHELD', count: 1 },
      ]);
      // The status index holds only the open one.
      const doc = plainDocumentCalls(db.client);
      const inIndex: unknown[] = [];
      for (const status of COMPLAINT_STATUSES)
        for (const p of [`CMPOPEN#${status}`, `CMPSTATUS#${status}`]) {
          const out = await doc.send(
            new QueryCommand({
              TableName: db.tableName,
              IndexName: STATUS_INDEX,
              KeyConditionExpression: 'gsi1pk = :p',
              ExpressionAttributeValues: { ':p': p },
            }),
          );
          inIndex.push(...(out.Items ?? []).map((i) => i.complaintId));
        }
      expect(inIndex).toEqual(['K4']);
      expect((await a.listComplaints('ASSIGNED')).items.map((c) => c.complaintId)).toEqual(['K4']);
      const first = await a.listComplaints('UPHELD', { limit: 2 });
      expect(first.items.map((c) => c.complaintId)).toEqual(['K2', 'K3']);
      expect(first.items[0]?.contact.name).toBe('张三');
      const second = await a.listComplaints('UPHELD', { limit: 2, cursor: first.cursor! });
      expect(second.items.map((c) => c.complaintId)).toEqual(['K1']);
      expect((await a.listComplaints('NOT_UPHELD')).items.map((c) => c.complaintId)).toEqual(['K5']);
    } finally {
      await db.end();
    }
  });
});

describe('migration of a table written before the bounded reads', () => {
  /** Items as the old code wrote them: unsharded status keys, final requests and ratings in the index. */
  async function legacyItems(put: (item: Record<string, unknown>) => Promise<unknown>) {
    const base = {
      sk: 'REQUEST',
      itemType: 'request',
      proof: 'KINSHIP',
      input: request({ proof: 'NAME' }),
      acceptedAt: '2026-11-01T01:00:00.000Z',
      updatedAt: '2026-11-02T01:00:00.000Z',
      version: 3,
      escalationLevel: 0,
    };
    await put({
      ...base,
      pk: 'REQ#L1',
      requestId: 'L1',
      status: 'INVESTIGATING',
      station: 'CC-OLD',
      deadline: '2026-11-08T15:59:59.999Z',
      gsi1pk: 'STATUS#INVESTIGATING',
      gsi1sk: '2026-11-08T15:59:59.999Z#L1',
    });
    await put({
      ...base,
      pk: 'REQ#L2',
      requestId: 'L2',
      status: 'ISSUED',
      station: 'CC-OLD',
      onTime: false,
      assignee: 'officer:zhao',
      finishedAt: '2026-11-03T02:00:00.000Z',
      gsi1pk: 'STATUS#ISSUED',
      gsi1sk: '2026-11-03T02:00:00.000Z#L2',
    });
    await put({
      pk: 'RATING#L2',
      sk: 'RATING',
      itemType: 'rating',
      requestId: 'L2',
      score: 3,
      text: '',
      at: '2026-11-03T03:00:00.000Z',
      station: 'CC-OLD',
      officer: 'officer:zhao',
      gsi1pk: 'RATINGS',
      gsi1sk: '2026-11-03T03:00:00.000Z#L2',
    });
    const legacyComplaint = {
      sk: 'COMPLAINT',
      itemType: 'complaint',
      kind: 'OBSTRUCTION',
      text: 'x',
      contact: { name: '张三', phone: '13800000000' },
      accessTokenHash: 'h',
      acceptedAt: '2026-11-01T01:00:00.000Z',
      updatedAt: '2026-11-02T01:00:00.000Z',
      version: 2,
      history: [],
      station: 'CC-OLD',
    };
    await put({
      ...legacyComplaint,
      pk: 'CMP#LC1',
      complaintId: 'LC1',
      status: 'ASSIGNED',
      deadline: '2026-11-15T15:59:59.999Z',
      gsi1pk: 'CMPSTATUS#ASSIGNED',
      gsi1sk: '2026-11-15T15:59:59.999Z#LC1',
    });
    await put({
      ...legacyComplaint,
      pk: 'CMP#LC2',
      complaintId: 'LC2',
      status: 'UPHELD',
      finishedAt: '2026-11-04T02:00:00.000Z',
      gsi1pk: 'CMPSTATUS#UPHELD',
      gsi1sk: '2026-11-04T02:00:00.000Z#LC2',
    });
  }

  it('`reindex` moves open requests to their shard, takes final ones and ratings out into the counters, once', async () => {
    const db = await start();
    try {
      const doc = plainDocumentCalls(db.client);
      await legacyItems((Item) => doc.send(new PutCommand({ TableName: db.tableName, Item })));
      expect(await reindexStatusIndex(db.client, db.tableName)).toEqual({
        moved: 1,
        removed: 1,
        ratings: 1,
        complaints: 2,
      });
      expect(await reindexStatusIndex(db.client, db.tableName)).toEqual({
        moved: 0,
        removed: 0,
        ratings: 0,
        complaints: 0,
      });
      const s = new DynamoStore(db.client, db.tableName);
      const a = new DynamoAccountabilityStore(db.client, db.tableName);
      expect((await indexEntries(db.tableName, db.client)).map((e) => e.requestId)).toEqual(['L1']);
      expect((await s.listByStatus('INVESTIGATING')).items.map((r) => r.requestId)).toEqual(['L1']);
      expect(await a.finishedByStation()).toEqual([{ station: 'CC-OLD', finished: 1, late: 1 }]);
      expect(await a.officerRatings('officer:zhao')).toEqual([{ score: 3, count: 1 }]);
      expect(await a.complaintCounts()).toEqual([
        { station: 'CC-OLD', status: 'ASSIGNED', count: 1 },
        { station: 'CC-OLD', status: 'UPHELD', count: 1 },
      ]);
      expect((await a.listComplaints('ASSIGNED')).items.map((c) => c.complaintId)).toEqual(['LC1']);
      expect((await a.listComplaints('UPHELD')).items.map((c) => c.complaintId)).toEqual(['LC2']);
      expect(
        (await s.finishedFigures('2026-11-03T00:00:00.000Z', '2026-11-03T23:59:59.999Z')).officers,
      ).toEqual({ 'CC-OLD': { 'officer:zhao': 1 } });
    } finally {
      await db.end();
    }
  });

  it('the local stack opens an older data directory: the table is rebuilt to the new index and re-indexed', async () => {
    const path = mkdtempSync(join(tmpdir(), 'certflow-old-'));
    try {
      // An older certflow's table: the status index under its old name, projecting ALL.
      const old = await start({ path, tableName: 'old-table-probe' });
      const legacy = toCreateTableInput(certflowTable, 'certflow-legacy');
      await old.client.send(
        new CreateTableCommand({
          ...legacy,
          GlobalSecondaryIndexes: legacy.GlobalSecondaryIndexes.map((i) =>
            i.IndexName === STATUS_INDEX
              ? { ...i, IndexName: LEGACY_STATUS_INDEX, Projection: { ProjectionType: 'ALL' } }
              : i,
          ),
        }),
      );
      for (let i = 0; i < 100; i += 1) {
        const out = await old.client.send(new DescribeTableCommand({ TableName: 'certflow-legacy' }));
        if (out.Table?.TableStatus === 'ACTIVE') break;
        await new Promise((r) => setTimeout(r, 20));
      }
      const doc = plainDocumentCalls(old.client);
      await legacyItems((Item) => doc.send(new PutCommand({ TableName: 'certflow-legacy', Item })));
      await old.end();
      // Opened by this certflow.
      const reopened = await start({ path, tableName: 'certflow-legacy' });
      try {
        const s = new DynamoStore(reopened.client, reopened.tableName);
        expect((await s.listByStatus('INVESTIGATING')).items.map((r) => r.requestId)).toEqual(['L1']);
        expect((await s.getRequest('L2'))?.status).toBe('ISSUED');
        expect((await indexEntries(reopened.tableName, reopened.client)).map((e) => e.requestId)).toEqual([
          'L1',
        ]);
      } finally {
        await reopened.end();
      }
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });
  it('the local stack re-indexes a table whose indexes are current: complaints under the old keys', async () => {
    const path = mkdtempSync(join(tmpdir(), 'certflow-cmp-'));
    try {
      const first = await start({ path, tableName: 'certflow-current' });
      const doc = plainDocumentCalls(first.client);
      await legacyItems((Item) => doc.send(new PutCommand({ TableName: first.tableName, Item })));
      await first.end();
      const reopened = await start({ path, tableName: 'certflow-current' });
      try {
        const a = new DynamoAccountabilityStore(reopened.client, reopened.tableName);
        expect((await a.listComplaints('UPHELD')).items.map((c) => c.complaintId)).toEqual(['LC2']);
        expect((await a.listComplaints('ASSIGNED')).items.map((c) => c.complaintId)).toEqual(['LC1']);
        expect(await a.complaintCounts()).toEqual([
          { station: 'CC-OLD', status: 'ASSIGNED', count: 1 },
          { station: 'CC-OLD', status: 'UPHELD', count: 1 },
        ]);
      } finally {
        await reopened.end();
      }
      // A third opening finds nothing to move and counts nothing twice.
      const again = await start({ path, tableName: 'certflow-current' });
      try {
        const a = new DynamoAccountabilityStore(again.client, again.tableName);
        expect((await a.complaintCounts()).map((r) => r.count)).toEqual([1, 1]);
      } finally {
        await again.end();
      }
    } finally {
      rmSync(path, { recursive: true, force: true });
    }
  });
});
