/**
 * End to end over HTTP on the real local stack (dynalite with the key guard, the local Step Functions
 * engine, the test clock): the rule check of a request reads the registry file with the changes reported
 * through the registry's change feed (POST /v1/registry/changes) laid over it — the same registry the
 * ad-hoc exchange answers from (functions/use-cases/registry.ts). A death reported for 王建国 turns a later
 * hukou-cancellation request from an investigation into a certificate on the spot, and a later ALIVE
 * request's exchange answer into `deathRegistered`; 王芳, of whom nothing was reported, is checked against
 * the file as it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import type { LocalStack } from '#local/stack.ts';
import { call, FINAL, scenario, signedGet, startTestStack, submit, waitFor } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack(); // Monday 23 November 2026, 10:00 Beijing time
}, 60_000);
afterAll(async () => {
  await stack?.end();
});

type Person = { name: string; idNumber: string };

/** A hukou-cancellation certificate for `subject`, asked by a bank for an inheritance, `agent` applying. */
function cancellationRequest(subject: Person, agent: Person) {
  const body = structuredClone(scenario('hukou-cancellation').body) as Record<string, unknown>;
  body.subject = { name: subject.name, idNumber: subject.idNumber };
  body.applicant = { ...(body.applicant as object), name: agent.name, idNumber: agent.idNumber };
  return body;
}

/** The pension office's ALIVE question about `person` (connected: answered by exchange). */
function aliveRequest(person: Person) {
  const body = structuredClone(scenario('alive-exchange').body) as Record<string, unknown>;
  body.subject = { name: person.name, idNumber: person.idNumber };
  body.applicant = { ...(body.applicant as object), name: person.name, idNumber: person.idNumber };
  return body;
}

/** Files `body` and waits until the rule check has decided (a final status or an investigation). */
async function decided(body: unknown) {
  const { requestId, accessToken } = await submit(stack, body);
  const view = await waitFor(
    stack,
    requestId,
    accessToken,
    (v) => [...FINAL, 'INVESTIGATING'].includes(v.status),
    'the rule check',
  );
  return { requestId, accessToken, view };
}

/** The stored exchange answer of a request answered by exchange, as its department lists it. */
async function exchangeAnswer(requestId: string) {
  const records = await signedGet(
    stack,
    'HUMAN_RESOURCES',
    '/v1/exchange/records?department=HUMAN_RESOURCES',
  );
  expect(records.status).toBe(200);
  const record = (records.body.records as { exchangeId: string; answer: unknown }[]).find(
    (r) => r.exchangeId === `x_${requestId}`,
  );
  expect(record).toBeDefined();
  return record!.answer;
}

describe('the rule check reads the recorded registry changes', () => {
  it('a death reported through the change feed changes a later request’s outcome; another person’s does not', async () => {
    // Prepare: on the registry file 王建国 is alive — his hukou-cancellation request goes to investigation.
    const before = await decided(cancellationRequest(P.wangJianguo, P.wangFang));
    expect(before.view.status).toBe('INVESTIGATING');
    expect(before.view.decision.outcome).toBe('INVESTIGATE');
    const aliveBefore = await decided(aliveRequest(P.wangJianguo));
    expect(aliveBefore.view.status).toBe('ANSWERED_BY_EXCHANGE');
    expect(await exchangeAnswer(aliveBefore.requestId)).toMatchObject({ deathRegistered: false });

    // Act: the registry's own system reports his death.
    const death = await call(stack, 'POST', '/v1/registry/changes', {
      body: {
        changeId: 'chg-rulecheck-death',
        type: 'DEATH',
        idNumber: P.wangJianguo.idNumber,
        name: P.wangJianguo.name,
        effectiveOn: '2026-11-21',
        station: 'CC-GLL',
      },
      token: stack.credentials.registryToken,
    });
    expect(death.status).toBe(201);

    // Assess: the same request now finds the cancellation and is issued on the spot …
    const after = await decided(cancellationRequest(P.wangJianguo, P.wangFang));
    expect(after.view.status).toBe('ISSUED');
    expect(after.view.decision.outcome).toBe('ISSUE_ON_THE_SPOT');
    const staffView = await stack.deps.store.getRequest(after.requestId);
    expect(staffView?.decision?.facts).toMatchObject({ reason: 'DEATH', cancelledOn: '2026-11-21' });
    // … and the pension office's ALIVE question is answered with the death.
    const aliveAfter = await decided(aliveRequest(P.wangJianguo));
    expect(aliveAfter.view.status).toBe('ANSWERED_BY_EXCHANGE');
    expect(await exchangeAnswer(aliveAfter.requestId)).toMatchObject({
      deathRegistered: true,
      deathRegisteredOn: '2026-11-21',
    });

    // 王芳, of whom nothing was reported, is checked against the file as it was.
    const other = await decided(cancellationRequest(P.wangFang, P.wangJianguo));
    expect(other.view.status).toBe('INVESTIGATING');
    expect(other.view.decision.outcome).toBe('INVESTIGATE');
    const otherAlive = await decided(aliveRequest(P.wangFang));
    expect(otherAlive.view.status).toBe('ANSWERED_BY_EXCHANGE');
    expect(await exchangeAnswer(otherAlive.requestId)).toMatchObject({ deathRegistered: false });
  });
});
