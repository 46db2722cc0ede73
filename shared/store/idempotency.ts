/**
 * The persistence of request idempotency (the intake's `Idempotency-Key`): Powertools' DynamoDB
 * persistence layer (`@aws-lambda-powertools/idempotency`) on the one certflow table.
 *
 * Key schema: Powertools writes `{ [keyAttr]: staticPkValue, [sortKeyAttr]: idempotencyKey }`. Our table's
 * partition key is `pk` and its sort key `sk`, so the *varying* idempotency key (`IDEM#` + SHA-256 of the
 * key header, base64) goes into `pk` (`sortKeyAttr: 'pk'`) and the fixed `IDEM` into `sk` (`keyAttr:
 * 'sk'`): every key is its own partition, as for every other item (shared/store/keys.ts). The record's
 * expiry is the table's TTL attribute (`expiresAt`, epoch seconds), so AWS deletes expired keys;
 * dynalite ignores TTL, and Powertools itself treats an expired record as absent.
 *
 * Clock: Powertools reads `Date.now()` for the record's expiry and the in-progress window (the Lambda's
 * remaining time) and takes no clock. Both are real-time windows about a client's retries, and on AWS the
 * system clock is the only clock; on the local stack with `--test-clock` an advanced clock therefore does
 * not expire a key (it lives 24 real hours), which tests/e2e pins.
 */

import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { certflowTable } from './table-definition.ts';

/** The prefix of every idempotency record's `pk` (Powertools' `keyPrefix`). */
export const IDEMPOTENCY_KEY_PREFIX = 'IDEM';
/** How long an Idempotency-Key answers with the first request (seconds, real time). */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** Powertools' DynamoDB persistence layer over `client` and the certflow table `tableName`. */
export function idempotencyPersistence(client: DynamoDBClient, tableName: string): BasePersistenceLayer {
  return new DynamoDBPersistenceLayer({
    tableName,
    awsSdkV3Client: client,
    keyAttr: certflowTable.sortKey.name,
    staticPkValue: IDEMPOTENCY_KEY_PREFIX,
    sortKeyAttr: certflowTable.partitionKey.name,
    expiryAttr: certflowTable.timeToLiveAttribute,
  });
}
