/**
 * Fuzz of the HTTP edge (fast-check): any body, header or path parameter yields a well-formed answer —
 * a known status, problem+json with a matching `status` for errors — never a 500, and nothing is stored
 * for a rejected request (the table's item count does not move).
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { type Answer, call, scenario, startTestStack } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.end();
});

/** Items in the certflow table (a Scan is fine in a test; request paths never scan). */
async function itemCount(): Promise<number> {
  let count = 0;
  let start: Record<string, import('@aws-sdk/client-dynamodb').AttributeValue> | undefined;
  do {
    const page = await dynamo().send(
      new ScanCommand({ TableName: 'certflow', Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start);
  return count;
}

function dynamo() {
  return new DynamoDBClient({
    endpoint: stack.endpoints.dynamodb,
    region: 'cn-north-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

function wellFormed(answer: Answer, allowed: number[]): void {
  expect(allowed).toContain(answer.status);
  if (answer.status >= 400) {
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: answer.status });
    expect(typeof answer.body.type).toBe('string');
    expect(typeof answer.body.title).toBe('string');
  }
}

/** JSON values that look a bit like intake bodies: real field names, wrong or odd values. */
const intakeLike = fc.record(
  {
    proof: fc.oneof(
      fc.constantFrom('KINSHIP', 'IDENTITY', 'NAME_CHANGE', 'NOPE', ''),
      fc.string(),
      fc.integer(),
    ),
    purpose: fc.oneof(
      fc.record({ code: fc.constantFrom('STUDY_ABROAD', 'X', 'OTHER'), text: fc.string() }),
      fc.string(),
    ),
    askedBy: fc.oneof(fc.constantFrom('NOTARY', 'BANK', 'OTHER', 'nobody'), fc.jsonValue()),
    subject: fc.oneof(
      fc.record({
        name: fc.string(),
        idNumber: fc.oneof(fc.string(), fc.constantFrom('220104197903031099', '22010419790303109X')),
      }),
      fc.jsonValue(),
    ),
    applicant: fc.oneof(
      fc.record({ kind: fc.constantFrom('SELF', 'AGENT', 'UNIT', 'ROBOT'), name: fc.string() }),
      fc.jsonValue(),
    ),
    relatedPerson: fc.jsonValue(),
    event: fc.jsonValue(),
    locale: fc.constantFrom('zh', 'en', 'fr'),
  },
  { requiredKeys: [] },
);

const anyBody = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  intakeLike.map((v) => JSON.stringify(v)),
);

describe('HTTP edge under fuzz', () => {
  it('intake: any body → 400/413/415, problem+json, nothing stored', async () => {
    const before = await itemCount();
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', ''),
        async (raw, type) => {
          const answer = await call(stack, 'POST', '/v1/requests', {
            raw,
            headers: type ? { 'content-type': type } : {},
          });
          wellFormed(answer, [400, 413, 415]);
        },
      ),
      { numRuns: 150 },
    );
    expect(await itemCount()).toBe(before);
  });

  it('intake: one valid body with one field broken at a time → 400 naming a field', async () => {
    const valid = scenario('identity').body as Record<string, unknown>;
    const before = await itemCount();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(valid)),
        fc.jsonValue({ maxDepth: 2 }),
        async (field, value) => {
          // A string could be a valid code (askedBy 'BANK'…); objects and numbers never are.
          fc.pre(typeof value !== 'string' && JSON.stringify(value) !== JSON.stringify(valid[field]));
          const answer = await call(stack, 'POST', '/v1/requests', { body: { ...valid, [field]: value } });
          wellFormed(answer, [400]);
          expect(answer.body.errors.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 100 },
    );
    expect(await itemCount()).toBe(before);
  });

  it('findings, webhooks, exchange queries, status and verification: never a 500, nothing stored', async () => {
    const before = await itemCount();
    const secret = stack.credentials.departments.COURT!.secret;
    await fc.assert(
      fc.asyncProperty(anyBody, fc.string({ maxLength: 40 }), fc.boolean(), async (raw, id, sign) => {
        const signed = sign
          ? signedHeaders(
              [secret],
              `msg_${id.length}_${Math.random()}`,
              Math.floor(stack.clock.now() / 1000),
              raw,
            )
          : {};
        const headers = { 'content-type': 'application/json', ...signed };
        const seg = encodeURIComponent(id) || 'x';
        const answers = await Promise.all([
          call(stack, 'POST', `/v1/requests/${seg}/findings`, {
            raw,
            headers,
            token: stack.credentials.officerToken,
          }),
          call(stack, 'POST', '/v1/webhooks/COURT/findings', { raw, headers }),
          call(stack, 'POST', '/v1/exchange/queries?department=COURT', { raw, headers }),
          call(stack, 'GET', `/v1/requests/${seg}`, {
            token: id.length > 8 ? id.replace(/\s/g, 'x') : 'cft_xxxxxxxxxx',
          }),
          call(stack, 'GET', `/v1/certificates/${seg}?code=${encodeURIComponent(raw.slice(0, 12))}`),
        ]);
        // 405: an id of "." or ".." is a dot segment, which the URL parser removes, so the call lands on
        // another route (e.g. POST /v1/requests/findings) that does not take that method.
        for (const a of answers) wellFormed(a, [400, 401, 404, 405, 409, 413, 415]);
      }),
      { numRuns: 100 },
    );
    expect(await itemCount()).toBe(before);
  });
});
