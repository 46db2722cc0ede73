/**
 * The local Step Functions service's own DynamoDB table (never the certflow table).
 *
 * Items (pk / sk):
 * - `M#<stateMachineArn>` / `M`   — a state machine (gsi1: `SM` / name, for ListStateMachines)
 * - `D#<definitionId>` / `D`      — a definition text by content id (executions keep theirs)
 * - `X#<executionArn>` / `H`      — the execution record: version, snapshot, not-yet-chunked history
 *                                   (gsi1: `L#<stateMachineArn>` / start time, for ListExecutions;
 *                                    gsi2: `OPEN` / arn while RUNNING — sparse, for resume)
 * - `X#<executionArn>` / `E#<id>` — a chunk of history events starting at event id
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const stepFunctionsTable = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [
    { indexName: 'byParent', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
    { indexName: 'open', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  ],
} as const;

export function stepFunctionsCreateTableInput(tableName: string): CreateTableCommandInput {
  const keys = new Set<string>([stepFunctionsTable.partitionKey, stepFunctionsTable.sortKey]);
  for (const index of stepFunctionsTable.indexes) {
    keys.add(index.partitionKey);
    keys.add(index.sortKey);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...keys].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: [
      { AttributeName: stepFunctionsTable.partitionKey, KeyType: 'HASH' },
      { AttributeName: stepFunctionsTable.sortKey, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: stepFunctionsTable.indexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey, KeyType: 'HASH' },
        { AttributeName: index.sortKey, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    })),
  };
}
