/**
 * The local stack's stand-in for DynamoDB TTL (dynalite ignores it): deletes the items of the certflow
 * table whose `expiresAt` (epoch seconds) lies before the stack's clock — exchange records past their
 * retention, idempotency keys, webhook de-dup and rate-limit windows. A Scan with a filter, which is fine
 * for the local table and is never what the functions do (on AWS the table's TTL deletes them).
 */
import { DeleteCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { DocumentCalls } from '#shared/store/plain-document.ts';
import { certflowTable } from '#shared/store/table-definition.ts';

/** Deletes every expired item through the store's document calls (`plainDocumentCalls`); returns how many. */
export async function sweepExpired(doc: DocumentCalls, tableName: string, nowMs: number) {
  const attribute = certflowTable.timeToLiveAttribute;
  let deleted = 0;
  let start: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: '#e < :now',
        ExpressionAttributeNames: { '#e': attribute },
        ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
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
