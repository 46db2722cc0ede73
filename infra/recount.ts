/**
 * `npm run admin -- counters recount`: rebuilds the metrics counters (shared/store/counters.ts) from the
 * requests, for a table made before the counters existed (or after a process died between a request write
 * and its counter update, which loses that count). An operator command with the operator's credentials:
 * it Scans the table once (only the request items' six counted attributes), which no function role may do,
 * then overwrites every status shard and every finished-per-hour bucket (buckets no request falls in any
 * more are zeroed).
 *
 * Run it in a quiet moment: a request that moves between the Scan reading it and the overwrite is counted
 * as the Scan saw it (the next recount corrects it). Cost: one read unit per 4 KB scanned, i.e. the table's
 * size once; at 30 million requests a year about 12 GB → roughly 3 million read units.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { counterKeys, recountOf } from '#shared/store/counters.ts';
import { REQUEST_SK } from '#shared/store/keys.ts';
import type { RequestRecord } from '#shared/store/model.ts';

type Counted = Pick<RequestRecord, 'requestId' | 'status' | 'outcome' | 'onTime' | 'finishedAt' | 'station'>;

/** Every request item of the table, its counted attributes only (a paginated Scan). */
async function* requestsOf(doc: DynamoDBDocumentClient, table: string): AsyncGenerator<Counted> {
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: 'sk = :sk AND begins_with(pk, :req)',
        ProjectionExpression: 'requestId, #status, outcome, onTime, finishedAt, station',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':sk': REQUEST_SK, ':req': 'REQ#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) yield item as Counted;
    start = page.LastEvaluatedKey;
  } while (start);
}

/**
 * Recounts `table`'s counters from its requests and writes them. Returns how many requests were counted,
 * how many status shards and hour buckets were written, and how many stale buckets were zeroed.
 */
export async function recountCounters(
  client: DynamoDBClient,
  table: string,
): Promise<{ requests: number; shards: number; hours: number; zeroed: number }> {
  const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  const requests: Counted[] = [];
  for await (const r of requestsOf(doc, table)) requests.push(r);
  const counted = recountOf(requests);

  // The hour buckets there are now: those the recount does not fill are zeroed (no stale figures).
  const existing: string[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': counterKeys.finishedPartition },
        ProjectionExpression: 'sk',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) existing.push(String(item.sk));
    start = page.LastEvaluatedKey;
  } while (start);
  const stale = existing.filter((hour) => !counted.finished.has(hour));

  const put = (key: { pk: string; sk: string }, counts: Record<string, number>) =>
    doc.send(new PutCommand({ TableName: table, Item: { ...key, ...counts } }));
  for (const [shard, counts] of counted.status) await put(counterKeys.status(shard), counts);
  for (const [hour, counts] of counted.finished) await put(counterKeys.finished(hour), counts);
  for (const hour of stale) await put(counterKeys.finished(hour), {});
  return {
    requests: counted.requests,
    shards: counted.status.size,
    hours: counted.finished.size,
    zeroed: stale.length,
  };
}
