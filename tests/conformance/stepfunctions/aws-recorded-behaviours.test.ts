/**
 * Conformance: behaviours where the engine differed from what AWS Step Functions records (issue 12):
 * singleton `$range`, Fail states with only Error or Cause, the wording and location of evaluation
 * errors, Map Items that are not arrays, Wait timestamps, Parallel branch failures, the execution's role.
 * Each case is our own, written from the AWS developer guide page it cites.
 */
import { describe, expect, test } from 'vitest';
import { jsonata, makeEngine, run } from './harness.ts';

const raise = async () => {
  throw new Error('boom');
};

describe('JSONata functions', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — $range returns a JSONata
  // sequence, and a sequence of one value is that value.
  test('$range with one value in range gives the value, more give an array', async () => {
    const r = await run(
      jsonata({
        P: {
          Type: 'Pass',
          Output: { one: '{% $range(4, 10, 7) %}', two: '{% $range(4, 11, 7) %}' },
          End: true,
        },
      }),
    );
    expect(r.output).toEqual({ one: 4, two: [4, 11] });
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — a field's value must be JSON.
  test('an expression that yields a function is an unsupported result type', async () => {
    const r = await run(
      jsonata({ P: { Type: 'Pass', Output: { f: '{% function($x) { $x } %}' }, End: true } }),
    );
    expect(r.status).toBe('FAILED');
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toBe(
      "An error occurred while executing the state 'P' (entered at the event id #2). The JSONata expression 'function($x) { $x }' specified for the field 'Output/f' returned an unsupported result type.",
    );
    expect(r.cause).not.toContain('_jsonata_lambda');
  });
});

describe('Fail', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-fail.html — Error and Cause are each optional.
  test('only Cause: the execution has no error', async () => {
    const r = await run(jsonata({ F: { Type: 'Fail', Cause: 'why' } }));
    expect(r.status).toBe('FAILED');
    expect(r).not.toHaveProperty('error');
    expect(r.cause).toBe('why');
    const failed = r.events.at(-1)!;
    expect(failed.type).toBe('ExecutionFailed');
    expect(failed.executionFailedEventDetails).toEqual({ cause: 'why' });
  });

  test('only Error: the execution has no cause', async () => {
    const r = await run(jsonata({ F: { Type: 'Fail', Error: '{% "My." & "Error" %}' } }));
    expect(r.error).toBe('My.Error');
    expect(r).not.toHaveProperty('cause');
    expect(r.events.at(-1)!.executionFailedEventDetails).toEqual({ error: 'My.Error' });
  });
});

describe('evaluation errors', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — an expression that returns
  // nothing is States.QueryEvaluationError; the cause names the state and the event that entered it, the
  // location names the field as a path with slashes.
  test('cause names the state and its entered event; location is Output/field', async () => {
    const r = await run(
      jsonata({
        A: { Type: 'Pass', Next: 'B' },
        B: { Type: 'Pass', Output: { x: { y: '{% $nothing %}' } }, End: true },
      }),
    );
    expect(r.error).toBe('States.QueryEvaluationError');
    const entered = r.events.find(
      (e) => e.type === 'PassStateEntered' && e.stateEnteredEventDetails.name === 'B',
    )!;
    expect(r.cause).toBe(
      `An error occurred while executing the state 'B' (entered at the event id #${entered.id}). The JSONata expression '$nothing' specified for the field 'Output/x/y' returned nothing (undefined).`,
    );
    const evaluation = r.events.find((e) => e.type === 'EvaluationFailed')!;
    expect(evaluation.evaluationFailedEventDetails).toMatchObject({
      state: 'B',
      location: 'Output/x/y',
      cause: r.cause,
    });
  });
});

describe('fields of the wrong type', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/transforming-data.html — each field's expression must
  // give the type the field takes; AWS words a mismatch as it does for Map Items ("returned an unexpected
  // result type. Expected …, but was … for value: …") and records the field as the location.
  test.each([
    [
      'Choice Condition',
      {
        C: { Type: 'Choice', Choices: [{ Condition: '{% "yes" %}', Next: 'E' }], Default: 'E' },
        E: { Type: 'Succeed' },
      },
      'Choices/0/Condition',
      '"yes"',
      'boolean',
      'string',
      '"yes"',
    ],
    [
      'Wait Seconds',
      { W: { Type: 'Wait', Seconds: '{% 1.5 %}', End: true } },
      'Seconds',
      '1.5',
      'integer',
      'number',
      '1.5',
    ],
    ['Fail Error', { F: { Type: 'Fail', Error: '{% 42 %}' } }, 'Error', '42', 'string', 'number', '42'],
    [
      'Map MaxConcurrency',
      {
        M: {
          Type: 'Map',
          Items: [1],
          MaxConcurrency: '{% "2" %}',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
      'MaxConcurrency',
      '"2"',
      'integer',
      'string',
      '"2"',
    ],
    [
      'Task TimeoutSeconds',
      {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          TimeoutSeconds: '{% [5] %}',
          End: true,
        },
      },
      'TimeoutSeconds',
      '[5]',
      'integer',
      'array',
      '[5]',
    ],
  ])('%s', async (_name, states, field, src, expected, actual, value) => {
    const r = await run(jsonata(states));
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toMatch(
      `The JSONata expression '${src}' specified for the field '${field}' returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${value}`,
    );
    expect(r.events.find((e) => e.type === 'EvaluationFailed')!.evaluationFailedEventDetails.location).toBe(
      field,
    );
  });
});

describe('Map Items that are not an array', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-inline.html — Items must evaluate to an
  // array; otherwise the Map state fails (MapStateFailed) with States.QueryEvaluationError.
  test.each([
    ['{% 42 %}', '42', 'number', '42'],
    ['{% "text" %}', '"text"', 'string', '"text"'],
    ['{% false %}', 'false', 'boolean', 'false'],
    ['{% {"k": 1} %}', '{"k": 1}', 'object', '{"k":1}'],
    ['{% null %}', 'null', 'null', 'null'],
  ])('Items %s', async (items, src, kind, value) => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          Items: items,
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
    );
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'MapStateEntered',
      'EvaluationFailed',
      'MapStateFailed',
      'ExecutionFailed',
    ]);
    expect(r.cause).toBe(
      `An error occurred while executing the state 'M' (entered at the event id #2). The JSONata expression '${src}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${kind}' for value: ${value}`,
    );
    expect(r.events[2]!.evaluationFailedEventDetails.location).toBe('Items');
  });

  test('no Items and an input that is not an array', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
          End: true,
        },
      }),
      { not: 'a list' },
    );
    expect(r.events.map((e) => e.type)).toContain('MapStateFailed');
    expect(r.cause).toBe(
      `An error occurred while executing the state 'M' (entered at the event id #2). Map state input must be an array but was: {"not":"a list"}`,
    );
  });
});

describe('Wait Timestamp', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-wait.html — timestamps follow the RFC 3339
  // profile of ISO 8601 with an uppercase T and an uppercase Z (or a numeric offset).
  test.each([
    '2016-12-05 21:29:29Z',
    '2016-12-05T21:29:29',
    '2016-13-05T21:29:29Z',
    '2016-02-30T10:00:00Z',
    '2016-12-05t21:29:29z',
  ])('a computed %s fails the state', async (ts) => {
    const r = await run(jsonata({ W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true } }), {
      at: ts,
    });
    expect(r.error).toBe('States.QueryEvaluationError');
    expect(r.cause).toBe(
      `An error occurred while executing the state 'W' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${ts}`,
    );
    expect(r.events.find((e) => e.type === 'EvaluationFailed')!.evaluationFailedEventDetails.location).toBe(
      'Timestamp',
    );
  });

  test.each(['2016-12-05T21:29:29Z', '2016-12-05T21:29:29.123456789Z', '2016-12-06T05:29:29+08:00'])(
    'a computed %s in the past ends the wait at once',
    async (ts) => {
      const r = await run(jsonata({ W: { Type: 'Wait', Timestamp: '{% $states.input.at %}', End: true } }), {
        at: ts,
      });
      expect(r.status).toBe('SUCCEEDED');
    },
  );

  test.each(['Jan 1 2020', '2020-01-01', '2020-01-01T00:00:00', '2020-01-01T00:00Z'])(
    'a literal %s is an invalid definition',
    async (ts) => {
      const engine = await makeEngine();
      try {
        await expect(
          engine.createStateMachine({
            name: 'wait-literal',
            definition: JSON.stringify(jsonata({ W: { Type: 'Wait', Timestamp: ts, End: true } })),
          }),
        ).rejects.toMatchObject({
          name: 'InvalidDefinition',
          message: expect.stringContaining('String does not match RFC3339 timestamp at /States/W/Timestamp'),
        });
      } finally {
        await engine.close();
      }
    },
  );
});

describe('Parallel branch failures', () => {
  const parallel = (extra: Record<string, unknown>, fallback = true) =>
    jsonata({
      P: {
        Type: 'Parallel',
        Branches: [
          {
            StartAt: 'T',
            States: {
              T: {
                Type: 'Task',
                Resource: 'arn:aws:states:::lambda:invoke',
                Arguments: { FunctionName: 'raise', Payload: {} },
                End: true,
              },
            },
          },
        ],
        ...extra,
        Next: 'Done',
      },
      Done: { Type: 'Pass', End: true },
      ...(fallback ? { Fallback: { Type: 'Pass', End: true } } : {}),
    });

  // https://docs.aws.amazon.com/step-functions/latest/dg/state-parallel.html — a failing branch aborts the
  // branches; a caught failure leaves the Parallel state by its catcher, without ParallelStateFailed.
  test('caught: the branch task is aborted, no ParallelStateFailed', async () => {
    const r = await run(
      parallel({ Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fallback' }] }),
      {},
      { raise },
    );
    const types = r.events.map((e) => e.type);
    expect(r.status).toBe('SUCCEEDED');
    expect(types).toContain('TaskStateAborted');
    expect(types.indexOf('TaskStateAborted')).toBeGreaterThan(types.indexOf('TaskFailed'));
    expect(types).not.toContain('ParallelStateFailed');
    expect(types).toContain('ParallelStateExited');
  });

  // https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html — a retried state starts again.
  test('retried: the Parallel state starts again without ParallelStateFailed', async () => {
    const r = await run(
      parallel({
        Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 1, IntervalSeconds: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fallback' }],
      }),
      {},
      { raise },
    );
    const types = r.events.map((e) => e.type);
    expect(types.filter((t) => t === 'ParallelStateStarted')).toHaveLength(2);
    expect(types.filter((t) => t === 'TaskStateAborted')).toHaveLength(2);
    expect(types).not.toContain('ParallelStateFailed');
  });

  test('uncaught: ParallelStateFailed, then the execution fails', async () => {
    const r = await run(parallel({}, false), {}, { raise });
    const types = r.events.map((e) => e.type);
    expect(types.slice(-2)).toEqual(['ParallelStateFailed', 'ExecutionFailed']);
    expect(r.error).toBe('Error');
  });
});

describe('context object', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html — Execution.RoleArn is
  // the role of the state machine.
  test('$states.context.Execution.RoleArn is the state machine role', async () => {
    const engine = await makeEngine();
    try {
      const roleArn = 'arn:aws:iam::123456789012:role/certflow-workflow';
      const { stateMachineArn } = await engine.createStateMachine({
        name: 'role',
        roleArn,
        definition: JSON.stringify(
          jsonata({ P: { Type: 'Pass', Output: '{% $states.context.Execution.RoleArn %}', End: true } }),
        ),
      });
      const { executionArn } = await engine.startExecution({ stateMachineArn });
      const d = await engine.waitForExecution(executionArn);
      expect(JSON.parse(d.output!)).toBe(roleArn);
    } finally {
      await engine.close();
    }
  });
});

describe('a Lambda function ARN as a Task Resource', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html — Resource may be a Lambda function ARN;
  // the event is Arguments (the state input when absent) and the result is what the function returns.
  const echo = async (event: unknown) => ({ got: event });
  const arn = 'arn:aws:lambda:us-east-1:123456789012:function:echo';

  test('Arguments are the event, the result is the function result, Lambda history events', async () => {
    const r = await run(
      jsonata({
        T: {
          Type: 'Task',
          Resource: arn,
          Arguments: { n: '{% $states.input.n + 1 %}' },
          Output: '{% $states.result.got %}',
          End: true,
        },
      }),
      { n: 1 },
      { echo },
    );
    expect(r.output).toEqual({ n: 2 });
    expect(r.events.map((e) => e.type)).toEqual([
      'ExecutionStarted',
      'TaskStateEntered',
      'LambdaFunctionScheduled',
      'LambdaFunctionStarted',
      'LambdaFunctionSucceeded',
      'TaskStateExited',
      'ExecutionSucceeded',
    ]);
    expect(r.events[2]!.lambdaFunctionScheduledEventDetails).toMatchObject({
      resource: arn,
      input: '{"n":2}',
    });
    expect(JSON.parse(r.events[4]!.lambdaFunctionSucceededEventDetails.output)).toEqual({ got: { n: 2 } });
  });

  test('without Arguments the state input is the event; a throw is LambdaFunctionFailed', async () => {
    const ok = await run(jsonata({ T: { Type: 'Task', Resource: arn, End: true } }), { a: 1 }, { echo });
    expect(ok.output).toEqual({ got: { a: 1 } });
    const failed = await run(
      jsonata({ T: { Type: 'Task', Resource: `${arn}:live`, End: true } }),
      {},
      { echo: raise },
    );
    expect(failed.error).toBe('Error');
    expect(failed.events.map((e) => e.type)).toContain('LambdaFunctionFailed');
  });
});

describe('Map ToleratedFailureCount / ToleratedFailurePercentage', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html — failure thresholds: the
  // Map fails with States.ExceedToleratedFailureThreshold once more items fail than tolerated.
  const map = (extra: Record<string, unknown>) =>
    jsonata({
      M: {
        Type: 'Map',
        Items: [1, 2, 3, 4],
        MaxConcurrency: 1,
        ItemProcessor: {
          StartAt: 'C',
          States: {
            C: {
              Type: 'Choice',
              Choices: [{ Condition: '{% $states.input % 2 = 0 %}', Next: 'Bad' }],
              Default: 'Good',
            },
            Bad: { Type: 'Fail', Error: 'Even', Cause: 'even item' },
            Good: { Type: 'Pass', End: true },
          },
        },
        ...extra,
        End: true,
      },
    });

  test.each([
    [{ ToleratedFailureCount: 2 }],
    [{ ToleratedFailureCount: '{% $states.input.count %}' }],
    [{ ToleratedFailurePercentage: 50 }],
  ])('within the threshold (%j) the Map succeeds', async (extra) => {
    const r = await run(map(extra), { count: 2 });
    expect(r.status).toBe('SUCCEEDED');
    expect(r.output).toEqual([
      1,
      { Error: 'Even', Cause: 'even item' },
      3,
      { Error: 'Even', Cause: 'even item' },
    ]);
    expect(r.events.filter((e) => e.type === 'MapIterationFailed')).toHaveLength(2);
  });

  test.each([[{ ToleratedFailureCount: 1 }], [{ ToleratedFailurePercentage: 25 }]])(
    'over the threshold (%j) the Map fails',
    async (extra) => {
      const r = await run(map(extra));
      expect(r.status).toBe('FAILED');
      expect(r.error).toBe('States.ExceedToleratedFailureThreshold');
      expect(r.events.map((e) => e.type)).toContain('MapStateFailed');
    },
  );

  test('a threshold expression that is not a number fails the state', async () => {
    const r = await run(map({ ToleratedFailurePercentage: '{% "half" %}' }));
    expect(r.error).toBe('States.QueryEvaluationError');
  });
});
