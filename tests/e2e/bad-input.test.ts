/**
 * Issue 11, class 3: every bad input gets a clear answer and stores nothing — one test per row of the
 * issue's table that an in-process stack can show (the process rows are in process.test.ts). The
 * stack's clock is pinned (Monday 2026-11-23, helpers.ts).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { buildIdNumber } from '#shared/domain/id-number.ts';
import { REQUEST_STATUSES } from '#shared/domain/request.ts';
import type { ProblemFieldError } from '#shared/http/problem.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { call, investigation, scenario, startTestStack, submit } from './helpers.ts';

let stack: LocalStack;

beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack?.end();
});

const paths = (a: { body: { errors?: ProblemFieldError[] } }) => (a.body.errors ?? []).map((e) => e.path);

type Body = {
  subject: Record<string, unknown>;
  applicant: Record<string, unknown>;
  [key: string]: unknown;
};

function identity(patch: (body: Body) => void): Body {
  const body = structuredClone(scenario('identity').body) as Body;
  patch(body);
  return body;
}

/** Every request stored, in any status (the status counters, kept on each write). */
async function requestCount(): Promise<number> {
  let n = 0;
  for (const status of REQUEST_STATUSES) n += (await stack.deps.store.countByStatus(status)).count;
  return n;
}

describe('text', () => {
  it('a body that is not valid UTF-8 is a 400 naming body', async () => {
    const text = JSON.stringify(identity(() => {}));
    const at = text.indexOf('"name":"') + 8;
    const bytes = Buffer.concat([
      Buffer.from(text.slice(0, at)),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text.slice(at)),
    ]);
    const response = await fetch(`${stack.url}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(((await response.json()) as { errors: ProblemFieldError[] }).errors.map((e) => e.path)).toEqual([
      'body',
    ]);
    expect(await requestCount()).toBe(0);
  });

  it('a lone surrogate is a 400 naming the field', async () => {
    const raw = JSON.stringify(identity(() => {})).replace(/"name":"[^"]*"/, '"name":"黄\\ud800"');
    const answer = await call(stack, 'POST', '/v1/requests', {
      raw,
      headers: { 'content-type': 'application/json' },
    });
    expect(answer.status).toBe(400);
    expect(paths(answer)[0]).toMatch(/name$/);
    expect(await requestCount()).toBe(0);
  });

  it('names with control or format characters are a 400; names are normalised to NFC', async () => {
    for (const name of ['黄\u0000丽', '\u200b', '黄\u202e丽', '黄\u200b丽']) {
      const answer = await call(stack, 'POST', '/v1/requests', {
        body: identity((b) => {
          b.subject.name = name;
        }),
      });
      expect(answer.status, JSON.stringify(name)).toBe(400);
      expect(paths(answer)).toEqual(['subject.name']);
      expect(answer.body.errors[0].message).toMatch(/control or format character|must not be empty/);
    }
    expect(await requestCount()).toBe(0);
    const decomposed = 'Zoe\u0308'; // "Zoë" with a combining diaeresis
    const { requestId } = await submit(
      stack,
      identity((b) => {
        b.applicant.name = decomposed;
      }),
    );
    const stored = (await stack.deps.store.getRequest(requestId))!.input as Body;
    expect(stored.applicant.name).toBe('Zoë'.normalize('NFC'));
    expect(stored.applicant.name).not.toBe(decomposed);
  });
});

describe('ID numbers', () => {
  it('born after today by the stack clock is a 400 "invalid birth date"; once that day comes, accepted', async () => {
    const unborn = buildIdNumber({ region: '220104', birthDate: '2026-11-25', sequence: 1 });
    const body = identity((b) => {
      b.applicant = { kind: 'SELF', name: '黄丽', idNumber: unborn, phone: '13800000000' };
      b.subject = { name: '黄丽', idNumber: unborn };
    });
    const answer = await call(stack, 'POST', '/v1/requests', { body });
    expect(answer.status).toBe(400);
    expect(paths(answer)).toEqual(['subject.idNumber', 'applicant.idNumber']);
    expect(answer.body.errors[0].message).toContain('invalid birth date');
    // Not the machine's date: the stack's clock (Monday 2026-11-23) decides.
    await call(stack, 'POST', '/_local/clock', { body: { advance: 'P2D' } });
    expect((await call(stack, 'POST', '/v1/requests', { body })).status).toBe(202);
  });
});

describe('signed messages', () => {
  function post(id: string, raw: string) {
    return call(stack, 'POST', '/v1/webhooks/COURT/findings', {
      raw,
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(
          [stack.credentials.departments.COURT!.secret],
          id,
          Math.floor(stack.clock.now() / 1000),
          raw,
        ),
      },
    });
  }

  it('webhook-id is 1–255 visible characters: a validly signed 2,100-character id is a 400', async () => {
    const { requestId } = await investigation(stack);
    const raw = JSON.stringify({ requestId, outcome: 'CONFIRMED' });
    const long = await post('m'.repeat(2100), raw);
    expect(long.status).toBe(400);
    expect(paths(long)).toEqual(['webhook-id']);
    expect((await post('bad id', raw)).status).toBe(400);
    expect((await stack.deps.store.getRequest(requestId))?.pendingFinding).toBeUndefined();
    expect((await post('m'.repeat(255), raw)).status).toBe(202);
  });

  it('the same signed message twice at once gets the same answer twice', async () => {
    const { requestId } = await investigation(stack);
    const raw = JSON.stringify({ requestId, outcome: 'CONFIRMED', facts: { source: 'court file' } });
    const id = `msg_${randomUUID()}`;
    const [a, b] = await Promise.all([post(id, raw), post(id, raw)]);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body).toEqual(b.body);
  });
});

describe('the test clock', () => {
  it('an advance past the supported range is a 400 and changes nothing; routes keep working', async () => {
    const before = (await call(stack, 'GET', '/_local/clock')).body.now as string;
    for (const advance of ['P99999999999D', 'P1000000W', 'PT99999999999999999999H']) {
      const answer = await call(stack, 'POST', '/_local/clock', { body: { advance } });
      expect(answer.status, advance).toBe(400);
    }
    const set = await call(stack, 'POST', '/_local/clock', { body: { set: '+275760-09-13T00:00:00Z' } });
    expect(set.status).toBe(400);
    const after = (await call(stack, 'GET', '/_local/clock')).body.now as string;
    expect(Date.parse(after) - Date.parse(before)).toBeLessThan(60_000);
    expect((await call(stack, 'GET', '/v1/catalogue')).status).toBe(200);
    expect((await call(stack, 'GET', '/healthz')).status).toBe(200);
  });

  it('set backwards is allowed while nothing is open, 409 with the reason once a request is', async () => {
    const back = await call(stack, 'POST', '/_local/clock', { body: { set: '2025-09-30T02:00:00Z' } });
    expect(back.status).toBe(200);
    expect(back.body.now).toMatch(/^2025-09-30T02:00/);
    await investigation(stack);
    const again = await call(stack, 'POST', '/_local/clock', { body: { set: '2025-01-01T00:00:00Z' } });
    expect(again.status).toBe(409);
    expect(again.body.detail).toContain('may not go backwards while 1 request(s) are open');
    expect((await call(stack, 'POST', '/_local/clock', { body: { advance: 'PT1H' } })).status).toBe(200);
  });
});
