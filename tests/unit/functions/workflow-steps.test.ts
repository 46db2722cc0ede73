/**
 * Workflow steps. Under DynamoDB failures (aws-sdk-client-mock on the real DynamoStore): throttling
 * surfaces as TransientStoreError (the name the state machine retries), a conditional-check failure (a
 * concurrent change) is re-read and re-decided. Their outcomes (in-memory store double): what is stored.
 */

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { buildDeps } from '#functions/deps.ts';
import { createHandler as intake } from '#functions/http/intake.ts';
import { createHandler as checkRules } from '#functions/workflow/check-rules.ts';
import { createHandler as decide } from '#functions/workflow/decide.ts';
import { createHandler as dispatch } from '#functions/workflow/dispatch-investigation.ts';
import { createHandler as escalate } from '#functions/workflow/escalate.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { defaultCalendar } from '#shared/domain/calendar.ts';
import { type Notifier, type Sms, smsFor } from '#shared/domain/notifications.ts';
import { defaultPolicy, policyInForce } from '#shared/policy/policy.ts';
import { policyTexts } from '#shared/policy/texts.ts';
import { TransientStoreError } from '#shared/store/errors.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { mockDocumentCalls } from '#tests/helpers/document-mock.ts';
import { TRANSIENT_ERRORS } from '#workflows/asl.ts';
import { awsError, context, httpEvent, memoryDeps, testDeps } from './helpers.ts';

const ddb = mockDocumentCalls();
afterEach(() => ddb.reset());

function storedRequest(overrides: Record<string, unknown> = {}): RequestRecord & { pk: string; sk: string } {
  return {
    pk: 'REQ#R1',
    sk: 'REQUEST',
    requestId: 'R1',
    version: 1,
    status: 'RECEIVED',
    proof: 'NAME_CHANGE',
    input: demoScenarios.find((s) => s.id === 'name-change')!.body,
    accessTokenHash: 'h',
    acceptedAt: '2026-11-23T02:00:00.000Z',
    updatedAt: '2026-11-23T02:00:00.000Z',
    escalationLevel: 0,
    lastEvent: { seq: 1, at: '2026-11-23T02:00:00.000Z', type: 'RECEIVED', actor: 'applicant', detail: {} },
    ...overrides,
  } as RequestRecord & { pk: string; sk: string };
}

describe('CheckRules', () => {
  it('throttled reads fail as TransientStoreError, which the state machine retries', async () => {
    ddb.on(GetCommand).rejects(awsError('ProvisionedThroughputExceededException'));
    const error = await checkRules(testDeps())({ requestId: 'R1' }, context()).catch((e: Error) => e);
    expect((error as Error).name).toBe('TransientStoreError');
    expect(TRANSIENT_ERRORS).toContain('TransientStoreError');
  });

  it('a concurrent change (conditional check failed) is read again; an already decided request is not decided twice', async () => {
    // First read: RECEIVED; the conditional write loses; second read: already decided by the other run.
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: storedRequest() })
      .resolves({
        Item: storedRequest({ version: 2, status: 'CHECKING', decision: { outcome: 'ISSUE_ON_THE_SPOT' } }),
      });
    ddb.on(PutCommand).callsFake((input: { ConditionExpression?: string }) => {
      if (input.ConditionExpression?.includes('#version')) throw awsError('ConditionalCheckFailedException');
      return {};
    });
    const notifier = recordingNotifier();
    const out = (await checkRules(testDeps({ notifier }))({ requestId: 'R1' }, context())) as {
      path: string;
    };
    expect(out.path).toBe('ISSUE');
    expect(
      ddb.commandCalls(PutCommand).filter((c) => c.args[0].input.ConditionExpression?.includes('#version')),
    ).toHaveLength(1);
    // The run that decided told the applicant; this one, whose write lost, sends no "accepted" again.
    expect(notifier.sent).toEqual([]);
  });

  it('a missing request fails the step with RequestNotFoundError (not retried)', async () => {
    ddb.on(GetCommand).resolves({});
    const error = await checkRules(testDeps())({ requestId: 'R404' }, context()).catch((e: Error) => e);
    expect((error as Error).name).toBe('RequestNotFoundError');
    expect(TRANSIENT_ERRORS).not.toContain('RequestNotFoundError');
  });
});

/** A notifier that keeps the SMS it is given, oldest first. */
function recordingNotifier(): Notifier & { sent: Sms[] } {
  const sent: Sms[] = [];
  return { sent, send: async (sms) => void sent.push(sms) };
}

/** Files demo scenario `id` through Intake (the in-memory store); the request id and the body filed. */
async function fileThroughIntake(deps: ReturnType<typeof memoryDeps>, id: string) {
  const body = demoScenarios.find((s) => s.id === id)!.body as Parameters<typeof smsFor>[1]['input'];
  const event = httpEvent('POST', '/v1/requests', 'POST /v1/requests', { body });
  const answer = (await intake(deps)(event, context())) as { statusCode: number; body: string };
  expect(answer.statusCode).toBe(202);
  return { requestId: (JSON.parse(answer.body) as { requestId: string }).requestId, body };
}

describe('the "accepted" SMS: sent by CheckRules, at most once per request', () => {
  it('Intake sends none; CheckRules sends it (the message Intake sent before), then the decision; a retried or redriven run sends neither again', async () => {
    const notifier = recordingNotifier();
    const deps = memoryDeps({ notifier });
    const { requestId, body } = await fileThroughIntake(deps, 'identity');
    expect(notifier.sent).toEqual([]);
    const step = checkRules(deps);
    await step({ requestId }, context());
    // Step Functions' Retry after a failure past the write, or a redrive: the same input again.
    await step({ requestId }, context());
    await step({ requestId }, context());
    expect(notifier.sent.map((m) => m.key)).toEqual(['accepted', 'declined']);
    const policy = policyInForce(deps.policies, new Date(deps.clock.now()));
    expect(notifier.sent[0]).toEqual(smsFor(policy, { requestId, input: body }, 'accepted'));
  });

  it('a first run that fails before its write sends nothing; the retry sends "accepted" and the decision once', async () => {
    const notifier = recordingNotifier();
    const deps = memoryDeps({ notifier });
    const { requestId } = await fileThroughIntake(deps, 'identity');
    const store = deps.store;
    const update = store.updateRequest.bind(store);
    let failures = 1;
    store.updateRequest = (...args) => {
      if (failures-- > 0) return Promise.reject(new TransientStoreError('throttled'));
      return update(...args);
    };
    const step = checkRules(deps);
    await expect(step({ requestId }, context())).rejects.toThrow(TransientStoreError);
    expect(notifier.sent).toEqual([]);
    await step({ requestId }, context());
    await step({ requestId }, context());
    expect(notifier.sent.map((m) => m.key)).toEqual(['accepted', 'declined']);
  });

  it('two runs at once (both read the request RECEIVED): only the one whose write decided sends', async () => {
    const notifier = recordingNotifier();
    const deps = memoryDeps({ notifier });
    const { requestId } = await fileThroughIntake(deps, 'kinship-investigate');
    // Both runs' first reads are answered only once both have asked: both decide from RECEIVED.
    const store = deps.store;
    const get = store.getRequest.bind(store);
    let release!: () => void;
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reads = 0;
    store.getRequest = async (id) => {
      reads += 1;
      if (reads === 2) release();
      if (reads <= 2) await bothRead;
      return get(id);
    };
    const step = checkRules(deps);
    await Promise.all([step({ requestId }, context()), step({ requestId }, context())]);
    expect(store.requests.get(requestId)?.status).toBe('INVESTIGATING');
    expect(notifier.sent.map((m) => m.key)).toEqual(['accepted', 'investigating']);
  });
});

describe('DispatchInvestigation and Escalate', () => {
  it('stores the task token with the DISPATCHED event, once', async () => {
    const deps = memoryDeps();
    deps.store.seed(storedRequest({ status: 'INVESTIGATING', deadline: '2026-11-30T15:59:59.999Z' }));
    await dispatch(deps)({ requestId: 'R1', taskToken: 'tok-1' }, context());
    await dispatch(deps)({ requestId: 'R1', taskToken: 'tok-1' }, context());
    expect(deps.store.requests.get('R1')).toMatchObject({
      taskToken: 'tok-1',
      version: 2,
      status: 'INVESTIGATING',
      lastEvent: { type: 'DISPATCHED' },
    });
  });

  it('a heartbeat timeout before the deadline escalates nothing and waits for the same deadline', async () => {
    const deadline = '2026-11-30T15:59:59.999Z';
    const deps = memoryDeps();
    deps.store.seed(storedRequest({ status: 'INVESTIGATING', deadline, station: 'CC-YHL' }));
    const out = (await escalate(deps)({ requestId: 'R1', error: 'States.HeartbeatTimeout' }, context())) as {
      deadline: string;
      escalationLevel: number;
    };
    expect(out).toMatchObject({ deadline, escalationLevel: 0 });
    expect(deps.store.requests.get('R1')).toMatchObject({ version: 1, status: 'INVESTIGATING', deadline });
  });

  it('past the deadline: level 1 with the deadline 2 working days later', async () => {
    const deps = memoryDeps();
    deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
    deps.store.seed(
      storedRequest({ status: 'INVESTIGATING', deadline: '2026-11-30T15:59:59.999Z', station: 'CC-YHL' }),
    );
    const out = (await escalate(deps)({ requestId: 'R1', error: 'States.Timeout' }, context())) as {
      deadline: string;
      escalationLevel: number;
    };
    expect(out).toEqual({
      requestId: 'R1',
      path: 'WAIT',
      deadline: '2026-12-02T15:59:59.999Z',
      escalationLevel: 1,
    });
    expect(deps.store.requests.get('R1')).toMatchObject({
      status: 'ESCALATED',
      escalationLevel: 1,
      deadline: '2026-12-02T15:59:59.999Z',
      lastEvent: {
        type: 'ESCALATED',
        detail: {
          // The policy's notices.escalated, filled with the level and the new deadline's Beijing date.
          notice: {
            zh: '已逾期，升级至第1级督办；新的期限为2026-12-02。',
            en: 'Overdue: escalated to supervision level 1; the new deadline is the end of 2026-12-02.',
          },
        },
      },
    });
  });
});

describe('the holiday supplement (CERTFLOW_HOLIDAYS_FILE)', () => {
  const holidayFile = () => {
    const dir = mkdtempSync(join(tmpdir(), 'certflow-cal-'));
    const file = join(dir, 'holidays.json');
    writeFileSync(
      file,
      JSON.stringify({ years: [2026], holidays: { '2026-12-01': '测试假日' }, workdays: {} }),
    );
    return { dir, file };
  };

  it('is loaded once from the config and moves the escalation deadline past the supplied holiday', async () => {
    const { dir, file } = holidayFile();
    try {
      const base = testDeps();
      const deps = memoryDeps({
        calendar: buildDeps({ config: { ...base.config, holidaysFile: file } }).calendar,
      });
      expect(await deps.calendar()).toBe(await deps.calendar());
      deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
      deps.store.seed(
        storedRequest({ status: 'INVESTIGATING', deadline: '2026-11-30T15:59:59.999Z', station: 'CC-YHL' }),
      );
      const out = await escalate(deps)({ requestId: 'R1' }, context());
      // Without the file: Wednesday 2 December (see above); with 1 December off: Thursday 3 December.
      expect(out).toMatchObject({ deadline: '2026-12-03T15:59:59.999Z', escalationLevel: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a bad file fails with CalendarDataError naming it, and is read again next time', async () => {
    const base = testDeps();
    const deps = buildDeps({ config: { ...base.config, holidaysFile: '/no/such/holidays.json' } });
    await expect(deps.calendar()).rejects.toMatchObject({
      name: 'CalendarDataError',
      message: expect.stringContaining('/no/such/holidays.json'),
    });
    await expect(deps.calendar()).rejects.toMatchObject({ name: 'CalendarDataError' });
  });

  it('without a file: the default calendar', async () => {
    expect(await testDeps().calendar()).toBe(defaultCalendar);
  });
});

describe('Decide', () => {
  it('a refusal carries the appeal text of the policy in force', async () => {
    const appeal = { zh: '可申请复核（测试政策）', en: 'You may ask for a review (test policy)' };
    const texts = policyTexts(defaultPolicy);
    const notices = { ...texts.notices, notices: { ...texts.notices.notices, appeal } };
    const deps = memoryDeps({ policy: { ...defaultPolicy, texts: { ...texts, notices } } });
    deps.store.seed(
      storedRequest({ status: 'INVESTIGATING', deadline: '2026-11-30T15:59:59.999Z', station: 'CC-YHL' }),
    );
    const finding = {
      outcome: 'REFUTED',
      by: 'officer:o1',
      at: '2026-11-24T02:00:00.000Z',
      note: '查无此事',
    };
    const out = await decide(deps)({ requestId: 'R1', finding }, context());
    expect(out).toEqual({ requestId: 'R1', status: 'REFUSED' });
    expect(deps.store.requests.get('R1')).toMatchObject({
      status: 'REFUSED',
      lastEvent: { type: 'REFUSED', detail: { reason: '查无此事', appeal } },
    });
  });
});
