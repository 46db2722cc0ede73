/**
 * The sweeper's warning moment for a request stored without one (an older record) comes from the deps'
 * calendar — the one with CERTFLOW_HOLIDAYS_FILE — not from the package data alone.
 */
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { sweep } from '#functions/schedule/deadline-sweeper.ts';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { testDeps, waitingRecord } from './helpers.ts';

const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());

// Due at the end of Monday 30 November (Beijing); no warnAt stored; no task token (nothing to heartbeat).
const waiting = waitingRecord;

function sweepOnFriday(calendar?: WorkingDayCalendar) {
  const deps = testDeps(calendar ? { calendar: () => Promise.resolve(calendar) } : {});
  deps.clock.set(Date.parse('2026-11-27T02:00:00.000Z')); // Friday 27 November, 10:00 Beijing time
  ddb.on(QueryCommand).callsFake((input: { ExpressionAttributeValues: Record<string, string> }) => ({
    Items: input.ExpressionAttributeValues[':p'] === 'STATUS#INVESTIGATING' ? [waiting] : [],
  }));
  ddb.on(GetCommand).resolves({ Item: waiting });
  ddb.on(PutCommand).resolves({});
  return sweep(deps);
}

describe('the sweeper on the deps calendar', () => {
  it('package data: the last working day before the deadline is Friday, so no warning yet on Friday morning', async () => {
    expect(await sweepOnFriday()).toMatchObject({ warned: 0 });
  });

  it('with Friday 27 November supplied as a holiday the last working day is Thursday: warned on Friday', async () => {
    const calendar = new WorkingDayCalendar([
      { years: [2026], holidays: { '2026-11-27': '测试假日' }, workdays: {} },
    ]);
    expect(await sweepOnFriday(calendar)).toMatchObject({ warned: 1 });
    const write = ddb
      .commandCalls(PutCommand)
      .find((c) => c.args[0].input.Item?.lastEvent?.type === 'WARNED');
    expect(write?.args[0].input.Item).toMatchObject({ warnedFor: waiting.deadline });
  });
});
