/**
 * 10,000 executions waiting on callbacks (.waitForTaskToken), durable as the stack runs them (the
 * append-only journal, a file): memory of the service process while they wait (peak RSS sampled every
 * 50 ms while starting them, 50 at a time by default), the time to resume them all after a restart, and
 * the time to complete them with SendTaskSuccess. Prints figures; never fails on timing.
 * Run with --expose-gc for steadier heap figures:  node --expose-gc --import tsx bench/stepfunctions/waiting.ts
 */

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createStepFunctions } from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { collectTokens } from '#tests/helpers/stepfunctions-callbacks.ts';
import { mb, pool } from './shared.ts';

const COUNT = Number(process.env.WAITING ?? '10000');
/** Starts in flight at once (the figure: 50 at a time). */
const START_CONCURRENCY = Number(process.env.START_CONCURRENCY ?? '50');

const definition = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Accept',
  States: {
    Accept: { Type: 'Pass', Assign: { requestId: '{% $states.input.id %}' }, Next: 'AwaitDepartment' },
    AwaitDepartment: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Arguments: {
        FunctionName: 'Notify',
        Payload: { token: '{% $states.context.Task.Token %}', id: '{% $requestId %}' },
      },
      TimeoutSeconds: 864000,
      Next: 'Close',
    },
    Close: { Type: 'Pass', Output: { id: '{% $requestId %}', answer: '{% $states.input %}' }, End: true },
  },
});

function memory(label: string) {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  console.log(
    `${label.padEnd(44)} rss ${mb(m.rss)}  heapUsed ${mb(m.heapUsed)}  heapTotal ${mb(m.heapTotal)}`,
  );
  return m;
}

const { tokens, functions } = collectTokens();

const resumeOnly = process.argv.includes('--resume');
const startOnly = process.argv.includes('--start');
const RUNS = Number(process.env.BENCH_RUNS ?? '3');

/** Runs the bench RUNS times, each in fresh processes, and prints min / median / max of the aims' figures. */
async function driver(): Promise<never> {
  const figures = { peak: [] as number[], resume: [] as number[], complete: [] as number[] };
  for (let run = 1; run <= RUNS; run++) {
    console.log(`\nrun ${run} of ${RUNS}`);
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--start'],
      { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
    );
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      process.stdout.write(d);
    });
    await new Promise((r) => child.once('exit', r));
    const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN);
    figures.peak.push(num(/peak RSS of the process that started them: (\d+) MB/));
    figures.resume.push(num(/resumed \d+ executions in ([\d.]+) s/));
    figures.complete.push(num(/completed \d+ callbacks after the restart in ([\d.]+) s/));
  }
  const spread = (v: number[], digits: number) => {
    const s = [...v].sort((a, b) => a - b);
    return `${s[0]!.toFixed(digits)} / ${s[Math.floor(s.length / 2)]!.toFixed(digits)} / ${s.at(-1)!.toFixed(digits)}`;
  };
  console.log(`\n${COUNT} waiting executions, min / median / max of ${RUNS} runs:`);
  console.log(
    `  peak RSS of the process that started them (${START_CONCURRENCY} at a time): ${spread(figures.peak, 0)} MB  (aim < 250 MB)`,
  );
  console.log(
    `  resume after a restart: ${spread(figures.resume, 2)} s; complete the callbacks: ${spread(figures.complete, 1)} s`,
  );
  process.exit(0);
}

if (!resumeOnly && !startOnly) await driver();

if (!resumeOnly) {
  // Phase 1: start COUNT executions that all wait for a callback, then stop this process's service.
  const dir = mkdtempSync(join(tmpdir(), 'sfn-waiting-'));
  const storage = { kind: 'journal' as const, file: join(dir, 'journal.jsonl') };
  const base = memory('service process before start');
  let peak = 0;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  const engine = await createStepFunctions({ storage, clock: systemClock, functions });
  const { stateMachineArn } = await engine.createStateMachine({ name: 'waiting', definition });
  const t0 = performance.now();
  await pool(COUNT, START_CONCURRENCY, async (i) => {
    await engine.startExecution({
      stateMachineArn,
      name: `w${i}`,
      input: JSON.stringify({ id: `req-${i}` }),
    });
  });
  while (tokens.length < COUNT) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 1000)); // let the TaskSubmitted transitions land
  console.log(
    `started ${COUNT} executions (${START_CONCURRENCY} at a time), all waiting, in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  clearInterval(sampler);
  const waiting = memory(`${COUNT} waiting (live: ${engine.liveExecutions})`);
  peak = Math.max(peak, waiting.rss);
  console.log(`  → peak RSS of the process that started them: ${mb(peak)}  (aim < 250 MB)`);
  console.log(
    `  → per waiting execution: ~${((waiting.heapUsed - base.heapUsed) / COUNT / 1024).toFixed(1)} KB heap`,
  );
  await new Promise((r) => setTimeout(r, 10_000)); // V8 gives back heap it grew for the start burst
  memory(`${COUNT} waiting, after 10 s idle`);
  await engine.close();
  writeFileSync(join(dir, 'tokens.json'), JSON.stringify(tokens));

  // Phase 2: a fresh process (the restart) resumes them all and completes them.
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), '--resume'],
    {
      stdio: 'inherit',
      env: { ...process.env, WAITING_DIR: dir },
    },
  );
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}

const dir = process.env.WAITING_DIR!;
const saved = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as string[];
const storage = { kind: 'journal' as const, file: join(dir, 'journal.jsonl') };
memory('restarted service process before resume');
const engine = await createStepFunctions({ storage, clock: systemClock, functions });
const r0 = performance.now();
const resumed = await engine.resumeAll();
console.log(`restart: resumed ${resumed} executions in ${((performance.now() - r0) / 1000).toFixed(2)} s`);
memory(`${resumed} resumed and waiting`);
const c0 = performance.now();
await pool(saved.length, 50, async (i) => {
  await engine.sendTaskSuccess({ taskToken: saved[i]!, output: '{"approved":true}' });
});
const smArn = `arn:aws:states:${engine.region}:${engine.accountId}:execution:waiting`;
await pool(COUNT, 50, async (i) => {
  const d = await engine.waitForExecution(`${smArn}:w${i}`);
  if (d.status !== 'SUCCEEDED') throw new Error(`w${i} ${d.status}`);
});
console.log(
  `completed ${COUNT} callbacks after the restart in ${((performance.now() - c0) / 1000).toFixed(1)} s`,
);
await engine.close();
process.exit(0);
