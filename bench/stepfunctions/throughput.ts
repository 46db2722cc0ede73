/**
 * Throughput of the 12-state workflow, in state transitions per second, at 1, 10 and 100 concurrent
 * executions: in memory, durable on dynalite (in its own process, and in this process), and the same
 * workflow in JSONPath on aws-local-stepfunctions (in memory, in this process) for the ratio.
 * Prints figures; never fails on timing.   npm run bench:stepfunctions
 */

import {
  createStepFunctions,
  type StepFunctionsEngine,
  type StorageOptions,
} from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { startDynalite } from '#tests/integration/stepfunctions/dynalite.ts';
import { pool, startExternalDynalite } from './shared.ts';
import {
  benchInput,
  jsonataWorkflow,
  jsonPathWorkflow,
  noop,
  TRANSITIONS_PER_EXECUTION,
} from './workflow.ts';

const LEVELS = [1, 10, 100];

async function ours(
  mode: string,
  storage: StorageOptions,
  executionsFor: (c: number) => number,
  levels = LEVELS,
) {
  const engine: StepFunctionsEngine = await createStepFunctions({
    storage,
    clock: systemClock,
    functions: () => noop,
  });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'bench',
    definition: JSON.stringify(jsonataWorkflow),
  });
  // warm-up
  await pool(20, 10, async (i) => {
    const { executionArn } = await engine.startExecution({
      stateMachineArn,
      name: `warm-${i}`,
      input: JSON.stringify(benchInput(i)),
    });
    const d = await engine.waitForExecution(executionArn);
    if (d.status !== 'SUCCEEDED') throw new Error(`${d.status} ${d.error} ${d.cause}`);
  });
  for (const concurrency of levels) {
    const executions = executionsFor(concurrency);
    const t0 = performance.now();
    await pool(executions, concurrency, async (i) => {
      const { executionArn } = await engine.startExecution({
        stateMachineArn,
        name: `c${concurrency}-${i}`,
        input: JSON.stringify(benchInput(i)),
      });
      const d = await engine.waitForExecution(executionArn);
      if (d.status !== 'SUCCEEDED') throw new Error(`${d.status} ${d.error} ${d.cause}`);
    });
    const seconds = (performance.now() - t0) / 1000;
    const rate = (executions * TRANSITIONS_PER_EXECUTION) / seconds;
    console.log(
      `${mode.padEnd(34)} c=${String(concurrency).padStart(3)}  ${String(executions).padStart(5)} executions  ${seconds.toFixed(2)} s  ${rate.toFixed(0)} transitions/s`,
    );
  }
  await engine.close();
}

/** The peer, or undefined if it cannot run here. */
async function loadPeer(): Promise<((i: number) => Promise<void>) | undefined> {
  let StateMachine: typeof import('aws-local-stepfunctions').StateMachine;
  try {
    ({ StateMachine } = await import('aws-local-stepfunctions'));
  } catch (error) {
    console.log(
      `aws-local-stepfunctions could not be loaded on Node ${process.version}: ${(error as Error).message}`,
    );
    return undefined;
  }
  const machine = new StateMachine(jsonPathWorkflow as never, { validationOptions: { checkArn: false } });
  const overrides = { taskResourceLocalHandlers: { Validate: noop, ItemTask: noop, Enrich: noop } } as never;
  const runOne = async (i: number) => {
    const out = await machine.run(benchInput(i), { overrides }).result;
    if (!out || typeof out !== 'object') throw new Error('peer: unexpected output');
  };
  try {
    await pool(20, 10, runOne);
  } catch (error) {
    // 3.0.0 declares node >= 22 and calls Promise.withResolvers (ES2024, Node 22+). Report why it failed,
    // then run it with a polyfill of that one function so that the ratio can still be measured.
    console.log(
      `aws-local-stepfunctions 3.0.0 fails on Node ${process.version}: ${(error as Error).message}`,
    );
    const P = Promise as unknown as { withResolvers?: unknown };
    if (P.withResolvers) return undefined;
    P.withResolvers = <T>() => {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    };
    console.log('  → running it with a Promise.withResolvers polyfill');
    await pool(20, 10, runOne);
  }
  return runOne;
}

/** Memory mode against the peer: alternating rounds, best of each (the machine is shared). */
async function memoryVersusPeer(rounds = 3) {
  const engine = await createStepFunctions({
    storage: { kind: 'memory' },
    clock: systemClock,
    functions: () => noop,
  });
  const { stateMachineArn } = await engine.createStateMachine({
    name: 'bench',
    definition: JSON.stringify(jsonataWorkflow),
  });
  let n = 0;
  const oursOne = async (i: number) => {
    const { executionArn } = await engine.startExecution({
      stateMachineArn,
      name: `m${n++}`,
      input: JSON.stringify(benchInput(i)),
    });
    const d = await engine.waitForExecution(executionArn);
    if (d.status !== 'SUCCEEDED') throw new Error(`${d.status} ${d.error} ${d.cause}`);
  };
  await pool(200, 10, oursOne);
  const peerOne = await loadPeer();
  const measure = async (executions: number, concurrency: number, one: (i: number) => Promise<void>) => {
    const t0 = performance.now();
    await pool(executions, concurrency, one);
    return (executions * TRANSITIONS_PER_EXECUTION) / ((performance.now() - t0) / 1000);
  };
  for (const concurrency of LEVELS) {
    const executions = concurrency === 1 ? 500 : 2000;
    let best = 0;
    let bestPeer = 0;
    for (let r = 0; r < rounds; r++) {
      best = Math.max(best, await measure(executions, concurrency, oursOne));
      if (peerOne) bestPeer = Math.max(bestPeer, await measure(executions, concurrency, peerOne));
    }
    console.log(
      `${'memory (this service)'.padEnd(34)} c=${String(concurrency).padStart(3)}  ${executions} executions, best of ${rounds}: ${best.toFixed(0)} transitions/s`,
    );
    if (peerOne)
      console.log(
        `${'peer: aws-local-stepfunctions'.padEnd(34)} c=${String(concurrency).padStart(3)}  ${executions} executions, best of ${rounds}: ${bestPeer.toFixed(0)} transitions/s   → ratio ${(best / bestPeer).toFixed(2)}×`,
      );
  }
  await engine.close();
}

console.log(
  `Node ${process.version}; 12-state workflow, ${TRANSITIONS_PER_EXECUTION} transitions per execution\n`,
);
await memoryVersusPeer();

const external = await startExternalDynalite();
try {
  await ours(
    'durable, dynalite in own process',
    { kind: 'dynamodb', client: external.client(), tableName: 'bench-sfn' },
    (c) => Math.max(60, c * 3),
    [1, 10, 50, 100],
  );
} finally {
  await external.stop();
}
const inproc = await startDynalite();
try {
  await ours(
    'durable, dynalite in this process',
    { kind: 'dynamodb', client: inproc.client(), tableName: 'bench-sfn' },
    (c) => Math.max(60, c * 3),
    [1, 10, 50, 100],
  );
} finally {
  await inproc.stop();
}

process.exit(0);
