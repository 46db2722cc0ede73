/**
 * Throughput of the 12-state workflow, in state transitions per second, at 1, 10 and 100 concurrent
 * executions: in memory; durable as the stack runs it (the append-only journal, a file, three rounds);
 * durable on the DynamoDB store (dynalite in a worker thread, as the stack ran it before the journal);
 * and the same workflow in JSONPath on aws-local-stepfunctions (in memory, in this process) for the ratio.
 * Prints figures; never fails on timing.   npm run bench:stepfunctions
 * `SFN_BENCH=peer,journal,dynamodb` (the default: all three) picks the parts.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as dynamodbService from '#local/dynamodb.ts';
import {
  createStepFunctions,
  type StepFunctionsEngine,
  type StorageOptions,
} from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { pool } from './shared.ts';
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
  rounds = 1,
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
  const rates = new Map<number, number[]>(levels.map((c) => [c, []]));
  for (let round = 0; round < rounds; round++)
    for (const concurrency of levels) {
      const executions = executionsFor(concurrency);
      const t0 = performance.now();
      await pool(executions, concurrency, async (i) => {
        const { executionArn } = await engine.startExecution({
          stateMachineArn,
          name: `r${round}-c${concurrency}-${i}`,
          input: JSON.stringify(benchInput(i)),
        });
        const d = await engine.waitForExecution(executionArn);
        if (d.status !== 'SUCCEEDED') throw new Error(`${d.status} ${d.error} ${d.cause}`);
      });
      const seconds = (performance.now() - t0) / 1000;
      rates.get(concurrency)!.push((executions * TRANSITIONS_PER_EXECUTION) / seconds);
    }
  for (const [concurrency, values] of rates)
    console.log(
      `${mode.padEnd(34)} c=${String(concurrency).padStart(3)}  ${String(executionsFor(concurrency)).padStart(5)} executions, ${rounds > 1 ? `min / median / max of ${rounds}: ${spread(values, 0)}` : values[0]!.toFixed(0)} transitions/s${concurrency === 50 && rounds > 1 ? '  (aim ≥ 2,000)' : ''}`,
    );
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

/** `min / median / max` of the values. */
function spread(values: number[], digits: number): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) =>
    v.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${f(sorted[0]!)} / ${f(sorted[Math.floor(sorted.length / 2)]!)} / ${f(sorted.at(-1)!)}`;
}

/**
 * Memory mode against the peer, min / median / max of three rounds and the ratio of each round. Within
 * a round the two take turns in SLICES slices (ours, the peer's, ours, …), each side's rate is its
 * executions over the sum of its slices' times: both meet the same swings of a shared machine's load.
 */
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
  const SLICES = 4;
  const time = async (executions: number, concurrency: number, one: (i: number) => Promise<void>) => {
    const t0 = performance.now();
    await pool(executions, concurrency, one);
    return (performance.now() - t0) / 1000;
  };
  const rate = (executions: number, seconds: number) => (executions * TRANSITIONS_PER_EXECUTION) / seconds;
  for (const concurrency of LEVELS) {
    const executions = concurrency === 1 ? 1000 : 2000;
    const slice = executions / SLICES;
    const mine: number[] = [];
    const peer: number[] = [];
    const ratios: number[] = [];
    for (let r = 0; r < rounds; r++) {
      let ourSeconds = 0;
      let peerSeconds = 0;
      for (let s = 0; s < SLICES; s++) {
        ourSeconds += await time(slice, concurrency, oursOne);
        if (peerOne) peerSeconds += await time(slice, concurrency, peerOne);
      }
      mine.push(rate(executions, ourSeconds));
      if (peerOne) {
        peer.push(rate(executions, peerSeconds));
        ratios.push(mine.at(-1)! / peer.at(-1)!);
      }
    }
    console.log(
      `${'memory (this service)'.padEnd(34)} c=${String(concurrency).padStart(3)}  ${executions} executions, min / median / max of ${rounds}: ${spread(mine, 0)} transitions/s`,
    );
    if (peerOne)
      console.log(
        `${'peer: aws-local-stepfunctions'.padEnd(34)} c=${String(concurrency).padStart(3)}  ${executions} executions, min / median / max of ${rounds}: ${spread(peer, 0)} transitions/s\n${''.padEnd(34)} → ratio per round (ours / peer, same round), min / median / max: ${spread(ratios, 2)}  (aim ≥ 2.0)`,
      );
  }
  await engine.close();
}

console.log(
  `Node ${process.version}; 12-state workflow, ${TRANSITIONS_PER_EXECUTION} transitions per execution\n`,
);
const parts = new Set((process.env.SFN_BENCH ?? 'peer,journal,dynamodb').split(','));
if (parts.has('peer')) await memoryVersusPeer();

// As the local stack runs it: the append-only journal in a file (local/stepfunctions/journal-execution-store.ts).
const journalDir = mkdtempSync(join(tmpdir(), 'sfn-journal-'));
if (parts.has('journal'))
  try {
    await ours(
      'durable, as the stack runs it (journal)',
      { kind: 'journal', file: join(journalDir, 'journal.jsonl') },
      (c) => Math.max(100, c * 6),
      [1, 10, 50, 100],
      3,
    );
  } finally {
    rmSync(journalDir, { recursive: true, force: true });
  }
// Before the journal: the DynamoDB store on dynalite in a worker thread of this process, the engine's
// client handing its requests over in memory without signing (local/dynamodb.ts). One round, for reference.
if (parts.has('dynamodb')) {
  const stackDir = mkdtempSync(join(tmpdir(), 'sfn-stack-'));
  const stackDynamo = await dynamodbService.start({ path: stackDir, tableName: 'bench-app' });
  try {
    await ours(
      'durable, DynamoDB store (dynalite worker)',
      { kind: 'dynamodb', client: stackDynamo.rawClient, tableName: 'bench-sfn' },
      (c) => Math.max(60, c * 3),
      [1, 10, 50, 100],
    );
  } finally {
    await stackDynamo.end();
    rmSync(stackDir, { recursive: true, force: true });
  }
}

process.exit(0);
