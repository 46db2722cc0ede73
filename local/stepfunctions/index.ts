/**
 * The local Step Functions service: a durable interpreter for JSONata state machines behind the Step
 * Functions JSON API. See README.md in this folder for what is supported and what is not.
 *
 * - `startStepFunctionsService(options)` — HTTP service for `@aws-sdk/client-sfn` (endpoint = url).
 * - `createStepFunctions(options)` — the same engine in-process, without HTTP (tests, bench).
 */
import type { Server } from 'node:http';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoExecutionStore } from './dynamo-execution-store.ts';
import { type EngineOptions, StepFunctionsEngine } from './engine.ts';
import { StepFunctionsConfigError } from './errors.ts';
import { type ExecutionStore, MemoryExecutionStore } from './execution-store.ts';
import { listen } from './http.ts';
import { JournalExecutionStore } from './journal-execution-store.ts';

export type { EngineLogger, FunctionResolver, LocalFunction, LocalInvokeContext } from './engine.ts';
export { functionNameOf, StepFunctionsEngine } from './engine.ts';
export * from './errors.ts';
export { stepFunctionsTable } from './execution-table.ts';
export { JournalExecutionStore } from './journal-execution-store.ts';

export type StorageOptions =
  | { readonly kind: 'memory' }
  | { readonly kind: 'dynamodb'; readonly client: DynamoDBClient; readonly tableName: string }
  /**
   * Append-only journal (journal-execution-store.ts); no `file`: kept in memory. `retentionMs`: how long
   * a closed execution is kept (default 90 days, as AWS); `compactMinLines`: compaction is considered
   * from this many lines on (default 1,000); `compactRatio`: superseded to live bytes that make it due
   * (default 1). Compaction runs on open and online.
   */
  | {
      readonly kind: 'journal';
      readonly file?: string;
      readonly fsync?: boolean;
      readonly retentionMs?: number;
      readonly compactMinLines?: number;
      readonly compactRatio?: number;
    };

/** The engine's options, with the storage to build its store from instead of a store. */
export interface StepFunctionsOptions extends Omit<EngineOptions, 'store'> {
  readonly storage: StorageOptions;
}

export interface ServiceOptions extends StepFunctionsOptions {
  readonly host?: '127.0.0.1';
  /** 0 = any free port. */
  readonly port?: number;
}

function storeFor(storage: StorageOptions, options: StepFunctionsOptions): ExecutionStore {
  if (storage.kind === 'memory') return new MemoryExecutionStore();
  if (storage.kind === 'dynamodb') return new DynamoExecutionStore(storage.client, storage.tableName);
  if (storage.kind === 'journal')
    return new JournalExecutionStore({
      ...(storage.file !== undefined ? { file: storage.file } : {}),
      ...(storage.fsync !== undefined ? { fsync: storage.fsync } : {}),
      ...(storage.retentionMs !== undefined ? { retentionMs: storage.retentionMs } : {}),
      ...(storage.compactMinLines !== undefined ? { compactMinLines: storage.compactMinLines } : {}),
      ...(storage.compactRatio !== undefined ? { compactRatio: storage.compactRatio } : {}),
      now: () => options.clock.now(),
      onCompactionError: (error) =>
        (options.logger ?? console).error(
          'stepfunctions: journal compaction failed (the journal is unchanged)',
          {
            error: String(error),
          },
        ),
    });
  throw new StepFunctionsConfigError(`storage.kind must be 'memory', 'dynamodb' or 'journal'`);
}

/** The engine: the API operations as methods, plus resumeAll(), waitForExecution() and close(). */
export type StepFunctions = StepFunctionsEngine;

/**
 * Creates the engine on its storage (creating the DynamoDB table if missing). Call `resumeAll()` to
 * carry on the executions that were running when the last process stopped, and `close()` to stop.
 */
export async function createStepFunctions(options: StepFunctionsOptions): Promise<StepFunctionsEngine> {
  const store = storeFor(options.storage, options);
  await store.init();
  return new StepFunctionsEngine({
    store,
    clock: options.clock,
    functions: options.functions,
    ...(options.region ? { region: options.region } : {}),
    ...(options.accountId ? { accountId: options.accountId } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.onCommit ? { onCommit: options.onCommit } : {}),
  });
}

export interface StepFunctionsService {
  readonly url: string;
  readonly service: StepFunctionsEngine;
  /** How many unfinished executions were resumed at start. */
  readonly resumed: number;
  end(): Promise<void>;
}

/** Starts the engine, resumes every unfinished execution and serves the API on `url`. */
export async function startStepFunctionsService(options: ServiceOptions): Promise<StepFunctionsService> {
  const host = options.host ?? '127.0.0.1';
  if (host !== '127.0.0.1') throw new StepFunctionsConfigError('host must be 127.0.0.1');
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new StepFunctionsConfigError(`port must be an integer from 0 to 65535, not ${port}`);
  const engine = await createStepFunctions(options);
  const log = options.logger ?? { info() {}, warn() {}, error: (m, e) => console.error(m, e) };
  let server: Server;
  let url: string;
  try {
    ({ server, url } = await listen(engine, host, port, log));
  } catch (error) {
    await engine.close();
    throw error;
  }
  const resumed = await engine.resumeAll();
  return {
    url,
    service: engine,
    resumed,
    async end() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await engine.close();
    },
  };
}
