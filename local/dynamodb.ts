/**
 * Local DynamoDB: dynalite on 127.0.0.1, data on disk under `path` (LevelDB) or in memory, and the
 * certflow table created from the same definition infra/ deploys (shared/store/table-definition.ts).
 * dynalite runs in a worker thread of this process (dynalite-worker.js), so its work uses another core;
 * the stack's own clients hand their requests to it in memory, and its HTTP endpoint serves tools.
 * `thread: false` keeps it on the main thread (as before; the benches compare both).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import {
  CreateTableCommand,
  DynamoDBClient,
  type DynamoDBClientConfig,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { withFastConfig } from '#shared/aws/fast-config.ts';
import { reindexStatusIndex } from '#shared/store/reindex.ts';
import { certflowTable, toCreateTableInput } from '#shared/store/table-definition.ts';
import { type InProcessCall, inProcessClientConfig, withoutNetworkMiddleware } from './dynamodb-inprocess.ts';
import type { ListenerRequest, ListenerResponse } from './listener-call.js';
import { migrateLocalTable, waitActive } from './table-migration.ts';

export interface LocalDynamo {
  url: string;
  client: DynamoDBClient;
  /**
   * A client for plain (non-document) commands only: the app store (its document calls are marshalled
   * onto plain commands, shared/store/plain-document.ts), the functions' idempotency records, the Step
   * Functions engine's DynamoDB store. Its middleware chain is built once per command type
   * (`cacheMiddleware`; lib-dynamodb refuses that option, so a DynamoDBDocumentClient wraps `client`).
   */
  rawClient: DynamoDBClient;
  tableName: string;
  end(): Promise<void>;
}

/** Credentials for local services (any value works; the SDK only needs some). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'cn-north-1';

/**
 * A DynamoDB client of the local service at `url`; with `target`, the stack's own in-process client (no
 * retry or SigV4, fixed endpoint: dynamodb-inprocess.ts). Its config is made fast (shared/aws/fast-config.ts).
 */
export function localDynamoClient(
  url: string,
  target?: Server | { call: InProcessCall },
  options: { cacheMiddleware?: boolean } = {},
): DynamoDBClient {
  const client = withFastConfig(new DynamoDBClient(localDynamoClientConfig(url, target, options)));
  return target ? withoutNetworkMiddleware(client) : client;
}

/** The configuration `localDynamoClient` builds its client from (bench/workflow/sdk-calls.ts uses it alone). */
export function localDynamoClientConfig(
  url: string,
  target?: Server | { call: InProcessCall },
  options: { cacheMiddleware?: boolean } = {},
): DynamoDBClientConfig {
  return {
    endpoint: url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3, // HTTP clients only: the in-process ones have no retry middleware
    ...(options.cacheMiddleware ? { cacheMiddleware: true } : {}),
    // In-process transport for the stack's own clients; localDynamoClient then removes retry and SigV4
    // (withoutNetworkMiddleware, dynamodb-inprocess.ts).
    ...(target ? inProcessClientConfig(target) : {}),
    // The in-process clients' endpoint is fixed: the endpoint rule set is not evaluated per call (~3% of
    // the main thread's CPU on bench:workflow).
    ...(target ? { endpointProvider: fixedEndpoint(url) } : {}),
  };
}

/** An endpoint provider that answers `url` whatever the parameters (the local service has one endpoint). */
function fixedEndpoint(url: string): () => { url: URL } {
  const endpoint = new URL(url);
  return () => ({ url: endpoint });
}

export async function start(
  options: { path?: string; port?: number; tableName?: string; inProcess?: boolean; thread?: boolean } = {},
): Promise<LocalDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  const running = options.thread === false ? await onMainThread(options) : await inWorker(options);
  const url = `http://127.0.0.1:${running.port}`;
  const inProcess = options.inProcess === false ? undefined : running.target;
  const client = localDynamoClient(url, inProcess);
  const rawClient = localDynamoClient(url, inProcess, { cacheMiddleware: true });
  const tableName = options.tableName ?? 'certflow';
  const end = async () => {
    client.destroy();
    rawClient.destroy();
    await running.close();
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await end();
    throw error;
  }
  return { url, client, rawClient, tableName, end };
}

interface RunningDynalite {
  port: number;
  /** Where the stack's own clients send their requests in memory. */
  target: Server | { call: InProcessCall };
  close(): Promise<void>;
}

async function onMainThread(options: { path?: string; port?: number }): Promise<RunningDynalite> {
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    target: server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** dynalite in a worker thread (dynalite-worker.js); rejects if it cannot listen (e.g. port taken). */
async function inWorker(options: { path?: string; port?: number }): Promise<RunningDynalite> {
  const worker = new Worker(new URL('./dynalite-worker.js', import.meta.url), {
    workerData: { path: options.path, port: options.port ?? 0 },
  });
  const pending = new Map<number, { resolve: (r: ListenerResponse) => void; reject: (e: Error) => void }>();
  const outbox = new Outbox(worker);
  let nextId = 0;
  let closed: (() => void) | undefined;
  const failAll = (error: Error) => {
    for (const p of pending.values()) p.reject(error);
    pending.clear();
  };
  const port = await new Promise<number>((resolve, reject) => {
    const answer = (m: { id: number; error?: string }) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`dynalite worker: ${m.error}`));
      else p?.resolve(m as unknown as ListenerResponse);
    };
    worker.on(
      'message',
      (m: {
        id?: number;
        port?: number;
        error?: string;
        code?: string;
        closed?: boolean;
        batch?: { id: number }[];
      }) => {
        if (m.batch !== undefined) for (const one of m.batch) answer(one);
        else if (m.id !== undefined) {
          const p = pending.get(m.id);
          pending.delete(m.id);
          if (m.error !== undefined) p?.reject(new Error(`dynalite worker: ${m.error}`));
          else p?.resolve(m as unknown as ListenerResponse);
        } else if (m.port !== undefined) resolve(m.port);
        else if (m.error !== undefined) {
          // Keep the listen error's code and port (EADDRINUSE …): the stack names the port asked for.
          reject(
            Object.assign(new Error(`dynalite could not start: ${m.error}`), {
              code: m.code,
              port: (m as { errorPort?: number }).errorPort,
            }),
          );
        } else if (m.closed) closed?.();
      },
    );
    worker.once('error', (error) => {
      reject(error);
      failAll(error);
    });
    worker.once('exit', (code) => {
      const error = new Error(`dynalite worker exited (${code})`);
      reject(error);
      failAll(error);
      closed?.();
    });
  }).catch(async (error: unknown) => {
    await worker.terminate();
    throw error;
  });
  return {
    port,
    target: {
      call: (request) =>
        new Promise<ListenerResponse>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject });
          outbox.add(id, request);
        }),
    },
    async close() {
      await new Promise<void>((resolve) => {
        closed = resolve;
        worker.postMessage({ close: true });
      });
      await worker.terminate();
    },
  };
}

/**
 * The requests to the worker, posted together once per turn of the event loop (`setImmediate`): each
 * postMessage wakes the other thread, and that cost ~100 µs of the main thread per message under load
 * (~11–13% of its CPU on bench:workflow, bench/PERF-NOTES.md); with 20 clients several calls share a turn.
 */
class Outbox {
  #messages: object[] = [];
  #transfer: ArrayBuffer[] = [];

  constructor(readonly worker: Worker) {}

  add(id: number, request: ListenerRequest): void {
    const [message, transfer] = toWorker(id, request);
    if (this.#messages.length === 0) setImmediate(() => this.#flush());
    this.#messages.push(message);
    this.#transfer.push(...transfer);
  }

  #flush(): void {
    const batch = this.#messages;
    const transfer = this.#transfer;
    this.#messages = [];
    this.#transfer = [];
    this.worker.postMessage({ batch }, transfer);
  }
}

/**
 * A request as the message to the worker: only what the listener reads (method, path, headers, body), the
 * body's exact bytes copied once and transferred. The SDK's request object as it is would be cloned
 * whole: its JSON body is a view on a pooled 8 KB buffer (structured clone copies the whole buffer), and
 * the clone was ~11% of the main thread's CPU on bench:workflow (bench/PERF-NOTES.md).
 */
function toWorker(id: number, request: ListenerRequest): [message: object, transfer: ArrayBuffer[]] {
  const { method, path, headers, body } = request;
  if (body === undefined || typeof body === 'string') return [{ id, method, path, headers, body }, []];
  const bytes = new Uint8Array(body.byteLength);
  bytes.set(body);
  return [{ id, method, path, headers, body: bytes }, [bytes.buffer]];
}

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  let existed = false;
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(certflowTable, tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
    existed = true;
  }
  await waitActive(client, tableName);
  // A data directory of an older certflow: its indexes are rebuilt and re-indexed (table-migration.ts).
  const migrated = await migrateLocalTable(client, tableName);
  if (migrated)
    console.error(
      `certflow table ${tableName}: rebuilt to the current indexes (${migrated.items} items; ${migrated.moved} open requests re-sharded, ${migrated.removed} final requests, ${migrated.ratings} ratings and ${migrated.complaints} complaints re-indexed)`,
    );
  else if (existed) {
    // Same indexes, older keys (complaints before their counters): the re-index is a few empty Queries
    // when there is nothing to move, and idempotent.
    const report = await reindexStatusIndex(client, tableName);
    if (report.moved + report.removed + report.ratings + report.complaints > 0)
      console.error(
        `certflow table ${tableName}: re-indexed (${report.moved} open requests re-sharded, ${report.removed} final requests, ${report.ratings} ratings and ${report.complaints} complaints)`,
      );
  }
}

export async function end(dynamo: LocalDynamo): Promise<void> {
  await dynamo.end();
}
