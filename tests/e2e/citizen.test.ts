/**
 * End to end over HTTP on the real local stack (dynalite, local Step Functions, pinned clock):
 * the citizen one-time-code sign-in (wrong / expired / reused codes, rate limits, no enumeration), the
 * data tracker ("who asked about me"), lost-link recovery, and the abolished-demand tracker with its
 * monthly signed report.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import type { LocalStack } from '#local/stack.ts';
import { advanceClock, call, scenario, signedPost, startTestStack, submit, waitFinal } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack(); // Monday 23 November 2026, 10:00 Beijing time
});
afterAll(async () => {
  await stack?.end();
});

/** A demo scenario's body, the applicant's phone replaced (each test its own phone). */
function withPhone(id: string, phone: string) {
  const body = structuredClone(scenario(id).body) as { applicant: Record<string, unknown> };
  body.applicant.phone = phone;
  return body;
}

async function file(id: string, phone: string) {
  const { requestId, accessToken } = await submit(stack, withPhone(id, phone));
  await waitFinal(stack, requestId, accessToken);
  return { requestId, accessToken };
}

function askCode(idNumber: string, phone: string, locale?: 'zh' | 'en') {
  return call(stack, 'POST', '/v1/citizen/codes', {
    body: { idNumber, phone, ...(locale ? { locale } : {}) },
  });
}

/** The newest code the outbox holds for `phone` (the local SMS outbox, GET /_local/notifications). */
async function codeFromOutbox(phone: string): Promise<string | undefined> {
  const box = await call(stack, 'GET', `/_local/notifications?to=${encodeURIComponent(`+86${phone}`)}`);
  const sms = (box.body.messages as { key: string; text: string }[]).find((m) => m.key === 'recoveryCode');
  return sms?.text.match(/\d{6}/)?.[0];
}

function signIn(idNumber: string, phone: string, code: string) {
  return call(stack, 'POST', '/v1/citizen/sessions', { body: { idNumber, phone, code } });
}

async function sessionFor(idNumber: string, phone: string): Promise<string> {
  expect((await askCode(idNumber, phone)).status).toBe(202);
  const code = await codeFromOutbox(phone);
  expect(code).toMatch(/^\d{6}$/);
  const answer = await signIn(idNumber, phone, code!);
  expect(answer.status).toBe(200);
  return answer.body.sessionToken;
}

describe('the citizen one-time-code sign-in', () => {
  it('answers the same for a known and an unknown pair; only the known pair gets an SMS', async () => {
    await file('identity', '13900000001');
    const known = await askCode(P.zhangWei.idNumber, '13900000001', 'en');
    const unknownPhone = await askCode(P.zhangWei.idNumber, '13900000009');
    const unknownPerson = await askCode(P.wangFang.idNumber, '13900000001');
    for (const a of [known, unknownPhone, unknownPerson]) {
      expect(a.status).toBe(202);
      expect(a.body).toEqual(known.body);
    }
    expect(await codeFromOutbox('13900000009')).toBeUndefined();
    const box = await call(stack, 'GET', '/_local/notifications?to=%2B8613900000001');
    const sms = box.body.messages.find((m: { key: string }) => m.key === 'recoveryCode');
    expect(sms).toMatchObject({ locale: 'en', to: '+8613900000001' });
    expect(sms.text).toMatch(/^Jilin police: code \d{6} /);
    expect(JSON.stringify(box.body)).not.toContain(P.zhangWei.idNumber);
  });

  it('refuses a wrong code, an expired code and a used code with one and the same 401', async () => {
    const id = P.zhangWei.idNumber;
    const phone = '13900000001';
    await askCode(id, phone);
    const code = (await codeFromOutbox(phone))!;
    const wrong = await signIn(id, phone, code === '000000' ? '111111' : '000000');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toContain('application/problem+json');
    const good = await signIn(id, phone, code);
    expect(good.status).toBe(200);
    expect(good.body.sessionToken).toMatch(/^cts_/);
    const reused = await signIn(id, phone, code);
    expect(reused.status).toBe(401);
    expect(reused.body).toEqual(wrong.body);

    await askCode(id, phone);
    const late = (await codeFromOutbox(phone))!;
    await advanceClock(stack, 'PT11M');
    const expired = await signIn(id, phone, late);
    expect(expired.status).toBe(401);
    expect(expired.body).toEqual(wrong.body);
    // An unknown pair with any code: the same answer.
    expect((await signIn(P.wangFang.idNumber, '13900000009', '123456')).body).toEqual(wrong.body);
  });

  it('spends a code after 5 wrong tries', async () => {
    const id = P.zhangWei.idNumber;
    const phone = '13900000001';
    await askCode(id, phone);
    const code = (await codeFromOutbox(phone))!;
    const other = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i += 1) expect((await signIn(id, phone, other)).status).toBe(401);
    expect((await signIn(id, phone, code)).status).toBe(401);
  });

  it('rejects bad input with a bilingual problem and stores nothing', async () => {
    const bad = await call(stack, 'POST', '/v1/citizen/codes', {
      body: { idNumber: '220102197903030000', phone: '12' },
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    expect(JSON.stringify(bad.body)).not.toContain('220102197903030000');
    const badCode = await signIn(P.zhangWei.idNumber, '13900000001', '12ab');
    expect(badCode.status).toBe(400);
  });

  it('limits codes per phone (5 an hour), whether or not the pair is known', async () => {
    await advanceClock(stack, 'PT1H');
    const phone = '13900000077';
    for (let i = 0; i < 5; i += 1) expect((await askCode(P.wangFang.idNumber, phone)).status).toBe(202);
    const sixth = await askCode(P.zhangWei.idNumber, phone);
    expect(sixth.status).toBe(429);
    expect(Number(sixth.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('limits asks per address (30 an hour)', async () => {
    await advanceClock(stack, 'PT1H');
    let status = 0;
    let asked = 0;
    for (let i = 0; i < 31 && status !== 429; i += 1) {
      status = (await askCode(P.wangFang.idNumber, `1370000${String(i).padStart(4, '0')}`)).status;
      asked += 1;
    }
    expect(status).toBe(429);
    expect(asked).toBe(31);
    await advanceClock(stack, 'PT1H');
  });
});

describe('who asked about me (the data tracker)', () => {
  it("lists a department's query about the person, and not in another person's tracker", async () => {
    await file('identity', '13900000002'); // 张伟 applies: his ID number and phone are known
    await file('marital-status', '13900000003'); // 王芳 too
    const asked = await signedPost(
      stack,
      'HUMAN_RESOURCES',
      '/v1/exchange/queries?department=HUMAN_RESOURCES',
      {
        question: 'ALIVE',
        subject: { idNumber: P.zhangWei.idNumber },
        purpose: 'PENSION',
        reference: 'HR-2026-077',
      },
    );
    expect(asked.status).toBe(200);
    const fishing = await signedPost(stack, 'NOTARY', '/v1/exchange/queries?department=NOTARY', {
      question: 'HUKOU_STATUS',
      subject: { idNumber: P.zhangWei.idNumber },
      purpose: '了解一下',
      reference: 'N-1',
    });
    expect(fishing.status).toBe(200);

    const zhang = await sessionFor(P.zhangWei.idNumber, '13900000002');
    const tracker = await call(stack, 'GET', '/v1/citizen/exchange-records', { token: zhang });
    expect(tracker.status).toBe(200);
    const byId = new Map(tracker.body.entries.map((e: { exchangeId: string }) => [e.exchangeId, e]));
    expect(byId.get(asked.body.exchangeId)).toMatchObject({
      body: { code: 'HUMAN_RESOURCES', name: { zh: expect.any(String), en: expect.any(String) } },
      question: 'ALIVE',
      purpose: { given: 'PENSION', legal: true },
      rule: { mechanism: 'AD_HOC_VERIFICATION' },
      reference: 'HR-2026-077',
      answer: asked.body.answer,
    });
    expect(byId.get(fishing.body.exchangeId)).toMatchObject({
      body: { code: 'NOTARY' },
      purpose: { given: '了解一下', legal: false, name: { en: 'no legal purpose stated' } },
    });
    expect(tracker.body.withoutLegalPurpose).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(tracker.body)).not.toContain(P.zhangWei.idNumber);

    const wang = await sessionFor(P.wangFang.idNumber, '13900000003');
    const hers = await call(stack, 'GET', '/v1/citizen/exchange-records', { token: wang });
    expect(hers.status).toBe(200);
    const ids = hers.body.entries.map((e: { exchangeId: string }) => e.exchangeId);
    expect(ids).not.toContain(asked.body.exchangeId);
    expect(ids).not.toContain(fishing.body.exchangeId);
  });

  it('lists the exchange that answered a request instead of a certificate (result feedback)', async () => {
    const { requestId } = await file('alive-exchange', '13900000004');
    const view = await stack.deps.store.getRequest(requestId);
    expect(view?.status).toBe('ANSWERED_BY_EXCHANGE');
    const applicant = view!.input.applicant.idNumber!;
    const subject = view!.input.subject.idNumber;
    // The subject is on the request; the applicant's session sees it if the applicant is the subject.
    const token = await sessionFor(applicant, '13900000004');
    const tracker = await call(stack, 'GET', '/v1/citizen/exchange-records', { token });
    const line = tracker.body.entries.find((e: { requestId?: string }) => e.requestId === requestId);
    if (applicant === subject) expect(line).toMatchObject({ rule: { mechanism: 'RESULT_FEEDBACK' } });
    else expect(line).toBeUndefined();
  });

  it('answers 401 without a session, with a forged or an expired one', async () => {
    expect((await call(stack, 'GET', '/v1/citizen/exchange-records')).status).toBe(401);
    expect(
      (
        await call(stack, 'GET', '/v1/citizen/requests', {
          token: 'cts_e30.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        })
      ).status,
    ).toBe(401);
    const token = await sessionFor(P.zhangWei.idNumber, '13900000002');
    await advanceClock(stack, 'PT16M');
    expect((await call(stack, 'GET', '/v1/citizen/requests', { token })).status).toBe(401);
  });
});

describe('lost-link recovery', () => {
  it('gives back the requests filed with that ID number and phone, with working status links', async () => {
    const a = await file('identity', '13900000005');
    const b = await file('unlisted-county-demand', '13900000005');
    const other = await file('identity', '13900000006'); // the same person, another phone
    const token = await sessionFor(P.zhangWei.idNumber, '13900000005');
    const answer = await call(stack, 'GET', '/v1/citizen/requests', { token });
    expect(answer.status).toBe(200);
    const ids = answer.body.requests.map((r: { requestId: string }) => r.requestId);
    expect(ids.sort()).toEqual([a.requestId, b.requestId].sort());
    expect(ids).not.toContain(other.requestId);
    for (const r of answer.body.requests) {
      expect(r.statusLink).toBe(`/requests/${r.requestId}#token=${encodeURIComponent(r.accessToken)}`);
      const status = await call(stack, 'GET', `/v1/requests/${r.requestId}`, { token: r.accessToken });
      expect(status.status).toBe(200);
    }
  });
});

describe('messages to the applicant', () => {
  it('go to the phone given at intake, in the applicant’s language, without the ID number', async () => {
    const body = withPhone('identity', '13900000010') as Record<string, unknown>;
    body.locale = 'en';
    const { requestId, accessToken } = await submit(stack, body);
    await waitFinal(stack, requestId, accessToken);
    // The closing message is sent right after the final status is written: poll the outbox for it.
    const outbox = () => call(stack, 'GET', `/_local/notifications?requestId=${requestId}`);
    await expect
      .poll(async () => (await outbox()).body.messages.map((m: { key: string }) => m.key).sort(), {
        timeout: 10_000,
      })
      .toEqual(['accepted', 'declined']);
    const box = await outbox();
    for (const m of box.body.messages) {
      expect(m).toMatchObject({ to: '+8613900000010', locale: 'en' });
      expect(m.text).not.toMatch(/\d{17}[\dX]/);
    }
  });
});

describe('the abolished-demand tracker', () => {
  it('counts declined demands per asking body and kind, and sends the monthly report', async () => {
    const before = await call(stack, 'GET', '/v1/transparency/abolished-demands');
    expect(before.status).toBe(200);
    const count = (body: string, kind: string, b = before.body) =>
      b.lines.find((l: { body: string; kind: string }) => l.body === body && l.kind === kind)?.declined ?? 0;

    await file('identity', '13900000020'); // BANK, IDENTITY: provable by the booklet
    await file('identity', '13900000020');
    await file('unlisted-county-demand', '13900000020'); // HOUSING, NOT_LISTED: abolished
    await file('marital-status', '13900000020'); // not police information: not an abolished demand

    const after = await call(stack, 'GET', '/v1/transparency/abolished-demands');
    expect(count('BANK', 'IDENTITY', after.body)).toBe(count('BANK', 'IDENTITY') + 2);
    expect(count('HOUSING', 'NOT_LISTED', after.body)).toBe(count('HOUSING', 'NOT_LISTED') + 1);
    expect(count('HOUSING', 'MARITAL_STATUS', after.body)).toBe(0);
    expect(after.body.lines[0].total).toBeGreaterThanOrEqual(after.body.lines.at(-1).total);
    expect(JSON.stringify(after.body)).not.toMatch(/\d{17}[\dX]/);
    const month = await call(stack, 'GET', '/v1/transparency/abolished-demands?month=2026-11');
    expect(count('BANK', 'IDENTITY', month.body)).toBe(count('BANK', 'IDENTITY', after.body));
    const october = await call(stack, 'GET', '/v1/transparency/abolished-demands?month=2026-10');
    expect(october.body.lines).toEqual([]);
    expect((await call(stack, 'GET', '/v1/transparency/abolished-demands?month=2026-13')).status).toBe(400);

    // Into December (Beijing): the daily job sends November's report, signed, to each connected body;
    // one whose endpoint fails gets it on a later day.
    const reports = `/v1/transparency/abolished-demands/reports/2026-11`;
    expect((await call(stack, 'GET', reports)).status).toBe(401);
    stack.setInboxFailing('COURT', true);
    await advanceClock(stack, 'P8D');
    const first = Date.now() + 15_000;
    while (Date.now() < first) {
      const r = await call(stack, 'GET', reports, { token: stack.credentials.supervisorToken });
      if (r.status === 200 && r.body.sentTo.includes('SUPERVISORS')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const failed = await call(stack, 'GET', reports, { token: stack.credentials.supervisorToken });
    expect(failed.body.sentTo).toContain('NOTARY');
    expect(failed.body.sentTo).not.toContain('COURT');
    stack.setInboxFailing('COURT', false);
    await advanceClock(stack, 'P1D');
    const until = Date.now() + 15_000;
    let report = await call(stack, 'GET', reports, { token: stack.credentials.supervisorToken });
    while (Date.now() < until) {
      report = await call(stack, 'GET', reports, { token: stack.credentials.supervisorToken });
      if (report.status === 200 && report.body.sentTo.includes('COURT')) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(report.status).toBe(200);
    expect(report.body.sentTo).toEqual(
      expect.arrayContaining(['NOTARY', 'HUMAN_RESOURCES', 'SUPERVISORS', 'COURT']),
    );
    expect(report.body.digest).toBe(failed.body.digest);
    // Once each: the next day's run sends nothing again.
    expect(
      (stack.inbox('NOTARY') ?? []).filter(
        (m) =>
          m.type === 'certflow.transparency.abolished_demands' &&
          (m.data as { month?: string }).month === '2026-11',
      ),
    ).toHaveLength(1);
    expect(report.body.report.bodies.map((b: { body: string }) => b.body)).toEqual(
      expect.arrayContaining(['BANK', 'HOUSING']),
    );
    const inbox = stack.inbox('NOTARY') ?? [];
    const sent = inbox.find(
      (m) =>
        m.type === 'certflow.transparency.abolished_demands' &&
        (m.data as { month?: string }).month === '2026-11',
    );
    expect(sent).toMatchObject({ verified: true, data: { month: '2026-11', digest: report.body.digest } });
    expect((await call(stack, 'GET', reports, { token: stack.credentials.officerToken })).status).toBe(401);
  });
});
