/**
 * bench:workflow — figures of the certificate workflow on the local stack (printed, never pass/fail):
 *  1. on-the-spot throughput: 20 concurrent clients, intake → ISSUED; p50/p99 intake latency; then the
 *     same path at a steady arrival rate (open loop), where latency is not just queueing behind the
 *     clients' own backlog (with 20 clients always waiting, latency ≈ 20 / throughput);
 *  2. per path: state transitions, Lambda invocations, DynamoDB reads/writes, and the AWS cost per
 *     million requests that follows (Step Functions Standard, Lambda, DynamoDB on-demand, HTTP API);
 *  3. restart with N pending investigations (default 1,000): time until all wait again.
 * Options (env): BENCH_REQUESTS (default 400), BENCH_WARMUP (requests of an unmeasured burst before the
 * measured one, default 200; 0 = none), BENCH_CLIENTS (20), BENCH_RATE (requests/s of the steady
 * phase, default 50; 0 = skip), BENCH_PENDING (1000).
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetExecutionHistoryCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { type LocalStack, startLocalStack } from '#local/stack.ts';
import { executionArn, type SfnWorkflow } from '#shared/workflow/sfn-workflow.ts';
import { prices } from '../bundles/prices.ts';
import { benchOwn, tapDynamoSend } from './dynamo-wire.ts';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 20);
const PENDING = Number(process.env.BENCH_PENDING ?? 1000);
const RATE = Number(process.env.BENCH_RATE ?? 50);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 200);

const body = (id: string) => JSON.stringify(demoScenarios.find((s) => s.id === id)!.body);
const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

async function submit(stack: LocalStack, json: string): Promise<{ requestId: string; accessToken: string }> {
  const r = await fetch(`${stack.url}/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: json,
  });
  if (r.status !== 202) throw new Error(`intake ${r.status}: ${await r.text()}`);
  return (await r.json()) as { requestId: string; accessToken: string };
}

/** Polls `check` every 50 ms (its DynamoDB reads are the bench's own: not counted, `benchOwn`). */
async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await benchOwn.run(true, check))) {
    if (Date.now() > until) throw new Error('bench: timed out');

    await new Promise((r) => setTimeout(r, 50));
  }
}

interface ThroughputRun {
  /** intake → ISSUED, requests per second, 20 clients (closed loop). */
  rps: number;
  /** CPU (user + system) of the stack's process per request, ms (the clients run in their own process). */
  cpuMs: number;
}

async function throughput(run: number): Promise<ThroughputRun> {
  const stack = await startLocalStack({
    port: 0,
    inMemory: true,
    web: false,
    logLevel: 'SILENT',
    rateLimit: 0,
    scheduler: false,
  });
  try {
    await submit(stack, body('name-change')); // warm up
    await waitUntil(async () => (await stack.deps.store.countByStatus('ISSUED')).count === 1, 10_000);
    const json = body('name-change');
    // One client, one request at a time, each after the previous one's workflow has finished.
    const single: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const t = performance.now();
      await submit(stack, json);
      single.push(performance.now() - t);
      await waitUntil(async () => (await stack.deps.store.countByStatus('ISSUED')).count >= i + 2, 10_000);
    }
    single.sort((a, b) => a - b);
    // Warm-up burst (unmeasured): the same load, so that JIT compilation and the heap's first growth are
    // not charged to the measured requests — a serving stack is warm. BENCH_WARMUP=0 gives the earlier
    // measure (only the 31 sequential requests above before the burst).
    let issued = 31;
    if (WARMUP > 0) {
      await burst(stack, WARMUP, json).run();
      issued += WARMUP;
      await waitUntil(async () => (await stack.deps.store.countByStatus('ISSUED')).count >= issued, 600_000);
    }
    const measured = burst(stack, REQUESTS, json);
    await measured.ready;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const report = await measured.run();
    const latencies = report.latencies;
    const accepted = report.acceptedMs;
    await waitUntil(
      async () => (await stack.deps.store.countByStatus('ISSUED')).count >= issued + REQUESTS,
      600_000,
    );
    const total = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    latencies.sort((a, b) => a - b);
    console.log(`\n   run ${run} (${loadNote()})`);
    console.log(
      `   intake → ISSUED: ${(REQUESTS / (total / 1000)).toFixed(1)} requests/s (all issued after ${(total / 1000).toFixed(1)} s)`,
    );
    console.log(`   intake accepted: ${(REQUESTS / (accepted / 1000)).toFixed(1)} requests/s`);
    // CPU time of the stack's process per request (user + system, every thread; the clients run in their
    // own process): less sensitive than requests/s to other load on a shared machine.
    console.log(
      `   CPU per request (the stack's process, clients apart): ${((cpu.user + cpu.system) / 1000 / REQUESTS).toFixed(1)} ms (${(((cpu.user + cpu.system) / 1000 / total) * 100).toFixed(0)}% of one core)`,
    );
    console.log(
      `   intake latency, one client on an idle stack: p50 ${pct(single, 50).toFixed(1)} ms, p99 ${pct(single, 99).toFixed(1)} ms`,
    );
    console.log(
      `   intake latency under the burst: p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${latencies.at(-1)!.toFixed(1)} ms`,
    );
    if (RATE > 0) {
      // Open loop: one request every 1/RATE s whatever the answers, for 4 s (at least 50 requests).
      const n = Math.max(50, RATE * 4);
      const issuedBefore = (await stack.deps.store.countByStatus('ISSUED')).count;
      const steady: number[] = [];
      const t1 = performance.now();
      const c1 = process.cpuUsage();
      const sent: Promise<void>[] = [];
      for (let i = 0; i < n; i += 1) {
        const due = t1 + (i * 1000) / RATE;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        const t = performance.now();
        sent.push(submit(stack, json).then(() => void steady.push(performance.now() - t)));
      }
      await Promise.all(sent);
      await waitUntil(
        async () => (await stack.deps.store.countByStatus('ISSUED')).count >= issuedBefore + n,
        600_000,
      );
      const elapsed = performance.now() - t1;
      const c = process.cpuUsage(c1);
      steady.sort((a, b) => a - b);
      console.log(
        `   steady ${RATE} requests/s (${n} requests, open loop): all issued after ${(elapsed / 1000).toFixed(1)} s; intake latency p50 ${pct(steady, 50).toFixed(1)} ms, p99 ${pct(steady, 99).toFixed(1)} ms, max ${steady.at(-1)!.toFixed(1)} ms; ${(((c.user + c.system) / 1000 / elapsed) * 100).toFixed(0)}% of one core`,
      );
    }
    return { rps: REQUESTS / (total / 1000), cpuMs: (cpu.user + cpu.system) / 1000 / REQUESTS };
  } finally {
    await stack.end();
  }
}

/**
 * One closed-loop burst of `n` intake requests from load-client.mjs in a process of its own (so the CPU
 * measured is the stack's). `ready` resolves when the client process is up; `run()` starts the burst and
 * resolves with its report (`acceptedMs`: until the last 202; `latencies`: ms per request).
 */
function burst(stack: LocalStack, n: number, json: string) {
  const client = spawn(process.execPath, [fileURLToPath(new URL('./load-client.mjs', import.meta.url))], {
    env: {
      ...process.env,
      BENCH_URL: stack.url,
      BENCH_REQUESTS: String(n),
      BENCH_CLIENTS: String(CLIENTS),
      BENCH_BODY: json,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  client.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((r) => client.once('exit', r));
  const ready = (async () => {
    while (!out.includes('READY\n')) {
      if (client.exitCode !== null) throw new Error('bench: the load client ended before starting');
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  return {
    ready,
    async run(): Promise<{ acceptedMs: number; latencies: number[] }> {
      await ready;
      client.stdin!.end('GO\n');
      if ((await exited) !== 0) throw new Error('bench: the load client failed');
      return JSON.parse(out.slice(out.indexOf('READY\n') + 6).trim());
    },
  };
}

/** DynamoDB read and write operations with write/read units; the bench's own reads are left out (`benchOwn`). */
interface WireCounts {
  reads: number;
  readUnits: number;
  writes: number;
  writeUnits: number;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/**
 * Counts every DynamoDB item operation the stack sends (on the wire: dynamo-wire.ts), each with
 * `ReturnConsumedCapacity: TOTAL` so dynalite answers the capacity units DynamoDB would charge the table
 * (dynalite counts no index writes: on AWS a write that adds, changes or removes an index entry costs at
 * least one more write unit per index). `stop()` ends the counting.
 */
function countDynamoCalls(): { counts: WireCounts; stop: () => void } {
  const counts: WireCounts = { reads: 0, readUnits: 0, writes: 0, writeUnits: 0 };
  const counted = (op: string) => READS.has(op) || WRITES.has(op);
  const stop = tapDynamoSend({
    before(call) {
      if (counted(call.op)) call.input.ReturnConsumedCapacity = 'TOTAL';
    },
    after(call, output) {
      if (!counted(call.op)) return;
      const consumed = output.ConsumedCapacity as
        | { CapacityUnits?: number }
        | { CapacityUnits?: number }[]
        | undefined;
      const units = [consumed ?? []].flat().reduce((sum, cc) => sum + (cc.CapacityUnits ?? 0), 0);
      if (READS.has(call.op)) {
        counts.reads += 1;
        counts.readUnits += units;
      } else {
        counts.writes += 1;
        counts.writeUnits += units;
      }
    },
  });
  return { counts, stop };
}

// Prices per million, from the one price list of the bench (bench/bundles/prices.ts, us-east-1 on-demand):
// Step Functions Standard transitions; Lambda requests + duration (arm64, 256 MB, ~60 ms assumed);
// DynamoDB write and read request units; API Gateway HTTP API requests.
const PRICE = {
  transition: prices.stepFunctions.perTransition * 1e6,
  invoke: (prices.lambda.perRequest + 0.25 * 0.06 * prices.lambda.perGbSecondArm) * 1e6,
  write: prices.dynamodb.perWriteUnit * 1e6,
  read: prices.dynamodb.perReadUnit * 1e6,
  http: prices.httpApi.perRequest * 1e6,
};
const money = (n: number) => `$${n.toFixed(n < 1 ? 3 : 2)}`;

async function perPath(): Promise<void> {
  const stack = await startLocalStack({
    port: 0,
    inMemory: true,
    testClock: true,
    clockStart: '2026-11-23T02:00:00.000Z',
    web: false,
    logLevel: 'SILENT',
    rateLimit: 0,
    scheduler: false,
  });
  const { counts, stop: stopCounting } = countDynamoCalls();
  const final = ['DECLINED', 'ANSWERED_BY_EXCHANGE', 'ISSUED', 'REFUSED'];
  const rows: string[] = [];
  try {
    const paths: { name: string; scenario: string; finish?: (id: string) => Promise<void>; http: number }[] =
      [
        { name: 'declined (principle 1)', scenario: 'identity', http: 2 },
        { name: 'declined + notify notary', scenario: 'huang-kinship', http: 2 },
        { name: 'answered by exchange', scenario: 'kinship-exchange', http: 2 },
        { name: 'issued on the spot', scenario: 'name-change', http: 3 },
        {
          name: 'investigated, officer confirms',
          scenario: 'kinship-investigate',
          http: 4,
          finish: async (id) => {
            await waitUntil(
              async () => (await stack.deps.store.getRequest(id))?.taskToken !== undefined,
              10_000,
            );
            await fetch(`${stack.url}/v1/requests/${id}/findings`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${stack.credentials.officerToken}`,
                'content-type': 'application/json',
              },
              body: '{"outcome":"CONFIRMED"}',
            });
          },
        },
        {
          name: 'investigated, escalated once, confirmed',
          scenario: 'kinship-investigate',
          http: 4,
          finish: async (id) => {
            await waitUntil(
              async () => (await stack.deps.store.getRequest(id))?.taskToken !== undefined,
              10_000,
            );
            stack.testClock!.advance(9 * 24 * 3600_000);
            await waitUntil(async () => {
              const r = await stack.deps.store.getRequest(id);
              return r?.escalationLevel === 1 && r.taskToken !== undefined;
            }, 10_000);
            await fetch(`${stack.url}/v1/requests/${id}/findings`, {
              method: 'POST',
              headers: {
                authorization: `Bearer ${stack.credentials.officerToken}`,
                'content-type': 'application/json',
              },
              body: '{"outcome":"CONFIRMED"}',
            });
          },
        },
      ];
    console.log('\n2. Per path (one request each; HTTP = intake + status reads + finding)');
    console.log(
      '   path                                      transitions  lambdas  ddb writes (WRU)  ddb reads (RRU)  $ per million requests',
    );
    for (const p of paths) {
      Object.assign(counts, { reads: 0, readUnits: 0, writes: 0, writeUnits: 0 });
      const { requestId, accessToken } = await submit(stack, body(p.scenario));
      await p.finish?.(requestId);
      await waitUntil(
        async () => final.includes((await stack.deps.store.getRequest(requestId))?.status ?? ''),
        20_000,
      );
      await fetch(`${stack.url}/v1/requests/${requestId}`, {
        headers: { authorization: `Bearer ${accessToken}` },
      });
      await new Promise((r) => setTimeout(r, 200)); // the execution's last transition
      const events: HistoryEvent[] = [];
      let nextToken: string | undefined;
      do {
        const page = await (stack.deps.workflow as SfnWorkflow).client.send(
          new GetExecutionHistoryCommand({
            executionArn: executionArn(stack.stateMachineArn, requestId),
            nextToken,
          }),
        );
        events.push(...(page.events ?? []));
        nextToken = page.nextToken;
      } while (nextToken);
      const transitions = events.filter((e) => e.type?.endsWith('StateEntered')).length;
      const lambdas = events.filter(
        (e) => e.type === 'TaskScheduled' || e.type === 'LambdaFunctionScheduled',
      ).length;
      const httpLambdas = p.http;
      const cost =
        transitions * PRICE.transition +
        (lambdas + httpLambdas) * PRICE.invoke +
        counts.writeUnits * PRICE.write +
        counts.readUnits * PRICE.read +
        httpLambdas * PRICE.http;
      rows.push(
        `   ${p.name.padEnd(42)}${String(transitions).padStart(6)}${String(lambdas + httpLambdas).padStart(12)}${`${counts.writes} (${counts.writeUnits})`.padStart(16)}${`${counts.reads} (${counts.readUnits})`.padStart(14)}${`$${cost.toFixed(0)}`.padStart(14)}`,
      );
      console.log(rows.at(-1));
    }
    console.log(
      `   (lambdas include the HTTP handlers; cost = transitions×${money(PRICE.transition)} + lambdas×${money(PRICE.invoke)} + WRU×${money(PRICE.write)} + RRU×${money(PRICE.read)} + HTTP×${money(PRICE.http)}, per million; WRU/RRU as dynalite answers ReturnConsumedCapacity for the table — no index writes, which AWS also charges)`,
    );
  } finally {
    stopCounting();
    await stack.end();
  }
}

async function restart(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'certflow-bench-'));
  try {
    let stack = await startLocalStack({
      port: 0,
      dataDir: dir,
      web: false,
      logLevel: 'SILENT',
      rateLimit: 0,
      scheduler: false,
    });
    const json = body('kinship-investigate');
    const ids: string[] = [];
    const t0 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (next < PENDING) {
          next += 1;
          ids.push((await submit(stack, json)).requestId);
        }
      }),
    );
    await waitUntil(async () => {
      let waiting = 0;
      for (const status of ['INVESTIGATING'] as const) {
        let cursor: string | undefined;
        do {
          const page = await stack.deps.store.listByStatus(status, {
            limit: 500,
            ...(cursor ? { cursor } : {}),
          });
          waiting += page.items.filter((r) => r.taskToken !== undefined).length;
          cursor = page.cursor;
        } while (cursor);
      }
      return waiting === PENDING;
    }, 900_000);
    console.log(`\n3. Restart with ${PENDING} pending investigations (data on disk)`);
    console.log(
      `   ${PENDING} investigations submitted and waiting after ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
    await stack.end();
    const t1 = performance.now();
    stack = await startLocalStack({
      port: 0,
      dataDir: dir,
      web: false,
      logLevel: 'SILENT',
      rateLimit: 0,
      scheduler: false,
    });
    const ready = performance.now() - t1;
    // All waiting again: each execution is back at AwaitFinding with its task token (a finding resumes it).
    const sample = ids.slice(0, 20);
    const t2 = performance.now();
    for (const id of sample) {
      const r = await fetch(`${stack.url}/v1/requests/${id}/findings`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${stack.credentials.officerToken}`,
          'content-type': 'application/json',
        },
        body: '{"outcome":"CONFIRMED"}',
      });
      if (r.status !== 202) throw new Error(`finding after restart: ${r.status}`);
    }
    console.log(
      `   restart: stack ready with ${stack.resumed} executions resumed in ${(ready / 1000).toFixed(2)} s; 20 findings accepted on resumed tasks in ${((performance.now() - t2) / 1000).toFixed(2)} s`,
    );
    await stack.end();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadNote(): string {
  return `${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;
}

/** `min / median / max` of the values, with `digits` decimals. */
function spread(values: number[], digits = 1): string {
  const sorted = [...values].sort((a, b) => a - b);
  const f = (v: number) => v.toFixed(digits);
  return `${f(sorted[0]!)} / ${f(sorted[Math.floor(sorted.length / 2)]!)} / ${f(sorted.at(-1)!)}`;
}

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const only = process.argv[2];
if (!only || only === 'throughput') {
  console.log(
    `\n1. On the spot, ${REQUESTS} requests, ${CLIENTS} concurrent clients after an unmeasured warm-up burst of ${WARMUP} (one process: dynalite, Step Functions, functions, gateway), ${RUNS} runs`,
  );
  const runs: ThroughputRun[] = [];
  for (let i = 1; i <= RUNS; i += 1) runs.push(await throughput(i));
  console.log(
    `   → intake → ISSUED requests/s, min / median / max of ${RUNS}: ${spread(runs.map((r) => r.rps))}  (aim ≥ 100)`,
  );
  console.log(
    `   → CPU ms per request (the stack's process), min / median / max of ${RUNS}: ${spread(runs.map((r) => r.cpuMs))}  (aim ≤ 10)`,
  );
}
if (!only || only === 'paths') await perPath();
if (!only || only === 'restart') await restart();
