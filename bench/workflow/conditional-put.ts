/**
 * CPU of a conditional PutItem (`attribute_not_exists(pk)`) against a plain one of the same event item on
 * the local stack's DynamoDB (dynalite in its worker thread, the stack's in-process client), rounds taking
 * turns in one process (process.cpuUsage: every thread). Why the request's event items are plain puts
 * (shared/store/dynamo-store.ts `ensureLastEvent`, bench/PERF-NOTES.md round 4). Figures only.
 *   npx tsx bench/workflow/conditional-put.ts [puts=2000] [rounds=3]
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { start } from '#local/dynamodb.ts';
import { TableAccess } from '#shared/store/table-access.ts';

const N = Number(process.argv[2] ?? 2000);
const ROUNDS = Number(process.argv[3] ?? 3);
const dynamo = await start({});
const t = new TableAccess(dynamo.rawClient, dynamo.tableName);
const item = (i: number) => ({
  pk: `REQ#${i}`,
  sk: 'EVENT#0000000001',
  itemType: 'event',
  seq: 1,
  at: '2026-12-01T00:00:00.000Z',
  type: 'RECEIVED',
  actor: 'applicant',
  detail: { proof: 'NAME_CHANGE', askedBy: 'EMPLOYER' },
});

/** CPU µs per put, 10 at a time. */
async function measure(run: (i: number) => Promise<unknown>, offset: number): Promise<number> {
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i += 10)
    await Promise.all(Array.from({ length: 10 }, (_, j) => run(offset + i + j)));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N;
}
const conditional = (i: number) => t.putNew(item(i), 'bench');
const plain = (i: number) => t.doc.send(new PutCommand({ TableName: t.table, Item: item(i) }));

try {
  await measure(conditional, 10_000_000);
  await measure(plain, 20_000_000);
  for (let r = 0; r < ROUNDS; r += 1) {
    const c = await measure(conditional, r * 2 * N);
    const p = await measure(plain, (r * 2 + 1) * N);
    console.log(`round ${r + 1}: conditional ${c.toFixed(0)} µs, plain ${p.toFixed(0)} µs CPU per PutItem`);
  }
} finally {
  await dynamo.end();
}
