/**
 * bench:scale — the deadline design at national scale (issue 18), simulated on the manual clock
 * (bench/scale/simulation.ts): BENCH_OPEN open investigations (default 100,000) across BENCH_STATIONS
 * stations (50), BENCH_DAYS simulated days (7). Prints the figures; throws (exit 1) if a deadline was not
 * warned or escalated exactly once, or the sweeper read a healthy open request.
 */
import { simulate } from './simulation.ts';

const n = (v: number) => Math.round(v).toLocaleString('en-US');

const result = await simulate({
  open: Number(process.env.BENCH_OPEN ?? 100_000),
  stations: Number(process.env.BENCH_STATIONS ?? 50),
  days: Number(process.env.BENCH_DAYS ?? 7),
});
const t = result.totals;
const busiest = [...result.hours].sort(
  (a, b) => b.warningsFired + b.escalated - (a.warningsFired + a.escalated),
)[0]!;
const mean = (f: (h: (typeof result.hours)[number]) => number) =>
  result.hours.reduce((a, h) => a + f(h), 0) / result.hours.length;
console.log(
  `bench:scale — ${n(result.open)} open investigations, ${result.stations} stations, ${result.days} simulated days (${n(result.wallMs)} ms wall)`,
);
console.log('');
console.log('after (issue 18: task timeout + one-time schedules + reconciliation of overdue only)');
console.log(`  one-time schedules created ${n(t.schedulesCreated)}, fired ${n(t.schedulesFired)}`);
console.log(
  `  warned ${n(t.warned)}, escalated ${n(t.escalated)}, findings ${n(t.findings)} — each deadline exactly once (asserted)`,
);
console.log(
  `  timer work per simulated hour: mean ${mean((h) => h.warningsFired + h.escalated).toFixed(1)}, busiest hour ${n(busiest.warningsFired + busiest.escalated)} (hour ${busiest.hour}: ${n(busiest.warningsFired)} warnings, ${n(busiest.escalated)} escalations)`,
);
console.log(
  `  sweeper: ${t.sweepRuns} runs, store items read per run max ${n(t.sweepReadsMax)}, total ${n(t.sweepReadsTotal)}; DescribeExecution ${n(t.describeExecutionCalls)}`,
);
console.log(
  `  store items read in the week (timers, steps, sweeps): ${n(t.storeReads)} = ${t.storeReadsPerOpenPerDay.toFixed(2)} per open request per day`,
);
console.log('  SendTaskHeartbeat: 0');
console.log('');
console.log('before (the central sweeper, computed for the same open counts)');
console.log(
  `  sweeper items read per run ${n(result.before.sweepReadsPerRunMax)} (every open request, every 5 min); in the week ${n(result.before.sweepReadsPerWeek)}`,
);
console.log(
  `  SendTaskHeartbeat peak ${result.before.heartbeatsPerSecondPeak.toFixed(0)}/s spread over 5 min (quota: 300/s refill in most regions)`,
);
