/**
 * Conformance of the HTTP API: the real @aws-sdk/client-sfn against the service, checking results and the
 * SDK's exception classes. https://docs.aws.amazon.com/step-functions/latest/apireference/API_Operations.html
 */
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  InvalidArn,
  InvalidDefinition,
  InvalidToken,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
  TaskDoesNotExist,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type StepFunctionsService, startStepFunctionsService } from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { jsonata, until } from './harness.ts';

let service: StepFunctionsService;
let sfn: SFNClient;
const tokens: string[] = [];

const definition = JSON.stringify(
  jsonata({
    Check: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Arguments: {
        FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:CheckRules',
        Payload: '{% $states.input %}',
      },
      Output: '{% $states.result.Payload %}',
      Next: 'Decide',
    },
    Decide: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.wait = true %}', Next: 'Ask' }],
      Default: 'Done',
    },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: 'Notify', Payload: { token: '{% $states.context.Task.Token %}' } },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  }),
);

beforeAll(async () => {
  service = await startStepFunctionsService({
    port: 0,
    storage: { kind: 'memory' },
    clock: new AdjustableClock(),
    functions: (name) =>
      ({
        CheckRules: async (event: unknown) => ({ ...(event as object), checked: true }),
        Notify: async (event: unknown) => {
          tokens.push((event as { token: string }).token);
          return {};
        },
      })[name],
  });
  sfn = new SFNClient({
    endpoint: service.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  sfn?.destroy();
  await service?.end();
});

async function waitDone(executionArn: string) {
  let status = 'RUNNING';
  await until(async () => {
    status = (await sfn.send(new DescribeExecutionCommand({ executionArn }))).status!;
    return status !== 'RUNNING';
  }, 'execution end');
  return sfn.send(new DescribeExecutionCommand({ executionArn }));
}

describe('state machines', () => {
  test('create, describe, list; creating the same again is idempotent', async () => {
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: 'certflow',
        definition,
        roleArn: 'arn:aws:iam::123456789012:role/x',
      }),
    );
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:certflow');
    expect(created.creationDate).toBeInstanceOf(Date);
    const again = await sfn.send(
      new CreateStateMachineCommand({
        name: 'certflow',
        definition,
        roleArn: 'arn:aws:iam::123456789012:role/x',
      }),
    );
    expect(again.stateMachineArn).toBe(created.stateMachineArn);
    const described = await sfn.send(
      new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }),
    );
    expect(described).toMatchObject({ name: 'certflow', status: 'ACTIVE', type: 'STANDARD', definition });
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines!.map((s) => s.name)).toContain('certflow');
  });

  test('InvalidDefinition is raised as the SDK class, with a message naming the place', async () => {
    const error = await sfn
      .send(
        new CreateStateMachineCommand({
          name: 'bad',
          definition: JSON.stringify(jsonata({ A: { Type: 'Pass', Next: 'B' } })),
          roleArn: 'arn:aws:iam::1:role/x',
        }),
      )
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidDefinition);
    expect((error as Error).message).toContain("Missing 'Next' target: B at /States/A");
  });

  test('StateMachineDoesNotExist and InvalidArn', async () => {
    await expect(
      sfn.send(
        new DescribeStateMachineCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none',
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:none',
        }),
      ),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })),
    ).rejects.toBeInstanceOf(InvalidArn);
  });

  test('delete: the state machine is DELETING and no longer listed', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'gone', definition, roleArn: 'arn:aws:iam::1:role/x' }),
    );
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    const list = await sfn.send(new ListStateMachinesCommand({}));
    expect(list.stateMachines!.map((s) => s.name)).not.toContain('gone');
  });
});

describe('executions', () => {
  const smArn = 'arn:aws:states:us-east-1:123456789012:stateMachine:certflow';

  test('start, run to the end, describe, list', async () => {
    const started = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn, name: 'run-1', input: '{"id":1}' }),
    );
    expect(started.executionArn).toBe('arn:aws:states:us-east-1:123456789012:execution:certflow:run-1');
    expect(started.startDate).toBeInstanceOf(Date);
    const done = await waitDone(started.executionArn!);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ id: 1, checked: true });
    expect(done.stopDate!.getTime()).toBeGreaterThanOrEqual(done.startDate!.getTime());
    const list = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: smArn, statusFilter: 'SUCCEEDED' }),
    );
    expect(list.executions!.map((e) => e.name)).toContain('run-1');
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html — same name and input while RUNNING: the same answer; otherwise ExecutionAlreadyExists.
  test('StartExecution is idempotent for a running execution with the same input', async () => {
    const first = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn, name: 'idem', input: '{"wait":true}' }),
    );
    const second = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn, name: 'idem', input: '{"wait":true}' }),
    );
    expect(second.executionArn).toBe(first.executionArn);
    expect(second.startDate!.getTime()).toBe(first.startDate!.getTime());
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'idem', input: '{"wait":false}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    await until(() => tokens.length >= 1, 'token');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: tokens.at(-1)!, output: '{}' }));
    await waitDone(first.executionArn!);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'idem', input: '{"wait":true}' })),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  test('callbacks: SendTaskHeartbeat, SendTaskSuccess, then TaskTimedOut for the used token', async () => {
    const before = tokens.length;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn, input: '{"wait":true}' }),
    );
    await until(() => tokens.length > before, 'token');
    const token = tokens.at(-1)!;
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"ok":true}' }));
    const done = await waitDone(executionArn!);
    expect(JSON.parse(done.output!)).toEqual({ ok: true });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(
      sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'X' })),
    ).rejects.toBeInstanceOf(TaskTimedOut);
  });

  test('SendTaskFailure fails the execution with the error; InvalidToken and TaskDoesNotExist', async () => {
    const before = tokens.length;
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn, input: '{"wait":true}' }),
    );
    await until(() => tokens.length > before, 'token');
    await sfn.send(
      new SendTaskFailureCommand({ taskToken: tokens.at(-1)!, error: 'Officer.Refused', cause: 'no' }),
    );
    const done = await waitDone(executionArn!);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Officer.Refused', cause: 'no' });
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: '###', output: '{}' })),
    ).rejects.toBeInstanceOf(InvalidToken);
    const unknown = Buffer.from(
      JSON.stringify({ a: `${smArn.replace('stateMachine', 'execution')}:nope`, s: 1, n: 'x' }),
    ).toString('base64url');
    await expect(
      sfn.send(new SendTaskSuccessCommand({ taskToken: unknown, output: '{}' })),
    ).rejects.toBeInstanceOf(TaskDoesNotExist);
  });

  test('GetExecutionHistory: AWS event types, pagination and reverse order', async () => {
    const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:certflow:run-1';
    const all = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
    const types = all.events!.map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ChoiceStateEntered',
      'ChoiceStateExited',
      'SucceedStateEntered',
      'SucceedStateExited',
      'ExecutionSucceeded',
    ]);
    expect(all.events![0]!.timestamp).toBeInstanceOf(Date);
    expect(all.events![0]!.executionStartedEventDetails!.input).toBe('{"id":1}');
    expect(all.events![2]!.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      region: 'us-east-1',
    });
    const pages: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 4, nextToken }));
      pages.push(...page.events!.map((e) => e.type!));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(pages).toEqual(types);
    const reversed = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, maxResults: 2 }),
    );
    expect(reversed.events!.map((e) => e.type)).toEqual(['ExecutionSucceeded', 'SucceedStateExited']);
    const noData = await sfn.send(
      new GetExecutionHistoryCommand({ executionArn, includeExecutionData: false, maxResults: 1 }),
    );
    expect(noData.events![0]!.executionStartedEventDetails!.input).toBeUndefined();
  });

  test('StopExecution aborts; ExecutionDoesNotExist for unknown executions', async () => {
    const { executionArn } = await sfn.send(
      new StartExecutionCommand({ stateMachineArn: smArn, input: '{"wait":true}' }),
    );
    await until(async () => {
      const h = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      return h.events!.some((e) => e.type === 'TaskSubmitted');
    });
    const stopped = await sfn.send(new StopExecutionCommand({ executionArn, error: 'Stop', cause: 'test' }));
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect((await sfn.send(new DescribeExecutionCommand({ executionArn }))).status).toBe('ABORTED');
    await expect(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: `${smArn.replace('stateMachine', 'execution')}:missing`,
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
  });
});

describe('protocol edges', () => {
  // https://docs.aws.amazon.com/step-functions/latest/apireference/CommonErrors.html
  test('an unknown operation is a 400 with an AWS error shape', async () => {
    const res = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.CreateActivity',
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(((await res.json()) as { __type: string }).__type).toMatch(/#UnknownOperationException$/);
  });

  test('a body that is not JSON is a SerializationException', async () => {
    const res = await fetch(service.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AWSStepFunctions.ListStateMachines',
      },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });
});
