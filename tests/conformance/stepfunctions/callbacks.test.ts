/**
 * Conformance: the callback pattern (.waitForTaskToken), task tokens, heartbeats and timeouts.
 * https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html (TimeoutSeconds, HeartbeatSeconds)
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  InvalidOutput,
  InvalidToken,
  type StepFunctionsEngine,
  TaskDoesNotExist,
  TaskTimedOut,
} from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { finish, jsonata, makeEngine, start, until } from './harness.ts';

const WAIT = 'arn:aws:states:::lambda:invoke.waitForTaskToken';

let engine: StepFunctionsEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

/** A function that records the token it is handed, like a notifier that mails a link. */
function tokenCatcher() {
  const tokens: string[] = [];
  const fn = async (event: unknown) => {
    tokens.push((event as { token: string }).token);
    return { queued: true };
  };
  return { tokens, fn };
}

function waiting(extra: Record<string, unknown> = {}) {
  return jsonata({
    Ask: {
      Type: 'Task',
      Resource: WAIT,
      Arguments: {
        FunctionName: 'notify',
        Payload: { token: '{% $states.context.Task.Token %}', who: '{% $states.input.who %}' },
      },
      Next: 'Done',
      ...extra,
    },
    Done: { Type: 'Pass', End: true },
  });
}

describe('waitForTaskToken', () => {
  test('the task waits for SendTaskSuccess; its output is the task result', async () => {
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn });
    const arn = await start(engine, waiting({ Output: { answer: '{% $states.result %}' } }), {
      who: 'officer',
    });
    await until(() => tokens.length === 1, 'token');
    await until(async () =>
      (await engine!.getExecutionHistory({ executionArn: arn })).events.some(
        (e) => e.type === 'TaskSubmitted',
      ),
    );
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    await engine.sendTaskSuccess({ taskToken: tokens[0]!, output: JSON.stringify({ approved: true }) });
    const r = await finish(engine, arn);
    expect(r.output).toEqual({ answer: { approved: true } });
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSubmitted',
      'TaskSucceeded',
      'TaskStateExited',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = r.events[2] as unknown as { taskScheduledEventDetails: { resource: string } };
    expect(scheduled.taskScheduledEventDetails.resource).toBe('invoke.waitForTaskToken');
  });

  test('SendTaskFailure fails the task with the given error and cause (catchable)', async () => {
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn });
    const definition = waiting({ Catch: [{ ErrorEquals: ['Officer.Refused'], Next: 'Refused' }] });
    (definition.States as Record<string, unknown>).Refused = { Type: 'Pass', End: true };
    const arn = await start(engine, definition, { who: 'x' });
    await until(() => tokens.length === 1);
    await engine.sendTaskFailure({ taskToken: tokens[0]!, error: 'Officer.Refused', cause: 'not eligible' });
    const r = await finish(engine, arn);
    expect(r.output).toEqual({ Error: 'Officer.Refused', Cause: 'not eligible' });
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html — TaskTimedOut: "the task associated with the token has already been closed".
  test('a token used twice: the second call is TaskTimedOut', async () => {
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn });
    const arn = await start(engine, waiting(), { who: 'x' });
    await until(() => tokens.length === 1);
    await engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '1' });
    await finish(engine, arn);
    await expect(engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '2' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
    await expect(engine.sendTaskFailure({ taskToken: tokens[0]! })).rejects.toBeInstanceOf(TaskTimedOut);
    await expect(engine.sendTaskHeartbeat({ taskToken: tokens[0]! })).rejects.toBeInstanceOf(TaskTimedOut);
  });

  test('malformed tokens are InvalidToken; tokens of unknown executions are TaskDoesNotExist', async () => {
    engine = await makeEngine();
    await expect(engine.sendTaskSuccess({ taskToken: 'garbage!', output: '{}' })).rejects.toBeInstanceOf(
      InvalidToken,
    );
    const foreign = Buffer.from(
      JSON.stringify({ a: 'arn:aws:states:us-east-1:123456789012:execution:nope:nope', s: 1, n: 'x' }),
    ).toString('base64url');
    await expect(engine.sendTaskSuccess({ taskToken: foreign, output: '{}' })).rejects.toBeInstanceOf(
      TaskDoesNotExist,
    );
  });

  test('output that is not JSON is InvalidOutput, and the task keeps waiting', async () => {
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn });
    const arn = await start(engine, waiting(), { who: 'x' });
    await until(() => tokens.length === 1);
    await expect(engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '{nope' })).rejects.toBeInstanceOf(
      InvalidOutput,
    );
    await engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '"fine"' });
    expect((await finish(engine, arn)).status).toBe('SUCCEEDED');
  });

  test('a function may send the callback itself before it returns (no deadlock)', async () => {
    let self: StepFunctionsEngine | undefined;
    engine = await makeEngine({
      notify: async (event: unknown) => {
        await self!.sendTaskSuccess({ taskToken: (event as { token: string }).token, output: '"at once"' });
        return {};
      },
    });
    self = engine;
    const r = await finish(
      engine,
      await start(engine, waiting({ Output: '{% $states.result %}' }), { who: 'x' }),
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toBe('at once');
  });

  test('a failing notifier fails the task before any callback', async () => {
    engine = await makeEngine({
      notify: async () => {
        throw new TypeError('mailer down');
      },
    });
    const r = await finish(engine, await start(engine, waiting(), { who: 'x' }));
    expect(r.error).toBe('TypeError');
  });
});

describe('timeouts', () => {
  test('TimeoutSeconds: States.Timeout after the time on the clock; a late token is TaskTimedOut', async () => {
    const clock = new AdjustableClock();
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn }, clock);
    const arn = await start(engine, waiting({ TimeoutSeconds: 3600 }), { who: 'x' });
    await until(() => tokens.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(3_600_000 + 100);
    const r = await finish(engine, arn);
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.Timeout');
    const timedOut = r.events.find((e) => e.type === 'TaskTimedOut') as unknown as {
      taskTimedOutEventDetails: { error: string };
    };
    expect(timedOut.taskTimedOutEventDetails.error).toBe('States.Timeout');
    await expect(engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });

  test('TimeoutSeconds as a JSONata expression', async () => {
    const clock = new AdjustableClock();
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn }, clock);
    const arn = await start(engine, waiting({ TimeoutSeconds: '{% $states.input.limit %}' }), {
      who: 'x',
      limit: 60,
    });
    await until(() => tokens.length === 1);
    const h = await engine.getExecutionHistory({ executionArn: arn });
    const scheduled = h.events.find((e) => e.type === 'TaskScheduled') as unknown as {
      taskScheduledEventDetails: { timeoutInSeconds: number };
    };
    expect(scheduled.taskScheduledEventDetails.timeoutInSeconds).toBe(60);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(61_000);
    expect((await finish(engine, arn)).error).toBe('States.Timeout');
  });

  test('HeartbeatSeconds: heartbeats keep the task alive; silence is States.HeartbeatTimeout', async () => {
    const clock = new AdjustableClock();
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn }, clock);
    const definition = waiting({
      HeartbeatSeconds: 10,
      TimeoutSeconds: 1000,
      Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Silent' }],
    });
    (definition.States as Record<string, unknown>).Silent = { Type: 'Pass', Output: 'silent', End: true };
    const arn = await start(engine, definition, { who: 'x' });
    await until(() => tokens.length === 1);
    for (let i = 0; i < 3; i++) {
      clock.advance(8_000);
      await engine.sendTaskHeartbeat({ taskToken: tokens[0]! });
    }
    await new Promise((r) => setTimeout(r, 20));
    expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
    clock.advance(10_500);
    const r = await finish(engine, arn);
    expect(r.output).toBe('silent');
    const timedOut = r.events.find((e) => e.type === 'TaskTimedOut') as unknown as {
      taskTimedOutEventDetails: { error: string };
    };
    expect(timedOut.taskTimedOutEventDetails.error).toBe('States.HeartbeatTimeout');
  });

  test('States.TaskFailed does not catch States.Timeout', async () => {
    const clock = new AdjustableClock();
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn }, clock);
    const arn = await start(
      engine,
      waiting({ TimeoutSeconds: 5, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Done' }] }),
      { who: 'x' },
    );
    await until(() => tokens.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(6_000);
    expect((await finish(engine, arn)).error).toBe('States.Timeout');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html — TimeoutSeconds
  test('execution TimeoutSeconds: TIMED_OUT with ExecutionTimedOut', async () => {
    const clock = new AdjustableClock();
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn }, clock);
    const definition = { ...waiting(), TimeoutSeconds: 30 };
    const arn = await start(engine, definition, { who: 'x' });
    await until(() => tokens.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    clock.advance(31_000);
    const r = await finish(engine, arn);
    expect(r.status).toBe('TIMED_OUT');
    expect(r.events.at(-1)!.type).toBe('ExecutionTimedOut');
    await expect(engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});

describe('StopExecution', () => {
  test('aborts a waiting execution; its token is then TaskTimedOut', async () => {
    const { tokens, fn } = tokenCatcher();
    engine = await makeEngine({ notify: fn });
    const arn = await start(engine, waiting(), { who: 'x' });
    await until(() => tokens.length === 1);
    await engine.stopExecution({ executionArn: arn, error: 'Operator.Stop', cause: 'duplicate' });
    const d = await engine.describeExecution({ executionArn: arn });
    expect(d.status).toBe('ABORTED');
    expect(d.error).toBe('Operator.Stop');
    const h = await engine.getExecutionHistory({ executionArn: arn, reverseOrder: true, maxResults: 1 });
    expect(h.events[0]!.type).toBe('ExecutionAborted');
    await expect(engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '{}' })).rejects.toBeInstanceOf(
      TaskTimedOut,
    );
  });
});
