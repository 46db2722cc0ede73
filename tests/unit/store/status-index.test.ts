/**
 * The shard merge of the status index (status-index.ts) where dynalite cannot reach: a shard whose Query
 * stops early (the 1 MB page limit) must not let a later page skip past its unread entries.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { queryShards } from '#shared/store/status-index.ts';
import { TableAccess } from '#shared/store/table-access.ts';
import { mockDocumentCalls } from '#tests/helpers/document-mock.ts';

const ddb = mockDocumentCalls();
afterEach(() => ddb.reset());

/** Shard `p` holds `sortKeys`; a Query answers at most `cap` of them (as if 1 MB were reached), else `Limit`. */
function shards(data: Record<string, string[]>, cap: Record<string, number> = {}) {
  ddb
    .on(QueryCommand)
    .callsFake(
      (input: {
        ExpressionAttributeValues: Record<string, string>;
        Limit: number;
        ExclusiveStartKey?: { gsi1sk: string };
      }) => {
        const p = input.ExpressionAttributeValues[':p']!;
        const all = (data[p] ?? []).filter(
          (k) => !input.ExclusiveStartKey || k > input.ExclusiveStartKey.gsi1sk,
        );
        const n = Math.min(input.Limit, cap[p] ?? Number.POSITIVE_INFINITY);
        const items = all.slice(0, n).map((k) => ({ pk: `REQ#${k}`, sk: 'REQUEST', gsi1pk: p, gsi1sk: k }));
        return {
          Items: items,
          ...(all.length > n
            ? { LastEvaluatedKey: { pk: `REQ#${all[n - 1]}`, sk: 'REQUEST', gsi1pk: p, gsi1sk: all[n - 1] } }
            : {}),
        };
      },
    );
}

async function readAll(partitions: string[], limit: number) {
  const t = new TableAccess(new DynamoDBClient({ region: 'cn-north-1' }), 't');
  const pages: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await queryShards(t, 'test', partitions, {}, limit, cursor);
    pages.push(page.items.map((i) => String(i.gsi1sk)));
    cursor = page.cursor;
  } while (cursor && pages.length < 50);
  return pages;
}

describe('queryShards', () => {
  it('merges shards by sort key, every entry once, pages of at most `limit`', async () => {
    shards({ a: ['01', '04', '05', '09'], b: ['02', '03', '08'], c: ['06', '07'] });
    const pages = await readAll(['a', 'b', 'c'], 3);
    expect(pages.flat()).toEqual(['01', '02', '03', '04', '05', '06', '07', '08', '09']);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(3);
  });

  it('a shard cut short (1 MB) holds the page back to its last entry: order stays global', async () => {
    shards({ a: ['01', '03', '05', '07'], b: ['02', '04', '06', '08'] }, { a: 1 });
    const pages = await readAll(['a', 'b'], 4);
    expect(pages.flat()).toEqual(['01', '02', '03', '04', '05', '06', '07', '08']);
  });

  it('empty shards end at once: no cursor', async () => {
    shards({});
    expect(await readAll(['a', 'b'], 10)).toEqual([[]]);
  });
});
