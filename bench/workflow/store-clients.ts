/**
 * The app store's client, measured: CPU microseconds per PutItem + GetItem of a request-sized item
 * through the DynamoDB document client (`@aws-sdk/lib-dynamodb`) and through the plain client with
 * `@aws-sdk/util-dynamodb` marshalling, both on the local stack's in-process dynalite. Alternating
 * rounds; prints min / median / max of each. Never fails on timing.
 *   npx tsx bench/workflow/store-clients.ts
 */
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import * as dynamodbService from '#local/dynamodb.ts';
import { documentClient } from '#shared/store/table-access.ts';

const N = Number(process.env.BENCH_ITEMS ?? 400);
const ROUNDS = 3;

const item = (i: number) => ({
  pk: `REQ#bench-${i}`,
  sk: 'REQUEST',
  itemType: 'request',
  status: 'ISSUED',
  version: 3,
  subject: { name: '黄小雨', idNumberMasked: '110105********0022', station: 'CC-YHL' },
  proof: 'NAME_CHANGE',
  lastEvent: { seq: 3, at: '2026-11-23T02:00:00.000Z', type: 'ISSUED', actor: 'system', detail: {} },
  deadline: '2026-11-30T02:00:00.000Z',
  taskToken: undefined,
});

const dynamo = await dynamodbService.start({});
const doc = documentClient(dynamo.client);
const plain = dynamo.rawClient;
const TableName = dynamo.tableName;

async function viaDocument(base: number) {
  for (let i = 0; i < N; i += 1) {
    const it = item(base + i);
    await doc.send(new PutCommand({ TableName, Item: it }));
    await doc.send(new GetCommand({ TableName, Key: { pk: it.pk, sk: it.sk }, ConsistentRead: true }));
  }
}
async function viaPlain(base: number) {
  for (let i = 0; i < N; i += 1) {
    const it = item(base + i);
    await plain.send(new PutItemCommand({ TableName, Item: marshall(it, { removeUndefinedValues: true }) }));
    const out = await plain.send(
      new GetItemCommand({ TableName, Key: marshall({ pk: it.pk, sk: it.sk }), ConsistentRead: true }),
    );
    if (out.Item) unmarshall(out.Item);
  }
}

const cpuPer = async (run: () => Promise<void>) => {
  const c = process.cpuUsage();
  await run();
  const u = process.cpuUsage(c);
  return (u.user + u.system) / N;
};
await viaDocument(1e6);
await viaPlain(2e6);
const figures = { document: [] as number[], plain: [] as number[] };
for (let r = 0; r < ROUNDS; r += 1) {
  figures.document.push(await cpuPer(() => viaDocument(r * N)));
  figures.plain.push(await cpuPer(() => viaPlain(r * N)));
}
const spread = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return `${s[0]!.toFixed(0)} / ${s[1]!.toFixed(0)} / ${s[2]!.toFixed(0)} µs`;
};
console.log(
  `PutItem + GetItem of a request item, CPU per pair, min / median / max of ${ROUNDS} rounds of ${N}:`,
);
console.log(`  document client (lib-dynamodb)          ${spread(figures.document)}`);
console.log(`  plain client + util-dynamodb marshall   ${spread(figures.plain)}`);
await dynamo.end();
