/**
 * The deadline design at scale (issue 18), the small version of `npm run bench:scale`: 2,000 open
 * investigations across 50 stations, a simulated week on a manual clock. `simulate` itself throws unless
 * every deadline was warned and escalated exactly once; here the bounded reads are checked too.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../../bench/scale/simulation.ts';

describe('2,000 open investigations for a simulated week', () => {
  it('warns and escalates every deadline exactly once, with no heartbeat and a sweeper that reads only what is overdue', async () => {
    const result = await simulate({ open: 2000, stations: 50, days: 7 });
    const t = result.totals;
    // Every request had a deadline in the week; half got a finding first.
    expect(t.findings).toBeGreaterThan(800);
    expect(t.findings).toBeLessThan(1200);
    expect(t.escalated).toBeGreaterThan(500);
    expect(t.warned).toBeGreaterThan(1000);
    // One schedule per deadline dispatched, never more; each fired at most once.
    expect(t.schedulesCreated).toBe(2000 + t.escalated);
    expect(t.schedulesFired).toBeLessThanOrEqual(t.schedulesCreated);
    // The reconciliation read nothing: no request was overdue past the grace period or stuck.
    expect(t.sweepRuns).toBe(168);
    expect(t.sweepReadsMax).toBe(0);
    expect(t.describeExecutionCalls).toBe(0);
    // Reads scale with the work done (about one per timer and step), not with open requests × runs.
    expect(t.storeReads).toBeLessThan(10 * 2000);
    expect(result.before.sweepReadsPerWeek).toBeGreaterThan(100 * t.storeReads);
  }, 120_000);
});
