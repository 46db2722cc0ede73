/**
 * End to end over HTTP on the real local stack (dynalite, the local scheduler on the test clock, the demo
 * department inboxes): what registry changes reported through the change feed (POST /v1/registry/changes)
 * do to the rest of the exchange —
 *  - a change delivered by periodic exchange is filed under the person it is about: the person signs in and
 *    sees it in "who asked about me" (body, purpose, answer, rule); another person does not;
 *  - a later ad-hoc answer reads the registry with the recorded changes laid over it (a reported death
 *    turns an ALIVE answer; a reported name change shows in NAME_HISTORY).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import type { LocalStack } from '#local/stack.ts';
import { advanceClock, call, scenario, signedPost, startTestStack, submit, waitFinal } from './helpers.ts';

const PENSION = 'HUMAN_RESOURCES';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack(); // Monday 23 November 2026, 10:00 Beijing time
}, 60_000);
afterAll(async () => {
  await stack?.end();
});

function change(body: Record<string, unknown>) {
  return call(stack, 'POST', '/v1/registry/changes', { body, token: stack.credentials.registryToken });
}

/** Files a demo scenario with `phone` as the applicant's phone (the pair is then known for sign-in). */
async function file(id: string, phone: string) {
  const body = structuredClone(scenario(id).body) as { applicant: Record<string, unknown> };
  body.applicant.phone = phone;
  const { requestId, accessToken } = await submit(stack, body);
  await waitFinal(stack, requestId, accessToken);
}

async function sessionFor(idNumber: string, phone: string): Promise<string> {
  expect((await call(stack, 'POST', '/v1/citizen/codes', { body: { idNumber, phone } })).status).toBe(202);
  const box = await call(stack, 'GET', `/_local/notifications?to=${encodeURIComponent(`+86${phone}`)}`);
  const sms = (box.body.messages as { key: string; text: string }[]).find((m) => m.key === 'recoveryCode');
  const code = sms?.text.match(/\d{6}/)?.[0];
  expect(code).toMatch(/^\d{6}$/);
  const answer = await call(stack, 'POST', '/v1/citizen/sessions', { body: { idNumber, phone, code } });
  expect(answer.status).toBe(200);
  return answer.body.sessionToken;
}

let asked = 0;
function ask(department: string, query: Record<string, unknown>) {
  asked += 1;
  return signedPost(stack, department, `/v1/exchange/queries?department=${department}`, {
    reference: `T-${asked}`,
    ...query,
  });
}

async function waitForChanges(code: string, changeId: string, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const seen = stack
      .inbox(code)
      .filter((m) => m.type === 'certflow.exchange.changes' && m.verified)
      .flatMap((m) => (m.data as { changes: { changeId: string }[] }).changes.map((c) => c.changeId));
    if (seen.includes(changeId)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${code} never got ${changeId}`);
}

describe('periodic exchange in "who asked about me"', () => {
  it('a change delivered to a subscribed body is listed for the person it is about, and for no one else', async () => {
    // Prepare: 张伟 and 王芳 have each filed a request (their ID number and phone are known); the pension
    // office subscribes to 张伟's hukou cancellations.
    await file('identity', '13900000021'); // applicant 张伟
    await file('marital-status', '13900000022'); // applicant 王芳
    const subscribed = await signedPost(stack, PENSION, `/v1/exchange/subscriptions?department=${PENSION}`, {
      changeTypes: ['DEATH', 'HUKOU_CANCELLED'],
      people: [P.zhangWei.idNumber],
    });
    expect(subscribed.status).toBe(200);

    // Act: the registry reports that 张伟's hukou was cancelled for emigration; one scheduled run.
    const reported = await change({
      changeId: 'chg-tracker-1',
      type: 'HUKOU_CANCELLED',
      idNumber: P.zhangWei.idNumber,
      name: '张伟',
      effectiveOn: '2026-11-20',
      station: 'CC-GLL',
      reason: 'EMIGRATION',
    });
    expect(reported.status).toBe(201);
    expect(reported.body.subscribers).toBe(1);
    await advanceClock(stack, 'PT1H');
    await waitForChanges(PENSION, 'chg-tracker-1');

    // Assess: 张伟 sees the periodic exchange, with the body, purpose, answer and rule.
    const zhang = await sessionFor(P.zhangWei.idNumber, '13900000021');
    const tracker = await call(stack, 'GET', '/v1/citizen/exchange-records', { token: zhang });
    expect(tracker.status).toBe(200);
    const periodic = tracker.body.entries.filter(
      (e: { rule: { mechanism: string } }) => e.rule.mechanism === 'PERIODIC_EXCHANGE',
    );
    expect(periodic).toEqual([
      expect.objectContaining({
        exchangeId: `p_${PENSION}_chg-tracker-1`,
        body: { code: PENSION, name: { zh: expect.any(String), en: expect.any(String) } },
        question: 'HUKOU_CANCELLED',
        questionName: { zh: '户口注销', en: 'a cancelled hukou' },
        purpose: expect.objectContaining({ given: 'PERIODIC_EXCHANGE', legal: true }),
        answer: expect.objectContaining({
          change: 'HUKOU_CANCELLED',
          effectiveOn: '2026-11-20',
          reason: 'EMIGRATION',
          subject: `${P.zhangWei.idNumber.slice(0, 6)}********${P.zhangWei.idNumber.slice(-4)}`,
        }),
        rule: expect.objectContaining({
          id: 'periodic-exchange-subscription',
          mechanism: 'PERIODIC_EXCHANGE',
        }),
      }),
    ]);
    // A periodic exchange is not counted as one without a legal purpose; no ID number in clear.
    expect(tracker.body.withoutLegalPurpose).toBe(0);
    expect(JSON.stringify(tracker.body)).not.toContain(P.zhangWei.idNumber);
    // A second run (nothing new) files nothing twice (the session has expired by then: a new one).
    await advanceClock(stack, 'PT1H');
    const again = await call(stack, 'GET', '/v1/citizen/exchange-records', {
      token: await sessionFor(P.zhangWei.idNumber, '13900000021'),
    });
    expect(
      again.body.entries.filter((e: { exchangeId: string }) => e.exchangeId === `p_${PENSION}_chg-tracker-1`),
    ).toHaveLength(1);

    // 王芳 does not see it.
    const wang = await sessionFor(P.wangFang.idNumber, '13900000022');
    const hers = await call(stack, 'GET', '/v1/citizen/exchange-records', { token: wang });
    expect(hers.status).toBe(200);
    expect(hers.body.entries.map((e: { exchangeId: string }) => e.exchangeId)).not.toContain(
      `p_${PENSION}_chg-tracker-1`,
    );
  });
});

describe('ad-hoc answers read the recorded registry changes', () => {
  it('a death reported through the change feed turns a later ALIVE answer; a name change shows in NAME_HISTORY', async () => {
    // Prepare: 王建国 is alive on the registry file.
    const before = await ask(PENSION, {
      question: 'ALIVE',
      subject: { idNumber: P.wangJianguo.idNumber },
      purpose: 'PENSION',
    });
    expect(before.status).toBe(200);
    expect(before.body.answer).toMatchObject({ onRecord: true, deathRegistered: false });
    const status = await ask('NOTARY', {
      question: 'HUKOU_STATUS',
      subject: { idNumber: P.wangJianguo.idNumber },
      purpose: 'LITIGATION',
    });
    expect(status.status).toBe(200);
    expect(status.body.answer).toMatchObject({ status: 'ACTIVE' });

    // Act: the registry reports his death (no body subscribed to him: the overlay does not need one).
    const death = await change({
      changeId: 'chg-overlay-death',
      type: 'DEATH',
      idNumber: P.wangJianguo.idNumber,
      effectiveOn: '2026-11-21',
      station: 'CC-GLL',
    });
    expect(death.status).toBe(201);

    // Assess: the next ALIVE answer has the death; HUKOU_STATUS answers CANCELLED.
    const after = await ask(PENSION, {
      question: 'ALIVE',
      subject: { idNumber: P.wangJianguo.idNumber },
      purpose: 'PENSION',
    });
    expect(after.status).toBe(200);
    expect(after.body.answer).toMatchObject({
      onRecord: true,
      deathRegistered: true,
      deathRegisteredOn: '2026-11-21',
    });
    const cancelled = await ask('NOTARY', {
      question: 'HUKOU_STATUS',
      subject: { idNumber: P.wangJianguo.idNumber },
      purpose: 'LITIGATION',
    });
    expect(cancelled.body.answer).toMatchObject({
      status: 'CANCELLED',
      reason: 'DEATH',
      cancelledOn: '2026-11-21',
    });
    // Someone else is still answered from the file as it was.
    const other = await ask(PENSION, {
      question: 'ALIVE',
      subject: { idNumber: P.wangFang.idNumber },
      purpose: 'PENSION',
    });
    expect(other.body.answer).toMatchObject({ deathRegistered: false });

    // A name change: the new name matches, the former one still does, NAME_HISTORY lists it.
    const renamed = await change({
      changeId: 'chg-overlay-name',
      type: 'NAME_CHANGED',
      idNumber: P.liuYang.idNumber,
      effectiveOn: '2026-11-20',
      station: 'JL-DSL',
      from: P.liuYang.name,
      to: '刘洋洋',
    });
    expect(renamed.status).toBe(201);
    const history = await ask('NOTARY', {
      question: 'NAME_HISTORY',
      subject: { idNumber: P.liuYang.idNumber, name: '刘洋洋' },
      purpose: 'LITIGATION',
    });
    expect(history.status).toBe(200);
    expect(history.body.answer).toMatchObject({
      nameMatches: true,
      currentName: '刘洋洋',
      changes: expect.arrayContaining([{ from: P.liuYang.name, to: '刘洋洋', changedOn: '2026-11-20' }]),
    });
  });
});
