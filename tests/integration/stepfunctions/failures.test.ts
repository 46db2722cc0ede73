/**
 * Failure paths of the engine: a transition that cannot be recorded (the store refuses the write)
 * unloads that execution, is logged, and leaves the process and the other executions running; a
 * restart then carries it on from its last recorded transition.
 */
import { expect, test } from 'vitest';
import {
  type ExecutionRecord,
  type HistoryEvent,
  MemoryExecutionStore,
} from '#local/stepfunctions/execution-store.ts';
import { StepFunctionsEngine } from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';

class FlakyStore extends MemoryExecutionStore {
  failNext = false;
  override async commitExecution(record: ExecutionRecord, expected: number, events: readonly HistoryEvent[]) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('write refused (disk full)');
    }
    return super.commitExecution(record, expected, events);
  }
}

test('a transition that cannot be recorded unloads the execution and is logged; others go on', async () => {
  const store = new FlakyStore();
  const errors: string[] = [];
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const engine = new StepFunctionsEngine({
    store,
    clock: new AdjustableClock(),
    functions: (name) => (name === 'Slow' ? async () => gate.then(() => 'late') : async () => 'fast'),
    logger: { info() {}, warn() {}, error: (message) => errors.push(message) },
  });
  const definition = (fn: string) =>
    JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'T',
      States: {
        T: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: fn },
          Output: '{% $states.result.Payload %}',
          End: true,
        },
      },
    });
  const slow = await engine.createStateMachine({ name: 'slow', definition: definition('Slow') });
  const fast = await engine.createStateMachine({ name: 'fast', definition: definition('Fast') });
  const { executionArn } = await engine.startExecution({ stateMachineArn: slow.stateMachineArn, name: 's' });

  store.failNext = true;
  release();
  for (let i = 0; i < 500 && errors.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  expect(errors.some((m) => m.includes('could not record a transition'))).toBe(true);
  expect(engine.liveExecutions).toBe(0);
  const d = await engine.describeExecution({ executionArn });
  expect(d.status).toBe('RUNNING'); // its last recorded state

  const other = await engine.startExecution({ stateMachineArn: fast.stateMachineArn, name: 'f' });
  expect((await engine.waitForExecution(other.executionArn)).status).toBe('SUCCEEDED');
  await engine.close();
});
