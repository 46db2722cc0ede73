/**
 * How every Lambda bundle is built — one place, used by the `CertflowFunction` construct (through
 * NodejsFunction's esbuild bundling) and by `bench/bundles` (through the esbuild API), so the benchmark
 * measures exactly what gets deployed.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Access, FunctionSpec, Trigger } from '../functions/function-list.ts';
import { checkBundledAccountabilityPolicy } from '../shared/policy/accountability.ts';
import { checkBundledPolicies } from '../shared/policy/bundled.ts';

/** Repository root (infra/ sits directly below it). */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The lock file NodejsFunction uses to find the project root (no Docker, no install: esbuild is local). */
export const lockFile = join(repoRoot, 'package-lock.json');

/** Lambda's Node.js major version the bundles target. */
export const nodeTarget = 'node22';

/**
 * ESM bundles have no `require`; CommonJS dependencies bundled into them (jsonata, parts of the AWS SDK)
 * call it for Node built-ins. The banner gives them one. The import alias avoids clashing with names in
 * the minified bundle.
 */
export const esmRequireBanner =
  "import{createRequire as __certflowCreateRequire}from'node:module';const require=__certflowCreateRequire(import.meta.url);";

/** `zod` in the bundles: named exports as they are, `z` only with the members in use (see bundle-shims/zod.ts). */
export const zodAlias = join(repoRoot, 'infra/bundle-shims/zod.ts');

/**
 * The SDK clients' default credential provider in the bundles: the environment provider only, as Lambda
 * provides credentials (see bundle-shims/credential-provider-node.ts).
 */
export const credentialProviderAlias = join(repoRoot, 'infra/bundle-shims/credential-provider-node.ts');

/** No event streams in certflow's SDK calls: the codec stays out (see bundle-shims/absent/smithy-event-streams.ts). */
export const eventStreamsAlias = join(repoRoot, 'infra/bundle-shims/absent/smithy-event-streams.ts');

/** esbuild options shared by CDK and the bundle benchmark (the AWS SDK is bundled, not taken from the runtime). */
export const esbuildShared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: nodeTarget,
  minify: true,
  /** Prefer ES module builds of dependencies: better tree shaking. */
  mainFields: ['module', 'main'],
  /** Keep Chinese text as UTF-8 instead of \\u escapes (smaller bundles). */
  charset: 'utf8',
  banner: esmRequireBanner,
  /** Nothing external: the AWS SDK v3 is bundled so the deployed code runs the versions we tested. */
  external: [] as string[],
  alias: {
    zod: zodAlias,
    // The longer keys win: zod/mini (shared/schemas/zod.ts) and its English locale are zod's own files.
    'zod/mini': join(repoRoot, 'node_modules/zod/mini/index.js'),
    'zod/v4/locales': join(repoRoot, 'node_modules/zod/v4/locales'),
    '@aws-sdk/credential-provider-node': credentialProviderAlias,
    '@smithy/core/event-streams': eventStreamsAlias,
  },
} as const;

/**
 * Packages only some functions use. A function's handler reaches them through `deps.ts`, which every
 * function imports, and an ESM bundle without code splitting inlines even a dynamic `import()` — so, left
 * alone, every bundle carried the SNS client (46 KB, with the query/XML protocol code it pulls in) and the
 * EventBridge Scheduler client (22 KB); likewise Powertools Tracer with the X-Ray SDK (≈ 120 KB, traced only
 * with `access.traces`) and Powertools idempotency (≈ 36 KB, only with `access.idempotencyKeys`) and the Step Functions client
 * (only with state-machine actions in `access`). A function
 * whose `access` (functions/function-list.ts) does not include the package's purpose gets the stand-in (bundle-shims/absent/) in its place, through the same
 * esbuild alias in CDK and the bench. Another optional client is one more line here.
 */
/**
 * What of the deployment's configuration decides a bundle's contents: the SMS provider (infra/config.ts
 * `smsProvider`; absent: `sns`, the configuration's default) and the staff sign-in (`staffAuth`, as
 * infra/identity.ts resolves it; absent: `cognito`, the default in the standard partition).
 */
export interface BundleDeployment {
  readonly smsProvider?: 'sns' | 'http' | 'none';
  readonly staffAuth?: 'cognito' | 'tokens' | 'oidc';
}

/**
 * Whether a function reads the officer settings (SSM parameter, Powertools SSMProvider) in this deployment:
 * the Cognito pre token generation trigger always; a function listing `officerSettings` (the staff routes)
 * only where staff sign in at a generic OpenID issuer (`staffAuth=oidc`), whose tokens carry no `stations`
 * claim. With Cognito the trigger puts the claim in the token; with `tokens` the table's staff tokens name
 * the stations. One answer for the bundle (the SSM client and SSMProvider, or their stand-ins) and for the
 * grant and environment (infra/constructs/certflow-function.ts).
 */
export function readsOfficerSettings(
  access: Access,
  trigger: Trigger | undefined,
  deployment: BundleDeployment,
): boolean {
  if (!access.secrets.includes('officerSettings')) return false;
  return trigger?.kind === 'preTokenGeneration' || deployment.staffAuth === 'oidc';
}

export const optionalPackages: readonly {
  /** The package as imported (or, for a module of ours, the one specifier its importers use). */
  readonly name: string;
  /** Whether a function with this access (and trigger, where known) uses it in this deployment. */
  readonly neededBy: (access: Access, trigger: Trigger | undefined, deployment: BundleDeployment) => boolean;
  /** The stand-in, from the repository root. */
  readonly standIn: string;
}[] = [
  {
    // Only where SMS go through SNS (the China regions' cells send through an HTTP gateway or not at all).
    name: '@aws-sdk/client-sns',
    neededBy: (a, _trigger, d) => a.sms === true && (d.smsProvider ?? 'sns') === 'sns',
    standIn: 'infra/bundle-shims/absent/client-sns.ts',
  },
  {
    name: '@aws-sdk/client-scheduler',
    neededBy: (a) => a.schedules === true,
    standIn: 'infra/bundle-shims/absent/client-scheduler.ts',
  },
  {
    // A directory: esbuild maps the package's subpaths too (`/middleware` → tracer/middleware.ts).
    name: '@aws-lambda-powertools/tracer',
    neededBy: (a) => a.traces === true,
    standIn: 'infra/bundle-shims/absent/tracer',
  },
  {
    // A directory: the package's subpaths map into it (`/dynamodb`, what functions/deps.ts builds on use).
    name: '@aws-lambda-powertools/idempotency',
    neededBy: (a) => a.idempotencyKeys === true,
    standIn: 'infra/bundle-shims/absent/idempotency',
  },
  {
    // The officer settings: the Cognito trigger, and the staff routes of a staffAuth=oidc deployment only.
    name: '@aws-sdk/client-ssm',
    neededBy: readsOfficerSettings,
    standIn: 'infra/bundle-shims/absent/client-ssm.ts',
  },
  {
    name: '@aws-lambda-powertools/parameters/ssm',
    neededBy: readsOfficerSettings,
    standIn: 'infra/bundle-shims/absent/parameters-ssm.ts',
  },
  {
    name: '@aws-sdk/client-sfn',
    neededBy: (a) => a.stateMachine.length > 0 || (a.complaintMachine?.length ?? 0) > 0,
    standIn: 'infra/bundle-shims/absent/client-sfn.ts',
  },
  {
    // Not a package: the working-day calendar, by the one specifier its importers use — with it the tables
    // derived from chinese-days (shared/domain/calendar-data.ts; ≈ 6 KB with the calendar's code, the tables alone ≈ 2 KB). Only where working-day
    // deadlines are computed; the stand-in rejects `deps.calendar()` naming the function (infra.test.ts
    // derives the flag).
    name: '#shared/domain/calendar.ts',
    neededBy: (a) => a.workingDayCalendar === true,
    standIn: 'infra/bundle-shims/absent/calendar.ts',
  },
];

/**
 * The esbuild aliases of one function's bundle: the shared ones (zod, credentials) plus a stand-in for
 * each optional package the function does not need. `{ [package]: absolute path }`.
 */
export function bundleAliases(
  spec: Pick<FunctionSpec, 'access'> & { readonly trigger?: Trigger },
  deployment: BundleDeployment = {},
): Record<string, string> {
  const aliases: Record<string, string> = { ...esbuildShared.alias };
  for (const o of optionalPackages) {
    if (!o.neededBy(spec.access, spec.trigger, deployment)) aliases[o.name] = join(repoRoot, o.standIn);
  }
  return aliases;
}

/** Absolute path of a registry entry, and whether its file exists yet. */
export function entryPath(entry: string): { path: string; exists: boolean } {
  const path = join(repoRoot, entry);
  return { path, exists: existsSync(path) };
}

let bundledDataChecked = false;

/**
 * Validates in full the policy data every bundle carries (shared/policy's JSON files), once per process:
 * the functions only check its outline at import (`bundledPolicy` in shared/policy/policy.ts), so a bundle
 * is never built from data that the tests would reject. Called by `CertflowFunction` (CDK synth) and
 * bench:bundles. Throws `PolicyError` (or zod's `$ZodError` for accountability.json) naming the file and field.
 */
export function checkBundledData(): void {
  if (bundledDataChecked) return;
  checkBundledPolicies();
  checkBundledAccountabilityPolicy();
  bundledDataChecked = true;
}
