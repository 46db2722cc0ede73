/**
 * Bundle benchmark (npm run bench:bundles): builds every function of the registry exactly as CDK does
 * (infra/bundling.ts options), then prints
 *  - the minified size of each bundle (and its gzip size, close to what Lambda's zip holds), with the
 *    largest contributors;
 *  - the cold initialisation time of each bundle: importing it in a fresh Node process (median of 5 runs,
 *    wall clock and CPU time), the wall time with --enable-source-maps (as deployed), and the time to the
 *    end of a first invocation (import + building the handler's dependencies);
 *  - the estimated monthly AWS cost for 20,000 and 2,000,000 requests a month (bench/bundles/cost.ts).
 *  - side by side, three runs, for the largest bundle and Intake: issue 16's baseline (the SDK's whole
 *    credential chain, zod's whole namespace, every optional client), the bundle as deployed, and three
 *    variants that leave packages to the runtime or a layer (the SDK; the SDK and Powertools; every npm
 *    dependency); size, largest parts and cold import (median of 5 fresh processes each, the variants
 *    taking turns), then issue 16's aims as min / median / max over the three runs.
 * Aims: every bundle under 500 KB and under 150 ms to initialise here. Prints figures; never fails on them.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { bundleAliases, checkBundledData, entryPath, esbuildShared, repoRoot } from '#infra/bundling.ts';
import { assumptions, counts, estimate, measuredPaths } from './cost.ts';
import { importEnv } from './import-env.ts';
import { prices } from './prices.ts';

const RUNS = 5;
/** Rounds of the side-by-side comparison: the aims are printed as min / median / max over them. */
const ROUNDS = 3;
const AIM_KB = 500;
const AIM_MS = 150;

/** What the handlers' config needs at import (bench/bundles/import-env.ts), over this process's environment. */
const benchEnv = { ...process.env, NODE_OPTIONS: '', ...importEnv };

/**
 * How a bundle is built: as deployed, or one of the side-by-side variants. `alias` and `external` are
 * functions of the function spec (the deployed aliases depend on its access: infra/bundling.ts).
 */
interface Variant {
  name: string;
  external: string[];
  /** `external`: every npm package left to node_modules (a layer). */
  packages?: 'external';
  alias: (spec: FunctionSpec) => Record<string, string>;
  /** The source tree to build from (default: this one). */
  root?: string;
}

const deployed: Variant = {
  name: 'as deployed',
  external: [...esbuildShared.external],
  alias: bundleAliases,
};
/**
 * Where the baseline's source comes from: this tree, or with BENCH_BASELINE_REV=<git revision> that
 * revision (`git archive` into a temporary directory using this tree's node_modules). With this tree, a
 * change to certflow's own code (not to the bundler settings) lowers both columns of the side-by-side.
 */
const baselineRev = process.env.BENCH_BASELINE_REV;
const baselineRoot = baselineRev ? mkdtempSync(join(tmpdir(), 'certflow-baseline-')) : repoRoot;
if (baselineRev) {
  execFileSync('sh', ['-c', `git archive "$1" | tar -x -C "$2"`, 'sh', baselineRev, baselineRoot], {
    cwd: repoRoot,
  });
  symlinkSync(join(repoRoot, 'node_modules'), join(baselineRoot, 'node_modules'), 'dir');
}

/**
 * The baseline of issue 16 ("today's bundle" when it was filed): the SDK's whole default credential chain,
 * `z` as zod's whole namespace (minus the locales; bench/bundles/baseline/zod.ts), every optional client in
 * every function; built from this tree's source, or from BENCH_BASELINE_REV's.
 */
const baseline: Variant = {
  name: baselineRev ? `baseline (issue 16) @ ${baselineRev}` : 'baseline (issue 16)',
  external: [...esbuildShared.external],
  alias: () => ({ zod: join(baselineRoot, 'bench/bundles/baseline/zod.ts') }),
  root: baselineRoot,
};
/** Lambda's Node.js runtimes carry an AWS SDK v3 (/var/runtime/node_modules): not bundled here. */
const sdkFromRuntime: Variant = {
  name: 'SDK from the runtime',
  external: [...esbuildShared.external, '@aws-sdk/*', '@smithy/*'],
  alias: bundleAliases,
};
/**
 * SDK from the runtime and Powertools (with Tracer's X-Ray SDK) from the Powertools for AWS Lambda layer
 * (`AWSLambdaPowertoolsTypeScriptV2`, /opt/nodejs/node_modules); resolved here from node_modules.
 */
const powertoolsLayer: Variant = {
  name: 'SDK runtime + Powertools layer',
  external: [...sdkFromRuntime.external, '@aws-lambda-powertools/*', 'aws-xray-sdk-core'],
  alias: bundleAliases,
};
/** Only certflow's own code in the bundle: every npm dependency from a layer of the lock file's packages. */
const dependenciesLayer: Variant = {
  name: 'every dependency from a layer',
  external: [],
  packages: 'external',
  // zod too (the layer's copy), not the bundles' shim.
  alias: (spec) => {
    const { zod: _fromLayer, ...aliases } = bundleAliases(spec);
    return aliases;
  },
};
const variants: Variant[] = [baseline, deployed, sdkFromRuntime, powertoolsLayer, dependenciesLayer];

async function bundle(spec: FunctionSpec, outDir: string, variant: Variant = deployed) {
  const result = await build({
    entryPoints: [join(variant.root ?? repoRoot, spec.entry)],
    absWorkingDir: variant.root ?? repoRoot,
    outfile: join(outDir, spec.name, 'index.mjs'),
    bundle: esbuildShared.bundle,
    platform: esbuildShared.platform,
    format: esbuildShared.format,
    target: esbuildShared.target,
    minify: esbuildShared.minify,
    mainFields: [...esbuildShared.mainFields],
    charset: esbuildShared.charset,
    banner: { js: esbuildShared.banner },
    external: variant.external,
    alias: variant.alias(spec),
    ...(variant.packages ? { packages: variant.packages } : {}),
    sourcemap: 'external',
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
  });
  const file = join(outDir, spec.name, 'index.mjs');
  const code = readFileSync(file);
  return {
    file,
    bytes: code.length,
    gzipBytes: gzipSync(code).length,
    mapBytes: statSync(`${file}.map`).size,
    top: topContributors(result.metafile),
  };
}

/**
 * The largest parts of a bundle: bytes in the output per npm package (the innermost node_modules), or per
 * folder of certflow's own code (`shared/policy`), largest first: `"zod 95, shared/policy 98, …"` (KB).
 */
function topContributors(metafile: Metafile, count = 5): string {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint);
  const byPart = new Map<string, number>();
  for (const [path, input] of Object.entries(output?.inputs ?? {})) {
    const inModules = path.includes('node_modules/') ? path.split('node_modules/').at(-1) : undefined;
    const key = inModules
      ? inModules
          .split('/')
          .slice(0, inModules.startsWith('@') ? 2 : 1)
          .join('/')
      : path.split('/').slice(0, 2).join('/');
    byPart.set(key, (byPart.get(key) ?? 0) + input.bytesInOutput);
  }
  return [...byPart.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)}`)
    .join(', ');
}

/**
 * Import of the bundle in a fresh Node process, measured inside that process: wall-clock milliseconds
 * and CPU milliseconds (user + system; less sensitive to other work on a shared machine).
 */
function initMs(file: string, sourceMaps: boolean): { wall: number; cpu: number; firstCall: number } {
  // firstCall: import plus the first invocation with an empty event, which builds the handler and its
  // dependencies (SDK clients, policy, registry) and is rejected by validation before any AWS call.
  const script = `const c = process.cpuUsage(); const t = performance.now(); const m = await import(${JSON.stringify(pathToFileURL(file).href)}); const w = performance.now() - t; const u = process.cpuUsage(c);
try { await m.handler({}, { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => 10000 }); } catch {}
const f = performance.now() - t; process.stdout.write('\\n@@' + JSON.stringify({ wall: w, cpu: (u.user + u.system) / 1000, firstCall: f }));`;
  const out = execFileSync(
    process.execPath,
    [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script],
    { env: benchEnv, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
  );
  // The handlers' own log lines share stdout; the figures are the marked last line.
  return JSON.parse(out.slice(out.lastIndexOf('@@') + 2)) as { wall: number; cpu: number; firstCall: number };
}

interface SideBySideRow {
  name: string;
  variant: string;
  kb: number;
  cpu: number;
  ratio: number;
}

/**
 * The variants of each named function built side by side, then imported in fresh processes taking turns
 * (5 rounds), so that load on a shared machine falls on all alike. Prints KB, medians of wall and CPU
 * milliseconds, and the ratio of each to the first variant (the baseline); returns the rows.
 */
async function sideBySide(names: string[], dir: string, round: number): Promise<SideBySideRow[]> {
  console.log(
    `\nSide by side, run ${round} of ${ROUNDS} (cold import, median of ${RUNS} fresh processes each, variants taking turns; ratio to the first)`,
  );
  console.log(
    `${'function'.padEnd(24)}${'variant'.padEnd(32)}${pad('KB', 6)}${pad('gzip KB', 9)}${pad('init ms', 9)}${pad('cpu ms', 8)}${pad('ratio', 7)}  largest parts (KB)`,
  );
  const rows: SideBySideRow[] = [];
  for (const name of names) {
    const spec = (functions as readonly FunctionSpec[]).find((f) => f.name === name);
    if (!spec) continue;
    const built = [];
    for (const [i, variant] of variants.entries()) {
      const out = join(dir, String(i));
      mkdirSync(out, { recursive: true });
      // An external package resolves from node_modules, as the runtime's SDK does from
      // /var/runtime/node_modules and a layer's from /opt/nodejs/node_modules.
      symlinkSync(join(repoRoot, 'node_modules'), join(out, 'node_modules'), 'dir');
      built.push({
        variant,
        bundle: await bundle(spec, out, variant),
        runs: [] as { wall: number; cpu: number }[],
      });
    }
    for (const b of built) initMs(b.bundle.file, false); // warm the file system cache once
    for (let r = 0; r < RUNS; r += 1) for (const b of built) b.runs.push(initMs(b.bundle.file, false));
    const first = median(built[0]!.runs.map((r) => r.cpu));
    for (const b of built) {
      const cpu = median(b.runs.map((r) => r.cpu));
      rows.push({ name, variant: b.variant.name, kb: b.bundle.bytes / 1024, cpu, ratio: cpu / first });
      console.log(
        `${name.padEnd(24)}${b.variant.name.padEnd(32)}${pad((b.bundle.bytes / 1024).toFixed(0), 6)}${pad((b.bundle.gzipBytes / 1024).toFixed(0), 9)}${pad(median(b.runs.map((r) => r.wall)).toFixed(1), 9)}${pad(cpu.toFixed(0), 8)}${pad(`${(cpu / first).toFixed(2)}×`, 7)}  ${round === 1 ? b.bundle.top : ''}`,
      );
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const pad = (s: string | number, n: number) => String(s).padStart(n);
const usd = (v: number) => `$${v.toFixed(2)}`;
/** `min / median / max` of the values, each with `digits` decimals and the unit. */
const spread = (values: number[], digits: number, unit: string) =>
  [Math.min(...values), median(values), Math.max(...values)]
    .map((v) => `${v.toFixed(digits)}${unit}`)
    .join(' / ');

// As at CDK synth: the bundled policy data, only checked in outline at import, is validated in full first.
checkBundledData();
const outDir = mkdtempSync(join(tmpdir(), 'certflow-bundles-'));
try {
  console.log(
    `Node ${process.version}, ${RUNS} fresh processes per bundle; aims: < ${AIM_KB} KB, < ${AIM_MS} ms\n`,
  );
  console.log(
    `${'function'.padEnd(22)}${pad('KB', 7)}${pad('gzip KB', 9)}${pad('map KB', 8)}${pad('init ms', 9)}${pad('cpu ms', 8)}${pad('+maps ms', 10)}${pad('1st call', 10)}  largest parts (KB)`,
  );
  const rows = [];
  for (const spec of functions as readonly FunctionSpec[]) {
    if (!entryPath(spec.entry).exists) {
      console.log(`${spec.name.padEnd(22)} (no handler file yet)`);
      continue;
    }
    const b = await bundle(spec, outDir);
    initMs(b.file, false); // warm the file system cache once
    const runs = Array.from({ length: RUNS }, () => initMs(b.file, false));
    const plain = median(runs.map((r) => r.wall));
    const cpu = median(runs.map((r) => r.cpu));
    const firstCall = median(runs.map((r) => r.firstCall));
    const maps = median(Array.from({ length: RUNS }, () => initMs(b.file, true).wall));
    rows.push({ name: spec.name, kb: b.bytes / 1024, ms: plain });
    console.log(
      `${spec.name.padEnd(22)}${pad((b.bytes / 1024).toFixed(0), 7)}${pad((b.gzipBytes / 1024).toFixed(0), 9)}${pad((b.mapBytes / 1024).toFixed(0), 8)}${pad(plain.toFixed(1), 9)}${pad(cpu.toFixed(0), 8)}${pad(maps.toFixed(1), 10)}${pad(firstCall.toFixed(1), 10)}  ${b.top}`,
    );
  }
  const largest = rows.reduce((a, b) => (b.kb > a.kb ? b : a));
  // Three rounds of the side-by-side comparison (each rebuilds the bundles and imports them afresh).
  const compared: SideBySideRow[][] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    compared.push(await sideBySide([...new Set([largest.name, 'Intake'])], join(outDir, 'variants'), round));
  }

  const overSize = rows.filter((r) => r.kb >= AIM_KB).map((r) => r.name);
  const overTime = rows.filter((r) => r.ms >= AIM_MS).map((r) => r.name);
  console.log(
    `\n${rows.length} bundles (${Math.round(Math.min(...rows.map((r) => r.kb)))}–${Math.round(largest.kb)} KB); over ${AIM_KB} KB: ${overSize.length === rows.length ? 'all' : overSize.length ? overSize.join(', ') : 'none'}; over ${AIM_MS} ms: ${overTime.length ? overTime.join(', ') : 'none'}`,
  );

  // Issue 16's aims, min / median / max over the rounds.
  const of = (name: string, variant: string) =>
    compared
      .map((round) => round.find((r) => r.name === name && r.variant === variant))
      .filter((r) => r !== undefined);
  console.log(`\nAims (issue 16), min / median / max of ${ROUNDS} runs`);
  const deployedLargest = of(largest.name, deployed.name);
  console.log(
    `  largest bundle, SDK bundled (${largest.name}): ${spread(
      deployedLargest.map((r) => r.kb),
      0,
      ' KB',
    )} (aim < ${AIM_KB} KB)`,
  );
  for (const v of variants.slice(2)) {
    console.log(
      `  variant "${v.name}" (${largest.name}): ${spread(
        of(largest.name, v.name).map((r) => r.kb),
        0,
        ' KB',
      )} (aim: a variant < 250 KB); cold import ${spread(
        of(largest.name, v.name).map((r) => r.ratio),
        2,
        '×',
      )} of the baseline`,
    );
  }
  for (const name of [...new Set([largest.name, 'Intake'])]) {
    console.log(
      `  cold import CPU as deployed / baseline (${name}, median of ${RUNS} each, same run): ${spread(
        of(name, deployed.name).map((r) => r.ratio),
        2,
        '×',
      )} (aim ≤ 0.6×); ${spread(
        of(name, deployed.name).map((r) => r.cpu),
        0,
        ' ms',
      )} against ${spread(
        of(name, baseline.name).map((r) => r.cpu),
        0,
        ' ms',
      )}`,
    );
  }

  const c = counts();
  // Alarms as infra/constructs/monitoring.ts creates them: errors and throttles per function, plus 8.
  const alarms = 2 * functions.length + 8;
  console.log(`\nEstimated monthly AWS cost (USD, us-east-1 list prices; counts: ${c.source})`);
  console.log(
    `  per request: ${c.transitionsPerRequest.toFixed(2)} state transitions, ${c.writeUnitsPerRequest.toFixed(1)} write units (with ${assumptions.indexWriteUnitsPerWrite} index WRU per item write), ${c.readUnitsPerRequest.toFixed(1)} read units, ${c.lambdaInvocationsPerRequest.toFixed(1)} Lambda invocations, ${c.apiRequestsPerRequest.toFixed(1)} API requests (${assumptions.extraStatusPolls} status polls more than measured)`,
  );
  console.log(
    `  outcome mix: ${measuredPaths.map((o) => `${Math.round(o.share * 100)} % ${o.path}`).join('; ')}`,
  );
  const volumes = [20_000, 2_000_000];
  const tables = volumes.map((n) => estimate(n, alarms, c));
  console.log(
    `\n  ${'item'.padEnd(58)}${volumes.map((n) => pad(`${n.toLocaleString('en')}/mo`, 16)).join('')}`,
  );
  (tables[0] ?? []).forEach((line, i) => {
    console.log(`  ${line.item.padEnd(58)}${tables.map((t) => pad(usd(t[i]?.usd ?? 0), 16)).join('')}`);
  });
  console.log(
    `  ${'total'.padEnd(58)}${tables.map((t) => pad(usd(t.reduce((a, l) => a + l.usd, 0)), 16)).join('')}`,
  );
  console.log(
    `  ${'per 1,000 requests'.padEnd(58)}${tables.map((t, i) => pad(usd((t.reduce((a, l) => a + l.usd, 0) / (volumes[i] ?? 1)) * 1000), 16)).join('')}`,
  );
  console.log('\n  prices assumed:');
  for (const p of Object.values(prices)) console.log(`   - ${p.source}`);
} finally {
  rmSync(outDir, { recursive: true, force: true });
  if (baselineRev) rmSync(baselineRoot, { recursive: true, force: true });
}
