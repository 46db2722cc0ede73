/**
 * Synthesizes the certflow app ONCE for all infra checks (bundling every function with esbuild is the
 * slow part). The real registry, workflow definition, table definition and web build are used; a
 * registry entry whose handler file does not exist yet is synthesized with a stand-in handler and listed
 * in `standIns`, which a test requires to be empty.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { type FunctionSpec, functions as registry } from '#functions/function-list.ts';
import { entryPath, repoRoot } from '#infra/bundling.ts';
import { buildCertflowApp, buildWebAssets, type CertflowStacks } from '#infra/certflow-app.ts';
import { type CertflowConfig, parseConfig } from '#infra/config.ts';
import { certificateRequestDefinition } from '#workflows/certificate-request.ts';
import { complaintDefinition } from '#workflows/complaint.ts';

export const standInEntry = 'tests/unit/infra/fixtures/handler.ts';

/** The context the checks synthesize with (as `-c key=value` strings, like the CLI passes them). */
export const testContext = {
  stage: 'test',
  region: 'ap-northeast-2',
  alarmEmail: 'supervisors@example.org',
  webOrigins: 'https://portal.example.org',
  logRetentionDays: '90',
  holidaysFile: 'tests/unit/infra/fixtures/holidays.json',
};

export interface NagViolation {
  readonly ruleName: string;
  readonly severity: string;
  readonly paths: readonly string[];
}

export interface Synthesized {
  readonly config: CertflowConfig;
  readonly stacks: CertflowStacks;
  /** Undefined when validation failed (then nagViolations says why). */
  readonly assembly?: CloudAssembly;
  readonly outdir: string;
  /** The built web pages (a temporary folder, like outdir). */
  readonly webAssetsDir?: string;
  readonly stateful: Template;
  readonly stateless: Template;
  /** Registry entries synthesized with the stand-in handler (their handler file is missing). */
  readonly standIns: readonly string[];
  /** Deployed specs (registry entries, with the stand-in entry where the handler is missing). */
  readonly specs: readonly FunctionSpec[];
  /** Unacknowledged cdk-nag findings (errors and warnings) from the validation report. */
  readonly nagViolations: readonly NagViolation[];
  readonly synthError?: unknown;
  readonly synthMs: number;
}

/** cdk.json's context: feature flags (`@aws-cdk/…`) and the default settings, as the CLI would pass them. */
export function cdkJsonContext(): { flags: Record<string, unknown>; settings: Record<string, unknown> } {
  const { context } = JSON.parse(readFileSync(join(repoRoot, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  const entries = Object.entries(context);
  return {
    flags: Object.fromEntries(entries.filter(([key]) => key.startsWith('@'))),
    settings: Object.fromEntries(entries.filter(([key]) => !key.startsWith('@'))),
  };
}

let synthesized: Promise<Synthesized> | undefined;

async function synthesize(): Promise<Synthesized> {
  return synthesizeFor(testContext, true);
}

/**
 * Synthesizes the app with `context` over cdk.json's settings (`web`: build and deploy the pages too).
 * Uncached: each call bundles every function (about a minute).
 */
export async function synthesizeFor(context: Record<string, string>, web: boolean): Promise<Synthesized> {
  const started = performance.now();
  const { flags, settings } = cdkJsonContext();
  const config = parseConfig({ ...settings, ...context });
  const standIns: string[] = [];
  const specs = (registry as readonly FunctionSpec[]).map((spec) => {
    if (entryPath(spec.entry).exists) return spec;
    standIns.push(spec.name);
    return { ...spec, entry: standInEntry };
  });
  const outdir = mkdtempSync(join(tmpdir(), 'certflow-cdk-'));
  const app = new App({ outdir, context: flags });
  const webAssetsDir = web ? await buildWebAssets() : undefined;
  const stacks = buildCertflowApp(app, config, {
    functions: specs,
    missing: [],
    workflowDefinition: certificateRequestDefinition,
    complaintWorkflowDefinition: complaintDefinition,
    ...(webAssetsDir ? { webAssetsDir } : {}),
  });
  let assembly: CloudAssembly | undefined;
  let synthError: unknown;
  try {
    assembly = app.synth();
  } catch (error) {
    synthError = error;
  }
  const nagViolations: NagViolation[] = [];
  try {
    const report = JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8')) as {
      pluginReports: {
        pluginName: string;
        violations: {
          ruleName: string;
          severity: string;
          violatingConstructs: { constructPath: string }[];
        }[];
      }[];
    };
    for (const plugin of report.pluginReports) {
      if (plugin.pluginName !== 'AwsSolutions') continue;
      for (const v of plugin.violations) {
        nagViolations.push({
          ruleName: v.ruleName,
          severity: v.severity,
          paths: v.violatingConstructs.map((c) => c.constructPath),
        });
      }
    }
  } catch {
    // No report: no plugin reported anything.
  }
  // Templates are written before validation runs, so they are there even when cdk-nag failed the synth.
  const template = (artifactId: string) =>
    Template.fromJSON(JSON.parse(readFileSync(join(outdir, `${artifactId}.template.json`), 'utf8')));
  if (!assembly && nagViolations.length === 0) {
    throw new Error(`synth failed: ${String(synthError)}`, { cause: synthError });
  }
  return {
    config,
    stacks,
    outdir,
    webAssetsDir,
    stateful: template(stacks.stateful.artifactId),
    stateless: template(stacks.stateless.artifactId),
    assembly,
    standIns,
    specs,
    nagViolations,
    synthError,
    synthMs: performance.now() - started,
  };
}

export function synthesizeOnce(): Promise<Synthesized> {
  synthesized ??= synthesize();
  return synthesized;
}
