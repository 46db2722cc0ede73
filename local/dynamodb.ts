/**
 * Local DynamoDB: dynalite on 127.0.0.1, data on disk under `path` (LevelDB) or in memory, and the
 * certflow table created from the same definition infra/ deploys (shared/store/table-definition.ts).
 */
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { certflowTable, toCreateTableInput } from '#shared/store/table-definition.ts';
import { inProcessClientConfig } from './dynamodb-inprocess.ts';

export interface LocalDynamo {
  url: string;
  client: DynamoDBClient;
  /**
   * A client for plain (non-document) commands only, e.g. the Step Functions engine's store: its
   * middleware chain is built once per command type (`cacheMiddleware`; lib-dynamodb refuses that option,
   * so the document client's stays `client`).
   */
  rawClient: DynamoDBClient;
  tableName: string;
  end(): Promise<void>;
}

/** Credentials for local services (any value works; the SDK only needs some). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
export const LOCAL_REGION = 'cn-north-1';

export function localDynamoClient(
  url: string,
  server?: Server,
  options: { cacheMiddleware?: boolean } = {},
): DynamoDBClient {
  return new DynamoDBClient({
    endpoint: url,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    maxAttempts: 3,
    ...(options.cacheMiddleware ? { cacheMiddleware: true } : {}),
    // In-process transport and no SigV4 for the stack's own clients (see dynamodb-inprocess.ts).
    ...(server ? inProcessClientConfig(server) : {}),
  });
}

export async function start(
  options: { path?: string; port?: number; tableName?: string; inProcess?: boolean } = {},
): Promise<LocalDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
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
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const inProcess = options.inProcess === false ? undefined : server;
  const client = localDynamoClient(url, inProcess);
  const rawClient = localDynamoClient(url, inProcess, { cacheMiddleware: true });
  const tableName = options.tableName ?? 'certflow';
  const end = async () => {
    client.destroy();
    rawClient.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  try {
    await ensureTable(client, tableName);
  } catch (error) {
    await end();
    throw error;
  }
  return { url, client, rawClient, tableName, end };
}

export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(certflowTable, tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let i = 0; i < 50; i += 1) {
    const out = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (out.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function end(dynamo: LocalDynamo): Promise<void> {
  await dynamo.end();
}
