/** Findings and the sweeper against Step Functions failures: a closed task, a missing execution. */
import {
  DescribeExecutionCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { BatchGetCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpError, httpErrorOf } from '#functions/edge/http.ts';
import { sweep } from '#functions/schedule/deadline-sweeper.ts';
import { submitFinding } from '#functions/use-cases/findings.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { executionArn } from '#shared/workflow/sfn-workflow.ts';
import { mockDocumentCalls } from '#tests/helpers/document-mock.ts';
import { awsError, STATE_MACHINE, testDeps, waitingRecord } from './helpers.ts';

const ddb = mockDocumentCalls();
const sfn = mockClient(SFNClient);
afterEach(() => {
  ddb.reset();
  sfn.reset();
});

const waiting = { ...waitingRecord, taskToken: 'tok-1' };

/**
 * The status index as the store reads it: `byStatus` entries in shard 0 of each status (the other shards
 * empty), and BatchGetItem answering the `items` that exist (by request id).
 */
function indexOf(byStatus: Record<string, Record<string, unknown>[]>, items: Record<string, unknown>[]) {
  ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => {
    const m = /^STATUS#([A-Z_]+)#0$/.exec(input.ExpressionAttributeValues[':p'] ?? '');
    return {
      Items: (m ? (byStatus[m[1]!] ?? []) : []).map((r) => ({
        ...r,
        gsi1sk: `${String(r.deadline)}#${String(r.requestId)}`,
      })),
    };
  });
  ddb.on(BatchGetCommand).callsFake((input: { RequestItems: Record<string, { Keys: { pk: string }[] }> }) => {
    const [table, { Keys }] = Object.entries(input.RequestItems)[0]!;
    const found = Keys.flatMap((k) => {
      const item = items.find((i) => `REQ#${String(i.requestId)}` === k.pk);
      return item ? [{ ...item, pk: k.pk, sk: 'REQUEST' }] : [];
    });
    return { Responses: { [table]: found } };
  });
}

describe('submitting a finding', () => {
  it('a task that already ended (TaskTimedOut) with no new token: the finding is stored first, so it is accepted (the workflow applies it at Escalate)', async () => {
    ddb.on(GetCommand).resolves({ Item: waiting });
    sfn.on(SendTaskSuccessCommand).rejects(awsError('TaskTimedOut'));
    const out = await submitFinding(
      testDeps(),
      'R1',
      { outcome: 'CONFIRMED', by: 'officer:x' },
      { retryDelayMs: 1 },
    );
    expect(out).toEqual({ requestId: 'R1', outcome: 'CONFIRMED', reportedBy: 'officer:x' });
    const stored = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item as Partial<RequestRecord>);
    expect(stored.find((i) => i.pendingFinding)?.pendingFinding).toMatchObject({
      outcome: 'CONFIRMED',
      by: 'officer:x',
    });
    expect(stored.find((i) => i.pendingFinding)?.lastEvent?.type).toBe('FINDING_RECEIVED');
  });

  it('a request already holding a finding is a 409 and stores nothing', async () => {
    ddb.on(GetCommand).resolves({
      Item: { ...waiting, pendingFinding: { outcome: 'CONFIRMED', by: 'officer:y', at: 't' } },
    });
    const error = await submitFinding(testDeps(), 'R1', {
      outcome: 'REFUTED',
      by: 'officer:x',
      note: 'n',
    }).catch((e) => httpErrorOf(e));
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(409);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(sfn.commandCalls(SendTaskSuccessCommand)).toHaveLength(0);
  });

  it('a token replaced by an escalation is retried with the new token', async () => {
    ddb
      .on(GetCommand)
      .resolvesOnce({ Item: waiting })
      .resolves({ Item: { ...waiting, version: 6, status: 'ESCALATED', taskToken: 'tok-2' } });
    sfn.on(SendTaskSuccessCommand, { taskToken: 'tok-1' }).rejects(awsError('TaskTimedOut'));
    sfn.on(SendTaskSuccessCommand, { taskToken: 'tok-2' }).resolves({});
    const out = await submitFinding(
      testDeps(),
      'R1',
      { outcome: 'REFUTED', by: 'department:COURT', note: 'n' },
      { retryDelayMs: 1 },
    );
    expect(out).toEqual({ requestId: 'R1', outcome: 'REFUTED', reportedBy: 'department:COURT' });
    expect(sfn.commandCalls(SendTaskSuccessCommand).map((c) => c.args[0].input.taskToken)).toEqual([
      'tok-1',
      'tok-2',
    ]);
  });

  it('Step Functions throttling is not a 409: it goes to the error policy (500)', async () => {
    ddb.on(GetCommand).resolves({ Item: waiting });
    sfn.on(SendTaskSuccessCommand).rejects(awsError('ThrottlingException'));
    const error = await submitFinding(testDeps(), 'R1', { outcome: 'CONFIRMED', by: 'officer:x' }).catch(
      (e) => httpErrorOf(e),
    );
    expect(error).not.toBeInstanceOf(HttpError);
  });
});

describe('the deadline sweeper', () => {
  it('restarts the workflow of an overdue request whose execution does not exist', async () => {
    const deps = testDeps();
    deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
    indexOf({ INVESTIGATING: [waiting] }, [waiting]);
    ddb.on(GetCommand).resolves({ Item: waiting });
    ddb.on(PutCommand).resolves({});
    sfn.on(DescribeExecutionCommand).rejects(awsError('ExecutionDoesNotExist'));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x' });
    const report = await sweep(deps);
    expect(report.repaired).toBe(1);
    expect(sfn.commandCalls(DescribeExecutionCommand)[0]!.args[0].input.executionArn).toBe(
      executionArn(STATE_MACHINE, 'R1'),
    );
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input).toMatchObject({
      name: 'R1-r1',
      input: '{"requestId":"R1"}',
    });
    const restart = ddb
      .commandCalls(PutCommand)
      .find((c) => c.args[0].input.Item?.lastEvent?.type === 'WORKFLOW_RESTARTED');
    expect(restart?.args[0].input.Item).toMatchObject({ repairs: 1, executionName: 'R1-r1' });
  });

  it('reads only what is overdue or troubled: one bounded query per status, no heartbeat', async () => {
    const deps = testDeps();
    deps.clock.set(Date.parse('2026-11-24T02:00:00.000Z')); // before the deadline of 30 November
    ddb.on(QueryCommand).resolves({ Items: [] });
    const report = await sweep(deps);
    expect(report).toMatchObject({ repaired: 0, scanned: 0 });
    const queries = ddb.commandCalls(QueryCommand).map((c) => c.args[0].input);
    expect(queries.length).toBeGreaterThan(0);
    // Every query is bounded above by the grace moment (2 min before now; the clock runs on) (`gsi1sk <= :before`): healthy open requests,
    // whose deadline lies ahead, are never read.
    for (const q of queries) {
      expect(q.KeyConditionExpression).toContain('gsi1sk <= :before');
      expect(String(q.ExpressionAttributeValues?.[':before'])).toMatch(/^2026-11-24T01:58:0\d\.\d{3}Z#~$/);
    }
    expect(sfn.commandCalls(StartExecutionCommand)).toHaveLength(0);
  });

  it('skips an index entry whose request item does not exist (torn write after a kill -9) and sweeps the rest', async () => {
    // Prepare: two overdue requests in the index; the item of the first was never written.
    const deps = testDeps();
    deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
    const ghost = { ...waiting, requestId: 'R0', executionName: 'R0', taskToken: undefined };
    indexOf({ INVESTIGATING: [ghost, waiting] }, [waiting]);
    ddb.on(GetCommand).callsFake((input: { Key: { pk: string } }) => ({
      Item: input.Key.pk.endsWith('R1') ? waiting : undefined,
    }));
    ddb.on(PutCommand).resolves({});
    sfn.on(DescribeExecutionCommand).rejects(awsError('ExecutionDoesNotExist'));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x' });
    // Act
    const report = await sweep(deps);
    // Assess: the ghost is left out (the page's items are read by key: it has none), the real request is repaired.
    expect(report).toMatchObject({ scanned: 1, failed: 0, repaired: 1 });
    expect(sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name)).toEqual(['R1-r1']);
  });

  it('a failure on one request is counted and does not stop the sweep of the others', async () => {
    // Prepare: Step Functions is throttling DescribeExecution for R0 only.
    const deps = testDeps();
    deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
    const other = { ...waiting, requestId: 'R0', executionName: 'R0', taskToken: undefined };
    indexOf({ INVESTIGATING: [other, waiting] }, [other, waiting]);
    ddb.on(GetCommand).resolves({ Item: waiting });
    ddb.on(PutCommand).resolves({});
    sfn
      .on(DescribeExecutionCommand, { executionArn: executionArn(STATE_MACHINE, 'R0') })
      .rejects(awsError('ThrottlingException'))
      .on(DescribeExecutionCommand, { executionArn: executionArn(STATE_MACHINE, 'R1') })
      .rejects(awsError('ExecutionDoesNotExist'));
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x' });
    // Act
    const report = await sweep(deps);
    // Assess
    expect(report).toMatchObject({ failed: 1, repaired: 1 });
  });
});

describe('the OverdueRequests gauge', () => {
  it('counts the waiting requests past their deadline, in both statuses, and emits the count on each run', async () => {
    // Prepare: at 2026-12-01 02:00Z, R1 (INVESTIGATING) and E1 (ESCALATED) are past their deadline;
    // R2 (INVESTIGATING) is not yet; RECEIVED requests are not part of the gauge.
    const deps = testDeps();
    deps.clock.set(Date.parse('2026-12-01T02:00:00.000Z'));
    const notYet = {
      ...waiting,
      requestId: 'R2',
      deadline: '2026-12-07T15:59:59.999Z',
      taskToken: undefined,
    };
    const escalated = { ...waiting, requestId: 'E1', status: 'ESCALATED', taskToken: undefined };
    const received = { ...waiting, requestId: 'N1', status: 'RECEIVED', taskToken: undefined };
    indexOf({ INVESTIGATING: [waiting, notYet], ESCALATED: [escalated], RECEIVED: [received] }, [
      waiting,
      notYet,
      escalated,
      received,
    ]);
    ddb.on(GetCommand).resolves({ Item: waiting });
    ddb.on(PutCommand).resolves({});
    const { SendTaskHeartbeatCommand } = await import('@aws-sdk/client-sfn');
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    sfn.on(DescribeExecutionCommand).resolves({ status: 'RUNNING' });
    const addMetric = vi.spyOn(deps.metrics, 'addMetric');
    // Act
    const report = await sweep(deps);
    // Assess
    expect(report.overdue).toBe(2);
    expect(addMetric.mock.calls.filter((c) => c[0] === 'OverdueRequests')).toEqual([
      ['OverdueRequests', 'Count', 2],
    ]);
  });

  it('emits 0 when nothing is overdue (the alarm returns to OK)', async () => {
    const deps = testDeps();
    indexOf({ INVESTIGATING: [waiting] }, [waiting]);
    const { SendTaskHeartbeatCommand } = await import('@aws-sdk/client-sfn');
    sfn.on(SendTaskHeartbeatCommand).resolves({});
    const addMetric = vi.spyOn(deps.metrics, 'addMetric');
    const report = await sweep(deps);
    expect(report.overdue).toBe(0);
    expect(addMetric).toHaveBeenCalledWith('OverdueRequests', 'Count', 0);
  });
});

describe('webhook-id de-duplication', () => {
  it('takes over a claim left PROCESSING by a crashed invocation after a minute; a fresh one is waited for, then 409', async () => {
    const { DeleteCommand } = await import('@aws-sdk/lib-dynamodb');
    const { claimMessage } = await import('#functions/edge/dedup.ts');
    const deps = testDeps();
    const old = new Date(deps.clock.now() - 120_000).toISOString();
    ddb.on(PutCommand).rejectsOnce(awsError('ConditionalCheckFailedException')).resolves({});
    ddb
      .on(GetCommand)
      .resolves({ Item: { department: 'COURT', webhookId: 'm1', state: 'PROCESSING', at: old } });
    ddb.on(DeleteCommand).resolves({});
    expect((await claimMessage(deps, 'COURT', 'm1')).kind).toBe('claimed');
    expect(ddb.commandCalls(DeleteCommand)).toHaveLength(1);

    ddb.reset();
    const fresh = new Date(deps.clock.now() - 1_000).toISOString();
    ddb.on(PutCommand).rejects(awsError('ConditionalCheckFailedException'));
    ddb
      .on(GetCommand)
      .resolves({ Item: { department: 'COURT', webhookId: 'm2', state: 'PROCESSING', at: fresh } });
    const error = await claimMessage(deps, 'COURT', 'm2', { waitMs: 200 }).catch((e) => e);
    expect((error as HttpError).status).toBe(409);
    // It waited for the first delivery's answer (polled again) before giving up.
    expect(ddb.commandCalls(PutCommand).length).toBeGreaterThan(1);
  });
});
