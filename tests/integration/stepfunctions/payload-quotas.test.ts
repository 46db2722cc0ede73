/**
 * Payload quotas on durable storage, through @aws-sdk/client-sfn: an execution input, variables, a
 * function result and a callback of up to 256 KiB each work on dynalite (whose items hold at most
 * 400 KB), and a restart carries such an execution on; above the quota the API answers the client error
 * AWS documents (never a 500) and a state fails with States.DataLimitExceeded.
 * https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html ("Maximum input or output
 * size for a task, state, or execution": 256 KiB of UTF-8) and the API reference's length constraints.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  ValidationException,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startStepFunctionsService } from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { collectTokens } from '#tests/helpers/stepfunctions-callbacks.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';

let db: Dynalite;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.stop();
});

const KiB = 1024;
/** A JSON string document of exactly `bytes` bytes of UTF-8 (with multi-byte characters). */
function jsonOfBytes(bytes: number): string {
  const body = '数'.repeat(Math.floor((bytes - 2) / 3));
  return JSON.stringify(`${body}${'x'.repeat(bytes - 2 - Buffer.byteLength(body))}`);
}

const definition = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Keep',
  States: {
    Keep: { Type: 'Pass', Assign: { kept: '{% $states.input %}' }, Next: 'Echo' },
    Echo: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: { FunctionName: 'Echo', Payload: '{% $states.input %}' },
      Output: '{% $states.result.Payload %}',
      Next: 'Ask',
    },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: 'Notify', Payload: { token: '{% $states.context.Task.Token %}' } },
      Next: 'Done',
    },
    Done: {
      Type: 'Pass',
      Output: { same: '{% $kept = $states.input %}', size: '{% $length($kept) %}' },
      End: true,
    },
  },
});

const sdk = (url: string) =>
  new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

test('256 KiB inputs, variables, results and callbacks work on dynalite and survive a restart; more is a client error', async () => {
  const { tokens, functions: notify } = collectTokens();
  const options = {
    port: 0,
    storage: { kind: 'dynamodb' as const, client: db.client(), tableName: 'sfn-quotas' },
    clock: new AdjustableClock(),
    functions: (name: string) => (name === 'Echo' ? async (event: unknown) => event : notify(name)),
  };
  const input = jsonOfBytes(256 * KiB);
  let service = await startStepFunctionsService(options);
  let client = sdk(service.url);
  try {
    const { stateMachineArn } = await client.send(
      new CreateStateMachineCommand({
        name: 'quotas',
        roleArn: 'arn:aws:iam::123456789012:role/x',
        definition,
      }),
    );
    const over = client.send(
      new StartExecutionCommand({ stateMachineArn, input: jsonOfBytes(256 * KiB + 1) }),
    );
    await expect(over).rejects.toBeInstanceOf(ValidationException);
    await expect(over).rejects.toThrow(
      "1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to 262144",
    );

    const { executionArn } = await client.send(
      new StartExecutionCommand({ stateMachineArn, name: 'big', input }),
    );
    for (let i = 0; i < 1000 && tokens.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(tokens).toHaveLength(1);
    for (let i = 0; i < 1000; i++) {
      const h = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      if (h.events?.some((e) => e.type === 'TaskSubmitted')) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    // the execution, its 256 KiB variable and its pending callback come back after a restart
    await service.end();
    service = await startStepFunctionsService(options);
    client = sdk(service.url);
    expect(service.resumed).toBe(1);

    const tooBig = client.send(
      new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: jsonOfBytes(256 * KiB + 3) }),
    );
    await expect(tooBig).rejects.toBeInstanceOf(ValidationException);
    await expect(
      client.send(new SendTaskFailureCommand({ taskToken: tokens[0]!, error: 'E'.repeat(257) })),
    ).rejects.toBeInstanceOf(ValidationException);

    await client.send(new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: input }));
    const d = await service.service.waitForExecution(executionArn!);
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual({ same: true, size: JSON.parse(input).length });
    const described = await client.send(new DescribeExecutionCommand({ executionArn }));
    expect(described.input).toBe(input);
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
    expect(h.events?.find((e) => e.type === 'ExecutionStarted')?.executionStartedEventDetails?.input).toBe(
      input,
    );
  } finally {
    await service.end();
  }
});

test('a state output or a function result over 256 KiB fails with States.DataLimitExceeded', async () => {
  const service = await startStepFunctionsService({
    port: 0,
    storage: { kind: 'dynamodb' as const, client: db.client(), tableName: 'sfn-quotas-over' },
    clock: new AdjustableClock(),
    functions: (name: string) => (name === 'Big' ? async () => 'x'.repeat(256 * KiB) : undefined),
  });
  try {
    const engine = service.service;
    const runOne = async (name: string, states: Record<string, unknown>) => {
      const { stateMachineArn } = await engine.createStateMachine({
        name,
        definition: JSON.stringify({
          QueryLanguage: 'JSONata',
          StartAt: Object.keys(states)[0],
          States: states,
        }),
      });
      const { executionArn } = await engine.startExecution({ stateMachineArn });
      return engine.waitForExecution(executionArn);
    };
    const pass = await runOne('over-pass', {
      P: {
        Type: 'Pass',
        Output: "{% $pad('', 262145, 'y') %}",
        End: true,
      },
    });
    expect(pass.status).toBe('FAILED');
    expect(pass.error).toBe('States.DataLimitExceeded');

    const task = await runOne('over-task', {
      T: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Arguments: { FunctionName: 'Big', Payload: {} },
        // States.ALL does not catch States.DataLimitExceeded (error-handling guide)
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Caught' }],
        End: true,
      },
      Caught: { Type: 'Pass', End: true },
    });
    expect(task.status).toBe('FAILED');
    expect(task.error).toBe('States.DataLimitExceeded');
  } finally {
    await service.end();
  }
});
