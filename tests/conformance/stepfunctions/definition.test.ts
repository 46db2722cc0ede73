/**
 * Conformance: CreateStateMachine validates the definition (InvalidDefinition with a useful message).
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html
 * https://docs.aws.amazon.com/step-functions/latest/dg/statemachine-structure.html
 */
import { describe, expect, test } from 'vitest';
import { InvalidDefinition } from '#local/stepfunctions/index.ts';
import { jsonata, makeEngine } from './harness.ts';

async function create(definition: unknown) {
  const engine = await makeEngine();
  try {
    return await engine.createStateMachine({
      name: 'd',
      definition: typeof definition === 'string' ? definition : JSON.stringify(definition),
    });
  } finally {
    await engine.close();
  }
}

const pass = { Type: 'Pass', End: true };

describe('InvalidDefinition', () => {
  const cases: [string, unknown, RegExp][] = [
    ['not JSON', '{', /INVALID_JSON_DESCRIPTION/],
    ['StartAt missing from States', jsonata({ A: pass }, 'B'), /MISSING_TRANSITION_TARGET.*StartAt/],
    [
      'Next to nowhere',
      jsonata({ A: { Type: 'Pass', Next: 'Nowhere' } }),
      /Missing 'Next' target: Nowhere at \/States\/A/,
    ],
    ['unreachable state', jsonata({ A: pass, B: pass }), /UNREACHABLE_STATE.*B/],
    [
      'Next and End together',
      jsonata({ A: { Type: 'Pass', Next: 'A', End: true } }),
      /Exactly one of 'Next' or 'End'/,
    ],
    ['unknown Type', jsonata({ A: { Type: 'Sleep', End: true } }), /Invalid or missing Type/],
    [
      'JSONPath field in a JSONata state',
      jsonata({ A: { Type: 'Pass', ResultPath: '$.x', End: true } }),
      /ResultPath/,
    ],
    ['JSONPath definitions', { StartAt: 'A', States: { A: pass } }, /JSONata/],
    [
      'bad JSONata syntax',
      jsonata({ A: { Type: 'Pass', Output: '{% $states.input. %}', End: true } }),
      /JSONata expression is invalid.*\/States\/A\/Output/,
    ],
    [
      'unsupported resource',
      jsonata({ A: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', End: true } }),
      /Unsupported Resource/,
    ],
    [
      'States.ALL not last',
      jsonata({
        A: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          Catch: [
            { ErrorEquals: ['States.ALL'], Next: 'B' },
            { ErrorEquals: ['X'], Next: 'B' },
          ],
          End: true,
        },
        B: pass,
      }),
      /States.ALL.*last/,
    ],
    [
      'Task without Arguments',
      jsonata({ T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true } }),
      /Arguments \(with FunctionName\) are required/,
    ],
    [
      'reserved variable name',
      jsonata({ A: { Type: 'Pass', Assign: { states: 1 }, End: true } }),
      /reserved/,
    ],
    [
      'duplicate state names across a Map',
      jsonata({ A: { Type: 'Map', ItemProcessor: { StartAt: 'A', States: { A: pass } }, End: true } }),
      /DUPLICATE_STATE_NAME/,
    ],
    [
      'distributed Map',
      jsonata({
        M: {
          Type: 'Map',
          ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED' }, StartAt: 'I', States: { I: pass } },
          End: true,
        },
      }),
      /inline Map/,
    ],
    [
      'Choice without Condition',
      jsonata({ C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'C' }] } }),
      /Condition/,
    ],
    [
      'Wait without Seconds/Timestamp',
      jsonata({ W: { Type: 'Wait', End: true } }),
      /exactly one of 'Seconds' or 'Timestamp'/,
    ],
    [
      'HeartbeatSeconds >= TimeoutSeconds',
      jsonata({
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          TimeoutSeconds: 5,
          HeartbeatSeconds: 5,
          End: true,
        },
      }),
      /HeartbeatSeconds/,
    ],
  ];
  for (const [what, definition, message] of cases) {
    test(what, async () => {
      const error = await create(definition).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(InvalidDefinition);
      expect((error as Error).message).toMatch(/^Invalid State Machine Definition: /);
      expect((error as Error).message).toMatch(message);
    });
  }

  test('a valid definition with every state type is accepted', async () => {
    const ok = await create(
      jsonata({
        P: { Type: 'Pass', Next: 'C' },
        C: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'W' }], Default: 'F' },
        W: { Type: 'Wait', Seconds: 0, Next: 'T' },
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'f' },
          Retry: [{ ErrorEquals: ['States.ALL'], JitterStrategy: 'FULL', MaxDelaySeconds: 10 }],
          Next: 'Par',
        },
        Par: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: pass } }], Next: 'M' },
        M: { Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: pass } }, Next: 'S' },
        S: { Type: 'Succeed' },
        F: { Type: 'Fail', Error: 'E' },
      }),
    );
    expect(ok.stateMachineArn).toMatch(/:stateMachine:d$/);
  });
});
