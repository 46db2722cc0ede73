/**
 * Conformance: state machine and execution lifecycle through the engine's API methods.
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html
 * https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html
 */
import { afterEach, describe, expect, test } from 'vitest';
import {
  ExecutionAlreadyExists,
  InvalidExecutionInput,
  InvalidName,
  StateMachineAlreadyExists,
  StateMachineDeleting,
  type StepFunctionsEngine,
} from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { jsonata, makeEngine, until } from './harness.ts';

let engine: StepFunctionsEngine | undefined;
afterEach(async () => {
  await engine?.close();
  engine = undefined;
});

const version = (v: number) =>
  JSON.stringify(
    jsonata({
      W: { Type: 'Wait', Seconds: 60, Next: 'V' },
      V: { Type: 'Pass', Output: { version: v }, End: true },
    }),
  );

describe('state machine lifecycle', () => {
  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateStateMachine.html — running executions continue with the definition they started with.
  test('UpdateStateMachine: new executions use the new definition, running ones keep theirs', async () => {
    const clock = new AdjustableClock();
    engine = await makeEngine({}, clock);
    const { stateMachineArn } = await engine.createStateMachine({ name: 'up', definition: version(1) });
    const old = await engine.startExecution({ stateMachineArn, name: 'old' });
    await engine.updateStateMachine({ stateMachineArn, definition: version(2) });
    const fresh = await engine.startExecution({ stateMachineArn, name: 'new' });
    await until(
      async () =>
        (await engine!.getExecutionHistory({ executionArn: fresh.executionArn })).events.length >= 2,
    );
    clock.advance(61_000);
    expect(JSON.parse((await engine.waitForExecution(old.executionArn)).output!)).toEqual({ version: 1 });
    expect(JSON.parse((await engine.waitForExecution(fresh.executionArn)).output!)).toEqual({ version: 2 });
    expect((await engine.describeStateMachine({ stateMachineArn })).definition).toBe(version(2));
    // https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeStateMachineForExecution.html
    const forOld = await engine.describeStateMachineForExecution({ executionArn: old.executionArn });
    expect(forOld.definition).toBe(version(1));
  });

  test('CreateStateMachine with the same name and another definition: StateMachineAlreadyExists', async () => {
    engine = await makeEngine();
    await engine.createStateMachine({ name: 'twice', definition: version(1) });
    await expect(engine.createStateMachine({ name: 'twice', definition: version(2) })).rejects.toBeInstanceOf(
      StateMachineAlreadyExists,
    );
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_DeleteStateMachine.html — status DELETING; running executions are not stopped.
  test('DeleteStateMachine: running executions go on; new ones are refused', async () => {
    const clock = new AdjustableClock();
    engine = await makeEngine({}, clock);
    const { stateMachineArn } = await engine.createStateMachine({ name: 'del', definition: version(1) });
    const running = await engine.startExecution({ stateMachineArn, name: 'r' });
    await engine.deleteStateMachine({ stateMachineArn });
    expect((await engine.describeStateMachine({ stateMachineArn })).status).toBe('DELETING');
    await expect(engine.startExecution({ stateMachineArn })).rejects.toBeInstanceOf(StateMachineDeleting);
    await until(
      async () =>
        (await engine!.getExecutionHistory({ executionArn: running.executionArn })).events.length >= 2,
    );
    clock.advance(61_000);
    expect((await engine.waitForExecution(running.executionArn)).status).toBe('SUCCEEDED');
  });
});

describe('executions', () => {
  test('names and input are validated', async () => {
    engine = await makeEngine();
    const { stateMachineArn } = await engine.createStateMachine({ name: 'v', definition: version(1) });
    await expect(engine.startExecution({ stateMachineArn, name: 'has space' })).rejects.toBeInstanceOf(
      InvalidName,
    );
    await expect(engine.startExecution({ stateMachineArn, name: 'x'.repeat(81) })).rejects.toBeInstanceOf(
      InvalidName,
    );
    await expect(engine.startExecution({ stateMachineArn, input: '{oops' })).rejects.toBeInstanceOf(
      InvalidExecutionInput,
    );
  });

  test('concurrent starts with the same name: one execution, the same answer', async () => {
    engine = await makeEngine();
    const { stateMachineArn } = await engine.createStateMachine({ name: 'same', definition: version(1) });
    const starts = await Promise.all(
      Array.from({ length: 5 }, () => engine!.startExecution({ stateMachineArn, name: 'one', input: '{}' })),
    );
    expect(new Set(starts.map((s) => s.executionArn)).size).toBe(1);
    const list = await engine.listExecutions({ stateMachineArn });
    expect(list.executions).toHaveLength(1);
    await expect(
      engine.startExecution({ stateMachineArn, name: 'one', input: '{"other":1}' }),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  // https://docs.aws.amazon.com/step-functions/latest/apireference/API_ListExecutions.html — newest first, statusFilter, pages with nextToken.
  test('ListExecutions: status filter and pages', async () => {
    const clock = new AdjustableClock();
    engine = await makeEngine({}, clock);
    const { stateMachineArn } = await engine.createStateMachine({ name: 'list', definition: version(1) });
    for (let i = 0; i < 5; i++) {
      await engine.startExecution({ stateMachineArn, name: `e${i}` });
      clock.advance(1); // distinct start times
    }
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await engine.listExecutions({ stateMachineArn, maxResults: 2, nextToken });
      names.push(...page.executions.map((e) => e.name));
      nextToken = page.nextToken;
    } while (nextToken);
    expect(names).toEqual(['e4', 'e3', 'e2', 'e1', 'e0']);
    expect(
      (await engine.listExecutions({ stateMachineArn, statusFilter: 'SUCCEEDED' })).executions,
    ).toHaveLength(0);
    expect(
      (await engine.listExecutions({ stateMachineArn, statusFilter: 'RUNNING' })).executions,
    ).toHaveLength(5);
  });
});
