/**
 * The complaint store's writes as they reach DynamoDB (document-mock): a filed or concluded complaint moves
 * the complaint counters by one ADD after its conditional write, never when the write fails; a concluded one
 * is written without status-index keys, with the owner index's `CMPDONE#` keys.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import type { ComplaintRecord } from '#shared/domain/complaint.ts';
import { DynamoAccountabilityStore } from '#shared/store/dynamo-accountability.ts';
import { mockDocumentCalls } from '#tests/helpers/document-mock.ts';

const ddb = mockDocumentCalls();
afterEach(() => ddb.reset());
const store = () => new DynamoAccountabilityStore(new DynamoDBClient({ region: 'cn-north-1' }), 't');

const filed: ComplaintRecord = {
  complaintId: 'C1',
  kind: 'OBSTRUCTION',
  status: 'ASSIGNED',
  version: 1,
  text: 'x',
  station: 'CC-YHL',
  contact: { name: '张三', phone: '13800000000' },
  accessTokenHash: 'h',
  acceptedAt: '2026-11-01T01:00:00.000Z',
  updatedAt: '2026-11-01T01:00:00.000Z',
  deadline: '2026-11-08T15:59:59.999Z',
  history: [],
};
const conditionFailed = () =>
  Object.assign(new Error('The conditional request failed'), { name: 'ConditionalCheckFailedException' });

/** The counter ADDs sent: key and attribute → value. */
function adds() {
  return ddb.commandCalls(UpdateCommand).map(({ args: [{ input }] }) => {
    const names = input.ExpressionAttributeNames as Record<string, string>;
    const values = input.ExpressionAttributeValues as Record<string, number>;
    expect(input.UpdateExpression).toMatch(/^ADD /);
    const add: Record<string, number> = {};
    for (const [n, attribute] of Object.entries(names)) add[attribute] = values[n.replace('#a', ':v')]!;
    return { pk: (input.Key as { pk: string }).pk, add };
  });
}

describe('complaint counters move with the complaint writes', () => {
  it('a new complaint adds one; a complaint that exists already adds nothing', async () => {
    ddb.on(PutCommand).resolves({});
    const { version: _v, ...record } = filed;
    expect(await store().createComplaint(record)).toBe(true);
    expect(adds()).toEqual([
      { pk: expect.stringMatching(/^COUNT#COMPLAINTS#[0-3]$/), add: { 'k#CC-YHL#ASSIGNED': 1 } },
    ]);
    ddb.reset();
    ddb.on(PutCommand).rejects(conditionFailed());
    expect(await store().createComplaint(record)).toBe(false);
    expect(adds()).toEqual([]);
  });

  it('concluding moves one from the open status to the finding, and leaves the status index', async () => {
    ddb.on(PutCommand).resolves({});
    const at = '2026-11-05T02:00:00.000Z';
    await store().updateComplaint(filed, { status: 'UPHELD', finishedAt: at }, undefined, at);
    const item = ddb.commandCalls(PutCommand)[0]!.args[0].input.Item as Record<string, unknown>;
    expect(item).toMatchObject({ gsi2pk: 'CMPDONE#UPHELD', gsi2sk: `${at}#C1` });
    expect(item.gsi1pk).toBeUndefined();
    expect(adds().map((a) => a.add)).toEqual([{ 'k#CC-YHL#UPHELD': 1, 'k#CC-YHL#ASSIGNED': -1 }]);
  });

  it('a lost race counts nothing; bookkeeping counts nothing; a failed counter write does not fail the write', async () => {
    ddb.on(PutCommand).rejects(conditionFailed());
    await expect(store().updateComplaint(filed, { status: 'UPHELD' }, undefined, 'x')).rejects.toThrow(/v1/);
    expect(adds()).toEqual([]);
    ddb.reset();
    ddb.on(PutCommand).resolves({});
    await store().updateComplaint(filed, { taskToken: 'tok' }, undefined, '2026-11-02T00:00:00.000Z');
    expect(adds()).toEqual([]);
    ddb.on(UpdateCommand).rejects(new Error('throttled'));
    const next = await store().updateComplaint(filed, { status: 'ESCALATED' }, undefined, 'y');
    expect(next.status).toBe('ESCALATED');
  });
});
