/**
 * The complaint use cases (functions/use-cases/complaints.ts) over the in-memory doubles: filing checks
 * what a complaint names before storing anything, assignment and escalation on the calendar, a stored
 * finding is applied and never escalated past, concluding is idempotent and makes one accountability
 * record, a finding for a complaint that is not waiting is a conflict.
 */
import { describe, expect, it } from 'vitest';
import {
  assignComplaint,
  concludeComplaint,
  dispatchComplaint,
  escalateComplaint,
  fileComplaint,
  submitComplaintFinding,
} from '#functions/use-cases/complaints.ts';
import { StateConflictError, UnknownReferenceError } from '#functions/use-cases/errors.ts';
import { InMemoryAccountabilityStore } from '#tests/helpers/in-memory-accountability.ts';
import { memoryDeps } from './helpers.ts';

function deps() {
  const accountability = new InMemoryAccountabilityStore();
  const d = memoryDeps();
  return Object.assign(d, { accountability, complaintWorkflow: d.workflow });
}

const body = {
  kind: 'FAVOURS_ASKED' as const,
  text: '要我请吃饭',
  station: 'CC-YHL',
  officer: '王警官',
  contact: { name: '黄小雨', phone: '13812345678' },
};

describe('filing', () => {
  it('stores nothing for an unknown station, request or body, and runs admit before storing', async () => {
    const d = deps();
    await expect(fileComplaint(d, { ...body, station: 'XX-NONE' })).rejects.toBeInstanceOf(
      UnknownReferenceError,
    );
    await expect(fileComplaint(d, { ...body, requestId: 'NOPE' })).rejects.toMatchObject({
      path: 'requestId',
    });
    await expect(
      fileComplaint(d, { ...body, kind: 'ABOLISHED_DEMAND', body: 'NOPE', certificateKind: 'KINSHIP' }),
    ).rejects.toMatchObject({ path: 'body' });
    await expect(
      fileComplaint(d, body, async () => {
        throw new Error('limited');
      }),
    ).rejects.toThrow('limited');
    expect(d.accountability.complaints.size).toBe(0);
    const { complaintId, accessToken } = await fileComplaint(d, body);
    expect(accessToken).toMatch(/^cft_/);
    expect(d.accountability.complaints.get(complaintId)).toMatchObject({
      status: 'ACCEPTED',
      executionName: complaintId,
    });
    expect(d.workflow.executions.get(complaintId)?.requestId).toBe(complaintId);
  });
});

describe('assignment, escalation and the finding', () => {
  it('assigns level 1, escalates only past the deadline, applies a stored finding instead of escalating', async () => {
    const d = deps();
    const { complaintId } = await fileComplaint(d, body);
    const assigned = await assignComplaint(d, complaintId);
    expect(assigned).toEqual({ complaintId, path: 'WAIT', deadline: '2026-11-30T15:59:59.999Z' });
    // Idempotent.
    expect(await assignComplaint(d, complaintId)).toEqual(assigned);
    // A timeout before the deadline (a retry) changes nothing.
    expect((await escalateComplaint(d, complaintId)).escalatedTo).toBeUndefined();
    d.clock.advance(8 * 86_400_000);
    const escalated = await escalateComplaint(d, complaintId);
    expect(escalated.escalatedTo).toBe(2);
    expect(d.accountability.complaints.get(complaintId)).toMatchObject({
      status: 'ESCALATED',
      assignment: { level: 2, unit: { zh: '长春市市级公安机关' } },
    });
    // A finding: stored, then sent to the waiting task.
    await dispatchComplaint(d, complaintId, 'token-1');
    d.workflow.waiting.add('token-1');
    await submitComplaintFinding(d, complaintId, { outcome: 'UPHELD', note: '属实', by: 'supervisor:s' });
    expect(d.workflow.findings).toHaveLength(1);
    await expect(
      submitComplaintFinding(d, complaintId, { outcome: 'NOT_UPHELD', note: 'x', by: 'supervisor:s' }),
    ).rejects.toBeInstanceOf(StateConflictError);
    // The wait times out before the finding is applied: Escalate answers DECIDE, never escalates past it.
    d.clock.advance(30 * 86_400_000);
    const answer = await escalateComplaint(d, complaintId);
    expect(answer).toMatchObject({ answer: { path: 'DECIDE', finding: { outcome: 'UPHELD' } } });
    expect(answer.escalatedTo).toBeUndefined();
    // Concluded twice (a retry): one status change, one accountability record.
    await concludeComplaint(d, complaintId);
    await concludeComplaint(d, complaintId);
    const done = d.accountability.complaints.get(complaintId)!;
    expect(done.status).toBe('UPHELD');
    expect(done.history.filter((e) => e.type === 'UPHELD')).toHaveLength(1);
    expect([...d.accountability.records.values()]).toEqual([
      expect.objectContaining({ officer: '王警官', subject: 'OFFICER', kind: 'FAVOURS_ASKED' }),
    ]);
  });
});
