/**
 * The store's unconditional puts in batches (TableAccess.putAll, bench/PERF-NOTES.md round 4): a request's
 * search lookups are one BatchWriteItem and found by key afterwards; more than 25 items go as several
 * calls; items DynamoDB leaves unprocessed are sent again until none is left.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { DynamoExchangeStore } from '#shared/store/exchange-store.ts';
import { TableAccess } from '#shared/store/table-access.ts';

let dynamo: LocalDynamo;
const calls: string[] = [];

/** Records each command's name sent on `client` (on the wire, after plain-document). */
function recordCalls(client: DynamoDBClient) {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String((context as { commandName?: string }).commandName));
      return next(args);
    },
    { step: 'initialize', name: 'testRecordCalls' },
  );
}

beforeAll(async () => {
  dynamo = await start();
  recordCalls(dynamo.client);
});
afterAll(async () => {
  await dynamo.end();
});

describe('TableAccess.putAll', () => {
  it('files a request under its search keys with one BatchWriteItem (duplicates once)', async () => {
    const store = new DynamoStore(dynamo.client, dynamo.tableName);
    calls.length = 0;
    await store.putSearchKeys('R-1', ['REF#AAAA', 'K1', 'K2', 'K1']);
    expect(calls).toEqual(['BatchWriteItemCommand']);
    expect(await store.findBySearchKey('K1')).toEqual(['R-1']);
    expect(await store.findBySearchKey('K2')).toEqual(['R-1']);
    expect(await store.findBySearchKey('REF#AAAA')).toEqual(['R-1']);
    // Idempotent: filing again changes nothing.
    await store.putSearchKeys('R-1', ['K1']);
    expect(await store.findBySearchKey('K1')).toEqual(['R-1']);
  });

  it('files a new request for search, under its applicant and the pair mark in one call (fileRequest)', async () => {
    const store = new DynamoStore(dynamo.client, dynamo.tableName);
    const link = (requestId: string, acceptedAt: string) => ({
      requestId,
      proof: 'NAME_CHANGE',
      acceptedAt,
      phoneKey: 'P1',
    });
    calls.length = 0;
    await store.fileRequest('R-2', ['REF#BBBB', 'K3'], {
      citizenKey: 'C1',
      link: link('R-2', '2026-11-20T01:00:00.000Z'),
    });
    expect(calls).toEqual(['BatchWriteItemCommand']);
    expect(await store.findBySearchKey('K3')).toEqual(['R-2']);
    expect(await store.isCitizenPairKnown('C1', 'P1')).toBe(true);
    expect(await store.isCitizenPairKnown('C1', 'P2')).toBe(false);
    expect(await store.isCitizenPairKnown('C2', 'P1')).toBe(false);
    // A second request of the same pair: linked too; the pair's mark stays (the same item).
    await store.fileRequest('R-3', ['K3'], {
      citizenKey: 'C1',
      link: link('R-3', '2026-11-21T01:00:00.000Z'),
    });
    expect((await store.listCitizenRequests('C1', 'P1')).map((l) => l.requestId).sort()).toEqual([
      'R-2',
      'R-3',
    ]);
    const mark = await new TableAccess(dynamo.client, dynamo.tableName).get<Record<string, unknown>>(
      { pk: 'CITIZEN#C1', sk: 'PHONE#P1' },
      'test',
    );
    expect(mark).toEqual({}); // the item is there; stripKeys leaves out its keys and itemType
    // Without an applicant's ID number: the lookups only, one call.
    calls.length = 0;
    await store.fileRequest('R-4', ['K4']);
    expect(calls).toEqual(['BatchWriteItemCommand']);
    expect(await store.findBySearchKey('K4')).toEqual(['R-4']);
  });

  it('writes more than 25 items in calls of at most 25 (a department feed)', async () => {
    const store = new DynamoExchangeStore(dynamo.client, dynamo.tableName);
    const entries = Array.from({ length: 60 }, (_, i) => ({
      department: 'D1',
      position: String(i).padStart(6, '0'),
      changeId: `C${i}`,
      type: 'DEATH',
      idNumber: '110101199001011237',
      effectiveOn: '2026-11-01',
      recordedAt: '2026-11-02T00:00:00.000Z',
      details: {},
    }));
    calls.length = 0;
    await store.putFeedEntries(entries as never);
    expect(calls).toEqual(['BatchWriteItemCommand', 'BatchWriteItemCommand', 'BatchWriteItemCommand']);
    const read = await store.readFeed('D1', undefined, 100);
    expect(read.map((e) => e.position)).toEqual(entries.map((e) => e.position));
  });

  it('sends the items a call left unprocessed again', async () => {
    // The first BatchWriteItem answers with its second item unprocessed (as DynamoDB does under throttling).
    let first = true;
    const flaky = dynamo.client;
    const name = 'testUnprocessedOnce';
    flaky.middlewareStack.add(
      ((next: (a: unknown) => Promise<{ output: object }>) => async (args: { input: object }) => {
        const input = args.input as { RequestItems?: Record<string, unknown[]> };
        if (!first || !input.RequestItems) return next(args);
        first = false;
        const [table, requests] = Object.entries(input.RequestItems)[0]!;
        const out = await next({
          ...args,
          input: { ...input, RequestItems: { [table]: requests.slice(0, 1) } },
        });
        return {
          ...out,
          output: { ...(out.output as object), UnprocessedItems: { [table]: requests.slice(1) } },
        };
      }) as never,
      { step: 'initialize', name },
    );
    try {
      const t = new TableAccess(flaky, dynamo.tableName);
      calls.length = 0;
      await t.putAll(
        [
          { pk: 'T#1', sk: 'X', n: 1 },
          { pk: 'T#2', sk: 'X', n: 2 },
        ],
        'test',
      );
      expect(calls.filter((c) => c === 'BatchWriteItemCommand')).toHaveLength(2);
      expect(await t.get({ pk: 'T#1', sk: 'X' }, 'test')).toEqual({ n: 1 });
      expect(await t.get({ pk: 'T#2', sk: 'X' }, 'test')).toEqual({ n: 2 });
    } finally {
      flaky.middlewareStack.remove(name);
    }
  });
});
