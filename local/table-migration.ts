/**
 * Opens a local data directory written by an older certflow: dynalite cannot add or change an index of
 * an existing table (no UpdateTable of global secondary indexes), so when the stored table's indexes are
 * not the definition's (shared/store/table-definition.ts: names and projections), the table is rebuilt —
 * every item read (a Scan: the local table only, never a function's path), the table deleted and created
 * from the definition, the items written back — and then re-indexed as a deployed table would be
 * (shared/store/reindex.ts: open requests to their status shard, final requests and ratings out of the
 * status index and into the counters). Local data directories are small; the whole table is in memory
 * for the rebuild.
 */
import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { type ReindexReport, reindexStatusIndex } from '#shared/store/reindex.ts';
import { certflowTable, toCreateTableInput } from '#shared/store/table-definition.ts';

/** True when the stored table has exactly the definition's indexes, each with its projection. */
export function matchesDefinition(table: TableDescription | undefined): boolean {
  const wanted = toCreateTableInput(certflowTable, 'x').GlobalSecondaryIndexes;
  const stored = table?.GlobalSecondaryIndexes ?? [];
  if (stored.length !== wanted.length) return false;
  return wanted.every((w) => {
    const s = stored.find((i) => i.IndexName === w.IndexName);
    if (!s || s.Projection?.ProjectionType !== w.Projection.ProjectionType) return false;
    const attrs = (list: readonly string[] | undefined) => [...(list ?? [])].sort().join(',');
    return (
      attrs(s.Projection?.NonKeyAttributes) ===
      attrs('NonKeyAttributes' in w.Projection ? w.Projection.NonKeyAttributes : [])
    );
  });
}

/** Waits (20 ms polls, at most 2 s) until DescribeTable reports the table ACTIVE. */
export async function waitActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * Rebuilds `tableName` from the definition if its indexes differ, then re-indexes it. Returns what the
 * re-index did, or undefined when the table already matched.
 */
export async function migrateLocalTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<(ReindexReport & { items: number }) | undefined> {
  const described = await client.send(new DescribeTableCommand({ TableName: tableName }));
  if (matchesDefinition(described.Table)) return undefined;
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const out = await client.send(new ScanCommand({ TableName: tableName, ExclusiveStartKey: start }));
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  for (let i = 0; i < 100; i += 1) {
    try {
      await client.send(new DescribeTableCommand({ TableName: tableName }));
      await new Promise((r) => setTimeout(r, 20));
    } catch {
      break;
    }
  }
  await client.send(new CreateTableCommand(toCreateTableInput(certflowTable, tableName)));
  await waitActive(client, tableName);
  for (let i = 0; i < items.length; i += 25) {
    let pending: Record<string, { PutRequest?: { Item: Record<string, AttributeValue> } }[]> | undefined = {
      [tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })),
    };
    while (pending && Object.keys(pending).length > 0) {
      const out = await client.send(new BatchWriteItemCommand({ RequestItems: pending as never }));
      pending = out.UnprocessedItems as typeof pending;
    }
  }
  return { items: items.length, ...(await reindexStatusIndex(client, tableName)) };
}
