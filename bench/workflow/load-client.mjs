/**
 * bench:workflow's closed-loop clients in a process of their own, so that the CPU the bench reports per
 * request is the stack's alone (issue 16's measure: server CPU per request), not the load generator's.
 * Env: BENCH_URL (the stack's API), BENCH_REQUESTS, BENCH_CLIENTS, BENCH_BODY (the intake JSON).
 * Prints `READY`, waits for a line on stdin, runs the requests (each client one at a time, 202 expected),
 * then prints one JSON line `{ acceptedMs, latencies: [ms…] }` and exits (1 on any other status).
 * Plain JavaScript: starts without a TypeScript loader.
 */
import { once } from 'node:events';

const url = `${process.env.BENCH_URL}/v1/requests`;
const requests = Number(process.env.BENCH_REQUESTS);
const clients = Number(process.env.BENCH_CLIENTS);
const body = process.env.BENCH_BODY;

process.stdout.write('READY\n');
await once(process.stdin, 'data');
const latencies = [];
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: clients }, async () => {
    while (next < requests) {
      next += 1;
      const t = performance.now();
      const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (r.status !== 202) {
        process.stderr.write(`intake ${r.status}: ${await r.text()}\n`);
        process.exit(1);
      }
      await r.arrayBuffer();
      latencies.push(performance.now() - t);
    }
  }),
);
process.stdout.write(`${JSON.stringify({ acceptedMs: performance.now() - t0, latencies })}\n`);
process.exit(0);
