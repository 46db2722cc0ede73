/**
 * The crash tests' workload: a definition using every state type, deterministic functions, and a
 * callback (the approver keeps task tokens in a DynamoDB table, as certflow keeps them in its own).
 */
import {
  CreateTableCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  ResourceInUseException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { LocalFunction } from '#local/stepfunctions/index.ts';

export const TOKENS_TABLE = 'crash-tokens';

export const crashDefinition = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Start',
  States: {
    Start: {
      Type: 'Pass',
      Assign: { n: '{% $states.input.n %}' },
      Output: { n: '{% $states.input.n %}' },
      Next: 'Double',
    },
    Double: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:Double',
        Payload: '{% $states.input %}',
      },
      Output: '{% $states.result.Payload %}',
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.n > 6 %}', Next: 'Fan' }],
      Default: 'Small',
    },
    Small: { Type: 'Pass', Output: { n: '{% $states.input.n + 100 %}' }, Next: 'Fan' },
    Fan: {
      Type: 'Map',
      Items: '{% $range(1, 3) %}',
      MaxConcurrency: 2,
      ItemSelector: { x: '{% $states.context.Map.Item.Value * $states.input.n %}' },
      ItemProcessor: {
        StartAt: 'Square',
        States: {
          Square: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: 'Square', Payload: '{% $states.input %}' },
            Output: '{% $states.result.Payload %}',
            End: true,
          },
        },
      },
      Assign: { fan: '{% $states.result %}' },
      Next: 'Both',
    },
    Both: {
      Type: 'Parallel',
      Branches: [
        {
          StartAt: 'Pause',
          States: {
            Pause: { Type: 'Wait', Seconds: 0, Next: 'Mark' },
            Mark: { Type: 'Pass', Output: '{% "paused-" & $string($n) %}', End: true },
          },
        },
        {
          StartAt: 'Approve',
          States: {
            Approve: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
              Arguments: {
                FunctionName: 'Approve',
                Payload: { token: '{% $states.context.Task.Token %}', n: '{% $n %}' },
              },
              End: true,
            },
          },
        },
      ],
      Next: 'Done',
    },
    Done: {
      Type: 'Pass',
      Output: { n: '{% $n %}', fan: '{% $fan %}', both: '{% $states.input %}' },
      End: true,
    },
  },
});

export function crashFunctions(db: DynamoDBClient): Record<string, LocalFunction> {
  return {
    Double: async (event) => ({ n: (event as { n: number }).n * 2 }),
    Square: async (event) => (event as { x: number }).x ** 2,
    Approve: async (event) => {
      const { token, n } = event as { token: string; n: number };
      await db.send(
        new PutItemCommand({
          TableName: TOKENS_TABLE,
          Item: { pk: { S: token }, answer: { S: JSON.stringify({ approved: n * 7 }) } },
        }),
      );
      return { queued: true };
    },
  };
}

export async function createTokensTable(db: DynamoDBClient): Promise<void> {
  try {
    await db.send(
      new CreateTableCommand({
        TableName: TOKENS_TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      }),
    );
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
}

/** Sends the stored answers for waiting tokens; a token already used (TaskTimedOut) is just dropped. */
export async function approvePending(
  db: DynamoDBClient,
  send: (token: string, output: string) => Promise<unknown>,
): Promise<void> {
  const r = await db.send(new ScanCommand({ TableName: TOKENS_TABLE }));
  for (const item of r.Items ?? []) {
    const token = item.pk!.S!;
    try {
      await send(token, item.answer!.S!);
    } catch (error) {
      if ((error as Error).name !== 'TaskTimedOut') throw error;
    }
    await db.send(new DeleteItemCommand({ TableName: TOKENS_TABLE, Key: { pk: { S: token } } }));
  }
}
