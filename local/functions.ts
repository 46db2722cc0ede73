/**
 * The functions of functions/function-list.ts, run in-process: each entry module is imported and its
 * `createHandler(deps)` built once with the local stack's deps. `invoke` gives a handler a Lambda-like
 * context; the Step Functions service and the gateway both call through here.
 */
import { randomUUID } from 'node:crypto';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';
import type { Context } from 'aws-lambda';
import type { Deps } from '#functions/deps.ts';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { calendarAbsentError } from '#infra/bundle-shims/absent/absent.ts';
import { FUNCTION_NAME, installInvokeStore } from './invoke-store.ts';

export type LocalHandler = (event: unknown, context: Context) => Promise<unknown>;

export interface LocalFunctions {
  specs: readonly FunctionSpec[];
  get(name: string): LocalHandler | undefined;
  invoke(name: string, event: unknown): Promise<unknown>;
  /** Resolves once no invocation is running (or after `timeoutMs`): shutdown waits for it. */
  drain(timeoutMs?: number): Promise<void>;
}

export class UnknownFunctionError extends Error {
  override name = 'UnknownFunctionError';
}

export function lambdaContext(functionName: string, timeoutMs = 30_000): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:cn-north-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const repoRoot = new URL('../', import.meta.url);

/**
 * The deps one function runs with on the local stack, from the stack's: its own logger (a child of the
 * stack's: same level and service), since the middy chain sets the Lambda context on it per invocation and
 * one shared logger let a function that ran at the same moment stamp its function_name on another's lines
 * (two invocations of the same function keep their contexts apart through the InvokeStore); and, unless its
 * `access.workingDayCalendar` is set, a `calendar()` that rejects with the `AbsentFromBundleError` naming
 * it — what its Lambda bundle's stand-in does (infra/bundle-shims/absent/calendar.ts), so an e2e run
 * catches a missing declaration.
 */
export function functionDeps(spec: FunctionSpec, deps: Deps): Deps {
  return {
    ...deps,
    logger: deps.logger.createChild(),
    ...(spec.access.workingDayCalendar
      ? {}
      : { calendar: () => Promise.reject(calendarAbsentError(spec.name)) }),
  };
}

export async function start(deps: Deps): Promise<LocalFunctions> {
  const store = installInvokeStore();
  const handlers = new Map<string, LocalHandler>();
  /** Each function's timeout (ms), as Lambda gives it in the context: looked up once, not per invocation. */
  const timeoutsMs = new Map<string, number>();
  for (const spec of functions as readonly FunctionSpec[]) {
    timeoutsMs.set(spec.name, (spec.timeoutSeconds ?? 30) * 1000);
    const mod = (await import(new URL(spec.entry, repoRoot).href)) as {
      createHandler?: (deps: Deps) => LocalHandler;
    };
    if (typeof mod.createHandler !== 'function')
      throw new UnknownFunctionError(`${spec.entry} exports no createHandler`);
    handlers.set(spec.name, mod.createHandler(functionDeps(spec, deps)) as LocalHandler);
  }
  let running = 0;
  const idle = new Set<() => void>();
  return {
    specs: functions,
    get: (name) => handlers.get(name),
    drain(timeoutMs = 10_000) {
      if (running === 0) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          idle.delete(done);
          resolve();
        }
        idle.add(done);
      });
    },
    async invoke(name, event) {
      const handler = handlers.get(name);
      if (!handler) throw new UnknownFunctionError(`no function ${name}`);
      running += 1;
      try {
        const context = lambdaContext(name, timeoutsMs.get(name));
        // Each invocation in its own InvokeStore context, as the runtime does, which also names its function
        // (local/key-guard.ts: the local dynamodb:LeadingKeys).
        return await store.run(
          { [InvokeStoreBase.PROTECTED_KEYS.REQUEST_ID]: context.awsRequestId, [FUNCTION_NAME]: name },
          () => handler(event, context),
        );
      } finally {
        running -= 1;
        if (running === 0) for (const done of [...idle]) done();
      }
    },
  };
}
