/**
 * What each registry `access` level allows, as plain data: the construct turns it into IAM statements and
 * the tests check both (and that the store only calls what `read` / `readWrite` allow).
 */
import type { Access } from '#functions/function-list.ts';

/**
 * DynamoDB actions per table access level: only what the store sends (no Scan: request paths never scan,
 * ARCHITECTURE.md; BatchGetItem is a read: a page of the status index's entries fetched by key, at most a
 * page; no other Batch* but BatchWriteItem with `access.batchWrites`: the registry change feed's fan-out
 * into the subscribers' feeds and intake's search lookups, 25 items a call). The local stack enforces the
 * same actions per function (local/key-guard.ts). DeleteItem only with `access.deletes` (the webhook
 * de-dup release and Powertools idempotency's delete of a failed record), never to the workflow steps.
 */
export const tableActions = {
  none: [],
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
  ],
} as const satisfies Record<Access['table'], readonly string[]>;

/** The table actions of an access: its level's, plus DeleteItem where `deletes` is set, BatchWriteItem where `batchWrites` is. */
export function tableActionsOf(access: Access): string[] {
  return [
    ...tableActions[access.table],
    ...(access.deletes ? ['dynamodb:DeleteItem'] : []),
    ...(access.batchWrites ? ['dynamodb:BatchWriteItem'] : []),
  ];
}

/**
 * KMS actions on the table's customer-managed key, only through DynamoDB (kms:ViaService). Listed without
 * wildcards: Decrypt/DescribeKey to read, Encrypt/GenerateDataKey/ReEncrypt to write.
 */
export const tableKeyActions = {
  none: [],
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  readWrite: [
    'kms:Decrypt',
    'kms:DescribeKey',
    'kms:Encrypt',
    'kms:GenerateDataKey',
    'kms:ReEncryptFrom',
    'kms:ReEncryptTo',
  ],
} as const satisfies Record<Access['table'], readonly string[]>;

export type StateMachineAction = Access['stateMachine'][number];

/** Which resource each Step Functions action is granted on. */
export const stateMachineActionScope: Record<StateMachineAction, 'stateMachine' | 'execution'> = {
  StartExecution: 'stateMachine',
  ListExecutions: 'stateMachine',
  // Task responses are authorised on the state machine that issued the token (as CDK's grantTaskResponse).
  SendTaskSuccess: 'stateMachine',
  SendTaskFailure: 'stateMachine',
  DescribeExecution: 'execution',
};

/**
 * The `dynamodb:LeadingKeys` condition of a function's table grant (`access.keys`): every partition-key
 * value a call names must match one of the patterns (IAM `StringLike`). For a Query on a global secondary
 * index the value is taken to be the index's partition key (so the lists name `STATUS#*`, `RATINGS`…);
 * not verified on an account: if AWS evaluated index queries otherwise, MetricsSummary's and
 * TransparencyAccountability's index reads would be denied — the first thing to check after a deploy. `ForAllValues` passes a request that names none, which only Scan is, and
 * Scan is granted to no one. Source: DynamoDB Developer Guide, "Using IAM policy conditions for
 * fine-grained access control".
 */
export function leadingKeysCondition(keys: readonly string[]): Record<string, Record<string, string[]>> {
  if (keys.length === 0) throw new RangeError('access.keys: at least one partition-key pattern');
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys] } };
}
