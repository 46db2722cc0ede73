/** dynalite in its own process for the benchmarks: prints `PORT <n>`, data in a temp dir, ends with stdin. */
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (options: { path?: string; createTableMs?: number }) => Server;
const dir = process.env.DYNALITE_DIR ?? mkdtempSync(join(tmpdir(), 'sfn-bench-'));
const server = dynalite({ path: dir, createTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => {
  server.close();
  if (!process.env.DYNALITE_DIR) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
