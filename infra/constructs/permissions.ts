/**
 * What each registry `access` level allows, as plain data: the construct turns it into IAM statements and
 * the tests check both (and that the store only calls what `read` / `readWrite` allow).
 */
import type { Access } from '#functions/function-list.ts';

/** DynamoDB actions per table access level. No Scan: request paths never scan (ARCHITECTURE.md). */
export const tableActions = {
  none: [],
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  readWrite: [
    'dynamodb:GetItem',
    'dynamodb:BatchGetItem',
    'dynamodb:Query',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'dynamodb:BatchWriteItem',
  ],
} as const satisfies Record<Access['table'], readonly string[]>;

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
