/** The local stack's deadline alarms: the shared definitions evaluated with CloudWatch's rules on the stack's clock. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LocalAlarms, RecordingMetrics } from '#local/alarms.ts';
import { DEADLINE_METRICS, DEFAULT_OVERDUE_THRESHOLD, deadlineAlarms } from '#shared/config/alarms.ts';

function fakeClock(start = Date.parse('2026-11-30T02:00:00Z')) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('local deadline alarms', () => {
  it('fires the overdue alarm at the threshold and clears it when the gauge drops', async () => {
    const clock = fakeClock();
    const alarms = await LocalAlarms.open(deadlineAlarms(), clock);
    await alarms.record(DEADLINE_METRICS.overdue, DEFAULT_OVERDUE_THRESHOLD - 1);
    expect((await alarms.view()).transitions).toEqual([]);
    clock.advance(6 * 60_000);
    await alarms.record(DEADLINE_METRICS.overdue, DEFAULT_OVERDUE_THRESHOLD);
    let view = await alarms.view();
    expect(view.alarms.find((a) => a.id === 'OverdueRequests')?.state).toBe('ALARM');
    expect(view.transitions[0]).toMatchObject({
      alarm: 'OverdueRequests',
      state: 'ALARM',
      value: 1,
      threshold: 1,
    });
    clock.advance(6 * 60_000);
    await alarms.record(DEADLINE_METRICS.overdue, 0);
    view = await alarms.view();
    expect(view.alarms.find((a) => a.id === 'OverdueRequests')?.state).toBe('OK');
    expect(view.transitions.map((t) => t.state)).toEqual(['OK', 'ALARM']);
  });

  it('fires on an escalation (Sum over the period) and clears when the period has no data', async () => {
    const clock = fakeClock();
    const alarms = await LocalAlarms.open(deadlineAlarms(), clock);
    await alarms.record(DEADLINE_METRICS.escalations, 1);
    expect((await alarms.view()).alarms.find((a) => a.id === 'Escalations')?.state).toBe('ALARM');
    clock.advance(5 * 60_000 + 1);
    expect((await alarms.view()).alarms.find((a) => a.id === 'Escalations')?.state).toBe('OK');
  });

  it('takes the threshold from the definitions (a deployment setting), and ignores other metrics', async () => {
    const clock = fakeClock();
    const alarms = await LocalAlarms.open(deadlineAlarms({ overdueThreshold: 3 }), clock);
    await alarms.record(DEADLINE_METRICS.overdue, 2);
    await alarms.record('RequestAccepted', 100);
    expect((await alarms.view()).transitions).toEqual([]);
    await alarms.record(DEADLINE_METRICS.overdue, 3);
    expect((await alarms.view()).transitions).toHaveLength(1);
  });

  it('keeps the transitions in DIR/alarms.jsonl across a restart; RecordingMetrics feeds it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certflow-alarms-'));
    try {
      const clock = fakeClock();
      const alarms = await LocalAlarms.open(deadlineAlarms(), clock, dir);
      const metrics = new RecordingMetrics({ namespace: 'certflow', serviceName: 'certflow' }, alarms);
      metrics.addMetric(DEADLINE_METRICS.escalations, 'Count', 1);
      await new Promise((r) => setTimeout(r, 20));
      expect(readFileSync(join(dir, 'alarms.jsonl'), 'utf8')).toContain('"Escalations"');
      const again = await LocalAlarms.open(deadlineAlarms(), clock, dir);
      // The fired alarm is still listed; with no datapoint in the new process's period it has cleared.
      expect((await again.view()).transitions.map((t) => [t.alarm, t.state])).toEqual([
        ['Escalations', 'OK'],
        ['Escalations', 'ALARM'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
