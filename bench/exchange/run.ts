/**
 * bench:exchange — figures of periodic exchange on the local stack (printed, never pass/fail):
 *  1. set-up: BENCH_SUBSCRIBERS (20) subscribers registering BENCH_PEOPLE (100,000) people between them
 *     (5,000 each, through the subscribe use case: one conditional put per person);
 *  2. a day's registry changes: BENCH_CHANGES (5,000) changes about registered people taken in through the
 *     change-feed use case (key lookups of the per-person index, feed entries);
 *  3. one batch run (`runExchangeBatch`, the scheduled function's use case) delivering them, signed, to
 *     the subscribers' endpoints (a local HTTP receiver answering 204): wall time, memory (RSS and heap,
 *     peak sampled every 10 ms), and the DynamoDB requests it costs — calls by operation, items read, and
 *     read / write capacity units (dynalite's ConsumedCapacity where it reports one, else estimated from
 *     item sizes: 4 KB per strongly consistent read unit, 1 KB per write unit). No Scan is ever issued.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { buildDeps, type Deps } from '#functions/deps.ts';
import { recordChange, runExchangeBatch, subscribe } from '#functions/use-cases/periodic-exchange.ts';
import { type LocalStack, startLocalStack } from '#local/stack.ts';
import type { DepartmentConfig } from '#shared/config/departments.ts';
import { buildIdNumber } from '#shared/domain/id-number.ts';
import { REGISTRY_CHANGE_TYPES } from '#shared/domain/periodic-exchange.ts';
import { makeRegistryChangeSchema } from '#shared/schemas/exchange.ts';
import { generateSecret } from '#shared/webhooks/signature.ts';

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 20);
const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 100_000);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 5_000);

/** The i-th registered person (distinct valid ID numbers: region × birth date × sequence). */
function person(i: number): string {
  const day = Math.floor(i / 1000);
  const date = new Date(Date.UTC(1940, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
  return buildIdNumber({ region: '220102', birthDate: date, sequence: i % 1000 });
}

const code = (n: number) =>
  `BENCH_BODY_${String.fromCharCode(65 + Math.floor(n / 26))}${String.fromCharCode(65 + (n % 26))}`;

interface OpCount {
  calls: number;
  items: number;
  readUnits: number;
  writeUnits: number;
  reported: boolean;
}

/** A DynamoDB client over the stack's dynalite that counts every operation and its capacity. */
function countingClient(endpoint: string) {
  const client = new DynamoDBClient({
    endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const ops = new Map<string, OpCount>();
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'unknown';
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const out = result.output as {
        Items?: Record<string, unknown>[];
        Item?: Record<string, unknown>;
        ConsumedCapacity?: { CapacityUnits?: number } | { CapacityUnits?: number }[];
      };
      const op = ops.get(name) ?? { calls: 0, items: 0, readUnits: 0, writeUnits: 0, reported: false };
      op.calls += 1;
      const items = out.Items ?? (out.Item ? [out.Item] : []);
      op.items += items.length;
      const consumed = [out.ConsumedCapacity ?? []].flat().reduce((s, c) => s + (c.CapacityUnits ?? 0), 0);
      const isRead = name === 'QueryCommand' || name === 'GetItemCommand' || name === 'BatchGetItemCommand';
      if (consumed > 0) {
        op.reported = true;
        if (isRead) op.readUnits += consumed;
        else op.writeUnits += consumed;
      } else if (isRead) {
        const bytes = items.reduce((s, i) => s + JSON.stringify(i).length, 0);
        op.readUnits += Math.max(1, Math.ceil(bytes / 4096));
      } else {
        op.writeUnits += 1;
      }
      ops.set(name, op);
      return result;
    },
    { step: 'initialize', name: 'countCapacity' },
  );
  return { client, ops };
}

function report(title: string, ops: Map<string, OpCount>) {
  console.log(`   ${title}`);
  console.log('     operation               calls      items   read units  write units');
  let reads = 0;
  let writes = 0;
  for (const [name, op] of [...ops.entries()].sort()) {
    reads += op.readUnits;
    writes += op.writeUnits;
    console.log(
      `     ${name.replace('Command', '').padEnd(20)}${String(op.calls).padStart(9)}${String(op.items).padStart(11)}${op.readUnits.toFixed(1).padStart(13)}${op.writeUnits.toFixed(1).padStart(13)}${op.reported ? '' : '  (estimated)'}`,
    );
  }
  console.log(`     total: ${reads.toFixed(1)} read units, ${writes.toFixed(1)} write units`);
  if (ops.has('ScanCommand')) console.log('     !!! a Scan was issued');
}

async function main() {
  console.log(
    `bench:exchange — ${SUBSCRIBERS} subscribers, ${PEOPLE.toLocaleString('en')} registered people, ${CHANGES.toLocaleString('en')} changes; node ${process.version}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(2)}`,
  );
  const stack: LocalStack = await startLocalStack({
    port: 0,
    inMemory: true,
    testClock: true,
    clockStart: '2026-11-23T02:00:00.000Z',
    web: false,
    logLevel: 'SILENT',
    scheduler: false,
  });
  // The subscribers' endpoints: one local receiver answering 204 (as a department acknowledging).
  let received = 0;
  let receivedChanges = 0;
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received += 1;
      receivedChanges += (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { count: number } })
        .data.count;
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/inbox`;
  const bodies = new Map<string, DepartmentConfig>(
    Array.from({ length: SUBSCRIBERS }, (_, n) => [
      code(n),
      { code: code(n), secrets: [generateSecret()], endpoint, connected: true },
    ]),
  );
  try {
    const { client, ops } = countingClient(stack.endpoints.dynamodb);
    const deps: Deps = buildDeps({
      config: { ...stack.deps.config },
      clock: stack.clock,
      dynamo: client,
      registry: await stack.deps.registry(),
      logger: new Logger({ serviceName: 'bench', logLevel: 'SILENT' }),
    });
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';

    // 1.
    let t = performance.now();
    const perBody = Math.ceil(PEOPLE / SUBSCRIBERS);
    for (let n = 0; n < SUBSCRIBERS; n += 1) {
      for (let from = n * perBody; from < Math.min(PEOPLE, (n + 1) * perBody); from += 1000) {
        const people = Array.from({ length: Math.min(1000, (n + 1) * perBody - from) }, (_, k) =>
          person(from + k),
        );
        await subscribe(deps, code(n), { changeTypes: [...REGISTRY_CHANGE_TYPES], people });
      }
    }
    console.log(
      `\n1. Set-up: ${PEOPLE.toLocaleString('en')} people registered in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    report('DynamoDB (registration)', ops);
    ops.clear();

    // 2.
    const schema = makeRegistryChangeSchema();
    t = performance.now();
    const step = Math.floor(PEOPLE / CHANGES);
    for (let c = 0; c < CHANGES; c += 1) {
      const type = REGISTRY_CHANGE_TYPES[c % 5]!;
      const change = schema.parse({
        changeId: `bench-${c}`,
        type,
        idNumber: person(c * step),
        effectiveOn: '2026-11-22',
        station: 'CC-GLL',
        ...(type === 'HUKOU_CANCELLED' ? { reason: 'EMIGRATION' } : {}),
        ...(type === 'NAME_CHANGED' ? { from: '张三', to: '张山' } : {}),
        ...(type === 'GENDER_CHANGED' ? { from: 'M', to: 'F' } : {}),
        ...(type === 'MIGRATED' ? { toRegion: '吉林市船营区' } : {}),
      });
      await recordChange(deps, change, 'registry');
    }
    const ingest = performance.now() - t;
    console.log(
      `\n2. A day's changes: ${CHANGES.toLocaleString('en')} taken in in ${(ingest / 1000).toFixed(1)} s (${(ingest / CHANGES).toFixed(2)} ms each)`,
    );
    report('DynamoDB (change feed)', ops);
    ops.clear();

    // 3.
    stack.testClock!.advance(2 * 60_000);
    global.gc?.();
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 10);
    t = performance.now();
    const result = await runExchangeBatch(deps, async (c) => bodies.get(c));
    const ms = performance.now() - t;
    clearInterval(sampler);
    const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
    console.log(
      `\n3. One batch run: ${(ms / 1000).toFixed(2)} s — ${result.batches} messages, ${result.delivered} changes delivered (${received} received, ${receivedChanges} changes), ${result.recorded} exchange records, ${result.failed} failed`,
    );
    console.log(
      `   memory: RSS ${mb(before.rss)} → peak ${mb(peakRss)} (+${mb(peakRss - before.rss)}); heap ${mb(before.heapUsed)} → peak ${mb(peakHeap)} (+${mb(peakHeap - before.heapUsed)})`,
    );
    report('DynamoDB (one batch run)', ops);
  } finally {
    receiver.close();
    await stack.end();
  }
}

await main();
