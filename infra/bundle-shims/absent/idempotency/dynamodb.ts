/**
 * `@aws-lambda-powertools/idempotency/dynamodb` in the bundles of functions without
 * `access.idempotencyKeys` (see ../absent.ts): functions/deps.ts makes the persistence layer only when
 * `deps.idempotency()` is called, which only the intake does. Leaves out Powertools idempotency and its
 * JMESPath (≈ 36 KB minified).
 */
import { absentClass } from '../absent.ts';

export const DynamoDBPersistenceLayer = absentClass(
  '@aws-lambda-powertools/idempotency',
  'DynamoDBPersistenceLayer',
  'idempotencyKeys',
);
