/**
 * Every outcome of DOMAIN.md that needs no investigation, over HTTP against the local stack:
 * the declined principles, exchange instead of a certificate, issue on the spot + verification,
 * idempotent intake, access control on status, the metrics summary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxMessage } from '#local/departments.ts';
import type { LocalStack } from '#local/stack.ts';
import type { ProblemFieldError } from '#shared/http/problem.ts';
import type { ExchangeRecord, RequestEvent } from '#shared/store/model.ts';
import {
  call,
  getRequest,
  scenario,
  signedGet,
  startTestStack,
  submit,
  waitFinal,
  waitWaiting,
} from './helpers.ts';

let stack: LocalStack;

/** The request a department's webhook message is about, if its data names one. */
function requestIdOf(message: InboxMessage): unknown {
  const data = message.data;
  return typeof data === 'object' && data !== null && 'requestId' in data ? data.requestId : undefined;
}

/** A person of a scenario's body, with its ID number known to be a string (all its fields kept). */
function person(value: unknown): Record<string, unknown> & { idNumber: string } {
  if (
    typeof value === 'object' &&
    value !== null &&
    'idNumber' in value &&
    typeof value.idNumber === 'string'
  )
    return { ...value, idNumber: value.idNumber };
  throw new TypeError(`not a person of a scenario: ${JSON.stringify(value)}`);
}

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.end();
});

describe('declined under the three principles (and rule 6)', () => {
  it.each([
    ['huang-kinship', 'DECLINED_PROVABLE_BY_HUKOU'],
    ['identity', 'DECLINED_PROVABLE_BY_HUKOU'],
    ['marital-status', 'DECLINED_NOT_POLICE_INFORMATION'],
    ['good-conduct', 'DECLINED_NO_LEGAL_BASIS'],
    ['alive-bank', 'DECLINED_NO_LEGAL_BASIS'],
    ['criminal-record-employment-self', 'DECLINED_APPLICANT_NOT_ENTITLED'],
  ])('%s → %s, with the rule that made it and the history', async (id, outcome) => {
    // Prepare / Act
    const { requestId, accessToken, status } = await submit(stack, scenario(id).body);
    const view = await waitFinal(stack, requestId, accessToken);
    // Assess
    expect(status).toBe('RECEIVED');
    expect(view.status).toBe('DECLINED');
    expect(view.decision.outcome).toBe(outcome);
    // Issue 10: decided under the version in force on the acceptance day (2026-11-23: jilin-2021), not
    // always jilin-2016.
    expect(view.decision.ruleId).toMatch(/^jilin-2021\//);
    expect(view.decision.policyVersion).toBe('jilin-2021');
    expect(view.decision.reason.zh.length).toBeGreaterThan(0);
    expect(view.decision.reason.en.length).toBeGreaterThan(0);
    expect(view.certificate).toBeUndefined();
    expect(view.history.map((e: RequestEvent) => e.type).slice(0, 2)).toEqual(['RECEIVED', 'DECLINED']);
  });

  it('not police information names the body that holds the fact', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('marital-status').body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.decision.heldBy).toBe('CIVIL_AFFAIRS');
  });

  it('Ms Huang: the notary (connected) gets a signed notice in its inbox', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('huang-kinship').body);
    const view = await waitFinal(stack, requestId, accessToken);
    const deadline = Date.now() + 5000;
    while (!stack.inbox('NOTARY').some((m) => requestIdOf(m) === requestId) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 30));
    }
    const message = stack.inbox('NOTARY').find((m) => requestIdOf(m) === requestId);
    expect(message).toMatchObject({
      verified: true,
      type: 'certflow.request.declined',
      webhookId: `${requestId}.declined`,
    });
    // Nothing of the person leaves in clear.
    expect(JSON.stringify(message)).not.toContain('220104200609011040');
    expect(view.status).toBe('DECLINED');
  });
});

describe('issue 10 over HTTP', () => {
  it('a stranger naming a connected notary is declined; the notary gets no exchange answer', async () => {
    const { requestId, accessToken } = await submit(
      stack,
      scenario('unrelated-applicant-kinship-notary').body,
    );
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.decision.outcome).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
    expect(view.decision.exchange).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    const types = stack
      .inbox('NOTARY')
      .filter((m) => requestIdOf(m) === requestId)
      .map((m) => m.type);
    expect(types).not.toContain('certflow.exchange.answered');
  });

  it('an ID number born after the stack’s clock is a 400 naming the field', async () => {
    const body = structuredClone(scenario('identity').body) as { subject: { idNumber: string } };
    body.subject.idNumber = '220104202612150024'; // born 2026-12-15; the stack's clock is 2026-11-23
    const answer = await call(stack, 'POST', '/v1/requests', { body });
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((e: ProblemFieldError) => e.path)).toContain('subject.idNumber');
  });

  it('a signed commitment instead of a certificate (jilin-2021, 告知承诺制)', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('criminal-record-commitment').body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.decision).toMatchObject({ outcome: 'COMMITMENT_ACCEPTED', policyVersion: 'jilin-2021' });
    expect(view.decision.commitment).toMatchObject({ department: 'HUMAN_RESOURCES' });
    expect(view.certificate).toBeUndefined();
  });
});

describe('answered by exchange instead of a certificate', () => {
  it('records the exchange, delivers it signed, and lists it for the department', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('kinship-exchange').body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ANSWERED_BY_EXCHANGE');
    expect(view.decision.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(view.certificate).toBeUndefined();
    const records = await signedGet(stack, 'NOTARY', '/v1/exchange/records?department=NOTARY');
    expect(records.status).toBe(200);
    const record = records.body.records.find((r: ExchangeRecord) => r.requestId === requestId);
    expect(record).toMatchObject({ department: 'NOTARY', origin: 'REQUEST', mechanism: 'RESULT_FEEDBACK' });
    expect(record.subject.idNumber).toMatch(/\*{8}/);
    // Another department's signature does not open the notary's records.
    const other = await signedGet(stack, 'COURT', '/v1/exchange/records?department=NOTARY');
    expect(other.status).toBe(401);
  });

  it('ad-hoc verification answers and keeps an exchange record; a replay gets the same answer', async () => {
    const body = {
      question: 'ALIVE',
      subject: { idNumber: '220102195211081069' },
      purpose: '养老金资格认证',
      reference: 'HR-2026-001',
    };
    const { signedHeaders } = await import('#shared/webhooks/signature.ts');
    const raw = JSON.stringify(body);
    const headers = {
      'content-type': 'application/json',
      ...signedHeaders(
        [stack.credentials.departments.HUMAN_RESOURCES!.secret],
        'msg_alive_1',
        Math.floor(stack.clock.now() / 1000),
        raw,
      ),
    };
    const first = await call(stack, 'POST', '/v1/exchange/queries?department=HUMAN_RESOURCES', {
      raw,
      headers,
    });
    const second = await call(stack, 'POST', '/v1/exchange/queries?department=HUMAN_RESOURCES', {
      raw,
      headers,
    });
    expect(first.status).toBe(200);
    // The domain's answer (shared/domain/exchange.ts): masked subject, death registered or not.
    expect(first.body.answer).toEqual({
      subject: '220102********1069',
      onRecord: true,
      deathRegistered: true,
      deathRegisteredOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(first.body).toMatchObject({ source: 'population-registry', answeredAt: expect.any(String) });
    expect(JSON.stringify(first.body)).not.toContain(body.subject.idNumber);
    expect(second.body).toEqual(first.body);
    const records = await signedGet(
      stack,
      'HUMAN_RESOURCES',
      '/v1/exchange/records?department=HUMAN_RESOURCES',
    );
    expect(
      records.body.records.filter((r: ExchangeRecord) => r.exchangeId === first.body.exchangeId),
    ).toHaveLength(1);
  });
});

describe('issued on the spot', () => {
  it('issues a certificate that verifies with its code and not without', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('kinship-on-the-spot').body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ISSUED');
    expect(view.decision.outcome).toBe('ISSUE_ON_THE_SPOT');
    const { number, verificationCode, links } = view.certificate;
    const verified = await call(stack, 'GET', links.verify);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      valid: true,
      kind: 'KINSHIP',
      status: 'VALID',
      subjectName: '王*',
    });
    const wrong = verificationCode.startsWith('A')
      ? `B${verificationCode.slice(1)}`
      : `A${verificationCode.slice(1)}`;
    expect((await call(stack, 'GET', `/v1/certificates/${number}?code=${wrong}`)).status).toBe(404);
    expect((await call(stack, 'GET', `/v1/certificates/${number}`)).status).toBe(404);
    // The code is stored only as a hash.
    const stored = await stack.deps.store.getCertificate(number);
    expect(JSON.stringify(stored)).not.toContain(verificationCode);
  });
});

describe('idempotent intake', () => {
  it('the same key with the same body answers the first request; another body is 422', async () => {
    const body = scenario('name-change').body;
    const key = `key-${Date.now()}`;
    const first = await call(stack, 'POST', '/v1/requests', { body, headers: { 'idempotency-key': key } });
    const again = await call(stack, 'POST', '/v1/requests', { body, headers: { 'idempotency-key': key } });
    const other = await call(stack, 'POST', '/v1/requests', {
      body: scenario('gender-change').body,
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(202);
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toContain('application/problem+json');
    const view = await waitFinal(stack, first.body.requestId, first.body.accessToken);
    expect(view.history.filter((e: RequestEvent) => e.type === 'RECEIVED')).toHaveLength(1);
  });
});

describe('access control on status', () => {
  it('staff see the filed facts with ID numbers masked; the citizen view leaves them out', async () => {
    const body = scenario('kinship-investigate').body;
    const filed = {
      subject: person(body.subject),
      relatedPerson: person(body.relatedPerson),
      applicant: person(body.applicant),
    };
    const { requestId, accessToken } = await submit(stack, body);
    await waitWaiting(stack, requestId); // staff act for the request's station, known once decided
    const staff = await getRequest(stack, requestId, stack.credentials.officerToken);
    expect(staff.status).toBe(200);
    const mask = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;
    expect(staff.body.input).toEqual({
      subject: { ...filed.subject, idNumber: mask(filed.subject.idNumber) },
      relatedPerson: { ...filed.relatedPerson, idNumber: mask(filed.relatedPerson.idNumber) },
      applicant: { ...filed.applicant, idNumber: mask(filed.applicant.idNumber) },
      purpose: body.purpose,
      askedBy: 'COURT',
    });
    const supervisor = await getRequest(stack, requestId, stack.credentials.supervisorToken);
    expect(supervisor.body.input).toEqual(staff.body.input);
    for (const id of [filed.subject.idNumber, filed.relatedPerson.idNumber, filed.applicant.idNumber])
      expect(JSON.stringify(staff.body)).not.toContain(id);
    const citizen = await getRequest(stack, requestId, accessToken);
    expect(citizen.status).toBe(200);
    expect(citizen.body).not.toHaveProperty('input');
  });

  it('needs the access token or staff; others see 401 / 404', async () => {
    const a = await submit(stack, scenario('gender-change').body);
    const b = await submit(stack, scenario('identity').body);
    await waitFinal(stack, a.requestId, a.accessToken);
    expect((await call(stack, 'GET', `/v1/requests/${a.requestId}`)).status).toBe(401);
    expect((await getRequest(stack, a.requestId, 'cft_not-a-token-at-all')).status).toBe(404);
    expect((await getRequest(stack, a.requestId, b.accessToken)).status).toBe(404);
    expect((await getRequest(stack, 'NOSUCHREQUEST', a.accessToken)).status).toBe(404);
    expect((await getRequest(stack, a.requestId, stack.credentials.officerToken)).status).toBe(200);
    expect((await getRequest(stack, a.requestId, stack.credentials.supervisorToken)).status).toBe(200);
  });
});

describe('stations', () => {
  it('GET /v1/stations lists the registry stations the staff token acts for', async () => {
    const all = await call(stack, 'GET', '/v1/stations', { token: stack.credentials.officerToken });
    expect(all.status).toBe(200);
    expect(all.body.stations.map((s: { code: string }) => s.code)).toEqual(['CC-YHL', 'CC-GLL', 'JL-DSL']);
    expect(all.body.stations[0]).toEqual({
      code: 'CC-YHL',
      name: '义和路派出所',
      county: expect.any(String),
      city: '长春市',
    });
    const { sha256Hex } = await import('#shared/certificates/ids-and-codes.ts');
    const token = 'cfo_one-station-officer-token';
    await stack.deps.store.putPrincipal(sha256Hex(token), {
      role: 'OFFICER',
      name: 'one-station',
      stations: ['CC-GLL'],
    });
    const one = await call(stack, 'GET', '/v1/stations', { token });
    expect(one.body.stations.map((s: { code: string }) => s.code)).toEqual(['CC-GLL']);
    expect((await call(stack, 'GET', '/v1/stations')).status).toBe(401);
    expect((await call(stack, 'GET', '/v1/stations', { token: 'cft_not-a-token-at-all' })).status).toBe(401);
  });

  it('a cursor the API never handed out is a 400 naming the field, on every listing', async () => {
    const queue = await call(stack, 'GET', '/v1/stations/CC-YHL/queue?cursor=not-a-cursor', {
      token: stack.credentials.officerToken,
    });
    const records = await call(stack, 'GET', '/v1/exchange/records?department=NOTARY&cursor=not-a-cursor', {
      token: stack.credentials.officerToken,
    });
    for (const answer of [queue, records]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([{ path: 'cursor', message: expect.stringContaining('cursor') }]);
    }
    for (const path of [
      '/v1/stations/CC-YHL/queue?limit=0',
      '/v1/exchange/records?department=NOTARY&limit=x',
    ]) {
      const answer = await call(stack, 'GET', path, { token: stack.credentials.officerToken });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].path).toBe('limit');
    }
  });
});

describe('bad input stores nothing', () => {
  it('a missing enum field says "is required", a wrong one lists the allowed values', async () => {
    const { askedBy: _omitted, ...missing } = scenario('identity').body as Record<string, unknown>;
    const absent = await call(stack, 'POST', '/v1/requests', { body: missing });
    expect(absent.status).toBe(400);
    const message = absent.body.errors.find((e: { path: string }) => e.path === 'askedBy')?.message;
    expect(message).toMatch(/^必填.* \/ is required/);
    const wrong = await call(stack, 'POST', '/v1/requests', { body: { ...missing, askedBy: 'NOBODY' } });
    const wrongMessage = wrong.body.errors.find((e: { path: string }) => e.path === 'askedBy')?.message;
    expect(wrongMessage).not.toContain('is required');
    expect(wrongMessage).toContain('NOTARY');
  });

  it('names the field, answers problem+json', async () => {
    const body = { ...scenario('identity').body, subject: { name: '张伟', idNumber: '220104197903031098' } };
    const answer = await call(stack, 'POST', '/v1/requests', { body });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body.errors.map((e: ProblemFieldError) => e.path)).toContain('subject.idNumber');
    expect(
      (
        await call(stack, 'POST', '/v1/requests', {
          raw: '{',
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await call(stack, 'POST', '/v1/requests', { raw: 'x', headers: { 'content-type': 'text/plain' } }))
        .status,
    ).toBe(415);
    const big = JSON.stringify({ proof: 'x'.repeat(70 * 1024) });
    expect(
      (
        await call(stack, 'POST', '/v1/requests', {
          raw: big,
          headers: { 'content-type': 'application/json' },
        })
      ).status,
    ).toBe(413);
  });
});

describe('catalogue and metrics', () => {
  it('lists the catalogue', async () => {
    const answer = await call(stack, 'GET', '/v1/catalogue');
    expect(answer.status).toBe(200);
    // Issue 10: the version in force on the stack's day, and every loaded version with its date.
    expect(answer.body.policyVersion).toBe('jilin-2021');
    expect(answer.body.versions).toEqual([
      expect.objectContaining({ policyVersion: 'jilin-2016', effectiveFrom: '2016-01-01', inForce: false }),
      expect.objectContaining({ policyVersion: 'jilin-2021', effectiveFrom: '2021-12-31', inForce: true }),
    ]);
    // The 9 kept kinds and the opinion's "other cases required by law".
    expect(answer.body.kinds.filter((k: { treatment: string }) => k.treatment === 'ISSUABLE')).toHaveLength(
      10,
    );
  });

  it('counts what the reform saved', async () => {
    const answer = await call(stack, 'GET', '/v1/metrics/summary');
    expect(answer.status).toBe(200);
    const m = answer.body;
    const avoided =
      (m.byOutcome.DECLINED_PROVABLE_BY_HUKOU ?? 0) +
      (m.byOutcome.DECLINED_NO_LEGAL_BASIS ?? 0) +
      (m.byOutcome.DECLINED_NOT_POLICE_INFORMATION ?? 0) +
      (m.byOutcome.ANSWERED_BY_EXCHANGE ?? 0) +
      (m.byOutcome.COMMITMENT_ACCEPTED ?? 0); // issue 10: a signed commitment avoids a certificate too
    expect(avoided).toBeGreaterThanOrEqual(7);
    expect(m.certificatesAvoided).toBe(avoided);
    expect(m.tripsSaved).toBe(2 * avoided);
    expect(m.yuanSaved).toBe(20 * avoided);
    expect(m.byStatus.ISSUED).toBeGreaterThanOrEqual(2);
  });
});

describe('rate limit per client address', () => {
  it('past the limit: 429 with Retry-After; a malformed request counts for nothing', async () => {
    const limited = await startTestStack({ rateLimit: 2 });
    try {
      const body = scenario('identity').body;
      const bad = await call(limited, 'POST', '/v1/requests', { body: { proof: 'NOPE' } });
      const answers = [];
      for (let i = 0; i < 3; i += 1) answers.push(await call(limited, 'POST', '/v1/requests', { body }));
      expect(bad.status).toBe(400);
      expect(answers.map((a) => a.status)).toEqual([202, 202, 429]);
      expect(Number(answers[2]!.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(answers[2]!.headers.get('content-type')).toContain('application/problem+json');
    } finally {
      await limited.end();
    }
  });
});

describe('CORS', () => {
  it('answers a preflight and marks answers readable from other origins', async () => {
    const preflight = await call(stack, 'OPTIONS', '/v1/requests', {
      headers: {
        origin: 'https://forms.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, idempotency-key',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('idempotency-key');
    const catalogue = await call(stack, 'GET', '/v1/catalogue', {
      headers: { origin: 'https://forms.example' },
    });
    expect(catalogue.headers.get('access-control-allow-origin')).toBe('*');
  });
});
