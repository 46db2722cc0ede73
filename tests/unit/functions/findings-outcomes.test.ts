/**
 * Submitting a finding, by outcome (in-memory store and workflow doubles): the finding is stored on the
 * request, then reaches the task that waits; a replaced token is followed; a task that cannot be reached
 * leaves the stored finding for the workflow's next step or the repair; a closed request is a 409. The
 * SFN error mapping itself (TaskTimedOut, throttling) is tested on the real adapter in
 * findings-and-sweeper.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { HttpError, httpErrorOf } from '#functions/edge/http.ts';
import { submitFinding } from '#functions/use-cases/findings.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { memoryDeps, waitingRecord } from './helpers.ts';

const waiting = { ...waitingRecord, taskToken: 'tok-1' } as unknown as RequestRecord;

describe('submitting a finding (outcomes)', () => {
  it('resumes the waiting task with the finding, stamped with the clock', async () => {
    const deps = memoryDeps();
    deps.store.seed(waiting);
    deps.workflow.waiting.add('tok-1');
    const out = await submitFinding(deps, 'R1', { outcome: 'CONFIRMED', by: 'officer:o1' });
    expect(out).toEqual({ requestId: 'R1', outcome: 'CONFIRMED', reportedBy: 'officer:o1' });
    // The stack's clock (pinned to 2026-11-23 10:00 Beijing; it runs on by milliseconds during the test).
    expect(deps.workflow.findings).toEqual([
      {
        taskToken: 'tok-1',
        finding: { outcome: 'CONFIRMED', by: 'officer:o1', at: expect.stringMatching(/^2026-11-23T02:00:0/) },
      },
    ]);
  });

  it('follows a token an escalation replaced', async () => {
    const deps = memoryDeps();
    // The store already holds the escalated request's new token; the caller read the old one.
    deps.store.seed({ ...waiting, version: 6, status: 'ESCALATED', taskToken: 'tok-2' });
    deps.workflow.waiting.add('tok-2');
    const out = await submitFinding(
      deps,
      'R1',
      { outcome: 'REFUTED', by: 'department:COURT', note: 'n' },
      { retryDelayMs: 1, firstRead: waiting },
    );
    expect(out.outcome).toBe('REFUTED');
    expect(deps.workflow.findings.map((f) => f.taskToken)).toEqual(['tok-2']);
  });

  it('a task that cannot be reached keeps the finding stored on the request (202), for the repair', async () => {
    const deps = memoryDeps();
    deps.store.seed(waiting);
    const out = await submitFinding(
      deps,
      'R1',
      { outcome: 'CONFIRMED', by: 'officer:o1' },
      { retryDelayMs: 1 },
    );
    expect(out.outcome).toBe('CONFIRMED');
    expect(deps.workflow.findings).toEqual([]);
    expect(deps.store.requests.get('R1')).toMatchObject({
      pendingFinding: { outcome: 'CONFIRMED', by: 'officer:o1' },
      lastEvent: { type: 'FINDING_RECEIVED' },
    });
  });

  it('a closed request is a 409, and nothing is stored or resumed', async () => {
    const deps = memoryDeps();
    deps.store.seed({ ...waiting, status: 'ISSUED', taskToken: undefined } as RequestRecord);
    const error = await submitFinding(
      deps,
      'R1',
      { outcome: 'CONFIRMED', by: 'officer:o1' },
      { retryDelayMs: 1 },
    ).catch((e) => httpErrorOf(e));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(409);
    expect(deps.store.requests.get('R1')?.version).toBe(waiting.version);
    expect(deps.workflow.findings).toEqual([]);
  });
});
