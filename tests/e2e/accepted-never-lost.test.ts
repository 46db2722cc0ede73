/**
 * Issue 11, class 1 and 2: nothing accepted is ever lost, nobody acts outside their remit.
 * - `facts` with prototype keys is a 400 before anything is stored (it used to be a 202 that failed the
 *   workflow inside the DynamoDB marshaller, silently);
 * - a workflow step that fails is logged at ERROR with the request id, counted (WorkflowStepFailed) and
 *   recovered: the accepted finding still decides the request; a step that keeps failing fails the
 *   execution, and the sweeper restarts it from the stored state;
 * - only a department an investigation was dispatched to may report its finding;
 * - exchange routes name their department or get a 400 naming `department`.
 * The stack's clock is pinned (Monday 2026-11-23, helpers.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import type { ProblemFieldError } from '#shared/http/problem.ts';
import type { RequestEvent } from '#shared/store/model.ts';
import {
  advanceClock,
  call,
  investigation as investigate,
  signedGet,
  signedPost,
  startTestStack,
  waitFinal,
  waitFor,
} from './helpers.ts';

let stack: LocalStack;

beforeEach(async () => {
  stack = await startTestStack();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await stack?.end();
});

const investigation = (id?: string) => investigate(stack, id);

function officerFinding(requestId: string, body: unknown) {
  return call(stack, 'POST', `/v1/requests/${requestId}/findings`, {
    body,
    token: stack.credentials.officerToken,
  });
}

const paths = (a: { body: { errors?: ProblemFieldError[] } }) => (a.body.errors ?? []).map((e) => e.path);
const types = (history: RequestEvent[]) => history.map((e) => e.type);

describe('free-form facts are safe before the 202', () => {
  it('prototype keys (constructor, __proto__, toString) are a 400 naming the key; nothing stored', async () => {
    const { requestId, accessToken } = await investigation();
    const before = await stack.deps.store.getRequest(requestId);
    for (const key of ['constructor', '__proto__', 'toString']) {
      // Raw JSON: a JS object literal would swallow `__proto__`.
      const raw = `{"outcome":"CONFIRMED","facts":{"${key}":"x","ok":"y"}}`;
      const officer = await call(stack, 'POST', `/v1/requests/${requestId}/findings`, {
        raw,
        headers: { 'content-type': 'application/json' },
        token: stack.credentials.officerToken,
      });
      expect(officer.status, key).toBe(400);
      expect(paths(officer)).toEqual([`facts.${key}`]);
      const department = await call(stack, 'POST', '/v1/webhooks/COURT/findings', {
        raw: `{"requestId":"${requestId}","outcome":"CONFIRMED","facts":{"${key}":{"a":1}}}`,
        headers: {
          'content-type': 'application/json',
          ...(await import('#shared/webhooks/signature.ts')).signedHeaders(
            [stack.credentials.departments.COURT!.secret],
            `msg_${key}`,
            Math.floor(stack.clock.now() / 1000),
            `{"requestId":"${requestId}","outcome":"CONFIRMED","facts":{"${key}":{"a":1}}}`,
          ),
        },
      });
      expect(department.status, key).toBe(400);
    }
    // Nested objects and control characters in a key are refused too; a safe shape is accepted.
    const nested = await officerFinding(requestId, { outcome: 'CONFIRMED', facts: { a: { b: 1 } } });
    expect(paths(nested)).toEqual(['facts.a']);
    expect((await stack.deps.store.getRequest(requestId))?.version).toBe(before?.version);
    const ok = await officerFinding(requestId, {
      outcome: 'CONFIRMED',
      facts: { 调查方式: '走访邻居', visits: 2, archive: ['户籍档案', '婚姻登记'] },
    });
    expect(ok.status).toBe(202);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ISSUED');
    expect((await stack.deps.store.getRequest(requestId))?.finding?.facts).toEqual({
      调查方式: '走访邻居',
      visits: 2,
      archive: ['户籍档案', '婚姻登记'],
    });
  });
});

describe('a failed workflow step is never silent and never loses the accepted finding', () => {
  it('an injected failure of Decide: ERROR log + metric, then the request reaches its outcome', async () => {
    const { requestId, accessToken } = await investigation();
    // Each local function logs through its own child of the stack's logger (local/functions.ts).
    const errors = vi.spyOn(Logger.prototype, 'error');
    const metrics = vi.spyOn(stack.deps.metrics, 'addMetric');
    // Inject: the certificate write fails once with an error no retry policy covers.
    const put = stack.deps.store.putCertificate.bind(stack.deps.store);
    let failures = 0;
    vi.spyOn(stack.deps.store, 'putCertificate').mockImplementation(async (c) => {
      if (failures === 0) {
        failures += 1;
        throw new TypeError('injected fault: marshaller rejected the item');
      }
      return put(c);
    });
    expect((await officerFinding(requestId, { outcome: 'CONFIRMED', note: '核实属实' })).status).toBe(202);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ISSUED');
    expect(failures).toBe(1);
    const history = types(view.history);
    expect(history).toContain('FINDING_RECEIVED');
    expect(history.indexOf('WORKFLOW_STEP_FAILED')).toBeGreaterThan(history.indexOf('FINDING_RECEIVED'));
    expect(history.at(-1)).toBe('ISSUED');
    expect(errors).toHaveBeenCalledWith(
      'workflow step failed',
      expect.objectContaining({ requestId, error: 'TypeError' }),
    );
    expect(metrics).toHaveBeenCalledWith('WorkflowStepFailed', 'Count', 1);
  });

  it('a step that keeps failing fails the execution loudly; the sweeper resumes it and applies the finding', async () => {
    const { requestId, accessToken } = await investigation();
    let failing = true;
    const put = stack.deps.store.putCertificate.bind(stack.deps.store);
    vi.spyOn(stack.deps.store, 'putCertificate').mockImplementation(async (c) => {
      if (failing) throw new TypeError('injected fault');
      return put(c);
    });
    expect((await officerFinding(requestId, { outcome: 'CONFIRMED' })).status).toBe(202);
    // 1 + 3 recoveries, then the execution fails; the request says why.
    const stuck = await waitFor(
      stack,
      requestId,
      accessToken,
      (v) => v.history.filter((e: RequestEvent) => e.type === 'WORKFLOW_STEP_FAILED').length === 4,
      'four failed steps',
    );
    expect(stuck.status).toBe('INVESTIGATING');
    // No longer waiting for a finding: a second finding is a 409, the first one stays.
    expect((await officerFinding(requestId, { outcome: 'REFUTED', note: 'x' })).status).toBe(409);
    failing = false;
    await advanceClock(stack, 'PT3M');
    const report = (await stack.sweep()) as { repaired: number };
    expect(report.repaired).toBe(1);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ISSUED');
    expect(types(view.history)).toEqual(expect.arrayContaining(['WORKFLOW_RESTARTED', 'ISSUED']));
    expect(view.escalationLevel).toBe(0);
  });

  it('a finding accepted while the wait timed out is applied at Escalate, never escalated past', async () => {
    const { requestId, accessToken } = await investigation();
    // The finding is stored but never reaches the workflow (its task token is gone).
    vi.spyOn(stack.deps.workflow, 'sendFinding').mockResolvedValue('gone');
    expect((await officerFinding(requestId, { outcome: 'CONFIRMED' })).status).toBe(202);
    vi.restoreAllMocks();
    await advanceClock(stack, 'P8D'); // past the deadline: AwaitFinding times out → Escalate
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ISSUED');
    expect(view.escalationLevel).toBe(0);
    expect(types(view.history)).not.toContain('ESCALATED');
  });
});

describe('remit', () => {
  it('a department reports only on an investigation dispatched to it', async () => {
    const { requestId, accessToken } = await investigation(); // KINSHIP asked by COURT; consults CIVIL_AFFAIRS
    expect(stack.inbox('CIVIL_AFFAIRS').some((m) => m.type === 'certflow.investigation.requested')).toBe(
      true,
    );
    expect(stack.inbox('EDUCATION').some((m) => m.type === 'certflow.investigation.requested')).toBe(false);
    for (const department of ['EDUCATION', 'NOTARY', 'HUMAN_RESOURCES']) {
      const answer = await signedPost(stack, department, `/v1/webhooks/${department}/findings`, {
        requestId,
        outcome: 'CONFIRMED',
      });
      expect(answer.status, department).toBe(404);
    }
    const hotel = await investigation('criminal-record-investigate'); // asked by OTHER: no department
    const education = await signedPost(stack, 'EDUCATION', '/v1/webhooks/EDUCATION/findings', {
      requestId: hotel.requestId,
      outcome: 'CONFIRMED',
    });
    expect(education.status).toBe(404);
    const view = await call(stack, 'GET', `/v1/requests/${requestId}`, { token: accessToken });
    expect(view.body.status).toBe('INVESTIGATING');
    expect(types(view.body.history)).not.toContain('FINDING_RECEIVED');
    const court = await signedPost(stack, 'COURT', '/v1/webhooks/COURT/findings', {
      requestId,
      outcome: 'CONFIRMED',
    });
    expect(court.status).toBe(202);
  });

  it('exchange routes without a department: 400 naming department, never an empty list', async () => {
    const officer = await call(stack, 'GET', '/v1/exchange/records', {
      token: stack.credentials.officerToken,
    });
    expect(officer.status).toBe(400);
    expect(paths(officer)).toEqual(['department']);
    const signed = await signedGet(stack, 'NOTARY', '/v1/exchange/records');
    expect(signed.status).toBe(400);
    expect(paths(signed)).toEqual(['department']);
    const query = await signedPost(stack, 'NOTARY', '/v1/exchange/queries', { question: 'ALIVE' });
    expect(query.status).toBe(400);
    expect(paths(query)).toEqual(['department']);
    expect((await signedGet(stack, 'NOTARY', '/v1/exchange/records?department=NOTARY')).status).toBe(200);
  });
});
