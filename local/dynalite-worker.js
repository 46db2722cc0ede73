/**
 * dynalite in a worker thread of the stack's process (local/dynamodb.ts starts it): its CPU work runs on
 * another core than the gateway, handlers and Step Functions engine, while everything stays one process
 * (kill -9 ends both; data on disk exactly as with dynalite on the main thread).
 *
 * workerData `{ path?, port }`. Posts `{ port }` once listening (the HTTP endpoint, for tools), or
 * `{ error }`. Messages in: `{ batch: [{ id, method, path, headers, body }] }` (requests of the stack's own
 * SDK clients, or one such request alone) → out `{ batch: [{ id, statusCode, headers, body }] }`; `{ close: true }` → closes the server, then
 * `{ closed: true }`. Plain JavaScript: a worker loads it without a TypeScript loader.
 */
import crypto from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { callListener } from './listener-call.js';
import { pooledRandomBytes } from './pooled-random.js';

// dynalite draws each response's request id from the CSPRNG on its own; served from a block drawn at
// once instead (pooled-random.js). This thread runs only dynalite.
crypto.randomBytes = pooledRandomBytes(crypto.randomBytes.bind(crypto));

const server = dynalite({
  ...(workerData.path ? { path: workerData.path } : {}),
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});
const listener = server.listeners('request')[0];

server.once('error', (error) =>
  parentPort.postMessage({ error: error.message, code: error.code, errorPort: error.port }),
);
server.listen(workerData.port ?? 0, '127.0.0.1', () => {
  parentPort.postMessage({ port: server.address().port });
});

// Answers go back together once per turn of the event loop, as the requests come (dynamodb.ts Outbox):
// each postMessage wakes the other thread.
let answers = [];
let transfer = [];
function answer(message, bytes) {
  if (answers.length === 0) setImmediate(flush);
  answers.push(message);
  if (bytes) transfer.push(bytes);
}
function flush() {
  const batch = answers;
  const list = transfer;
  answers = [];
  transfer = [];
  parentPort.postMessage({ batch }, list);
}

function handle(message) {
  callListener(listener, message).then(
    (response) => {
      // A copy of exactly these bytes (a cloned view would carry its whole pooled ArrayBuffer), transferred.
      const body = new Uint8Array(response.body);
      answer({ id: message.id, ...response, body }, body.buffer);
    },
    (error) => answer({ id: message.id, error: String(error?.stack ?? error) }),
  );
}

parentPort.on('message', (message) => {
  if (message.close) {
    server.close(() => parentPort.postMessage({ closed: true }));
    return;
  }
  if (message.batch) for (const one of message.batch) handle(one);
  else handle(message);
});
