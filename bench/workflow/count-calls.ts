/**
 * DynamoDB calls per on-the-spot request, counted on the wire (DynamoDBClient.send) on the in-memory
 * local stack: N name-change requests (default 10) run intake → ISSUED one after another; prints each
 * command with its partition-key prefix and the count per request. Figures only, never pass/fail.
 * With `--idempotency-key` each request carries its own `Idempotency-Key` (Powertools' record and the
 * key's link to its request, functions/http/intake.ts).
 *   npx tsx bench/workflow/count-calls.ts [N] [--idempotency-key]
 */
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { startLocalStack } from '#local/stack.ts';
import { benchOwn, tapDynamoSend } from './dynamo-wire.ts';

const args = process.argv.slice(2);
const withKey = args.includes('--idempotency-key');
const N = Number(args.find((a) => !a.startsWith('--')) ?? 10);
const counts = new Map<string, number>();
let counting = false;
const prefix = (v: unknown): string => {
  const s = (v as { S?: string } | undefined)?.S ?? (typeof v === 'string' ? v : undefined);
  return s === undefined ? '?' : s.replace(/#.*$/, '#…');
};
tapDynamoSend({
  before({ op, input }) {
    if (!counting) return;
    const key =
      (input.Key as Record<string, unknown> | undefined)?.pk ??
      (input.Item as Record<string, unknown> | undefined)?.pk ??
      (input.ExpressionAttributeValues as Record<string, unknown> | undefined)?.[':pk'] ??
      // BatchWriteItem: the partition prefixes of its puts, e.g. `CITIZEN#…+FIND#…`
      [
        ...new Set(
          Object.values(
            (input.RequestItems ?? {}) as Record<string, { PutRequest?: { Item?: { pk?: unknown } } }[]>,
          )
            .flat()
            .map((r) => prefix(r.PutRequest?.Item?.pk)),
        ),
      ]
        .sort()
        .join('+');
    const name = `${op} ${typeof key === 'string' && key.includes('+') ? key : prefix(key)}`;
    counts.set(name, (counts.get(name) ?? 0) + 1);
  },
});

const stack = await startLocalStack({
  port: 0,
  inMemory: true,
  web: false,
  logLevel: 'SILENT',
  rateLimit: 0,
  scheduler: false,
});
const body = JSON.stringify(demoScenarios.find((s) => s.id === 'name-change')!.body);
const issued = () => benchOwn.run(true, async () => (await stack.deps.store.countByStatus('ISSUED')).count);
let submitted = 0;
const submit = () => {
  submitted += 1;
  return fetch(`${stack.url}/v1/requests`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(withKey ? { 'idempotency-key': `count-calls-${process.pid}-${submitted}` } : {}),
    },
    body,
  });
};
try {
  await submit();
  while ((await issued()) < 1) await new Promise((r) => setTimeout(r, 20));
  counting = true;
  for (let i = 0; i < N; i += 1) {
    const r = await submit();
    if (r.status !== 202) throw new Error(`intake ${r.status}`);
    // the workflow runs on; count until ISSUED (the polling's own calls are not counted)
    while ((await issued()) < i + 2) await new Promise((r) => setTimeout(r, 20));
  }
  await new Promise((r) => setTimeout(r, 200));
  counting = false;
} finally {
  await stack.end();
}
let total = 0;
for (const [name, n] of [...counts].sort()) {
  total += n;
  console.log(`${(n / N).toFixed(1).padStart(5)}  ${name}`);
}
console.log(
  `${(total / N).toFixed(1).padStart(5)}  per request (${N} requests${withKey ? ', each with an Idempotency-Key' : ''})`,
);
