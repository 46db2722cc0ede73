/**
 * Conformance: each state type in JSONata mode, as the AWS Step Functions developer guide documents it.
 */
import { describe, expect, test } from 'vitest';
import { AdjustableClock } from '#shared/clock.ts';
import { finish, jsonata, makeEngine, run, start, until } from './harness.ts';

const identity = async (event: unknown) => event;

describe('Pass', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-pass.html — without Output, a Pass state's output is its input.
  test('passes its input through by default', async () => {
    const r = await run(jsonata({ P: { Type: 'Pass', End: true } }), { a: 1 });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ a: 1 });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — {% %} expressions in strings at any depth of Output.
  test('Output templates at any depth, literals kept', async () => {
    const r = await run(
      jsonata({
        P: {
          Type: 'Pass',
          Output: {
            sum: '{% $states.input.a + $states.input.b %}',
            nested: {
              list: ['{% $uppercase($states.input.s) %}', 'plain', 3, { deep: '{% $states.input.a %}' }],
            },
            notAnExpression: ' {% 1 %}',
          },
          End: true,
        },
      }),
      { a: 1, b: 2, s: 'x' },
    );
    expect(r.output).toEqual({
      sum: 3,
      nested: { list: ['X', 'plain', 3, { deep: 1 }] },
      notAnExpression: ' {% 1 %}',
    });
  });

  test('Output may be a single expression producing any JSON value', async () => {
    const r = await run(jsonata({ P: { Type: 'Pass', Output: '{% [1, 2, 3][$ > 1] %}', End: true } }));
    expect(r.output).toEqual([2, 3]);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — an expression must yield a value: undefined is an error.
  test('an expression that yields nothing fails with States.QueryEvaluationError', async () => {
    const r = await run(
      jsonata({ P: { Type: 'Pass', Output: '{% $states.input.missing %}', End: true } }),
      {},
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
    const failed = r.events.find((e) => e.type === 'EvaluationFailed');
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_EvaluationFailedEventDetails.html
    expect(failed?.evaluationFailedEventDetails).toMatchObject({
      state: 'P',
      error: 'States.QueryEvaluationError',
      location: 'Output',
    });
  });

  test('history: PassStateEntered / PassStateExited with input and output', async () => {
    const r = await run(jsonata({ P: { Type: 'Pass', Output: { b: 2 }, End: true } }), { a: 1 });
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'PassStateEntered',
      'PassStateExited',
      'ExecutionSucceeded',
    ]);
    const entered = r.events[1] as unknown as { stateEnteredEventDetails: { name: string; input: string } };
    expect(entered.stateEnteredEventDetails).toMatchObject({ name: 'P', input: '{"a":1}' });
    const exited = r.events[2] as unknown as { stateExitedEventDetails: { output: string } };
    expect(exited.stateExitedEventDetails.output).toBe('{"b":2}');
    expect(r.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(r.events.map((e) => e.previousEventId)).toEqual([0, 1, 2, 3]);
  });
});

describe('Choice', () => {
  const choice = (extra: Record<string, unknown> = {}) =>
    jsonata({
      C: {
        Type: 'Choice',
        Choices: [
          { Condition: '{% $states.input.n > 10 %}', Next: 'Big' },
          { Condition: '{% $states.input.n > 5 %}', Next: 'Medium', Output: { size: 'medium' } },
        ],
        ...extra,
      },
      Big: { Type: 'Pass', Output: 'big', End: true },
      Medium: { Type: 'Pass', End: true },
      Small: { Type: 'Pass', Output: 'small', End: true },
    });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html — rules are evaluated in order; the first true Condition wins.
  test('the first matching rule wins', async () => {
    expect((await run(choice({ Default: 'Small' }), { n: 20 })).output).toBe('big');
    expect((await run(choice({ Default: 'Small' }), { n: 7 })).output).toEqual({ size: 'medium' });
  });

  test('Default when no rule matches', async () => {
    expect((await run(choice({ Default: 'Small' }), { n: 1 })).output).toBe('small');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html — States.NoChoiceMatched when nothing matches and no Default.
  test('no match and no Default: States.NoChoiceMatched', async () => {
    const definition = choice();
    delete (definition.States as Record<string, unknown>).Small; // unreachable without Default
    const r = await run(definition, { n: 1 });
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.NoChoiceMatched');
  });

  test('a Condition that is not boolean is a States.QueryEvaluationError', async () => {
    const r = await run(
      jsonata({
        C: { Type: 'Choice', Choices: [{ Condition: '{% 1 %}', Next: 'X' }] },
        X: { Type: 'Succeed' },
      }),
    );
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html — a rule's Assign applies when
  // that rule matches; the state's Assign applies whichever rule matched (and for Default).
  test('state-level Assign applies with the matching rule’s Assign', async () => {
    const definition = () =>
      jsonata({
        C: {
          Type: 'Choice',
          Assign: { seen: true, path: 'default' },
          Choices: [{ Condition: '{% $states.input.n > 5 %}', Next: 'X', Assign: { path: 'big' } }],
          Default: 'X',
        },
        X: { Type: 'Pass', Output: { seen: '{% $seen %}', path: '{% $path %}' }, End: true },
      });
    expect((await run(definition(), { n: 9 })).output).toEqual({ seen: true, path: 'big' });
    expect((await run(definition(), { n: 1 })).output).toEqual({ seen: true, path: 'default' });
  });

  test('a rule may Assign variables for the next states', async () => {
    const r = await run(
      jsonata({
        C: {
          Type: 'Choice',
          Choices: [{ Condition: true, Next: 'X', Assign: { picked: '{% $states.input.n %}' } }],
        },
        X: { Type: 'Pass', Output: '{% $picked %}', End: true },
      }),
      { n: 4 },
    );
    expect(r.output).toBe(4);
  });
});

describe('Wait', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html — Seconds (a number or an expression) delays the transition.
  test('Seconds waits on the service clock (advanced by the test, no sleeping)', async () => {
    const clock = new AdjustableClock();
    const engine = await makeEngine({}, clock);
    try {
      const arn = await start(
        engine,
        jsonata({
          W: { Type: 'Wait', Seconds: '{% $states.input.s %}', Next: 'D' },
          D: { Type: 'Pass', End: true },
        }),
        { s: 3600 },
      );
      await until(async () => (await engine.getExecutionHistory({ executionArn: arn })).events.length >= 2);
      await new Promise((r) => setTimeout(r, 30));
      expect((await engine.describeExecution({ executionArn: arn })).status).toBe('RUNNING');
      clock.advance(3600_000);
      const r = await finish(engine, arn);
      expect(r.status).toBe('SUCCEEDED');
      expect(r.events.map((e) => e.type)).toContain('WaitStateExited');
    } finally {
      await engine.close();
    }
  });

  test('Timestamp in the past continues at once', async () => {
    const r = await run(
      jsonata({
        W: { Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z', Output: { waited: true }, End: true },
      }),
    );
    expect(r.output).toEqual({ waited: true });
  });

  test('Timestamp from an expression that is not a date fails', async () => {
    const r = await run(jsonata({ W: { Type: 'Wait', Timestamp: '{% "soon" %}', End: true } }));
    expect(r.error).toBe('States.QueryEvaluationError');
  });
});

describe('Succeed and Fail', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-succeed.html
  test('Succeed ends the execution with its Output', async () => {
    const r = await run(jsonata({ S: { Type: 'Succeed', Output: { done: '{% $states.input.x %}' } } }), {
      x: 1,
    });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ done: 1 });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html — Error and Cause may be JSONata expressions in JSONata states.
  test('Fail ends the execution with Error and Cause', async () => {
    const r = await run(
      jsonata({ F: { Type: 'Fail', Error: '{% "Custom." & $states.input.kind %}', Cause: 'because' } }),
      { kind: 'Thing' },
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Custom.Thing');
    expect(r.cause).toBe('because');
    expect(r.events.map((e) => e.type)).toEqual(['ExecutionStarted', 'FailStateEntered', 'ExecutionFailed']);
  });
});

describe('Parallel', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html — the output is an array with one element per branch, in branch order.
  test('result is an array of branch outputs in order; Arguments is the branches input', async () => {
    const r = await run(
      jsonata({
        P: {
          Type: 'Parallel',
          Arguments: { v: '{% $states.input.v * 10 %}' },
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.v + 1 %}', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $states.input.v + 2 %}', End: true } } },
          ],
          Output: { results: '{% $states.result %}', input: '{% $states.input %}' },
          End: true,
        },
      }),
      { v: 1 },
    );
    expect(r.output).toEqual({ results: [11, 12], input: { v: 1 } });
    const types = r.events.map((e) => e.type);
    expect(types[2]).toBe('ParallelStateStarted');
    expect(types).toContain('ParallelStateSucceeded');
    expect(types.at(-2)).toBe('ParallelStateExited');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html — if any branch fails, the Parallel state fails (with that error).
  test('a failing branch fails the Parallel state and the execution', async () => {
    const r = await run(
      jsonata({
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Fail', Error: 'Branch.Broke', Cause: 'b' } } },
          ],
          End: true,
        },
      }),
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Branch.Broke');
    expect(r.events.map((e) => e.type)).toContain('ParallelStateFailed');
  });

  test('a branch failure can be caught on the Parallel state', async () => {
    const r = await run(
      jsonata({
        P: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'B', States: { B: { Type: 'Fail', Error: 'Branch.Broke', Cause: 'b' } } }],
          Catch: [{ ErrorEquals: ['Branch.Broke'], Next: 'H' }],
          Next: 'X',
        },
        X: { Type: 'Succeed' },
        H: { Type: 'Pass', End: true },
      }),
    );
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual({ Error: 'Branch.Broke', Cause: 'b' });
  });
});

describe('Map (inline)', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html — Items, ItemSelector with $states.context.Map.Item, results in order.
  test('Items, ItemSelector with Map.Item.Index/Value, results in item order', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          Items: '{% $states.input.list %}',
          ItemSelector: {
            index: '{% $states.context.Map.Item.Index %}',
            value: '{% $states.context.Map.Item.Value %}',
            factor: '{% $states.input.factor %}',
          },
          ItemProcessor: {
            ProcessorConfig: { Mode: 'INLINE' },
            StartAt: 'Mul',
            States: {
              Mul: {
                Type: 'Pass',
                Output: '{% $states.input.value * $states.input.factor + $states.input.index %}',
                End: true,
              },
            },
          },
          End: true,
        },
      }),
      { list: [1, 2, 3], factor: 10 },
    );
    expect(r.output).toEqual([10, 21, 32]);
    const types = r.events.map((e) => e.type);
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(3);
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    const started = r.events.find((e) => e.type === 'MapStateStarted') as unknown as {
      mapStateStartedEventDetails: { length: number };
    };
    expect(started.mapStateStartedEventDetails.length).toBe(3);
  });

  test('without Items, the state input must be the array', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      ['a', 'b'],
    );
    expect(r.output).toEqual(['a', 'b']);
  });

  test('an empty array gives an empty result', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          Items: [],
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
    );
    expect(r.output).toEqual([]);
  });

  test('Items that are not an array fail the Map state', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      { not: 'an array' },
    );
    expect(r.error).toBe('States.QueryEvaluationError');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html — MaxConcurrency bounds the iterations running at once.
  test('MaxConcurrency bounds the running iterations', async () => {
    let running = 0;
    let peak = 0;
    const slow = async (event: unknown) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      return event;
    };
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          Items: '{% $range(1, 7) %}',
          MaxConcurrency: 2,
          ItemProcessor: {
            StartAt: 'T',
            States: {
              T: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: 'slow', Payload: '{% $states.input %}' },
                Output: '{% $states.result.Payload %}',
                End: true,
              },
            },
          },
          End: true,
        },
      }),
      {},
      { slow },
    );
    expect(r.output).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(peak).toBe(2);
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html — a failed iteration fails the Map state; the others are aborted.
  test('a failing iteration fails the Map state', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          Items: [1, 2, 3],
          MaxConcurrency: 1,
          ItemProcessor: {
            StartAt: 'C',
            States: {
              C: {
                Type: 'Choice',
                Choices: [{ Condition: '{% $states.input = 2 %}', Next: 'Bad' }],
                Default: 'Ok',
              },
              Bad: { Type: 'Fail', Error: 'Item.Bad', Cause: 'two' },
              Ok: { Type: 'Pass', End: true },
            },
          },
          End: true,
        },
      }),
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('Item.Bad');
    const types = r.events.map((e) => e.type);
    expect(types).toContain('MapIterationFailed');
    expect(types).toContain('MapStateFailed');
    expect(types.filter((t) => t === 'MapIterationStarted')).toHaveLength(2);
  });

  test('Map inside Parallel inside Map: nested results', async () => {
    const r = await run(
      jsonata({
        Outer: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            StartAt: 'Par',
            States: {
              Par: {
                Type: 'Parallel',
                Branches: [
                  {
                    StartAt: 'Inner',
                    States: {
                      Inner: {
                        Type: 'Map',
                        Items: '{% [$states.input, $states.input * 2] %}',
                        ItemProcessor: { StartAt: 'Id', States: { Id: { Type: 'Pass', End: true } } },
                        End: true,
                      },
                    },
                  },
                  {
                    StartAt: 'Neg',
                    States: { Neg: { Type: 'Pass', Output: '{% -$states.input %}', End: true } },
                  },
                ],
                End: true,
              },
            },
          },
          End: true,
        },
      }),
    );
    expect(r.output).toEqual([
      [[1, 2], -1],
      [[2, 4], -2],
    ]);
  });
});

describe('Task (lambda:invoke)', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/connect-lambda.html — the optimized integration's result: Payload parsed, StatusCode 200 …
  test('result shape of the optimized integration', async () => {
    const r = await run(
      jsonata({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'echo', Payload: { got: '{% $states.input %}' } },
          End: true,
        },
      }),
      { a: 1 },
      { echo: identity },
    );
    const out = r.output as Record<string, unknown>;
    expect(out.Payload).toEqual({ got: { a: 1 } });
    expect(out.StatusCode).toBe(200);
    expect(out.ExecutedVersion).toBe('$LATEST');
    expect(out).toHaveProperty('SdkHttpMetadata.HttpStatusCode', 200);
    expect(out).toHaveProperty('SdkResponseMetadata.RequestId');
    const types = r.events.map((e) => e.type);
    expect(types).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'TaskScheduled',
      'TaskStarted',
      'TaskSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    const scheduled = r.events[2] as unknown as { taskScheduledEventDetails: Record<string, unknown> };
    expect(scheduled.taskScheduledEventDetails).toMatchObject({
      resourceType: 'lambda',
      resource: 'invoke',
      parameters: JSON.stringify({ FunctionName: 'echo', Payload: { got: { a: 1 } } }),
    });
  });

  test('FunctionName as a name, name:qualifier, full ARN or partial ARN resolves the same function', async () => {
    for (const fn of [
      'echo',
      'echo:live',
      'arn:aws:lambda:us-east-1:123456789012:function:echo',
      'arn:aws:lambda:us-east-1:123456789012:function:echo:7',
      '123456789012:function:echo',
    ]) {
      const r = await run(
        jsonata({
          T: {
            Type: 'Task',
            Resource: 'arn:aws:states:::lambda:invoke',
            Arguments: { FunctionName: fn, Payload: 1 },
            Output: '{% $states.result.Payload %}',
            End: true,
          },
        }),
        {},
        { echo: identity },
      );
      expect(r.output, fn).toBe(1);
    }
  });

  test('Output and Assign see $states.result; a function returning nothing gives Payload null', async () => {
    const r = await run(
      jsonata({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'nothing' },
          Output: { payload: '{% $states.result.Payload %}', code: '{% $states.result.StatusCode %}' },
          End: true,
        },
      }),
      {},
      { nothing: async () => undefined },
    );
    expect(r.output).toEqual({ payload: null, code: 200 });
  });
});
