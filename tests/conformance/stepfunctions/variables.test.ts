/**
 * Conformance: workflow variables (Assign) and $states, as documented in
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html and
 * https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html
 */
import { describe, expect, test } from 'vitest';
import { jsonata, run } from './harness.ts';

describe('Assign and Output', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html — "Assign and Output are evaluated in parallel": both see the values from
  // before the state, so swapping works and Output reads the old value.
  test('Assign and Output both see the values from before the state', async () => {
    const r = await run(
      jsonata({
        Init: { Type: 'Pass', Assign: { x: 1, y: 2 }, Next: 'Swap' },
        Swap: {
          Type: 'Pass',
          Assign: { x: '{% $y %}', y: '{% $x %}' },
          Output: { xBefore: '{% $x %}', yBefore: '{% $y %}' },
          Next: 'Read',
        },
        Read: {
          Type: 'Pass',
          Output: { before: '{% $states.input %}', x: '{% $x %}', y: '{% $y %}' },
          End: true,
        },
      }),
    );
    expect(r.output).toEqual({ before: { xBefore: 1, yBefore: 2 }, x: 2, y: 1 });
  });

  test('StateExited records assignedVariables as JSON strings', async () => {
    const r = await run(jsonata({ A: { Type: 'Pass', Assign: { n: 5, o: { k: 'v' } }, End: true } }));
    const exited = r.events.find((e) => e.type === 'PassStateExited') as unknown as {
      stateExitedEventDetails: { assignedVariables: Record<string, string> };
    };
    expect(exited.stateExitedEventDetails.assignedVariables).toEqual({ n: '5', o: '{"k":"v"}' });
  });

  test('a variable keeps its value across many states until reassigned', async () => {
    const r = await run(
      jsonata({
        A: { Type: 'Pass', Assign: { kept: 'first' }, Next: 'B' },
        B: { Type: 'Pass', Output: 1, Next: 'C' },
        C: { Type: 'Wait', Seconds: 0, Next: 'D' },
        D: { Type: 'Pass', Output: '{% $kept %}', End: true },
      }),
    );
    expect(r.output).toBe('first');
  });

  test('a variable that was never assigned is a States.QueryEvaluationError when read', async () => {
    const r = await run(jsonata({ A: { Type: 'Pass', Output: '{% $never %}', End: true } }));
    expect(r.error).toBe('States.QueryEvaluationError');
  });
});

describe('scopes: Parallel branches and Map iterations', () => {
  // https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html — inner states can read outer variables; variables assigned in a branch
  // or iteration are not visible outside it, nor to sibling branches.
  test('a Map iteration reads outer variables; its own assignments stay inside', async () => {
    const r = await run(
      jsonata({
        Outer: { Type: 'Pass', Assign: { base: 100, tag: 'outer' }, Next: 'M' },
        M: {
          Type: 'Map',
          Items: [1, 2],
          ItemProcessor: {
            StartAt: 'Set',
            States: {
              Set: { Type: 'Pass', Assign: { local: '{% $states.input + $base %}' }, Next: 'Get' },
              Get: { Type: 'Pass', Output: '{% $local %}', End: true },
            },
          },
          Next: 'After',
        },
        After: {
          Type: 'Pass',
          Output: {
            results: '{% $states.input %}',
            tag: '{% $tag %}',
            localVisible: '{% $exists($local) %}',
          },
          End: true,
        },
      }),
    );
    expect(r.output).toEqual({ results: [101, 102], tag: 'outer', localVisible: false });
  });

  test('Parallel branches do not see each other’s variables', async () => {
    const r = await run(
      jsonata({
        P: {
          Type: 'Parallel',
          Branches: [
            {
              StartAt: 'A1',
              States: {
                A1: { Type: 'Pass', Assign: { mine: 'a' }, Next: 'A2' },
                A2: { Type: 'Pass', Output: '{% $mine %}', End: true },
              },
            },
            { StartAt: 'B1', States: { B1: { Type: 'Pass', Output: '{% $exists($mine) %}', End: true } } },
          ],
          End: true,
        },
      }),
    );
    expect(r.output).toEqual(['a', false]);
  });

  test('the Map/Parallel state itself may Assign from its result', async () => {
    const r = await run(
      jsonata({
        M: {
          Type: 'Map',
          Items: [1, 2, 3],
          ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } },
          Assign: { total: '{% $sum($states.result) %}' },
          Next: 'Read',
        },
        Read: { Type: 'Pass', Output: '{% $total %}', End: true },
      }),
    );
    expect(r.output).toBe(6);
  });
});

describe('$states.context', () => {
  test('Execution, State and StateMachine fields', async () => {
    const r = await run(
      jsonata({
        Ctx: {
          Type: 'Pass',
          Output: {
            id: '{% $states.context.Execution.Id %}',
            name: '{% $states.context.Execution.Name %}',
            input: '{% $states.context.Execution.Input %}',
            start: '{% $states.context.Execution.StartTime %}',
            state: '{% $states.context.State.Name %}',
            entered: '{% $states.context.State.EnteredTime %}',
            retry: '{% $states.context.State.RetryCount %}',
            sm: '{% $states.context.StateMachine.Id %}',
          },
          End: true,
        },
      }),
      { hello: 'world' },
    );
    const out = r.output as Record<string, unknown>;
    expect(out.id).toBe(r.executionArn);
    expect(out.id).toMatch(/^arn:aws:states:us-east-1:123456789012:execution:sm\d+:/);
    expect(out.name).toBe(r.executionArn.split(':').at(-1));
    expect(out.input).toEqual({ hello: 'world' });
    expect(out.state).toBe('Ctx');
    expect(out.retry).toBe(0);
    expect(out.sm).toBe(r.executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''));
    expect(Date.parse(out.start as string)).not.toBeNaN();
    expect(Date.parse(out.entered as string)).not.toBeNaN();
  });

  test('$states.input is always the original state input', async () => {
    const r = await run(
      jsonata({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          Output: { in: '{% $states.input %}', res: '{% $states.result.Payload %}' },
          End: true,
        },
      }),
      { orig: true },
      { f: async () => 'r' },
    );
    expect(r.output).toEqual({ in: { orig: true }, res: 'r' });
  });
});
