/**
 * Fuzz of the HTTP edge (fast-check): any body, header or path parameter yields a well-formed answer —
 * a known status, problem+json with a matching `status` for errors — never a 500, and nothing is stored
 * for a rejected request (the table's item count does not move).
 *
 * And the property of issue 11 over findings (officer and signed department), webhooks and exchange
 * queries: every 202 (200 for a query) is reflected — the finding in the request's history at once and
 * in its outcome later, the query in the department's exchange records — and every refusal changes
 * nothing. Runs: `CERTFLOW_FUZZ_RUNS` (10000 for the full local run; CI's default is 150).
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { demoPeople as P } from '#shared/registry/demo-people.ts';
import { PROTOTYPE_KEYS } from '#shared/schemas/intake.ts';
import type { RequestEvent } from '#shared/store/model.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { type Answer, call, scenario, startTestStack, submit, waitFinal, waitWaiting } from './helpers.ts';

/** Runs of the accepted-is-reflected property: CERTFLOW_FUZZ_RUNS, else a CI-sized default. */
const PROPERTY_RUNS = Number(process.env.CERTFLOW_FUZZ_RUNS ?? 150);

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

/** Facts as an attacker would send them: prototype names, control characters, nesting, odd values. */
const factsLike = fc.oneof(
  fc.dictionary(
    fc.oneof(
      fc.constantFrom(
        ...PROTOTYPE_KEYS,
        'source',
        '调查方式',
        '',
        ' ',
        '\u200b',
        'a\u0000b',
        'x'.repeat(101),
      ),
      fc.string({ maxLength: 12 }),
    ),
    fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    { maxKeys: 4 },
  ),
  fc.jsonValue({ maxDepth: 2 }),
  fc.constant({}),
);

const findingLike = fc.record(
  {
    outcome: fc.oneof(fc.constantFrom('CONFIRMED', 'REFUTED'), fc.string({ maxLength: 5 })),
    facts: factsLike,
    note: fc.oneof(fc.constantFrom('核实属实', '查无此事', '', 'a\u202eb'), fc.string({ maxLength: 20 })),
  },
  { requiredKeys: ['outcome'] },
);

const person = (p: { name: string; idNumber: string }) => ({ name: p.name, idNumber: p.idNumber });
const queryLike = fc.record(
  {
    question: fc.constantFrom('ALIVE', 'HUKOU_STATUS', 'NAME_HISTORY', 'KINSHIP', 'NOPE'),
    subject: fc.oneof(
      fc.constantFrom(person(P.wangFang), person(P.zhaoLei), { idNumber: P.wangJianguo.idNumber }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
    relatedPerson: fc.constantFrom(person(P.wangJianguo), { idNumber: '123' }),
    purpose: fc.oneof(fc.constantFrom('继承公证', ''), fc.string({ maxLength: 10 })),
    reference: fc.oneof(fc.constantFrom('NP-2026-1'), fc.string({ maxLength: 10 })),
  },
  { requiredKeys: ['question', 'subject', 'purpose', 'reference'] },
);

const DEPARTMENTS = ['COURT', 'CIVIL_AFFAIRS', 'EDUCATION', 'NOTARY'] as const;

const action = fc.oneof(
  fc.record({ kind: fc.constant('officer' as const), target: fc.nat(), body: findingLike }),
  fc.record({
    kind: fc.constant('department' as const),
    target: fc.nat(),
    department: fc.constantFrom(...DEPARTMENTS),
    body: findingLike,
    id: fc.oneof(fc.uuid(), fc.constantFrom('m'.repeat(256), 'has space', 'same-id')),
  }),
  fc.record({
    kind: fc.constant('query' as const),
    department: fc.constantFrom(...DEPARTMENTS, undefined),
    body: queryLike,
  }),
);

describe('every accepted message is reflected (issue 11)', () => {
  it(`findings, webhooks and exchange queries: every 202 in history, every refusal changes nothing (${PROPERTY_RUNS} runs)`, async () => {
    const pool: { requestId: string; accessToken: string }[] = [];
    const accepted: { requestId: string; accessToken: string; by: string; outcome: string }[] = [];
    const refill = async () => {
      while (pool.length < 6) {
        const r = await submit(stack, scenario('kinship-investigate').body);
        await waitWaiting(stack, r.requestId);
        pool.push(r);
      }
    };
    await refill();
    await fc.assert(
      fc.asyncProperty(action, async (a) => {
        if (a.kind === 'query') {
          const raw = JSON.stringify(a.body);
          const secret = stack.credentials.departments[a.department ?? 'NOTARY']!.secret;
          const answer = await call(
            stack,
            'POST',
            `/v1/exchange/queries${a.department ? `?department=${a.department}` : ''}`,
            {
              raw,
              headers: {
                'content-type': 'application/json',
                ...signedHeaders([secret], `q_${Math.random()}`, Math.floor(stack.clock.now() / 1000), raw),
              },
            },
          );
          wellFormed(answer, [200, 400]);
          if (answer.status === 200) {
            const records = await stack.deps.store.listExchangeRecords(a.department!, { limit: 5 });
            expect(records.items.map((r) => r.exchangeId)).toContain(answer.body.exchangeId);
          }
          return;
        }
        const slot = a.target % pool.length;
        const target = pool[slot]!;
        const before = await stack.deps.store.getRequest(target.requestId);
        const raw = JSON.stringify(
          a.kind === 'department' ? { requestId: target.requestId, ...a.body } : a.body,
        );
        const answer =
          a.kind === 'officer'
            ? await call(stack, 'POST', `/v1/requests/${target.requestId}/findings`, {
                raw,
                headers: { 'content-type': 'application/json' },
                token: stack.credentials.officerToken,
              })
            : await call(stack, 'POST', `/v1/webhooks/${a.department}/findings`, {
                raw,
                headers: {
                  'content-type': 'application/json',
                  ...signedHeaders(
                    [stack.credentials.departments[a.department]!.secret],
                    a.id,
                    Math.floor(stack.clock.now() / 1000),
                    raw,
                  ),
                },
              });
        wellFormed(answer, [202, 400, 404, 409]);
        const after = await stack.deps.store.getRequest(target.requestId);
        if (answer.status !== 202) {
          // A refusal (or a replay of a message answered before) changes nothing.
          expect(after?.version).toBe(before?.version);
          return;
        }
        const by = a.kind === 'officer' ? 'officer:demo-officer' : `department:${a.department}`;
        if (answer.headers.get('webhook-replayed') === 'true') {
          expect(after?.version).toBe(before?.version);
          return;
        }
        // Accepted: in the history at once (stored before the 202), then applied.
        const view = await call(stack, 'GET', `/v1/requests/${target.requestId}`, {
          token: stack.credentials.officerToken,
        });
        const received = (view.body.history as RequestEvent[]).filter((e) => e.type === 'FINDING_RECEIVED');
        expect(received).toHaveLength(1);
        expect(received[0]).toMatchObject({ actor: by, detail: { outcome: answer.body.outcome } });
        accepted.push({ ...target, by, outcome: answer.body.outcome });
        pool.splice(slot, 1);
        await refill();
      }),
      { numRuns: PROPERTY_RUNS },
    );
    // Every accepted finding decided its request, by its reporter (or the history says why not).
    for (const a of accepted) {
      const view = await waitFinal(stack, a.requestId, a.accessToken);
      const last = (view.history as RequestEvent[]).at(-1)!;
      expect(last).toMatchObject({
        type: a.outcome === 'CONFIRMED' ? 'ISSUED' : 'REFUSED',
        actor: a.by,
      });
    }
    console.log(`fuzz property: ${PROPERTY_RUNS} runs, ${accepted.length} findings accepted and applied`);
  }, 3_600_000);
});
