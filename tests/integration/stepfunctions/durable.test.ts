/**
 * The service on dynalite: state survives a stop and a restart (a clean one; crashes are in crash.test.ts).
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createStepFunctions, TaskTimedOut } from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { collectTokens, untilTaskSubmitted } from '#tests/helpers/stepfunctions-callbacks.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';

let db: Dynalite;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.stop();
});

const definition = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Remember',
  States: {
    Remember: { Type: 'Pass', Assign: { who: '{% $states.input.who %}' }, Next: 'Ask' },
    Ask: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: { FunctionName: 'Notify', Payload: { token: '{% $states.context.Task.Token %}' } },
      TimeoutSeconds: 86400,
      Next: 'Sleep',
    },
    Sleep: { Type: 'Wait', Seconds: 3600, Next: 'Done' },
    Done: { Type: 'Pass', Output: { who: '{% $who %}', answer: '{% $states.input %}' }, End: true },
  },
});

describe('durable storage on DynamoDB', () => {
  test('a waiting execution, its variables, token and timers survive a restart', async () => {
    const clock = new AdjustableClock();
    const { tokens, functions } = collectTokens();
    const storage = { kind: 'dynamodb' as const, client: db.client(), tableName: 'sfn-durable' };

    const first = await createStepFunctions({ storage, clock, functions });
    const { stateMachineArn } = await first.createStateMachine({ name: 'wait', definition });
    const { executionArn } = await first.startExecution({
      stateMachineArn,
      name: 'e1',
      input: '{"who":"alice"}',
    });
    for (let i = 0; i < 500 && tokens.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(tokens).toHaveLength(1);
    // let the TaskSubmitted transition land, then stop
    await untilTaskSubmitted(first, executionArn);
    await first.close();

    const second = await createStepFunctions({ storage, clock, functions });
    expect(await second.resumeAll()).toBe(1);
    expect(tokens).toHaveLength(1); // submitted tasks are not re-run
    await second.sendTaskSuccess({ taskToken: tokens[0]!, output: '"yes"' });
    for (let i = 0; i < 500; i++) {
      const h = await second.getExecutionHistory({ executionArn, reverseOrder: true, maxResults: 1 });
      if (h.events[0]!.type === 'WaitStateEntered') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await second.close();

    // the Wait timer was stored with its due time: a third process fires it once the clock passes it
    const third = await createStepFunctions({ storage, clock, functions });
    expect(await third.resumeAll()).toBe(1);
    await expect(third.sendTaskSuccess({ taskToken: tokens[0]!, output: '"again"' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    clock.advance(3_600_000);
    const done = await third.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ who: 'alice', answer: 'yes' });
    const history = await third.getExecutionHistory({ executionArn, maxResults: 1000 });
    expect(history.events.map((e) => e.id)).toEqual(history.events.map((_, i) => i + 1));
    expect(history.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'WaitStateEntered',
      'WaitStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const list = await third.listExecutions({ stateMachineArn, statusFilter: 'SUCCEEDED' });
    expect(list.executions.map((e) => e.name)).toEqual(['e1']);
    expect(await third.resumeAll()).toBe(0);
    await third.close();
  });

  test('history ignores events of a transition that was never recorded (a crash between two writes)', async () => {
    const client = db.client();
    const storage = { kind: 'dynamodb' as const, client, tableName: 'sfn-orphans' };
    const engine = await createStepFunctions({
      storage,
      clock: new AdjustableClock(),
      functions: () => undefined,
    });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'p',
      definition: JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'W',
        States: { W: { Type: 'Wait', Seconds: 3600, End: true } },
      }),
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'o1' });
    const before = await engine.getExecutionHistory({ executionArn });
    const next = before.events.length + 1;
    // what a crash leaves when the history chunk of a transition was written but its record was not
    await client.send(
      new PutItemCommand({
        TableName: 'sfn-orphans',
        Item: {
          pk: { S: `X#${executionArn}` },
          sk: { S: `E#${String(next).padStart(10, '0')}` },
          e: {
            S: JSON.stringify([
              { id: next, previousEventId: next - 1, timestamp: 0, type: 'WaitStateExited' },
            ]),
          },
        },
      }),
    );
    const after = await engine.getExecutionHistory({ executionArn });
    expect(after.events.map((e) => e.type)).toEqual(before.events.map((e) => e.type));
    await engine.close();
  });

  test('a callback that arrives while the service is still resuming finds its task', async () => {
    const { tokens, functions } = collectTokens();
    const storage = { kind: 'dynamodb' as const, client: db.client(), tableName: 'sfn-race' };
    const clock = new AdjustableClock();
    const first = await createStepFunctions({ storage, clock, functions });
    const { stateMachineArn } = await first.createStateMachine({ name: 'race', definition });
    const { executionArn } = await first.startExecution({
      stateMachineArn,
      name: 'r1',
      input: '{"who":"bob"}',
    });
    await untilTaskSubmitted(first, executionArn);
    await first.close();

    const second = await createStepFunctions({ storage, clock, functions });
    const resuming = second.resumeAll(); // not awaited: the callback races the resume
    await second.sendTaskSuccess({ taskToken: tokens[0]!, output: '"ok"' });
    expect(await resuming).toBe(1);
    clock.advance(3_600_000);
    const done = await second.waitForExecution(executionArn);
    expect(JSON.parse(done.output!)).toEqual({ who: 'bob', answer: 'ok' });
    await second.close();
  });
});
