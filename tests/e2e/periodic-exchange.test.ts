/**
 * Information exchange as the notice describes it, end to end on the local stack (dynalite, the local
 * scheduler on the test clock, the demo department inboxes): periodic exchange by subscription (a
 * pension office learns of a death within one scheduled run; a missed acknowledgement is retried, then
 * dead-lettered), level-by-level docking (a county body's query about someone of another city, routed up
 * and back), and result feedback (a dispute opens a check in the registry station's queue).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxMessage } from '#local/departments.ts';
import type { LocalStack } from '#local/stack.ts';
import { advanceClock, call, signedGet, signedPost, startTestStack } from './helpers.ts';

const PENSION = 'HUMAN_RESOURCES';
/** 王建国, registered at CC-GLL (长春市朝阳区), a pensioner. */
const PENSIONER = '220102195002201052';
/** 钱卫东, CC-GLL: registered with the pension office too, but only his name changes. */
const OTHER = '220102196505051214';
/** 刘洋, JL-DSL (吉林市船营区): the pension office has not registered him. */
const LIU_YANG = '220204198512121257';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack?.end();
});

function change(body: Record<string, unknown>) {
  return call(stack, 'POST', '/v1/registry/changes', { body, token: stack.credentials.registryToken });
}

async function waitForInbox(code: string, done: (messages: InboxMessage[]) => boolean, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const messages = stack.inbox(code);
    if (done(messages)) return messages;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`inbox ${code} never got what was awaited: ${JSON.stringify(stack.inbox(code))}`);
}

const changesIn = (messages: InboxMessage[]) =>
  messages
    .filter((m) => m.type === 'certflow.exchange.changes' && m.verified)
    .flatMap(
      (m) =>
        (m.data as { changes: unknown[] }).changes as { changeId: string; idNumber: string; type: string }[],
    );

describe('periodic exchange by subscription', () => {
  it('a pension office learns of a death within one scheduled run, with no citizen involved', async () => {
    // Prepare: the office subscribes to deaths and name changes of its pensioners (signed).
    const unsigned = await call(stack, 'POST', `/v1/exchange/subscriptions?department=${PENSION}`, {
      body: { changeTypes: ['DEATH'], people: [PENSIONER] },
    });
    expect(unsigned.status).toBe(401);
    const subscribed = await signedPost(stack, PENSION, `/v1/exchange/subscriptions?department=${PENSION}`, {
      changeTypes: ['DEATH', 'HUKOU_CANCELLED'],
      people: [PENSIONER, OTHER],
    });
    expect(subscribed.status).toBe(200);
    expect(subscribed.body).toMatchObject({
      added: 2,
      subscription: { people: 2, changeTypes: ['DEATH', 'HUKOU_CANCELLED'] },
    });
    expect((await call(stack, 'GET', `/v1/exchange/subscriptions?department=${PENSION}`)).status).toBe(401);
    const shown = await signedGet(stack, PENSION, `/v1/exchange/subscriptions?department=${PENSION}`);
    expect(shown.status).toBe(200);
    expect(shown.body.subscription).toMatchObject({ department: PENSION, people: 2, delivered: 0 });

    // Act: the registry reports a death, a name change (not subscribed to) and a death of someone else.
    const death = {
      changeId: 'chg-2026-0001',
      type: 'DEATH',
      idNumber: PENSIONER,
      name: '王建国',
      effectiveOn: '2026-11-22',
      station: 'CC-GLL',
    };
    const first = await change(death);
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ changeId: 'chg-2026-0001', subscribers: 1, replayed: false });
    const replay = await change(death);
    expect(replay.status).toBe(200);
    expect(replay.body).toMatchObject({ replayed: true, subscribers: 1 });
    const reused = await change({ ...death, effectiveOn: '2026-11-21' });
    expect(reused.status).toBe(409);
    expect(
      (
        await change({
          ...death,
          changeId: 'chg-2026-0002',
          type: 'NAME_CHANGED',
          idNumber: OTHER,
          from: '钱卫东',
          to: '钱卫国',
        })
      ).body.subscribers,
    ).toBe(0);
    expect(
      (await change({ ...death, changeId: 'chg-2026-0003', idNumber: LIU_YANG, station: 'JL-DSL' })).body
        .subscribers,
    ).toBe(0);
    expect(stack.inbox(PENSION)).toEqual([]);
    // One scheduled run: the clock passes the next hour.
    await advanceClock(stack, 'PT1H');

    // Assess: the office's inbox has the death (signed, verified), once; the fact is an exchange record.
    const messages = await waitForInbox(PENSION, (m) => changesIn(m).length > 0);
    // The run records the facts and the acknowledgement after the office answered: poll until it has (bounded).
    let after = await signedGet(stack, PENSION, `/v1/exchange/subscriptions?department=${PENSION}`);
    for (let i = 0; i < 300 && after.body.subscription?.delivered !== 1; i += 1) {
      await new Promise((r) => setTimeout(r, 50));
      after = await signedGet(stack, PENSION, `/v1/exchange/subscriptions?department=${PENSION}`);
    }
    expect(changesIn(messages)).toEqual([
      expect.objectContaining({ changeId: 'chg-2026-0001', idNumber: PENSIONER, type: 'DEATH' }),
    ]);
    const records = await signedGet(stack, PENSION, `/v1/exchange/records?department=${PENSION}`);
    const periodic = records.body.records.filter(
      (r: { mechanism: string }) => r.mechanism === 'PERIODIC_EXCHANGE',
    );
    expect(periodic).toEqual([
      expect.objectContaining({
        exchangeId: `p_${PENSION}_chg-2026-0001`,
        origin: 'SUBSCRIPTION',
        question: 'DEATH',
        subject: { name: '王*国', idNumber: '220102********1052' },
        station: 'CC-GLL',
      }),
    ]);
    expect(after.body.subscription).toMatchObject({ delivered: 1, pendingAttempts: 0 });
    // A second run has nothing new to send.
    await stack.exchangeBatch();
    expect(changesIn(stack.inbox(PENSION))).toHaveLength(1);
  });

  it('bad input is a bilingual 400 and stores nothing; a department token or no token is refused', async () => {
    const bad = await change({
      changeId: 'bad 1',
      type: 'NAME_CHANGED',
      idNumber: '220102195002201053',
      effectiveOn: '2099-01-01',
      station: 'CC-GLL',
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toContain('application/problem+json');
    const paths = (bad.body.errors as { path: string }[]).map((e) => e.path).sort();
    expect(paths).toEqual(expect.arrayContaining(['changeId', 'idNumber', 'from', 'to']));
    const station = await change({
      changeId: 'ok-1',
      type: 'DEATH',
      idNumber: PENSIONER,
      effectiveOn: '2026-11-20',
      station: 'XX-NONE',
    });
    expect(station.status).toBe(400);
    expect(
      await stack.deps.exchange.putChange({
        changeId: 'ok-1',
        type: 'DEATH',
        idNumber: OTHER,
        effectiveOn: '2026-11-20',
        station: 'CC-GLL',
        details: {},
        recordedAt: 'x',
        recordedBy: 'test',
      }),
    ).toMatchObject({ created: true });
    expect((await call(stack, 'POST', '/v1/registry/changes', { body: {} })).status).toBe(401);
    const subscriptionBad = await signedPost(
      stack,
      PENSION,
      `/v1/exchange/subscriptions?department=${PENSION}`,
      { changeTypes: ['BIRTH'] },
    );
    expect(subscriptionBad.status).toBe(400);
  });

  it('a change kept but not put in the feeds (a crash in between) is fanned out when the registry sends it again', async () => {
    // Prepare: the change item exists, as a crash right after step 1 of recordChange leaves it.
    const lost = {
      changeId: 'chg-crash-1',
      type: 'HUKOU_CANCELLED',
      idNumber: OTHER,
      effectiveOn: '2026-11-21',
      station: 'CC-GLL',
      reason: 'EMIGRATION',
    };
    await stack.deps.exchange.putChange({
      ...lost,
      details: { reason: 'EMIGRATION' },
      recordedAt: new Date(stack.clock.now()).toISOString(),
      recordedBy: 'population-registry',
    });
    // Act: the registry's system retries.
    const retried = await change(lost);
    // Assess: a replay, yet fanned out now; the next run delivers it.
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ replayed: true, subscribers: 1 });
    await advanceClock(stack, 'PT2M');
    await stack.exchangeBatch();
    expect(changesIn(stack.inbox(PENSION)).map((c) => c.changeId)).toContain('chg-crash-1');
  });

  it('a missed acknowledgement is retried at the next runs, then dead-lettered; later changes still arrive', async () => {
    // Prepare: the notary subscribes; its inbox fails (503).
    const NOTARY = 'NOTARY';
    const person = '220104197805121023';
    expect(
      (
        await signedPost(stack, NOTARY, `/v1/exchange/subscriptions?department=${NOTARY}`, {
          changeTypes: ['NAME_CHANGED'],
          people: [person],
        })
      ).status,
    ).toBe(200);
    stack.setInboxFailing(NOTARY, true);
    expect(
      (
        await change({
          changeId: 'chg-n-1',
          type: 'NAME_CHANGED',
          idNumber: person,
          effectiveOn: '2026-11-23',
          station: 'CC-YHL',
          from: '黄丽',
          to: '黄丽华',
        })
      ).status,
    ).toBe(201);
    // Act + Assess: three runs fail; the third dead-letters the batch.
    const attempts: number[] = [];
    for (let run = 0; run < 3; run += 1) {
      await advanceClock(stack, 'PT2M');
      await stack.exchangeBatch();
      attempts.push((await stack.deps.exchange.getSubscription(NOTARY))!.attempts);
    }
    expect(attempts).toEqual([1, 2, 0]);
    const dead = await call(stack, 'GET', `/_local/departments/${NOTARY}/dead-letters`);
    expect(dead.body.deadLetters).toEqual([
      expect.objectContaining({ department: NOTARY, type: 'certflow.exchange.changes', attempts: 3 }),
    ]);
    expect(JSON.stringify(dead.body.deadLetters)).not.toContain(person);
    const subscription = await stack.deps.exchange.getSubscription(NOTARY);
    expect(subscription).toMatchObject({ deadLettered: 1, delivered: 0 });
    // Nothing was delivered, so nothing is recorded.
    expect(await stack.deps.store.getExchangeRecord(`p_${NOTARY}_chg-n-1`)).toBeUndefined();
    // The endpoint works again: the next change arrives at the next run.
    stack.setInboxFailing(NOTARY, false);
    expect(
      (
        await change({
          changeId: 'chg-n-2',
          type: 'NAME_CHANGED',
          idNumber: person,
          effectiveOn: '2026-11-23',
          station: 'CC-YHL',
          from: '黄丽华',
          to: '黄丽',
        })
      ).status,
    ).toBe(201);
    await advanceClock(stack, 'PT2M');
    await stack.exchangeBatch();
    expect(changesIn(stack.inbox(NOTARY)).map((c) => c.changeId)).toEqual(['chg-n-2']);
  });
});

describe('level-by-level docking and result feedback', () => {
  it("a county body's query about someone of another city goes up to the province and back; a dispute opens a check", async () => {
    // Act: CIVIL_AFFAIRS, a county body of 长春市朝阳区, asks whether 刘洋 (吉林市船营区) is alive.
    const asked = await signedPost(stack, 'CIVIL_AFFAIRS', '/v1/exchange/queries?department=CIVIL_AFFAIRS', {
      question: 'ALIVE',
      subject: { idNumber: LIU_YANG, name: '刘洋' },
      purpose: '低保资格复核',
      reference: 'MZ-2026-17',
    });
    // Assess: answered by the county organ over his region, four hops there and four back.
    expect(asked.status).toBe(200);
    const route = asked.body.route;
    expect(route).toMatchObject({
      askedAt: '长春市朝阳区公安分局',
      answeredBy: '吉林市船营区公安分局',
      commonLevel: 'PROVINCE',
    });
    expect(
      route.hops.map(
        (h: { leg: string; from: string; to: string; direction: string }) =>
          `${h.leg}:${h.from}>${h.to}:${h.direction}`,
      ),
    ).toEqual([
      'QUERY:长春市朝阳区公安分局>长春市公安局:UP',
      'QUERY:长春市公安局>吉林省公安厅:UP',
      'QUERY:吉林省公安厅>吉林市公安局:DOWN',
      'QUERY:吉林市公安局>吉林市船营区公安分局:DOWN',
      'ANSWER:吉林市船营区公安分局>吉林市公安局:UP',
      'ANSWER:吉林市公安局>吉林省公安厅:UP',
      'ANSWER:吉林省公安厅>长春市公安局:DOWN',
      'ANSWER:长春市公安局>长春市朝阳区公安分局:DOWN',
    ]);
    const record = await stack.deps.store.getExchangeRecord(asked.body.exchangeId);
    expect(record).toMatchObject({ mechanism: 'LEVEL_BY_LEVEL', station: 'JL-DSL', route });
    // Someone of its own county: answered at its own organ, no hops.
    const near = await signedPost(stack, 'CIVIL_AFFAIRS', '/v1/exchange/queries?department=CIVIL_AFFAIRS', {
      question: 'ALIVE',
      subject: { idNumber: PENSIONER },
      purpose: '低保资格复核',
      reference: 'MZ-2026-18',
    });
    expect(near.body.route).toMatchObject({
      answeredBy: '长春市朝阳区公安分局',
      commonLevel: 'COUNTY',
      hops: [],
    });

    // Result feedback: another body cannot give it; the asker disputes; the station's queue shows a check.
    const path = `/v1/exchange/records/${asked.body.exchangeId}/feedback`;
    expect(
      (await signedPost(stack, 'NOTARY', `${path}?department=NOTARY`, { outcome: 'ACCEPTED' })).status,
    ).toBe(404);
    expect(
      (await signedPost(stack, 'CIVIL_AFFAIRS', `${path}?department=CIVIL_AFFAIRS`, { outcome: 'DISPUTED' }))
        .status,
    ).toBe(400);
    const disputed = await signedPost(stack, 'CIVIL_AFFAIRS', `${path}?department=CIVIL_AFFAIRS`, {
      outcome: 'DISPUTED',
      reason: '当事人近期仍在本区领取补助',
    });
    expect(disputed.status).toBe(200);
    expect(disputed.body.check).toMatchObject({ station: 'JL-DSL', status: 'OPEN' });
    const again = await signedPost(stack, 'CIVIL_AFFAIRS', `${path}?department=CIVIL_AFFAIRS`, {
      outcome: 'ACCEPTED',
    });
    expect(again.status).toBe(409);
    const queue = await call(stack, 'GET', '/v1/stations/JL-DSL/queue', {
      token: stack.credentials.officerToken,
    });
    expect(queue.status).toBe(200);
    expect(queue.body.checks).toEqual([
      expect.objectContaining({ exchangeId: asked.body.exchangeId, reason: '当事人近期仍在本区领取补助' }),
    ]);

    // A docked body's subscription: each delivered fact is recorded with the organ that answers it.
    expect(
      (
        await signedPost(stack, 'CIVIL_AFFAIRS', '/v1/exchange/subscriptions?department=CIVIL_AFFAIRS', {
          changeTypes: ['MIGRATED'],
          people: [LIU_YANG],
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await change({
          changeId: 'chg-m-1',
          type: 'MIGRATED',
          idNumber: LIU_YANG,
          effectiveOn: '2026-11-22',
          station: 'JL-DSL',
          toRegion: '长春市朝阳区',
        })
      ).body.subscribers,
    ).toBe(1);
    await advanceClock(stack, 'PT2M');
    await stack.exchangeBatch();
    expect(await stack.deps.store.getExchangeRecord('p_CIVIL_AFFAIRS_chg-m-1')).toMatchObject({
      mechanism: 'PERIODIC_EXCHANGE',
      route: { answeredBy: '吉林市船营区公安分局', commonLevel: 'PROVINCE' },
    });
    const accepted = await signedPost(
      stack,
      'CIVIL_AFFAIRS',
      `/v1/exchange/records/${near.body.exchangeId}/feedback?department=CIVIL_AFFAIRS`,
      { outcome: 'ACCEPTED' },
    );
    expect(accepted.body).toMatchObject({ feedback: { outcome: 'ACCEPTED' } });
    expect(accepted.body.check).toBeUndefined();
  });
});
