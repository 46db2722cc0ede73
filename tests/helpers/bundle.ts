/**
 * One function's Lambda bundle, built in memory with the esbuild options CDK uses (infra/bundling.ts:
 * `esbuildShared` and the function's `bundleAliases`), for tests that look at what a bundle carries.
 * Returns `inputs` (the files that put bytes into the output), `parsed` (every file esbuild read, tree-shaken
 * away or not) and the minified `code`. Throws if `name` is not in functions/function-list.ts.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { type BundleDeployment, bundleAliases, entryPath, esbuildShared, repoRoot } from '#infra/bundling.ts';

export async function buildFunctionBundle(
  name: string,
  deployment: BundleDeployment = {},
): Promise<{ inputs: string[]; parsed: string[]; code: string }> {
  const spec = (functions as readonly FunctionSpec[]).find((f) => f.name === name);
  if (spec === undefined) throw new Error(`no function ${name} in functions/function-list.ts`);
  const result = await build({
    ...esbuildShared,
    banner: { js: esbuildShared.banner },
    external: [...esbuildShared.external],
    mainFields: [...esbuildShared.mainFields],
    alias: bundleAliases(spec, deployment),
    entryPoints: [entryPath(spec.entry).path],
    absWorkingDir: repoRoot,
    outfile: join(tmpdir(), `${name}.mjs`),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  return {
    inputs: Object.keys(Object.values(result.metafile.outputs)[0]?.inputs ?? {}),
    parsed: Object.keys(result.metafile.inputs),
    code: result.outputFiles[0]?.text ?? '',
  };
}
