/**
 * Deadline warnings as one-time schedules (issue 18): DispatchInvestigation schedules the warning of the
 * level's deadline at its warning moment; the DeadlineTimer warns once, on the deps' calendar (the one
 * with CERTFLOW_HOLIDAYS_FILE), and ignores a timer for a deadline that moved or a closed request.
 */
import { CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { deadlineTimer } from '#functions/schedule/deadline-timer.ts';
import { dispatchStep } from '#functions/workflow/dispatch-investigation.ts';
import { start as startScheduler } from '#local/scheduler.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { EventBridgeSchedules } from '#shared/schedule/eventbridge-schedules.ts';
import {
  type OneTimeSchedule,
  spreadOffsetMs,
  WARNING_WINDOW_MINUTES,
  warningScheduleName,
} from '#shared/schedule/port.ts';
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
        // Spread over an hour after it (a day's warnings share the moment); the deadline is a day later.
        flexibleWindowMinutes: WARNING_WINDOW_MINUTES,
        payload: warn,
      },
    ]);
  });

  it('asks EventBridge Scheduler for a flexible window (FLEXIBLE, MaximumWindowInMinutes), else OFF', async () => {
    const scheduler = mockClient(SchedulerClient);
    scheduler.on(CreateScheduleCommand).resolves({ ScheduleArn: 'arn:aws:scheduler:::schedule/x' });
    const schedules = new EventBridgeSchedules(
      new SchedulerClient({ region: 'cn-north-1' }),
      {
        group: 'g',
        targetArn: 'arn:aws-cn:lambda:cn-north-1:1:function:t',
        roleArn: 'arn:aws-cn:iam::1:role/r',
      },
      () => Date.parse('2026-11-23T00:00:00.000Z'),
    );
    const at = Date.parse('2026-11-27T15:59:59.999Z');
    await schedules.scheduleOnce({ name: 'a', at, flexibleWindowMinutes: 60, payload: warn });
    await schedules.scheduleOnce({ name: 'b', at, payload: warn });
    const inputs = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => i.FlexibleTimeWindow)).toEqual([
      { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 60 },
      { Mode: 'OFF' },
    ]);
    expect(inputs[0]?.ScheduleExpression).toBe('at(2026-11-27T15:59:59)');
    scheduler.restore();
  });

  it('the local scheduler fires each within its window, always at the same moment, spread evenly', async () => {
    const at = Date.parse('2026-11-27T15:59:59.999Z');
    const clock = new AdjustableClock();
    clock.set(at - 60_000, { backwards: true });
    const fired = new Map<string, number>();
    const scheduler = await startScheduler({
      clock,
      jobs: [],
      onceTarget: 'DeadlineTimer',
      invoke: async (_name, event) => {
        fired.set((event as { requestId: string }).requestId, clock.now());
      },
    });
    const n = 600;
    for (let i = 0; i < n; i++)
      await scheduler.scheduleOnce({
        name: warningScheduleName(`R${i}`, 0),
        at,
        flexibleWindowMinutes: 60,
        payload: { ...warn, requestId: `R${i}` },
      });
    const offsetOf = (id: string) => spreadOffsetMs(warningScheduleName(id, 0), 60);
    // Half an hour into the window: exactly those whose moment has come have fired.
    clock.set(at + 30 * 60_000);
    await scheduler.drainDue();
    const early = [...fired.keys()];
    expect(early.length).toBeGreaterThan(n / 4);
    expect(early.length).toBeLessThan((3 * n) / 4);
    // (the test clock runs on at real speed: a second's margin past the cut)
    for (let i = 0; i < n; i++) {
      const offset = offsetOf(`R${i}`);
      if (offset <= 30 * 60_000) expect(fired.has(`R${i}`)).toBe(true);
      else if (offset > 30 * 60_000 + 1000) expect(fired.has(`R${i}`)).toBe(false);
    }
    clock.set(at + 60 * 60_000);
    await scheduler.drainDue();
    await scheduler.end();
    expect(fired.size).toBe(n);
    const offsets = [...fired.keys()].map(offsetOf);
    for (const o of offsets) expect(o >= 0 && o < 3_600_000).toBe(true);
    // Deterministic: the same name, the same moment.
    expect(spreadOffsetMs('warn-R1-L0', 60)).toBe(spreadOffsetMs('warn-R1-L0', 60));
    // Spread: no minute of the hour holds more than 3× its fair share, and most minutes hold some.
    const perMinute = new Map<number, number>();
    for (const o of offsets)
      perMinute.set(Math.floor(o / 60_000), (perMinute.get(Math.floor(o / 60_000)) ?? 0) + 1);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(30);
    expect(perMinute.size).toBeGreaterThan(50);
    expect(spreadOffsetMs('warn-R1-L0', undefined)).toBe(0);
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
