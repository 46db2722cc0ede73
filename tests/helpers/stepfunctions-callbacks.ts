/**
 * Callback tasks of the local Step Functions service in tests and benches: a `Notify` function that keeps
 * the task tokens it is sent, and a wait for an execution's `TaskSubmitted` event.
 */
import type { FunctionResolver, StepFunctions } from '#local/stepfunctions/index.ts';

export interface TokenCollector {
  /** The task tokens `Notify` was invoked with, in order. */
  readonly tokens: string[];
  /** Resolves `Notify` (payload `{ token }`) and no other function. */
  readonly functions: FunctionResolver;
}

export function collectTokens(): TokenCollector {
  const tokens: string[] = [];
  const functions: FunctionResolver = (name) =>
    name === 'Notify'
      ? async (event: unknown) => {
          tokens.push((event as { token: string }).token);
          return {};
        }
      : undefined;
  return { tokens, functions };
}

/** Polls the history (5 ms apart, at most 500 times) until the execution's task is submitted. */
export async function untilTaskSubmitted(engine: StepFunctions, executionArn: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const h = await engine.getExecutionHistory({ executionArn });
    if (h.events.some((e) => e.type === 'TaskSubmitted')) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}
