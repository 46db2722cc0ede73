/**
 * A/B of cold import between git revisions (bench:bundles measures one revision: its "baseline" is that
 * revision's own source with issue 16's bundler settings, so a change to certflow's code lowers both of
 * its columns). Each revision is exported with `git archive` into a temporary directory that uses this
 * worktree's node_modules; each named function is built there as deployed (that revision's
 * infra/bundling.ts) and, for the first revision, also as issue 16's baseline (zod's whole namespace, the
 * SDK's whole credential chain, every optional client; as bench/bundles/run.ts). Then every bundle is
 * imported in fresh Node processes, taking turns (so load on a shared machine falls on all alike), and the
 * median CPU milliseconds of the import are printed with the ratio to the baseline and to the first
 * revision. Never fails on timing.
 *   npx tsx bench/bundles/ab.ts [--runs 9] [--functions Intake,CheckRules] <rev> <rev> ...   ("." = working tree)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { importEnv } from './import-env.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  if (at < 0) return fallback;
  const [, value] = args.splice(at, 2);
  return value ?? fallback;
};
const runs = Number(option('--runs', '9'));
const names = option('--functions', 'Intake').split(',');
if (args.length === 0) {
  console.error(
    'usage: npx tsx bench/bundles/ab.ts [--runs 9] [--functions Intake,CheckRules] <rev> <rev> ...  ("." = working tree)',
  );
  process.exit(2);
}
const root = resolve(import.meta.dirname, '../..');

/** What the handlers' config reads at import, nothing reachable (import-env.ts, as bench/bundles/run.ts). */
const env = { PATH: process.env.PATH, ...importEnv };

/**
 * Builds `name` from the revision in `dir` with that revision's own function list and bundling options
 * (run in that directory, so its imports resolve there). `baseline`: issue 16's settings instead.
 */
function buildIn(dir: string, name: string, outfile: string, baseline: boolean): void {
  const script = `import { build } from 'esbuild';
const { functions } = await import(${JSON.stringify(pathToFileURL(join(dir, 'functions/function-list.ts')).href)});
const { bundleAliases, entryPath, esbuildShared } = await import(${JSON.stringify(pathToFileURL(join(dir, 'infra/bundling.ts')).href)});
const spec = functions.find((f) => f.name === ${JSON.stringify(name)});
await build({
  entryPoints: [entryPath(spec.entry).path], absWorkingDir: ${JSON.stringify(dir)}, outfile: ${JSON.stringify(outfile)},
  bundle: true, platform: esbuildShared.platform, format: esbuildShared.format, target: esbuildShared.target,
  minify: esbuildShared.minify, mainFields: [...esbuildShared.mainFields], charset: esbuildShared.charset,
  banner: { js: esbuildShared.banner }, external: [...esbuildShared.external], logLevel: 'silent',
  alias: ${baseline ? `{ zod: ${JSON.stringify(join(dir, 'bench/bundles/baseline/zod.ts'))} }` : 'bundleAliases(spec)'},
});`;
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** CPU milliseconds (user + system) of importing `file` in a fresh Node process, measured inside it. */
function importCpuMs(file: string): number {
  const script = `const c = process.cpuUsage(); await import(${JSON.stringify(pathToFileURL(file).href)}); const u = process.cpuUsage(c); process.stdout.write('\\n@@' + (u.user + u.system) / 1000);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return Number(out.slice(out.lastIndexOf('@@') + 2));
}

const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] as number;

const temp = mkdtempSync(join(tmpdir(), 'certflow-bundles-ab-'));
try {
  const dirs = args.map((rev, i) => {
    if (rev === '.') return root;
    const dir = join(temp, `rev${i}`);
    mkdirSync(dir, { recursive: true });
    execFileSync('sh', ['-c', `git archive "$1" | tar -x -C "$2"`, 'sh', rev, dir], { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    return dir;
  });
  console.log(
    `Node ${process.version}; ${runs} fresh processes per bundle, taking turns; load ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const name of names) {
    const bundles = [
      {
        label: `baseline (issue 16) @ ${args[0]}`,
        file: join(temp, name, 'baseline.mjs'),
        dir: dirs[0]!,
        baseline: true,
      },
      ...args.map((rev, i) => ({
        label: `as deployed @ ${rev}`,
        file: join(temp, name, `${i}.mjs`),
        dir: dirs[i]!,
        baseline: false,
      })),
    ];
    for (const b of bundles) buildIn(b.dir, name, b.file, b.baseline);
    const cpu = bundles.map(() => [] as number[]);
    for (const b of bundles) importCpuMs(b.file); // warm the file system cache once
    for (let r = 0; r < runs; r += 1)
      for (const [i, b] of bundles.entries()) cpu[i]!.push(importCpuMs(b.file));
    const base = median(cpu[0]!);
    const first = median(cpu[1]!);
    console.log(`\n${name} (load ${loadavg()[0]!.toFixed(1)})`);
    for (const [i, b] of bundles.entries()) {
      const m = median(cpu[i]!);
      console.log(
        `  ${b.label.padEnd(40)} ${String(Math.round(statSync(b.file).size / 1024)).padStart(5)} KB  cpu ms min / median / max ${Math.min(...cpu[i]!).toFixed(0)} / ${m.toFixed(0)} / ${Math.max(...cpu[i]!).toFixed(0)}  ${(m / base).toFixed(2)}× baseline  ${(m / first).toFixed(2)}× ${args[0]}`,
      );
    }
  }
} finally {
  rmSync(temp, { recursive: true, force: true });
}
