/**
 * A data dir from before the journal: the engine's state in dynalite's `certflow-stepfunctions` table is
 * imported into the journal once (local/workflow-service.ts importDynamoState), and a waiting execution
 * carries on from the journal with its token, variables and history.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createStepFunctions } from '#local/stepfunctions/index.ts';
import { importDynamoState, STEP_FUNCTIONS_TABLE } from '#local/workflow-service.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { collectTokens, untilTaskSubmitted } from '#tests/helpers/stepfunctions-callbacks.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';

let db: Dynalite;
const dir = mkdtempSync(join(tmpdir(), 'sfn-import-'));
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.stop();
  rmSync(dir, { recursive: true, force: true });
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
      Next: 'Done',
    },
    Done: { Type: 'Pass', Output: { who: '{% $who %}', answer: '{% $states.input %}' }, End: true },
  },
});

test('the executions kept in dynalite are imported once, and a waiting one carries on from the journal', async () => {
  const clock = new AdjustableClock();
  const { tokens, functions } = collectTokens();
  const client = db.client();
  const old = await createStepFunctions({
    storage: { kind: 'dynamodb', client, tableName: STEP_FUNCTIONS_TABLE },
    clock,
    functions,
  });
  const { stateMachineArn } = await old.createStateMachine({ name: 'wait', definition });
  const { executionArn } = await old.startExecution({
    stateMachineArn,
    name: 'e1',
    input: '{"who":"alice"}',
  });
  await untilTaskSubmitted(old, executionArn);
  const before = await old.getExecutionHistory({ executionArn });
  await old.close();

  const file = join(dir, 'stepfunctions.jsonl');
  expect(await importDynamoState(client, file)).toBe(1);
  expect(await importDynamoState(client, file)).toBe(0); // once
  const gone = await client.send(new DescribeTableCommand({ TableName: STEP_FUNCTIONS_TABLE })).then(
    (d) => d.Table?.TableStatus,
    (e: Error) => e.name,
  );
  expect(['DELETING', 'ResourceNotFoundException']).toContain(gone); // the old table is dropped

  const engine = await createStepFunctions({ storage: { kind: 'journal', file }, clock, functions });
  try {
    expect(await engine.resumeAll()).toBe(1);
    expect((await engine.getExecutionHistory({ executionArn })).events).toEqual(before.events);
    await engine.sendTaskSuccess({ taskToken: tokens[0]!, output: '"yes"' });
    const done = await engine.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ who: 'alice', answer: 'yes' });
    expect((await engine.listExecutions({ stateMachineArn })).executions).toHaveLength(1);
  } finally {
    await engine.close();
  }
});
