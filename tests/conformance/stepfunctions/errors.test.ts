/**
 * Conformance: error names, Retry and Catch, as documented in
 * https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html
 * Time is a test clock: backoff delays are checked by advancing it, never by sleeping.
 */
import { describe, expect, test } from 'vitest';
import { StepFunctionsEngine } from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { finish, jsonata, makeEngine, run, start, until } from './harness.ts';

const LAMBDA = 'arn:aws:states:::lambda:invoke';

class PaymentDeclined extends Error {
  override name = 'PaymentDeclined';
}

function task(fn: string, extra: Record<string, unknown> = {}) {
  return {
    Type: 'Task',
    Resource: LAMBDA,
    Arguments: { FunctionName: fn, Payload: '{% $states.input %}' },
    ...extra,
  };
}

describe('error names from lambda:invoke', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html — a function error fails the
  // task with the function's error type; the cause is the JSON error payload.
  test('a thrown Error: error "Error", cause {errorType, errorMessage, trace}', async () => {
    const r = await run(
      jsonata({ T: task('boom', { End: true }) }),
      {},
      {
        boom: async () => {
          throw new Error('it broke');
        },
      },
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Error');
    const cause = JSON.parse(r.cause!);
    expect(cause).toMatchObject({ errorType: 'Error', errorMessage: 'it broke' });
    expect(Array.isArray(cause.trace)).toBe(true);
    const failed = r.events.find((e) => e.type === 'TaskFailed') as unknown as {
      taskFailedEventDetails: Record<string, string>;
    };
    expect(failed.taskFailedEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      error: 'Error',
    });
  });

  test('a custom error class: its name is the error', async () => {
    const r = await run(
      jsonata({ T: task('pay', { End: true }) }),
      {},
      {
        pay: async () => {
          throw new PaymentDeclined('no funds');
        },
      },
    );
    expect(r.error).toBe('PaymentDeclined');
    expect(JSON.parse(r.cause!).errorMessage).toBe('no funds');
  });

  test('an unknown function: Lambda.ResourceNotFoundException', async () => {
    const r = await run(jsonata({ T: task('nobody', { End: true }) }));
    expect(r.error).toBe('Lambda.ResourceNotFoundException');
    expect(r.cause).toContain('nobody');
  });
});

describe('Catch', () => {
  test('catchers are tried in order; the first match wins; errorOutput is {Error, Cause}', async () => {
    const r = await run(
      jsonata({
        T: task('pay', {
          Catch: [
            { ErrorEquals: ['Other'], Next: 'Wrong' },
            {
              ErrorEquals: ['PaymentDeclined'],
              Next: 'Handled',
              Output: { caught: '{% $states.errorOutput.Error %}', input: '{% $states.input %}' },
              Assign: { why: '{% $parse($states.errorOutput.Cause).errorMessage %}' },
            },
            { ErrorEquals: ['States.ALL'], Next: 'Wrong' },
          ],
          End: true,
        }),
        Wrong: { Type: 'Fail', Error: 'WrongCatcher' },
        Handled: { Type: 'Pass', Output: { out: '{% $states.input %}', why: '{% $why %}' }, End: true },
      }),
      { amount: 5 },
      {
        pay: async () => {
          throw new PaymentDeclined('no funds');
        },
      },
    );
    expect(r.output).toEqual({ out: { caught: 'PaymentDeclined', input: { amount: 5 } }, why: 'no funds' });
    const types = r.events.map((e) => e.type);
    expect(types.slice(1, 7)).toEqual([
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskFailed',
      'TaskStateExited',
      'PassStateEntered',
    ]);
  });

  test('without Output, a catcher passes the error output on', async () => {
    const r = await run(
      jsonata({
        T: task('nobody', { Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }], End: true }),
        H: { Type: 'Pass', End: true },
      }),
    );
    expect((r.output as { Error: string }).Error).toBe('Lambda.ResourceNotFoundException');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html — States.TaskFailed matches any task error except States.Timeout.
  test('States.TaskFailed matches a function error', async () => {
    const r = await run(
      jsonata({
        T: task('pay', { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'H' }], End: true }),
        H: { Type: 'Pass', Output: 'handled', End: true },
      }),
      {},
      {
        pay: async () => {
          throw new PaymentDeclined('x');
        },
      },
    );
    expect(r.output).toBe('handled');
  });

  test('States.QueryEvaluationError in Arguments can be caught', async () => {
    const r = await run(
      jsonata({
        T: {
          Type: 'Task',
          Resource: LAMBDA,
          Arguments: { FunctionName: 'f', Payload: '{% $number("not a number") + $missing %}' },
          Catch: [{ ErrorEquals: ['States.QueryEvaluationError'], Next: 'H' }],
          End: true,
        },
        H: { Type: 'Pass', Output: '{% $states.input.Error %}', End: true },
      }),
      {},
      { f: async () => 1 },
    );
    expect(r.output).toBe('States.QueryEvaluationError');
  });

  test('matching rules: States.ALL, States.TaskFailed vs States.Timeout, States.Runtime', () => {
    const m = StepFunctionsEngine.matches;
    expect(m(['States.ALL'], 'Anything')).toBe(true);
    expect(m(['States.ALL'], 'States.Timeout')).toBe(true);
    expect(m(['States.ALL'], 'States.Runtime')).toBe(false);
    expect(m(['States.ALL'], 'States.DataLimitExceeded')).toBe(false);
    expect(m(['States.TaskFailed'], 'Lambda.ServiceException')).toBe(true);
    expect(m(['States.TaskFailed'], 'States.Timeout')).toBe(false);
    expect(m(['A', 'B'], 'B')).toBe(true);
    expect(m(['A'], 'a')).toBe(false); // error names are case-sensitive
  });
});

describe('Retry', () => {
  test('retries with IntervalSeconds × BackoffRate^n on the test clock, then succeeds', async () => {
    const clock = new AdjustableClock();
    let calls = 0;
    const flaky = async () => {
      calls++;
      if (calls < 3) throw new PaymentDeclined(`attempt ${calls}`);
      return { ok: calls };
    };
    const engine = await makeEngine({ flaky }, clock);
    try {
      const arn = await start(
        engine,
        jsonata({
          T: task('flaky', {
            Retry: [
              { ErrorEquals: ['PaymentDeclined'], IntervalSeconds: 10, BackoffRate: 3, MaxAttempts: 5 },
            ],
            Output: {
              payload: '{% $states.result.Payload %}',
              retries: '{% $states.context.State.RetryCount %}',
            },
            End: true,
          }),
        }),
      );
      const failures = async () =>
        (await engine.getExecutionHistory({ executionArn: arn, maxResults: 1000 })).events.filter(
          (e) => e.type === 'TaskFailed',
        ).length;
      await until(async () => (await failures()) === 1, 'first failure');
      clock.advance(9_000); // not yet: the first retry is due after 10 s
      await new Promise((r) => setTimeout(r, 30));
      expect(calls).toBe(1);
      clock.advance(1_500);
      await until(async () => (await failures()) === 2, 'second failure');
      clock.advance(29_000); // the second retry is due 30 s after the second failure
      await new Promise((r) => setTimeout(r, 30));
      expect(calls).toBe(2);
      clock.advance(1_500);
      const r = await finish(engine, arn);
      expect(r.output).toEqual({ payload: { ok: 3 }, retries: 2 });
      const scheduled = r.events
        .filter((e) => e.type === 'TaskScheduled')
        .map((e) => (e.timestamp as Date).getTime());
      expect(scheduled).toHaveLength(3);
      expect(scheduled[1]! - scheduled[0]!).toBeGreaterThanOrEqual(10_000);
      expect(scheduled[2]! - scheduled[1]!).toBeGreaterThanOrEqual(30_000);
      expect(r.events.filter((e) => e.type === 'TaskStateEntered')).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });

  test('MaxDelaySeconds caps the backoff; after MaxAttempts the error goes to Catch', async () => {
    const clock = new AdjustableClock();
    let calls = 0;
    const engine = await makeEngine(
      {
        bad: async () => {
          calls++;
          throw new PaymentDeclined('always');
        },
      },
      clock,
    );
    try {
      const arn = await start(
        engine,
        jsonata({
          T: task('bad', {
            Retry: [
              {
                ErrorEquals: ['States.ALL'],
                IntervalSeconds: 5,
                BackoffRate: 10,
                MaxAttempts: 2,
                MaxDelaySeconds: 7,
              },
            ],
            Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }],
            End: true,
          }),
          H: { Type: 'Pass', Output: '{% $states.input.Error %}', End: true },
        }),
      );
      await until(() => calls === 1, 'first call');
      await new Promise((r) => setTimeout(r, 10));
      clock.advance(5_100);
      await until(() => calls === 2, 'second call');
      await new Promise((r) => setTimeout(r, 10));
      clock.advance(7_100); // 5 × 10 = 50 s, capped at 7 s
      const r = await finish(engine, arn);
      expect(calls).toBe(3);
      expect(r.output).toBe('PaymentDeclined');
    } finally {
      await engine.close();
    }
  });

  test('MaxAttempts 0 never retries', async () => {
    let calls = 0;
    const r = await run(
      jsonata({ T: task('bad', { Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 0 }], End: true }) }),
      {},
      {
        bad: async () => {
          calls++;
          throw new Error('x');
        },
      },
    );
    expect(r.status).toBe('FAILED');
    expect(calls).toBe(1);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html — the first retrier whose ErrorEquals matches is the one used.
  test('only the first matching retrier applies', async () => {
    let calls = 0;
    const r = await run(
      jsonata({
        T: task('bad', {
          Retry: [
            { ErrorEquals: ['PaymentDeclined'], MaxAttempts: 0 },
            { ErrorEquals: ['States.ALL'], MaxAttempts: 5, IntervalSeconds: 1 },
          ],
          End: true,
        }),
      }),
      {},
      {
        bad: async () => {
          calls++;
          throw new PaymentDeclined('x');
        },
      },
    );
    expect(r.error).toBe('PaymentDeclined');
    expect(calls).toBe(1);
  });

  test('a Map state is retried as a whole', async () => {
    const clock = new AdjustableClock();
    let calls = 0;
    const engine = await makeEngine(
      {
        once: async () => {
          calls++;
          if (calls === 1) throw new PaymentDeclined('first');
          return calls;
        },
      },
      clock,
    );
    try {
      const arn = await start(
        engine,
        jsonata({
          M: {
            Type: 'Map',
            Items: [1],
            ItemProcessor: {
              StartAt: 'T',
              States: { T: task('once', { Output: '{% $states.result.Payload %}', End: true }) },
            },
            Retry: [{ ErrorEquals: ['PaymentDeclined'], IntervalSeconds: 2 }],
            End: true,
          },
        }),
      );
      await until(() => calls === 1);
      await new Promise((r) => setTimeout(r, 10));
      clock.advance(2_100);
      const r = await finish(engine, arn);
      expect(r.output).toEqual([2]);
      expect(r.events.filter((e) => e.type === 'MapStateStarted')).toHaveLength(2);
      expect(r.events.filter((e) => e.type === 'MapStateFailed')).toHaveLength(1);
    } finally {
      await engine.close();
    }
  });
});
