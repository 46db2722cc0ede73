/**
 * Test harness: runs a definition in the in-process engine (memory storage) and returns what
 * DescribeExecution and GetExecutionHistory would.
 */

import {
  createStepFunctions,
  type LocalFunction,
  type StepFunctionsEngine,
} from '#local/stepfunctions/index.ts';
import { AdjustableClock, type Clock } from '#shared/clock.ts';

export const DOCS = 'https://docs.aws.amazon.com/step-functions/latest/dg';

export interface RunResult {
  status: string;
  output: unknown;
  error?: string;
  cause?: string;
  events: HistoryLike[];
  executionArn: string;
}

/** A history event as the engine returns it; the details object differs by type. */
export type HistoryLike = { type: string; id: number; previousEventId: number; timestamp: Date } & Record<
  string,
  // biome-ignore lint/suspicious/noExplicitAny: event details differ by event type
  any
>;

let counter = 0;

export async function makeEngine(
  functions: Record<string, LocalFunction> = {},
  clock: Clock = new AdjustableClock(),
): Promise<StepFunctionsEngine> {
  return createStepFunctions({
    storage: { kind: 'memory' },
    clock,
    functions: (name) => functions[name],
  });
}

export function jsonata(
  states: Record<string, unknown>,
  startAt?: string,
  extra: Record<string, unknown> = {},
) {
  return { QueryLanguage: 'JSONata', StartAt: startAt ?? Object.keys(states)[0], States: states, ...extra };
}

export async function start(engine: StepFunctionsEngine, definition: unknown, input: unknown = {}) {
  const name = `sm${++counter}`;
  const { stateMachineArn } = await engine.createStateMachine({
    name,
    definition: JSON.stringify(definition),
  });
  const { executionArn } = await engine.startExecution({ stateMachineArn, input: JSON.stringify(input) });
  return executionArn;
}

export async function finish(engine: StepFunctionsEngine, executionArn: string): Promise<RunResult> {
  const d = await engine.waitForExecution(executionArn);
  const h = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
  return {
    status: d.status,
    output: d.output === undefined ? undefined : JSON.parse(d.output),
    ...(d.error !== undefined ? { error: d.error } : {}),
    ...(d.cause !== undefined ? { cause: d.cause } : {}),
    events: h.events as RunResult['events'],
    executionArn,
  };
}

/** Creates an engine, runs the definition to its end, closes the engine. */
export async function run(
  definition: unknown,
  input: unknown = {},
  functions: Record<string, LocalFunction> = {},
): Promise<RunResult> {
  const engine = await makeEngine(functions);
  try {
    return await finish(engine, await start(engine, definition, input));
  } finally {
    await engine.close();
  }
}

/** Resolves once `predicate` holds, checking after each macrotask (no busy loop, bounded). */
export async function until(
  predicate: () => boolean | Promise<boolean>,
  what = 'condition',
  tries = 2000,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`timed out waiting for ${what}`);
}
