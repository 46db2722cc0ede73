/**
 * dynalite in a worker thread of the stack's process (local/dynamodb.ts starts it): its CPU work runs on
 * another core than the gateway, handlers and Step Functions engine, while everything stays one process
 * (kill -9 ends both; data on disk exactly as with dynalite on the main thread).
 *
 * workerData `{ path?, port }`. Posts `{ port }` once listening (the HTTP endpoint, for tools), or
 * `{ error }`. Messages in: `{ id, method, path, headers, body }` (a request of the stack's own SDK
 * clients) → out `{ id, statusCode, headers, body }`; `{ close: true }` → closes the server, then
 * `{ closed: true }`. Plain JavaScript: a worker loads it without a TypeScript loader.
 */
import { parentPort, workerData } from 'node:worker_threads';
import dynalite from 'dynalite';
import { callListener } from './listener-call.js';

const server = dynalite({
  ...(workerData.path ? { path: workerData.path } : {}),
  createTableMs: 0,
  deleteTableMs: 0,
  updateTableMs: 0,
});
const listener = server.listeners('request')[0];

server.once('error', (error) => parentPort.postMessage({ error: error.message }));
server.listen(workerData.port ?? 0, '127.0.0.1', () => {
  parentPort.postMessage({ port: server.address().port });
});

parentPort.on('message', (message) => {
  if (message.close) {
    server.close(() => parentPort.postMessage({ closed: true }));
    return;
  }
  callListener(listener, message).then(
    (response) => {
      // A copy of exactly these bytes: a cloned view would carry its whole (pooled) ArrayBuffer.
      parentPort.postMessage({ id: message.id, ...response, body: new Uint8Array(response.body) });
    },
    (error) => parentPort.postMessage({ id: message.id, error: String(error?.stack ?? error) }),
  );
});
