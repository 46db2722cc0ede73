/**
 * Nothing filed is lost: a complaint whose workflow could not be started at filing is still accepted
 * (202, stored ACCEPTED), and the ComplaintSweeper (every 5 minutes on the stack's clock) starts it; one
 * whose execution was stopped while it waited is restarted and still takes the supervisor's finding.
 */
import { StopExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { executionArn } from '#shared/workflow/sfn-workflow.ts';
import { advanceClock, call, startTestStack, waitComplaint } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.end();
});

const body = (phone: string) => ({
  kind: 'OBSTRUCTION',
  station: 'CC-GLL',
  text: '故意刁难，不给办',
  contact: { name: '赵敏', phone },
});

describe('the complaint sweeper', () => {
  it('starts the workflow of a complaint whose start failed, and restarts a stopped one', async () => {
    // Prepare: the first start fails.
    const start = vi
      .spyOn(stack.deps.complaintWorkflow, 'start')
      .mockRejectedValueOnce(Object.assign(new Error('down'), { name: 'ServiceUnavailable' }));
    const filed = await call(stack, 'POST', '/v1/complaints', { body: body('13900000001') });
    expect(filed.status).toBe(202);
    expect(start).toHaveBeenCalledTimes(1);
    vi.restoreAllMocks();
    const { complaintId, accessToken } = filed.body;
    const stored = await stack.deps.accountability.getComplaint(complaintId);
    expect(stored?.status).toBe('ACCEPTED');
    // Act: past the grace period and a scheduler tick.
    await advanceClock(stack, 'PT6M');
    // Assess
    const assigned = await waitComplaint(
      stack,
      complaintId,
      accessToken,
      (v) => v.status === 'ASSIGNED',
      'ASSIGNED',
    );
    expect(assigned.assignment.level).toBe(1);
    expect((await stack.deps.accountability.getComplaint(complaintId))?.executionName).toBe(
      `${complaintId}-r1`,
    );

    // A waiting complaint whose execution is stopped (as after a lost execution).
    const second = await call(stack, 'POST', '/v1/complaints', { body: body('13900000002') });
    const id2 = second.body.complaintId as string;
    await waitComplaint(stack, id2, second.body.accessToken, (v) => v.status === 'ASSIGNED', 'ASSIGNED');
    for (let i = 0; i < 200 && !(await stack.deps.accountability.getComplaint(id2))?.taskToken; i += 1)
      await new Promise((r) => setTimeout(r, 40));
    const sfn = (
      stack.deps.complaintWorkflow as unknown as { client: { send(c: unknown): Promise<unknown> } }
    ).client;
    const machine = stack.deps.config.complaintStateMachineArn!;
    await sfn.send(new StopExecutionCommand({ executionArn: executionArn(machine, id2) }));
    expect(await stack.deps.complaintWorkflow.isRunning(id2)).toBe(false);
    await advanceClock(stack, 'PT6M');
    for (let i = 0; i < 200 && !(await stack.deps.complaintWorkflow.isRunning(`${id2}-r1`)); i += 1)
      await new Promise((r) => setTimeout(r, 40));
    expect(await stack.deps.complaintWorkflow.isRunning(`${id2}-r1`)).toBe(true);
    // The supervisor's finding reaches the new execution's wait.
    let answer = await call(stack, 'POST', `/v1/complaints/${id2}/findings`, {
      token: stack.credentials.supervisorToken,
      body: { outcome: 'NOT_UPHELD', note: '经查不属实' },
    });
    for (let i = 0; i < 50 && answer.status === 409; i += 1) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await call(stack, 'POST', `/v1/complaints/${id2}/findings`, {
        token: stack.credentials.supervisorToken,
        body: { outcome: 'NOT_UPHELD', note: '经查不属实' },
      });
    }
    expect(answer.status).toBe(202);
    const done = await waitComplaint(
      stack,
      id2,
      second.body.accessToken,
      (v) => v.status === 'NOT_UPHELD',
      'NOT_UPHELD',
    );
    expect(done.finding.note).toBe('经查不属实');
  });
});
