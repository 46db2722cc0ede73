/**
 * Deadline warnings as one-time schedules (issue 18): DispatchInvestigation schedules the warning of the
 * level's deadline at its warning moment; the DeadlineTimer warns once, on the deps' calendar (the one
 * with CERTFLOW_HOLIDAYS_FILE), and ignores a timer for a deadline that moved or a closed request.
 */
import { describe, expect, it } from 'vitest';
import { deadlineTimer } from '#functions/schedule/deadline-timer.ts';
import { dispatchStep } from '#functions/workflow/dispatch-investigation.ts';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import type { OneTimeSchedule } from '#shared/schedule/port.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { memoryDeps, waitingRecord } from './helpers.ts';

const waiting = waitingRecord as unknown as RequestRecord;
const FRIDAY_MORNING = Date.parse('2026-11-27T02:00:00.000Z'); // 10:00 Beijing time
const warn = { action: 'WARN' as const, requestId: 'R1', deadline: waiting.deadline! };

function deps(calendar?: WorkingDayCalendar) {
  const scheduled: OneTimeSchedule[] = [];
  const d = memoryDeps({
    ...(calendar ? { calendar: () => Promise.resolve(calendar) } : {}),
    schedules: { scheduleOnce: async (s) => void scheduled.push(s) },
  });
  d.store.seed(waiting);
  return Object.assign(d, { scheduled });
}

const warnedEvents = (d: ReturnType<typeof deps>) =>
  [...(d.store.events.get('R1')?.values() ?? []), d.store.requests.get('R1')!.lastEvent].filter(
    (e) => e.type === 'WARNED',
  );

describe('the warning schedule', () => {
  it('dispatch schedules one warning at the end of the last working day before the deadline', async () => {
    const d = deps();
    await dispatchStep(d, { requestId: 'R1', taskToken: 'tok-1' });
    expect(d.scheduled).toEqual([
      {
        name: 'warn-R1-L0',
        // Friday 27 November, 23:59:59.999 Beijing (the deadline is the end of Monday 30th)
        at: Date.parse('2026-11-27T15:59:59.999Z'),
        payload: warn,
      },
    ]);
  });
});

describe('the DeadlineTimer on the deps calendar', () => {
  it('package data: fired early on Friday morning it warns nothing', async () => {
    const d = deps();
    d.clock.set(FRIDAY_MORNING);
    expect(await deadlineTimer(d, warn)).toEqual({ requestId: 'R1', result: 'early' });
    expect(warnedEvents(d)).toHaveLength(0);
  });

  it('with Friday 27 November supplied as a holiday the warning moment is Thursday: warned once', async () => {
    const calendar = new WorkingDayCalendar([
      { years: [2026], holidays: { '2026-11-27': '测试假日' }, workdays: {} },
    ]);
    const d = deps(calendar);
    d.clock.set(FRIDAY_MORNING);
    expect((await deadlineTimer(d, warn)).result).toBe('warned');
    expect(d.store.requests.get('R1')).toMatchObject({ warnedFor: waiting.deadline });
    // A second firing (EventBridge retries, a re-dispatch) warns nothing more.
    expect((await deadlineTimer(d, warn)).result).toBe('already');
    expect(warnedEvents(d)).toHaveLength(1);
  });

  it('ignores a timer for a deadline that moved, a closed request and an unknown one', async () => {
    const d = deps();
    d.clock.set(Date.parse('2026-11-28T02:00:00.000Z'));
    expect((await deadlineTimer(d, { ...warn, deadline: '2026-11-20T15:59:59.999Z' })).result).toBe('moved');
    expect((await deadlineTimer(d, { ...warn, requestId: 'nope' })).result).toBe('gone');
    d.store.seed({ ...waiting, status: 'ISSUED' } as RequestRecord);
    expect((await deadlineTimer(d, warn)).result).toBe('closed');
  });
});
