/**
 * The Lambda bundles' `z` (infra/bundle-shims/zod.ts) is a plain object of the members in use, not zod's
 * whole namespace. This reads every module that goes into any function's bundle and imports classic
 * `zod` (esbuild's metafile, the bundles' own aliases) and fails if one of them uses a `z.<member>` at run
 * time that the object lacks — such a bundle would throw `z.<member> is not a function` at import or on
 * first use. Modules on zod/mini (`#shared/schemas/zod.ts`, issue 16) are not the shim's concern.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { z } from 'zod';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { z as bundledZ } from '#infra/bundle-shims/zod.ts';
import { entryPath, esbuildShared, repoRoot } from '#infra/bundling.ts';

/** `z.member(`, `z.member.` (a namespace such as `z.iso`) or `instanceof z.Member`: a use at run time. */
const RUNTIME_USE = /(?:\bz\.([A-Za-z_$][\w$]*)\s*[(.])|(?:instanceof\s+z\.([A-Za-z_$][\w$]*))/g;
/** Namespaces certflow uses in types only (`z.core.$ZodIssue`). */
const TYPE_ONLY = new Set(['core']);

it('every z.<member> used at run time by a bundled module is in the bundles’ z', {
  timeout: 60_000,
}, async () => {
  // One build of every entry, with every optional package in (a superset of each function's bundle).
  const entries = (functions as readonly FunctionSpec[])
    .map((f) => entryPath(f.entry))
    .filter((e) => e.exists);
  const result = await build({
    entryPoints: entries.map((e) => e.path),
    absWorkingDir: repoRoot,
    bundle: true,
    write: false,
    outdir: join(repoRoot, 'out'),
    platform: esbuildShared.platform,
    format: esbuildShared.format,
    target: esbuildShared.target,
    mainFields: [...esbuildShared.mainFields],
    alias: { ...esbuildShared.alias },
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs);
  const used = new Map<string, string>();
  for (const path of inputs) {
    if (path.includes('node_modules/zod/') || !/\.(?:[cm]?js|ts)$/.test(path)) continue;
    // Only modules that import classic `zod` (the shim) use its `z`; a `z.<member>` of zod/mini
    // (`import * as z from '#shared/schemas/zod.ts'`) is a namespace member, never the shim's.
    if (!result.metafile.inputs[path]?.imports.some((i) => i.original === 'zod')) continue;
    const source = readFileSync(join(repoRoot, path), 'utf8');
    // A module on zod/mini (`import * as z from '#shared/schemas/zod.ts'`) uses zod/mini's namespace, not this `z`.
    if (/import \* as z from '(?:#shared\/schemas|\.)\/zod\.ts'/.test(source)) continue;
    for (const m of source.matchAll(RUNTIME_USE)) {
      const member = (m[1] ?? m[2]) as string;
      if (!TYPE_ONLY.has(member)) used.set(member, path);
    }
  }
  // The scan finds what it should: the members of Powertools' Cognito trigger schema (StaffTokenClaims),
  // which stays classic zod, among those of any certflow module not yet on zod/mini.
  expect([...used.keys()]).toEqual(expect.arrayContaining(['object', 'string', 'record', 'literal']));
  const missing = [...used]
    .filter(([member]) => !(member in bundledZ))
    .map(([m, path]) => `z.${m} (${path})`);
  expect(missing).toEqual([]);
  // And each member is zod's own.
  for (const [member, value] of Object.entries(bundledZ))
    expect(value, member).toBe((z as Record<string, unknown>)[member]);
  // The response schemas (≈ 520 zod schemas built at import) and the OpenAPI document's code are for the
  // document, the web types and the tests: no Lambda bundle carries them (a request schema that needs one
  // of them, like `BilingualSchema`, imports it from its own small module).
  expect(
    inputs.filter((p) => p === 'shared/schemas/responses.ts' || /^shared\/openapi\/.*\.ts$/.test(p)),
  ).toEqual([]);
  // Nor Powertools' classic-zod event schemas of API Gateway: the HTTP edge parses the payload 2.0 event
  // with its own zod/mini schema (functions/edge/http.ts), so classic zod is not in a bundle for them.
  expect(
    inputs.filter((p) => /@aws-lambda-powertools\/parser\/lib\/esm\/schemas\/(?:api-?g|apigw)/.test(p)),
  ).toEqual([]);
});
