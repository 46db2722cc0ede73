/**
 * The benchmark workflow: 12 states (Pass, Choice, Task calling a no-op local function, Map of 5),
 * 20 state transitions per execution — in JSONata for this service, and the same in JSONPath for the
 * peer (aws-local-stepfunctions).
 */
export const TRANSITIONS_PER_EXECUTION = 20; // 10 top-level states entered + 5 × 2 in the Map

const invoke = (fn: string, payload: unknown) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke',
  Arguments: { FunctionName: fn, Payload: payload },
});

export const jsonataWorkflow = {
  QueryLanguage: 'JSONata',
  Comment: 'bench: 12 states',
  StartAt: 'Init',
  States: {
    Init: {
      Type: 'Pass',
      Assign: { id: '{% $states.input.id %}', kind: '{% $states.input.kind %}' },
      Next: 'Validate',
    },
    Validate: {
      ...invoke('Noop', '{% $states.input %}'),
      Output: '{% $states.result.Payload %}',
      Next: 'Route',
    },
    Route: {
      Type: 'Choice',
      Choices: [{ Condition: "{% $states.input.kind = 'a' %}", Next: 'Prepare', Assign: { route: 'a' } }],
      Default: 'Prepare',
      Assign: { route: 'b' },
    },
    Prepare: { Type: 'Pass', Output: { items: '{% $states.input.items %}', id: '{% $id %}' }, Next: 'Fan' },
    Fan: {
      Type: 'Map',
      Items: '{% $states.input.items %}',
      ItemSelector: { value: '{% $states.context.Map.Item.Value %}', id: '{% $id %}' },
      ItemProcessor: {
        StartAt: 'ItemPass',
        States: {
          ItemPass: { Type: 'Pass', Output: { v: '{% $states.input.value %}' }, Next: 'ItemTask' },
          ItemTask: {
            ...invoke('Noop', '{% $states.input %}'),
            Output: '{% $states.result.Payload.v %}',
            End: true,
          },
        },
      },
      Next: 'Merge',
    },
    Merge: { Type: 'Pass', Output: { total: '{% $sum($states.input) %}', id: '{% $id %}' }, Next: 'Check' },
    Check: {
      Type: 'Choice',
      Choices: [{ Condition: '{% $states.input.total > 0 %}', Next: 'Enrich' }],
      Default: 'Format',
    },
    Enrich: {
      ...invoke('Noop', '{% $states.input %}'),
      Output: '{% $states.result.Payload %}',
      Next: 'Format',
    },
    Format: {
      Type: 'Pass',
      Output: { id: '{% $id %}', total: '{% $states.input.total %}', route: '{% $route %}' },
      Next: 'Done',
    },
    Done: { Type: 'Succeed' },
  },
};

const lambdaArn = 'arn:aws:lambda:us-east-1:123456789012:function:Noop';

export const jsonPathWorkflow = {
  Comment: 'bench: the same 12 states in JSONPath',
  StartAt: 'Init',
  States: {
    Init: {
      Type: 'Pass',
      Parameters: { 'id.$': '$.id', 'kind.$': '$.kind', 'items.$': '$.items' },
      Next: 'Validate',
    },
    Validate: { Type: 'Task', Resource: lambdaArn, Next: 'Route' },
    Route: {
      Type: 'Choice',
      Choices: [{ Variable: '$.kind', StringEquals: 'a', Next: 'Prepare' }],
      Default: 'Prepare',
    },
    Prepare: { Type: 'Pass', Parameters: { 'items.$': '$.items', 'id.$': '$.id' }, Next: 'Fan' },
    Fan: {
      Type: 'Map',
      ItemsPath: '$.items',
      ItemSelector: { 'value.$': '$$.Map.Item.Value', 'id.$': '$.id' },
      ItemProcessor: {
        StartAt: 'ItemPass',
        States: {
          ItemPass: { Type: 'Pass', Parameters: { 'v.$': '$.value' }, Next: 'ItemTask' },
          ItemTask: { Type: 'Task', Resource: lambdaArn, OutputPath: '$.v', End: true },
        },
      },
      ResultPath: '$.values',
      Next: 'Merge',
    },
    Merge: {
      Type: 'Pass',
      Parameters: { 'total.$': 'States.MathAdd(States.ArrayLength($.values), 0)', 'id.$': '$.id' },
      Next: 'Check',
    },
    Check: {
      Type: 'Choice',
      Choices: [{ Variable: '$.total', NumericGreaterThan: 0, Next: 'Enrich' }],
      Default: 'Format',
    },
    Enrich: { Type: 'Task', Resource: lambdaArn, Next: 'Format' },
    Format: { Type: 'Pass', Parameters: { 'id.$': '$.id', 'total.$': '$.total' }, Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

export const noop = async (event: unknown) => event;

export function benchInput(i: number) {
  return { id: `req-${i}`, kind: i % 2 === 0 ? 'a' : 'b', items: [1, 2, 3, 4, 5] };
}
