/**
 * Investigations over HTTP against the local stack: confirmed or refuted by an officer and by a signed
 * department webhook, the warning one working day before the deadline, escalation to level 1 then 2
 * with the test clock, and a finding still accepted after escalation. One fresh stack per test (the
 * test clock only moves forward).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import type { ProblemFieldError } from '#shared/http/problem.ts';
import { defaultPolicy, render } from '#shared/policy/policy.ts';
import { noticeTexts } from '#shared/policy/texts.ts';
import type { RequestEvent } from '#shared/store/model.ts';
import {
  advanceClock,
  call,
  getRequest,
  investigation as investigate,
  scenario,
  signedPost,
  startTestStack,
  submit,
  waitFinal,
  waitFor,
  waitWaiting,
} from './helpers.ts';

let stack: LocalStack;

beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  await stack?.end();
});

const investigation = () => investigate(stack);

function finding(requestId: string, body: unknown, token = stack.credentials.officerToken) {
  return call(stack, 'POST', `/v1/requests/${requestId}/findings`, { body, token });
}

describe('investigation decided by an officer', () => {
  it('is in the station queue with its deadline, and CONFIRMED issues the certificate', async () => {
    // Prepare
    const { requestId, accessToken } = await investigation();
    const waiting = await getRequest(stack, requestId, stack.credentials.officerToken);
    expect(waiting.body).toMatchObject({ status: 'INVESTIGATING', station: 'CC-YHL', escalationLevel: 0 });
    expect(waiting.body.deadline).toBe('2026-11-30T15:59:59.999Z');
    const queue = await call(stack, 'GET', '/v1/stations/CC-YHL/queue', {
      token: stack.credentials.officerToken,
    });
    expect(queue.status).toBe(200);
    expect(queue.body.items.find((i: { requestId: string }) => i.requestId === requestId)).toMatchObject({
      waiting: true,
      overdue: false,
    });
    // Act
    const answer = await finding(requestId, {
      outcome: 'CONFIRMED',
      facts: { checked: 'case file' },
      note: '核实属实',
    });
    // Assess
    expect(answer.status).toBe(202);
    const view = await waitFinal(stack, requestId, stack.credentials.officerToken);
    expect(view.status).toBe('ISSUED');
    expect(view.certificate.number).toMatch(/^JL-20261123-/);
    expect(view.history.find((e: RequestEvent) => e.type === 'ISSUED').actor).toBe('officer:demo-officer');
    // The citizen's view names no staff id and no internal code.
    const citizen = (await getRequest(stack, requestId, accessToken)).body;
    expect(JSON.stringify(citizen)).not.toContain('demo-officer');
    expect(citizen.history.every((e: object) => !('actor' in e))).toBe(true);
    expect(citizen.certificate.statement.zh).toContain('（公民身份号码：11010519950909127X）');
    const verify = await call(stack, 'GET', view.certificate.links.verify);
    expect(verify.body.valid).toBe(true);
    // A second finding finds nothing waiting.
    expect((await finding(requestId, { outcome: 'CONFIRMED' })).status).toBe(409);
    const after = await call(stack, 'GET', '/v1/stations/CC-YHL/queue', {
      token: stack.credentials.officerToken,
    });
    expect(after.body.items.some((i: { requestId: string }) => i.requestId === requestId)).toBe(false);
  });

  it('REFUTED refuses with the note as the reason; a REFUTED without a note is a 400', async () => {
    const { requestId } = await investigation();
    const noNote = await finding(requestId, { outcome: 'REFUTED' });
    expect(noNote.status).toBe(400);
    expect(noNote.body.errors.map((e: ProblemFieldError) => e.path)).toEqual(['note']);
    expect((await finding(requestId, { outcome: 'REFUTED', note: '查无此亲属关系' })).status).toBe(202);
    const view = await waitFinal(stack, requestId, stack.credentials.officerToken);
    expect(view.status).toBe('REFUSED');
    expect(view.finding.note).toBe('查无此亲属关系');
    expect(view.history.at(-1)).toMatchObject({
      type: 'REFUSED',
      actor: 'officer:demo-officer',
      detail: { reason: '查无此亲属关系', appeal: noticeTexts(defaultPolicy).notices.appeal },
    });
  });

  it('only staff report findings', async () => {
    const { requestId, accessToken } = await investigation();
    expect(
      (await call(stack, 'POST', `/v1/requests/${requestId}/findings`, { body: { outcome: 'CONFIRMED' } }))
        .status,
    ).toBe(401);
    expect((await finding(requestId, { outcome: 'CONFIRMED' }, accessToken)).status).toBe(401);
    const declined = await submit(stack, scenario('identity').body);
    await waitFinal(stack, declined.requestId, declined.accessToken);
    expect((await finding(declined.requestId, { outcome: 'CONFIRMED' })).status).toBe(409);
  });
});

describe('investigation decided by a signed department webhook', () => {
  it('the court is told of the investigation, reports REFUTED, and a replay is answered the same', async () => {
    const { requestId } = await investigation();
    const told = stack.inbox('COURT').find((m) => m.webhookId === `${requestId}.investigation`);
    expect(told).toMatchObject({ verified: true, type: 'certflow.investigation.requested' });
    const body = { requestId, outcome: 'REFUTED', facts: {}, note: '法院调查：无亲属关系' };
    const first = await signedPost(stack, 'COURT', '/v1/webhooks/COURT/findings', body, {
      id: 'msg_court_1',
    });
    const replay = await signedPost(stack, 'COURT', '/v1/webhooks/COURT/findings', body, {
      id: 'msg_court_1',
    });
    expect(first.status).toBe(202);
    expect(replay.status).toBe(202);
    expect(replay.body).toEqual(first.body);
    const view = await waitFinal(stack, requestId, stack.credentials.officerToken);
    expect(view.status).toBe('REFUSED');
    expect(view.history.at(-1)).toMatchObject({ type: 'REFUSED', actor: 'department:COURT' });
    expect(view.history.filter((e: RequestEvent) => e.type === 'REFUSED')).toHaveLength(1);
  });

  it('CONFIRMED by another connected department issues the certificate', async () => {
    const { requestId } = await investigation();
    const answer = await signedPost(stack, 'CIVIL_AFFAIRS', '/v1/webhooks/CIVIL_AFFAIRS/findings', {
      requestId,
      outcome: 'CONFIRMED',
      facts: { source: 'marriage registration archive' },
    });
    expect(answer.status).toBe(202);
    const view = await waitFinal(stack, requestId, stack.credentials.officerToken);
    expect(view.status).toBe('ISSUED');
    expect(view.history.find((e: RequestEvent) => e.type === 'ISSUED').actor).toBe(
      'department:CIVIL_AFFAIRS',
    );
  });

  it('rejects stale, future, unsigned and wrongly signed messages with 401, storing nothing', async () => {
    const { requestId } = await investigation();
    const body = { requestId, outcome: 'CONFIRMED', facts: {} };
    const now = Math.floor(stack.clock.now() / 1000);
    const path = '/v1/webhooks/COURT/findings';
    expect((await signedPost(stack, 'COURT', path, body, { timestamp: now - 301, id: 'm1' })).status).toBe(
      401,
    );
    expect((await signedPost(stack, 'COURT', path, body, { timestamp: now + 301, id: 'm2' })).status).toBe(
      401,
    );
    expect(
      (
        await signedPost(stack, 'COURT', path, body, {
          secret: stack.credentials.departments.NOTARY!.secret,
          id: 'm3',
        })
      ).status,
    ).toBe(401);
    expect((await call(stack, 'POST', path, { body })).status).toBe(401);
    expect((await signedPost(stack, 'COURT', '/v1/webhooks/BANK/findings', body, { id: 'm4' })).status).toBe(
      401,
    );
    const view = await getRequest(stack, requestId, stack.credentials.officerToken);
    expect(view.body.status).toBe('INVESTIGATING');
    // None of the refused ids was kept: the same id, now correct, is accepted.
    expect((await signedPost(stack, 'COURT', path, body, { id: 'm1' })).status).toBe(202);
  });

  it('a finding for a request that is not waiting is a 409, and the webhook-id is not kept', async () => {
    const { requestId, accessToken } = await investigation();
    expect((await finding(requestId, { outcome: 'CONFIRMED' })).status).toBe(202);
    await waitFinal(stack, requestId, accessToken);
    const body = { requestId, outcome: 'CONFIRMED', facts: {} };
    const first = await signedPost(stack, 'COURT', '/v1/webhooks/COURT/findings', body, { id: 'msg_x' });
    expect(first.status).toBe(409);
    expect(await stack.deps.store.claimWebhook('COURT', 'msg_x', 't', 1)).toEqual({ claimed: true });
  });
});

describe('deadlines', () => {
  it('warns the station one working day before the deadline', async () => {
    const { requestId, accessToken } = await investigation();
    await advanceClock(stack, 'P5D'); // Saturday: past the warning (end of Friday), before the deadline (Monday)
    await stack.sweep();
    const view = await waitFor(
      stack,
      requestId,
      accessToken,
      (v) => v.history.some((e: RequestEvent) => e.type === 'WARNED'),
      'WARNED',
    );
    expect(view.status).toBe('INVESTIGATING');
    expect(view.history.find((e: RequestEvent) => e.type === 'WARNED').detail.deadline).toBe(
      '2026-11-30T15:59:59.999Z',
    );
    expect(view.history.find((e: RequestEvent) => e.type === 'WARNED').detail.notice).toEqual(
      render(noticeTexts(defaultPolicy).notices.warning, { deadline: '2026-11-30' }),
    );
    await stack.sweep();
    const again = await getRequest(stack, requestId, stack.credentials.officerToken);
    expect(again.body.history.filter((e: RequestEvent) => e.type === 'WARNED')).toHaveLength(1);
  });

  it('overdue → escalated to level 1, then level 2, and a finding is still accepted', async () => {
    const { requestId, accessToken } = await investigation();
    await advanceClock(stack, 'P8D'); // Tuesday 1 December: past Monday's deadline
    const level1 = await waitFor(stack, requestId, accessToken, (v) => v.escalationLevel === 1, 'level 1');
    expect(level1.status).toBe('ESCALATED');
    expect(level1.deadline).toBe('2026-12-02T15:59:59.999Z');
    // Escalated, with a new deadline not yet reached: still overdue, on the dashboard's summary as in the
    // console and the supervision report (it was counted escalated but not overdue).
    const summary = await call(stack, 'GET', '/v1/metrics/summary');
    expect(summary.body).toMatchObject({ overdueNow: 1, escalatedNow: 1 });
    const station = await call(stack, 'GET', `/v1/metrics/summary?station=${level1.station}`, {
      token: stack.credentials.supervisorToken,
    });
    expect(station.body).toMatchObject({ overdueNow: 1, escalatedNow: 1 });
    await waitWaiting(stack, requestId);
    await advanceClock(stack, 'P2D'); // Thursday 3 December: past Wednesday's deadline
    const level2 = await waitFor(stack, requestId, accessToken, (v) => v.escalationLevel === 2, 'level 2');
    expect(level2.deadline).toBe('2026-12-04T15:59:59.999Z');
    const escalations = level2.history.filter((e: RequestEvent) => e.type === 'ESCALATED');
    expect(escalations.map((e: RequestEvent) => e.detail.level)).toEqual([1, 2]);
    await waitWaiting(stack, requestId);
    expect(
      (await finding(requestId, { outcome: 'CONFIRMED' }, stack.credentials.supervisorToken)).status,
    ).toBe(202);
    const view = await waitFinal(stack, requestId, stack.credentials.officerToken);
    expect(view.status).toBe('ISSUED');
    expect(view.escalationLevel).toBe(2);
    const metrics = await call(stack, 'GET', '/v1/metrics/summary');
    expect(metrics.body.onTimeRate).toBe(0);
  });
});

describe('a department endpoint that keeps failing', () => {
  it('is retried with backoff on the stack clock, then dead-lettered; the decision stands', async () => {
    stack.setInboxFailing('NOTARY', true);
    const { requestId } = await submit(stack, scenario('huang-kinship').body);
    const declined = await waitFinal(stack, requestId, stack.credentials.officerToken);
    expect(declined.status).toBe('DECLINED');
    let view = declined;
    for (let i = 0; i < 8 && !view.history.some((e: RequestEvent) => e.type === 'DELIVERY_FAILED'); i += 1) {
      await advanceClock(stack, 'PT3M'); // retries wait 5 s, 15 s, 45 s, 135 s
      await new Promise((r) => setTimeout(r, 150));
      view = (await getRequest(stack, requestId, stack.credentials.officerToken)).body;
    }
    expect(view.history.at(-1)).toMatchObject({
      type: 'DELIVERY_FAILED',
      detail: { departments: ['NOTARY'] },
    });
    expect(view.status).toBe('DECLINED');
    const dead = await call(stack, 'GET', '/_local/departments/NOTARY/dead-letters');
    expect(dead.body.deadLetters).toEqual([
      expect.objectContaining({
        messageId: `${requestId}.declined`,
        department: 'NOTARY',
        type: 'certflow.request.declined',
      }),
    ]);
    expect(stack.inbox('NOTARY').some((m) => m.webhookId === `${requestId}.declined`)).toBe(false);
  });
});
