/**
 * Starts dynalite (embedded DynamoDB) on a random loopback port, persisting to a temporary directory
 * (LevelDB through `level`), for the durability and crash tests and the benchmarks.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number }) => Server;

export interface Dynalite {
  readonly endpoint: string;
  readonly dir: string | undefined;
  client(): DynamoDBClient;
  stop(): Promise<void>;
}

export async function startDynalite(options: { inMemory?: boolean } = {}): Promise<Dynalite> {
  const dir = options.inMemory ? undefined : mkdtempSync(join(tmpdir(), 'sfn-dynalite-'));
  const server = dynalite({ ...(dir ? { path: dir } : {}), createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clients: DynamoDBClient[] = [];
  return {
    endpoint,
    dir,
    client() {
      const client = new DynamoDBClient({
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
        maxAttempts: 3,
      });
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      server.closeAllConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
