/**
 * An unhandled complaint escalates, level by level, on the working-day calendar: filed Thursday
 * 24 September 2026, the day before Mid-Autumn (Friday 25 September) and a week before National Day
 * (1–7 October; Saturday 10 October is a make-up working day). The 5 working days of
 * accountability.json end Friday 9 October; the 3 of each escalation end Tuesday 13 October (counting
 * the make-up Saturday), then Friday 16 October. Supervisors: the county bureau, the city bureau, the
 * provincial department (the policy's `supervisors`). A finding after escalation is still applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { advanceClock, call, startTestStack, waitComplaint } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  // Thursday 24 September 2026, 10:00 Beijing time.
  stack = await startTestStack({ clockStart: '2026-09-24T02:00:00.000Z' });
});
afterAll(async () => {
  await stack?.end();
});

describe('escalation of an unhandled complaint across Mid-Autumn and National Day 2026', () => {
  it('county bureau → city bureau → provincial department, then upheld', async () => {
    // Prepare
    const filed = await call(stack, 'POST', '/v1/complaints', {
      body: {
        kind: 'DEADLINE_MISSED',
        station: 'CC-YHL',
        text: '超过时限仍未办理',
        contact: { name: '黄小雨', phone: '13812345678' },
      },
    });
    expect(filed.status).toBe(202);
    const { complaintId, accessToken } = filed.body;
    const supervisor = stack.credentials.supervisorToken;
    const first = await waitComplaint(
      stack,
      complaintId,
      accessToken,
      (v) => v.status === 'ASSIGNED',
      'ASSIGNED',
    );
    expect(first).toMatchObject({
      assignment: { level: 1, unit: { zh: '朝阳区县级公安机关', en: 'county bureau of 朝阳区' } },
      deadline: '2026-10-09T15:59:59.999Z',
      deadlineProvisional: false,
    });
    // Act 1: the deadline passes unhandled (Saturday 10 October).
    await advanceClock(stack, 'P16D');
    const second = await waitComplaint(
      stack,
      complaintId,
      accessToken,
      (v) => v.assignment?.level === 2,
      'level 2',
    );
    // Assess 1
    expect(second).toMatchObject({
      status: 'ESCALATED',
      assignment: { level: 2, unit: { zh: '长春市市级公安机关' } },
      deadline: '2026-10-13T15:59:59.999Z',
    });
    // Act 2: and the next (Wednesday 14 October).
    await advanceClock(stack, 'P4D');
    const third = await waitComplaint(
      stack,
      complaintId,
      accessToken,
      (v) => v.assignment?.level === 3,
      'level 3',
    );
    expect(third).toMatchObject({
      status: 'ESCALATED',
      assignment: { level: 3, unit: { zh: '省公安厅' } },
      deadline: '2026-10-16T15:59:59.999Z',
    });
    const escalations = third.history.filter((e: { type: string }) => e.type === 'ESCALATED');
    expect(escalations.map((e: { detail: { missedDeadline: string } }) => e.detail.missedDeadline)).toEqual([
      '2026-10-09T15:59:59.999Z',
      '2026-10-13T15:59:59.999Z',
    ]);
    // The supervisor's list: not overdue (the third deadline has not passed), the contact masked.
    const list = await call(stack, 'GET', '/v1/complaints', { token: supervisor });
    expect(list.body.items.find((c: { complaintId: string }) => c.complaintId === complaintId)).toMatchObject(
      {
        status: 'ESCALATED',
        overdue: false,
        contact: { phone: '138****5678' },
      },
    );
    // Act 3: the provincial department upholds it.
    const decided = await call(stack, 'POST', `/v1/complaints/${complaintId}/findings`, {
      token: supervisor,
      body: { outcome: 'UPHELD', note: '逾期未办', officer: '张警官' },
    });
    expect(decided.status).toBe(202);
    const done = await waitComplaint(stack, complaintId, accessToken, (v) => v.status === 'UPHELD', 'UPHELD');
    expect(done.finding).toMatchObject({ outcome: 'UPHELD', note: '逾期未办' });
    const records = await call(stack, 'GET', `/v1/accountability?officer=${encodeURIComponent('张警官')}`, {
      token: supervisor,
    });
    expect(records.body.records).toEqual([
      expect.objectContaining({
        complaintId,
        kind: 'DEADLINE_MISSED',
        subject: 'OFFICER',
        station: 'CC-YHL',
      }),
    ]);
  });
});
