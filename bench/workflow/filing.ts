/**
 * CPU of intake's filing of a new request on the local stack's DynamoDB (dynalite in its worker thread,
 * the in-process client the stack uses), before and after round 4 (bench/PERF-NOTES.md), rounds taking
 * turns in one process (process.cpuUsage: every thread):
 *  - before: 3 search lookups as 3 PutItem (in parallel), the request link PutItem, the pair's mark as a
 *    put-if-absent (refused for a person filing again: the bench's applicant files every time);
 *  - after: `fileRequest`: one BatchWriteItem (lookups + link), the mark as one UpdateItem (round 4; since
 *    issue 16's last round the mark is a plain item in that BatchWriteItem, so "after" is not today's code).
 * Figures only, never pass/fail.   npx tsx bench/workflow/filing.ts [iterations=1000] [rounds=3]
 */
import { loadavg } from 'node:os';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { start } from '#local/dynamodb.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { keys, searchPartition } from '#shared/store/keys.ts';
import { TableAccess } from '#shared/store/table-access.ts';

const N = Number(process.argv[2] ?? 1000);
const ROUNDS = Number(process.argv[3] ?? 3);
const dynamo = await start({});
const store = new DynamoStore(dynamo.rawClient, dynamo.tableName);
const t = new TableAccess(dynamo.rawClient, dynamo.tableName);
const searchKeys = (i: number) => [`REF#${i}`, 'KEY-ID', 'KEY-NAME'];
const link = (i: number) => ({
  requestId: `R${i}`,
  proof: 'NAME_CHANGE',
  acceptedAt: `2026-12-01T00:00:00.${String(i % 1000).padStart(3, '0')}Z`,
  phoneKey: 'P',
});

async function before(i: number) {
  const id = `R${i}`;
  await Promise.all(
    searchKeys(i).map((k) =>
      t.doc.send(
        new PutCommand({
          TableName: t.table,
          Item: { pk: searchPartition(k), sk: `REQ#${id}`, itemType: 'search', requestId: id },
        }),
      ),
    ),
  );
  const l = link(i);
  await t.doc.send(
    new PutCommand({
      TableName: t.table,
      Item: { ...keys.citizenRequest('C', l.acceptedAt, id), itemType: 'citizenRequest', ...l },
    }),
  );
  await t.putNew({ ...keys.citizenPhone('C', 'P'), itemType: 'citizenPhone', since: l.acceptedAt }, 'bench');
}

const after = (i: number) => store.fileRequest(`R${i}`, searchKeys(i), { citizenKey: 'C', link: link(i) });

async function measure(run: (i: number) => Promise<void>, offset: number): Promise<number> {
  const c0 = process.cpuUsage();
  // 10 at a time, as concurrent intakes would
  for (let i = 0; i < N; i += 10)
    await Promise.all(Array.from({ length: 10 }, (_, j) => run(offset + i + j)));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / N / 1000;
}

try {
  await measure(before, 1_000_000);
  await measure(after, 2_000_000);
  const figures = { before: [] as number[], after: [] as number[] };
  for (let r = 0; r < ROUNDS; r += 1) {
    figures.before.push(await measure(before, r * 2 * N));
    figures.after.push(await measure(after, (r * 2 + 1) * N));
    console.log(
      `round ${r + 1}: before ${figures.before.at(-1)!.toFixed(3)} ms, after ${figures.after.at(-1)!.toFixed(3)} ms per filing (load ${loadavg()[0]!.toFixed(1)})`,
    );
  }
  const spread = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return `${s[0]!.toFixed(3)} / ${s[Math.floor(s.length / 2)]!.toFixed(3)} / ${s.at(-1)!.toFixed(3)}`;
  };
  console.log(
    `CPU ms per filing, min / median / max: before ${spread(figures.before)}, after ${spread(figures.after)}`,
  );
} finally {
  await dynamo.end();
}
