/**
 * The local stack's InvokeStore: one context per function invocation, as Lambda's runtime keeps it for
 * concurrent invocations (see `installInvokeStore`). It also names the invocation's function
 * (`FUNCTION_NAME`), which the local key guard reads (local/key-guard.ts) — one AsyncLocalStorage for both.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { InvokeStoreBase } from '@aws/lambda-invoke-store';

/** The key of the invoking function's name in an invocation's context (certflow's own, not Lambda's). */
export const FUNCTION_NAME = Symbol.for('certflow.local.functionName');

/** An invocation's context in the store: Lambda's protected keys (the request id) and what libraries set. */
type InvocationContext = Record<string | symbol, unknown>;

/**
 * The runtime's InvokeStore for concurrent invocations (`@aws/lambda-invoke-store`'s multi-context store:
 * one AsyncLocalStorage context per invocation). The package makes that one only through
 * `InvokeStore.getInstanceAsync`, which caches the first store it made in the process — and the AWS SDK's
 * recursion-detection middleware asks for it before any invocation, getting the single-context store —
 * so the local stack, like the runtime, makes its own and installs it as `globalThis.awslambda.InvokeStore`.
 */
class ConcurrentInvokeStore extends InvokeStoreBase {
  readonly #als = new AsyncLocalStorage<InvocationContext>();
  getContext(): InvocationContext | undefined {
    return this.#als.getStore();
  }
  hasContext(): boolean {
    return this.#als.getStore() !== undefined;
  }
  get<T = unknown>(key: string | symbol): T | undefined {
    return this.#als.getStore()?.[key] as T | undefined;
  }
  set<T = unknown>(key: string | symbol, value: T): void {
    if (this.isProtectedKey(key))
      throw new Error(`Cannot modify protected Lambda context field: ${String(key)}`);
    const store = this.#als.getStore();
    if (!store) throw new Error('No context available');
    store[key] = value;
  }
  run<T>(context: InvocationContext, fn: () => T): T {
    return this.#als.run(context, fn);
  }
}

/**
 * Concurrent invocations in one environment, as Lambda Managed Instances' Node.js runtime runs them
 * (https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html): the runtime
 * sets `AWS_LAMBDA_MAX_CONCURRENCY` and runs each invocation in its InvokeStore, and Powertools then keeps
 * per-invocation state there (its `InvocationScoped`: the Logger's Lambda context, keys and log level, the
 * Metrics' metrics and dimensions) instead of on the instance. The local stack is such an environment —
 * every function's handler is built once and serves invocations at once — so it does the same. 64 is the
 * runtime's default per vCPU (informative: nothing here caps it).
 */
export function installInvokeStore(): ConcurrentInvokeStore {
  process.env.AWS_LAMBDA_MAX_CONCURRENCY ??= '64';
  const g = globalThis as { awslambda?: { InvokeStore?: unknown } };
  g.awslambda ??= {};
  g.awslambda.InvokeStore = invokeStore;
  return invokeStore;
}

/** The one store of this process (module instance). */
export const invokeStore = new ConcurrentInvokeStore();
