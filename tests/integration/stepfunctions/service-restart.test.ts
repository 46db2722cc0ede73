/**
 * The HTTP service on dynalite, through @aws-sdk/client-sfn: create, start, stop the service while the
 * execution waits for a callback, start it again (a new port), call back, inspect.
 */
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startStepFunctionsService } from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';

let db: Dynalite;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.stop();
});

const sdk = (url: string) =>
  new SFNClient({
    endpoint: url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });

test('an execution waiting for a callback survives a service restart, through the SDK', async () => {
  const tokens: string[] = [];
  const options = {
    port: 0,
    storage: { kind: 'dynamodb' as const, client: db.client(), tableName: 'sfn-service' },
    clock: systemClock,
    functions: (name: string) =>
      name === 'Notify'
        ? async (event: unknown) => {
            tokens.push((event as { token: string }).token);
            return {};
          }
        : undefined,
  };
  const first = await startStepFunctionsService(options);
  let client = sdk(first.url);
  const { stateMachineArn } = await client.send(
    new CreateStateMachineCommand({
      name: 'restart',
      roleArn: 'arn:aws:iam::123456789012:role/x',
      definition: JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'Ask',
        States: {
          Ask: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
            Arguments: { FunctionName: 'Notify', Payload: { token: '{% $states.context.Task.Token %}' } },
            Output: { answer: '{% $states.result %}', asked: '{% $states.input.q %}' },
            End: true,
          },
        },
      }),
    }),
  );
  const { executionArn } = await client.send(
    new StartExecutionCommand({ stateMachineArn, name: 'q1', input: '{"q":"eligible?"}' }),
  );
  for (let i = 0; i < 500; i++) {
    const h = await client.send(new GetExecutionHistoryCommand({ executionArn }));
    if (h.events!.some((e) => e.type === 'TaskSubmitted')) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  client.destroy();
  await first.end();

  const second = await startStepFunctionsService(options);
  expect(second.resumed).toBe(1);
  client = sdk(second.url);
  await client.send(new SendTaskSuccessCommand({ taskToken: tokens[0]!, output: '{"yes":true}' }));
  let status = 'RUNNING';
  for (let i = 0; i < 500 && status === 'RUNNING'; i++) {
    status = (await client.send(new DescribeExecutionCommand({ executionArn }))).status!;
    if (status === 'RUNNING') await new Promise((r) => setTimeout(r, 5));
  }
  const done = await client.send(new DescribeExecutionCommand({ executionArn }));
  expect(done.status).toBe('SUCCEEDED');
  expect(JSON.parse(done.output!)).toEqual({ answer: { yes: true }, asked: 'eligible?' });
  const history = await client.send(new GetExecutionHistoryCommand({ executionArn }));
  expect(history.events!.map((e) => e.id)).toEqual(history.events!.map((_, i) => i + 1));
  expect(tokens).toHaveLength(1);
  client.destroy();
  await second.end();
});
