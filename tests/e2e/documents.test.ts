/**
 * Documents that say what they certify, and the applicant kept informed (issue 17), over HTTP on the
 * in-process stack with the pinned test clock: each issuable kind's statement, the written reply of a
 * decline and a refusal (verifiable like a certificate, masked for the public), and the SMS in the local
 * outbox at acceptance (sent by CheckRules, once), decision and closure, in the applicant's language,
 * without an ID number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHandler as checkRules } from '#functions/workflow/check-rules.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { lambdaContext } from '#local/functions.ts';
import { invokingFunction } from '#local/key-guard.ts';
import type { LocalStack } from '#local/stack.ts';
import {
  call,
  getRequest,
  MONDAY_MORNING,
  scenario,
  startTestStack,
  submit,
  waitFinal,
  waitWaiting,
} from './helpers.ts';

let stack: LocalStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.end();
});

const ID_NUMBER = /\d{17}[\dX]/;
type Sms = { key: string; to: string; text: string; locale: string };
/**
 * The request's messages, newest first, once one beyond acceptance is there: the closing (or warning)
 * message is sent right after the status is written, so it is polled for (at most 5 s).
 */
const outbox = async (requestId: string): Promise<Sms[]> => {
  const until = Date.now() + 5_000;
  for (;;) {
    const messages = (await call(stack, 'GET', `/_local/notifications?requestId=${requestId}`)).body
      .messages as Sms[];
    if (Date.now() > until || messages.some((m) => m.key !== 'accepted' && m.key !== 'investigating'))
      return messages;
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe('certificates state what they certify', () => {
  const onTheSpot = demoScenarios.filter((s) => s.expected.outcome === 'ISSUE_ON_THE_SPOT');

  it.each(onTheSpot.map((s) => [s.id, s] as const))(
    '%s: statement, number with the issue day, verify',
    async (_id, s) => {
      const { requestId, accessToken } = await submit(stack, s.body);
      const view = await waitFinal(stack, requestId, accessToken);
      expect(view.status).toBe('ISSUED');
      const body = s.body as {
        subject: { name: string; idNumber: string };
        relatedPerson?: { idNumber: string };
      };
      const { statement, number, links } = view.certificate;
      // The full certified text, with the full name and ID number, the issue day and the number.
      expect(statement.zh).toContain(`${body.subject.name}`);
      expect(statement.zh).toContain(body.subject.idNumber);
      if (body.relatedPerson) expect(statement.zh).toContain(body.relatedPerson.idNumber);
      expect(statement.zh).toContain('出具日期：2026-11-23');
      expect(statement.en).toContain(`certificate number ${number}`);
      expect(statement.zh).not.toMatch(/\{\w+\}/);
      expect(number).toMatch(/^JL-20261123-/);
      // /verify: the same text, masked for the public.
      const verify = await call(stack, 'GET', links.verify);
      expect(verify.status).toBe(200);
      expect(verify.body).toMatchObject({
        valid: true,
        document: 'CERTIFICATE',
        number,
        title: view.certificate.title,
      });
      expect(JSON.stringify(verify.body)).not.toMatch(ID_NUMBER);
      expect(JSON.stringify(verify.body)).not.toContain(body.subject.name);
      expect(verify.body.statement.zh).toContain(
        `${body.subject.idNumber.slice(0, 6)}********${body.subject.idNumber.slice(14)}`,
      );
    },
  );
});

describe('a decline or a refusal is a written reply', () => {
  it('a decline: reference, reason, basis, the document that proves it, how to appeal; verifiable and masked', async () => {
    const s = scenario('huang-kinship');
    const { requestId, accessToken } = await submit(stack, s.body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('DECLINED');
    const reply = view.writtenReply;
    expect(reply.number).toMatch(/^JL-20261123-[0-9A-Z]{8}$/);
    expect(reply.title.zh).toBe('不予出具证明书面告知书');
    for (const part of [
      '理由：',
      '依据：',
      '可凭',
      '救济途径：',
      `告知书编号：${reply.number}`,
      '220104200609011040',
    ]) {
      expect(reply.statement.zh).toContain(part);
    }
    const verify = await call(stack, 'GET', reply.links.verify);
    expect(verify.body).toMatchObject({ valid: true, document: 'WRITTEN_REPLY', number: reply.number });
    expect(JSON.stringify(verify.body)).not.toMatch(ID_NUMBER);
    // A wrong code is the same 404 as for a certificate.
    expect((await call(stack, 'GET', `/v1/certificates/${reply.number}?code=AAAAAAAAAA`)).status).toBe(404);
  });

  it('a kind the police do not hold names the body that holds it', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('marital-status').body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.writtenReply.statement.zh).toMatch(/该事项由.+掌握，请向其申请。/);
  });

  it('a refusal after investigation: the officer’s reason in the written reply', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('kinship-investigate').body);
    await waitWaiting(stack, requestId);
    const answer = await call(stack, 'POST', `/v1/requests/${requestId}/findings`, {
      token: stack.credentials.officerToken,
      body: { outcome: 'REFUTED', note: '查无此亲属关系' },
    });
    expect(answer.status).toBe(202);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('REFUSED');
    expect(view.writtenReply.statement.zh).toContain('理由：查无此亲属关系');
    expect(JSON.stringify(view)).not.toContain('demo-officer');
    const messages = await outbox(requestId);
    expect(messages.map((m) => m.key)).toEqual(['refused', 'investigating', 'accepted']);
    expect(messages[0]?.text).toContain(view.writtenReply.number);
  });
});

describe('the applicant is kept informed by SMS (local outbox)', () => {
  it('acceptance and closure, to the phone given, in the applicant’s language, no ID number', async () => {
    const s = scenario('name-change');
    const body = { ...s.body, locale: 'en' };
    const { requestId, accessToken } = await submit(stack, body);
    const view = await waitFinal(stack, requestId, accessToken);
    const messages = await outbox(requestId);
    expect(messages.map((m) => m.key)).toEqual(['issued', 'accepted']);
    const phone = (s.body as { applicant: { phone: string } }).applicant.phone;
    for (const m of messages) {
      expect(m.to).toBe(`+86${phone}`);
      expect(m.locale).toBe('en');
      expect(m.text).not.toMatch(ID_NUMBER);
    }
    expect(messages[1]?.text).toContain(requestId.slice(-8));
    expect(messages[0]?.text).toContain(view.certificate.number);
    expect(messages[0]?.text).toMatch(/^Jilin police: your name change/);
  });

  it('a decline in Chinese by default, with the written reply’s number', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('identity').body);
    const view = await waitFinal(stack, requestId, accessToken);
    const [declined] = await outbox(requestId);
    expect(declined?.key).toBe('declined');
    expect(declined?.text).toContain(`书面告知书编号${view.writtenReply.number}`);
  });

  it('a replayed intake (same Idempotency-Key) sends no second acceptance', async () => {
    const headers = { 'Idempotency-Key': 'sms-once' };
    const first = await submit(stack, scenario('identity').body, headers);
    await submit(stack, scenario('identity').body, headers);
    await waitFinal(stack, first.requestId, first.accessToken);
    expect((await outbox(first.requestId)).filter((m) => m.key === 'accepted')).toHaveLength(1);
  });

  it('a retried or redriven CheckRules sends no second acceptance (nor decision)', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('identity').body);
    await waitFinal(stack, requestId, accessToken);
    expect((await outbox(requestId)).map((m) => m.key)).toEqual(['declined', 'accepted']);
    // The step again with the same input, as Step Functions' Retry or a redrive runs it: the stack's own
    // deps (the store on dynalite, the outbox), in CheckRules' invocation context (its key guard).
    const step = checkRules(stack.deps);
    const out = await invokingFunction.run('CheckRules', () =>
      step({ requestId }, lambdaContext('CheckRules', 30_000)),
    );
    expect(out).toMatchObject({ requestId, path: 'DONE' });
    expect((await outbox(requestId)).map((m) => m.key)).toEqual(['declined', 'accepted']);
  });

  it('the deadline warning reaches the applicant too', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('kinship-investigate').body);
    await waitWaiting(stack, requestId);
    const view = (await getRequest(stack, requestId, accessToken)).body;
    // Warned at the end of the working day before the deadline's day.
    await call(stack, 'POST', '/_local/clock', {
      body: { set: new Date(Date.parse(view.deadline) - 20 * 3_600_000).toISOString() },
    });
    await call(stack, 'POST', '/_local/sweep');
    const [warning] = await outbox(requestId);
    expect(warning?.key).toBe('warning');
    expect(warning?.text).toContain('到期');
    await call(stack, 'POST', '/_local/clock', { body: { set: MONDAY_MORNING } });
  });
});
