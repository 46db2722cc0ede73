/**
 * A/B of bench:workflow's on-the-spot throughput between git revisions, taking turns on the same machine
 * (a shared machine's load moves requests/s a lot, CPU per request far less; alternating keeps both sides
 * under the same load). Each revision is exported with `git archive` into a temporary directory that uses
 * this worktree's node_modules; each round runs `bench/workflow/run.ts throughput` once per revision
 * (BENCH_RUNS=1, BENCH_RATE=0; BENCH_REQUESTS passes through) with the V8 flags that `npm run bench:workflow`
 * and `npm start` use (`--max-semi-space-size=32 --single-threaded-gc`), whatever the revision's own scripts
 * say. Prints each run, then min / median / max per revision. Never fails on timing.
 *   npx tsx bench/workflow/ab.ts [--rounds 3] <rev> <rev> ...   (a rev of "." is the working tree)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
let rounds = 3;
const roundsAt = args.indexOf('--rounds');
if (roundsAt >= 0) {
  rounds = Number(args[roundsAt + 1]);
  args.splice(roundsAt, 2);
}
if (args.length === 0) {
  console.error('usage: npx tsx bench/workflow/ab.ts [--rounds 3] <rev> <rev> ...  ("." = working tree)');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');
const temp = mkdtempSync(join(tmpdir(), 'certflow-ab-'));
const dirs = args.map((rev, i) => {
  if (rev === '.') return root;
  const dir = join(temp, String(i));
  execFileSync('mkdir', ['-p', dir]);
  execFileSync('sh', ['-c', `git archive "$1" | tar -x -C "$2"`, 'sh', rev, dir], { cwd: root });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  return dir;
});

const figures = args.map(() => ({ rps: [] as number[], cpu: [] as number[] }));
try {
  for (let r = 1; r <= rounds; r += 1) {
    for (const [i, rev] of args.entries()) {
      const out = spawnSync(
        process.execPath,
        [
          '--max-semi-space-size=32',
          '--single-threaded-gc',
          '--import',
          'tsx',
          'bench/workflow/run.ts',
          'throughput',
        ],
        {
          cwd: dirs[i],
          env: { ...process.env, BENCH_RUNS: '1', BENCH_RATE: '0' },
          encoding: 'utf8',
        },
      ).stdout;
      const rps = Number(/ISSUED: ([\d.]+) requests\/s/.exec(out)?.[1]);
      const cpu = Number(/clients apart\): ([\d.]+) ms/.exec(out)?.[1]);
      figures[i]!.rps.push(rps);
      figures[i]!.cpu.push(cpu);
      console.log(
        `round ${r} ${rev.padEnd(12)} ${cpu.toFixed(1)} ms CPU/request  ${rps.toFixed(1)} requests/s  (load ${loadavg()[0]!.toFixed(1)})`,
      );
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
const spread = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return `${s[0]!.toFixed(1)} / ${s[Math.floor(s.length / 2)]!.toFixed(1)} / ${s.at(-1)!.toFixed(1)}`;
};
console.log('\nrevision      CPU ms/request (min / median / max)   requests/s (min / median / max)');
for (const [i, rev] of args.entries())
  console.log(`${rev.padEnd(12)}  ${spread(figures[i]!.cpu).padEnd(36)}  ${spread(figures[i]!.rps)}`);
