/**
 * Defects an adversarial walk of the HTTP API found (the probe of 2026-12-01), each pinned here:
 * - a forged `cursor` (valid base64url JSON, but not a key this API handed out) is a 400 naming `cursor`
 *   on every listing, never a 500 (DynamoDB refuses such an ExclusiveStartKey with a ValidationException);
 * - `GET /v1/supervision` refuses days that do not exist (`2026-11-31`, `2026-02-29`), naming the field;
 * - every 4xx of the local-only routes is `application/problem+json` in Chinese and English, like the API's;
 * - a malformed `month` names the field `month` (it named the body, `""`);
 * - an exchange call naming two different departments (`?department=` and `x-certflow-department`) is a 400
 *   naming `department` (the query parameter silently won);
 * - a 405 has a title of its own ("错误 / Error" before), on the API, the local routes and the pages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { call, startTestStack } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack?.end();
});

const cjk = /[\u4e00-\u9fff]/;
const latin = /[A-Za-z]{3,}/;

/** A 4xx as the contract wants it: problem+json, and both languages in its texts. */
function expectBilingualProblem(answer: { status: number; headers: Headers; body: unknown }, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const p = answer.body as { title?: string; detail?: string; errors?: { message: string }[] };
  const text = [p.title, p.detail, ...(p.errors ?? []).map((e) => e.message)].join(' ');
  expect(text).toMatch(cjk);
  expect(text).toMatch(latin);
}

describe('a forged cursor', () => {
  const forged = [
    // An object of strings (decodes), but not a key of the index the listing reads.
    Buffer.from(JSON.stringify({ pk: 'REQ#X' })).toString('base64url'),
    // Every key attribute, pointing into another department's partition.
    Buffer.from(
      JSON.stringify({ pk: 'EXCH#x', sk: 'EXCH', gsi2pk: 'DEPT#CIVIL_AFFAIRS', gsi2sk: 'EXCH#9999' }),
    ).toString('base64url'),
  ];

  it('is a 400 naming the cursor on every staff listing, not a 500', async () => {
    const { officerToken, supervisorToken } = stack.credentials;
    for (const cursor of forged) {
      for (const [path, token] of [
        [`/v1/stations/CC-YHL/queue?cursor=${cursor}`, officerToken],
        [`/v1/stations/CC-YHL/queue?view=done&cursor=${cursor}`, officerToken],
        [`/v1/exchange/records?department=NOTARY&cursor=${cursor}`, officerToken],
        [`/v1/complaints?status=UPHELD&cursor=${cursor}`, supervisorToken],
        [`/v1/reviews?cursor=${cursor}`, supervisorToken],
        [`/v1/accountability?officer=x&cursor=${cursor}`, supervisorToken],
        [`/v1/accountability?body=NOTARY&cursor=${cursor}`, supervisorToken],
      ] as const) {
        const answer = await call(stack, 'GET', path, { token });
        expectBilingualProblem(answer, 400);
        expect(answer.body.errors, path).toEqual([
          { path: 'cursor', message: expect.stringContaining('cursor') },
        ]);
      }
    }
  });

  it('is a 400 on a department’s signed listing of its records', async () => {
    const secret = stack.credentials.departments.NOTARY!.secret;
    const now = Math.floor(stack.clock.now() / 1000);
    const answer = await call(stack, 'GET', `/v1/exchange/records?department=NOTARY&cursor=${forged[1]}`, {
      headers: signedHeaders([secret], 'probe-forged-cursor', now, ''),
    });
    expectBilingualProblem(answer, 400);
    expect(answer.body.errors[0].path).toBe('cursor');
  });
});

describe('supervision dates', () => {
  it('a day that does not exist is a 400 naming it', async () => {
    const token = stack.credentials.supervisorToken;
    for (const [query, field] of [
      ['from=2026-11-31&to=2026-12-02', 'from'],
      ['from=2026-02-29&to=2026-03-02', 'from'],
      ['from=2026-11-01&to=2026-11-31', 'to'],
    ] as const) {
      const answer = await call(stack, 'GET', `/v1/supervision?${query}`, { token });
      expectBilingualProblem(answer, 400);
      expect(
        answer.body.errors.map((e: { path: string }) => e.path),
        query,
      ).toEqual([field]);
    }
    // A leap day that exists is fine.
    expect(
      (await call(stack, 'GET', '/v1/supervision?from=2028-02-29&to=2028-03-01', { token })).status,
    ).toBe(200);
  });
});

describe('the local-only routes', () => {
  it('answer every 4xx as a bilingual problem', async () => {
    expectBilingualProblem(await call(stack, 'GET', '/_local/nope'), 404);
    expectBilingualProblem(await call(stack, 'GET', '/_local/departments/NOPE/inbox'), 404);
    expectBilingualProblem(await call(stack, 'PUT', '/_local/clock', { body: {} }), 405);
    expectBilingualProblem(await call(stack, 'POST', '/_local/clock', { raw: '{' }), 400);
    expectBilingualProblem(await call(stack, 'POST', '/_local/clock', { body: { advance: 'P-1D' } }), 400);
  });
});

describe('the month of the abolished-demand tracker', () => {
  it('a malformed month is a 400 naming month, in the query and in the path', async () => {
    const query = await call(stack, 'GET', '/v1/transparency/abolished-demands?month=2026-13');
    expectBilingualProblem(query, 400);
    expect(query.body.errors.map((e: { path: string }) => e.path)).toEqual(['month']);
    const path = await call(stack, 'GET', '/v1/transparency/abolished-demands/reports/2026-13', {
      token: stack.credentials.supervisorToken,
    });
    expectBilingualProblem(path, 400);
    expect(path.body.errors.map((e: { path: string }) => e.path)).toEqual(['month']);
  });
});

describe('the department a signed exchange call names', () => {
  it('named twice, differently (query and header), is a 400 naming department; the same twice is fine', async () => {
    const secret = stack.credentials.departments.CIVIL_AFFAIRS!.secret;
    const now = Math.floor(stack.clock.now() / 1000);
    const body = JSON.stringify({
      question: 'ALIVE',
      subject: { idNumber: '220204198512121257', name: '刘洋' },
      purpose: '低保资格复核',
      reference: 'MZ-2026-17',
    });
    const ask = (id: string, header: string) =>
      call(stack, 'POST', '/v1/exchange/queries?department=CIVIL_AFFAIRS', {
        raw: body,
        headers: {
          'content-type': 'application/json',
          'x-certflow-department': header,
          ...signedHeaders([secret], id, now, body),
        },
      });
    const twice = await ask('probe-two-departments', 'NOTARY');
    expectBilingualProblem(twice, 400);
    expect(twice.body.errors.map((e: { path: string }) => e.path)).toEqual(['department']);
    expect((await ask('probe-same-department', 'CIVIL_AFFAIRS')).status).toBe(200);
  });
});

describe('a method a path does not take', () => {
  it('is a 405 problem with its own bilingual title and the Allow header', async () => {
    for (const [method, path] of [
      ['DELETE', '/v1/catalogue'],
      ['PUT', '/_local/clock'],
    ] as const) {
      const answer = await call(stack, method, path);
      expectBilingualProblem(answer, 405);
      expect(answer.body.title).toBe('不支持该方法 / Method not allowed');
      expect(answer.body.type).toBe('/problems/method-not-allowed');
      expect(answer.headers.get('allow')).toBeTruthy();
    }
  });
});
