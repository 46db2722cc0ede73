/**
 * CPU of the AWS SDK's own work per call on the local stack's in-process DynamoDB client, without
 * DynamoDB: the client (local/dynamodb.ts `localDynamoClient`) sends to a responder that answers every
 * request with the same GetItem-shaped body, so only serialization, the middleware chain and
 * deserialization are measured. Three variants in turns: the client as the stack builds it (config made
 * fast, shared/aws/fast-config.ts; no network-only middleware, local/dynamodb-inprocess.ts), the same with
 * the network-only middleware, and that one with the SDK's config left in dictionary mode.
 * Prints µs of CPU per call (PutItem with a condition, then GetItem; 10,000 calls a round), min / median /
 * max of the rounds. Usage: `npx tsx bench/workflow/sdk-calls.ts [rounds=5]`.
 */
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localDynamoClient, localDynamoClientConfig } from '#local/dynamodb.ts';
import { withFastConfig } from '#shared/aws/fast-config.ts';

const ROUNDS = Number(process.argv[2] ?? 5);
const answer = Buffer.from(
  JSON.stringify({
    Item: {
      pk: { S: 'REQ#1' },
      sk: { S: 'REQUEST' },
      status: { S: 'RECEIVED' },
      version: { N: '1' },
      applicant: { M: { name: { S: 'x'.repeat(40) }, phone: { S: '13800000000' } } },
    },
  }),
);
const call = async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' },
  body: new Uint8Array(answer),
});

/** A signer that leaves the request as it is (the stack's clients had one before their signing step was removed). */
const noSigning = { sign: async <R>(request: R) => request };

/**
 * The stack's client (`stack`); the same with the network-only middleware kept (`network`: retry, auth
 * scheme, signing with `noSigning`, recursion detection, logger); that one with its config left in
 * dictionary mode as the SDK makes it (`dictionary`: the stack's client until issue 16's last round).
 */
function client(variant: 'stack' | 'network' | 'dictionary'): DynamoDBClient {
  const options = { cacheMiddleware: true };
  if (variant === 'stack') return localDynamoClient('http://127.0.0.1:1', { call }, options);
  const c = new DynamoDBClient({
    ...localDynamoClientConfig('http://127.0.0.1:1', { call }, options),
    signer: noSigning,
  });
  return variant === 'network' ? withFastConfig(c) : c;
}

const put = () =>
  new PutItemCommand({
    TableName: 'certflow',
    Item: { pk: { S: 'REQ#1' }, sk: { S: 'REQUEST' }, status: { S: 'CHECKING' }, version: { N: '2' } },
    ConditionExpression: '#v = :v',
    ExpressionAttributeNames: { '#v': 'version' },
    ExpressionAttributeValues: { ':v': { N: '1' } },
  });
const get = () =>
  new GetItemCommand({ TableName: 'certflow', Key: { pk: { S: 'REQ#1' }, sk: { S: 'REQUEST' } } });

async function round(c: DynamoDBClient, pairs: number): Promise<number> {
  const t = process.cpuUsage();
  for (let i = 0; i < pairs; i += 1) {
    await c.send(put());
    await c.send(get());
  }
  const used = process.cpuUsage(t);
  return (used.user + used.system) / (pairs * 2);
}

const variants = {
  'as the stack builds it': client('stack'),
  'with the network-only middleware': client('network'),
  'that, config in dictionary mode': client('dictionary'),
};
for (const c of Object.values(variants)) await round(c, 3000); // warm-up
const results = new Map<string, number[]>(Object.keys(variants).map((k) => [k, []]));
for (let r = 0; r < ROUNDS; r += 1)
  for (const [name, c] of Object.entries(variants)) results.get(name)!.push(await round(c, 5000));
console.log(
  `AWS SDK CPU per call on the in-process client (µs, min / median / max of ${ROUNDS} rounds of 10,000 calls):`,
);
for (const [name, values] of results) {
  values.sort((a, b) => a - b);
  console.log(
    `  ${name.padEnd(40)} ${values[0]!.toFixed(1)} / ${values[Math.floor(values.length / 2)]!.toFixed(1)} / ${values.at(-1)!.toFixed(1)}`,
  );
}
