/**
 * The local stack's stand-in for DynamoDB TTL (dynalite ignores it): deletes the items of the certflow
 * table whose `expiresAt` (epoch seconds) has passed — exchange records past their
 * retention, idempotency keys, webhook de-dup and rate-limit windows. A Scan with a filter, which is fine
 * for the local table and is never what the functions do (on AWS the table's TTL deletes them).
 *
 * Two clocks: our own items take `expiresAt` from the stack's clock (`deps.clock`), so they expire on it
 * (`nowMs`); Powertools Idempotency takes no clock and writes its keys' `expiresAt` from the real
 * `Date.now()` (24 real hours), so `IDEM#` items expire on real time (`realNowMs`). Measured on the
 * stack's clock, a test clock moved ahead (`--test-clock`, `{"advance":"P8D"}`) made the next sweep
 * delete every idempotency key, and a client retrying its `Idempotency-Key` got a second request.
 */
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { IDEMPOTENCY_KEY_PREFIX } from '#shared/store/idempotency.ts';
import type { DocumentCalls } from '#shared/store/plain-document.ts';
import { certflowTable } from '#shared/store/table-definition.ts';

/**
 * Deletes every expired item through the store's document calls (`plainDocumentCalls`); returns how many.
 * `nowMs`: the stack's clock (epoch ms); `realNowMs`: real time, for the idempotency keys (default `nowMs`).
 */
export async function sweepExpired(doc: DocumentCalls, tableName: string, nowMs: number, realNowMs = nowMs) {
  const attribute = certflowTable.timeToLiveAttribute;
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression:
          '(#e < :now AND NOT begins_with(pk, :idem)) OR (#e < :real AND begins_with(pk, :idem))',
        ExpressionAttributeNames: { '#e': attribute },
        ExpressionAttributeValues: {
          ':now': Math.floor(nowMs / 1000),
          ':real': Math.floor(realNowMs / 1000),
          ':idem': `${IDEMPOTENCY_KEY_PREFIX}#`,
        },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      await doc.send(new DeleteCommand({ TableName: tableName, Key: { pk: item.pk, sk: item.sk } }));
      deleted += 1;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return deleted;
}
