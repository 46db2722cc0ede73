/**
 * Per-function bundle aliases (infra/bundling.ts): the optional SDK clients are replaced by stand-ins
 * exactly where the function's access does not need them, and a stand-in reached anyway says what to do.
 * (The synthesized bundles themselves are checked in infra.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { AbsentFromBundleError } from '#infra/bundle-shims/absent/absent.ts';
import { SecretsManagerClient as SecretsManagerStandIn } from '#infra/bundle-shims/absent/client-secrets-manager.ts';
import { SFNClient as StandInSFNClient } from '#infra/bundle-shims/absent/client-sfn.ts';
import { SNSClient } from '#infra/bundle-shims/absent/client-sns.ts';
import { SSMClient as SSMStandIn } from '#infra/bundle-shims/absent/client-ssm.ts';
import { DynamoDBPersistenceLayer } from '#infra/bundle-shims/absent/idempotency/dynamodb.ts';
import { SSMProvider as SSMProviderStandIn } from '#infra/bundle-shims/absent/parameters-ssm.ts';
import { Tracer as TracerStandIn } from '#infra/bundle-shims/absent/tracer/index.ts';
import { captureLambdaHandler } from '#infra/bundle-shims/absent/tracer/middleware.ts';
import {
  bundleAliases,
  esbuildShared,
  optionalPackages,
  readsOfficerSettings,
  repoRoot,
} from '#infra/bundling.ts';
import { statutoryHolidays, WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { SfnWorkflow } from '#shared/workflow/sfn-workflow.ts';

it('aliases an optional package to its stand-in exactly in the functions whose access does not need it', () => {
  const sns = optionalPackages.find((o) => o.name === '@aws-sdk/client-sns');
  expect(sns).toBeDefined();
  for (const spec of functions as readonly FunctionSpec[]) {
    const aliases = bundleAliases(spec);
    // The shared aliases (zod, credentials, event streams) are always there.
    for (const [from, to] of Object.entries(esbuildShared.alias)) expect(aliases[from], spec.name).toBe(to);
    for (const o of optionalPackages) {
      expect(aliases[o.name], `${spec.name} ${o.name}`).toBe(
        o.neededBy(spec.access, spec.trigger, {}) ? undefined : join(repoRoot, o.standIn),
      );
    }
  }
  const names = (functions as readonly FunctionSpec[]).filter((f) => f.access.sms).map((f) => f.name);
  expect(names).toContain('Intake');
  expect(bundleAliases({ access: { table: 'none', stateMachine: [], secrets: [] } })).toHaveProperty(
    '@aws-sdk/client-sns',
  );
});

it('keeps the SNS client only where SMS go through SNS: not with an HTTP gateway or no SMS provider', () => {
  const intake = (functions as readonly FunctionSpec[]).find((f) => f.name === 'Intake')!;
  expect(bundleAliases(intake)['@aws-sdk/client-sns']).toBeUndefined();
  expect(bundleAliases(intake, { smsProvider: 'sns' })['@aws-sdk/client-sns']).toBeUndefined();
  for (const smsProvider of ['http', 'none'] as const) {
    expect(bundleAliases(intake, { smsProvider })['@aws-sdk/client-sns']).toBe(
      join(repoRoot, 'infra/bundle-shims/absent/client-sns.ts'),
    );
  }
});

it('leaves Tracer out where the function does not trace: tracing.ts then gives its DisabledTracer, and the middleware does nothing', async () => {
  const traced = (functions as readonly FunctionSpec[]).filter((f) => f.access.traces).map((f) => f.name);
  expect(traced).toEqual(['DeliverToDepartments']);
  expect(
    bundleAliases({ access: { table: 'none', stateMachine: [], secrets: [] } })[
      '@aws-lambda-powertools/tracer'
    ],
  ).toBe(join(repoRoot, 'infra/bundle-shims/absent/tracer'));
  expect(TracerStandIn).toBeUndefined();
  const middleware = captureLambdaHandler(undefined, { captureResponse: false });
  expect(Object.keys(middleware)).toEqual(['before']);
  expect(middleware.before()).toBeUndefined();
});

it('leaves Powertools idempotency out except where Idempotency-Key is answered; the stand-in throws only when made', () => {
  const names = (functions as readonly FunctionSpec[])
    .filter((f) => f.access.idempotencyKeys)
    .map((f) => f.name);
  expect(names).toEqual(['Intake']);
  expect(() => new DynamoDBPersistenceLayer()).toThrow(
    /access\.idempotencyKeys in functions\/function-list\.ts/,
  );
});

it('a workflow makes its Step Functions client on the first call only, so the stand-in is never made without state-machine access', async () => {
  const made: string[] = [];
  const workflow = new SfnWorkflow(() => {
    made.push('client');
    return new StandInSFNClient() as never;
  }, 'arn:aws:states:cn-north-1:123456789012:stateMachine:x');
  expect(made).toEqual([]);
  await expect(workflow.start('R1', 'R1')).rejects.toThrow(
    /access\.stateMachine in functions\/function-list\.ts/,
  );
  expect(made).toEqual(['client']);
});

it('leaves Secrets Manager out only where no secret is read: no token or department secret, no SMS, not HTTP', () => {
  const without = (functions as readonly FunctionSpec[])
    .filter((f) => bundleAliases(f)['@aws-sdk/client-secrets-manager'] !== undefined)
    .map((f) => f.name);
  expect(without).toContain('Escalate');
  expect(without).toContain('DeadlineSweeper');
  for (const name of without) {
    const spec = (functions as readonly FunctionSpec[]).find((f) => f.name === name)!;
    expect(spec.trigger.kind, name).not.toBe('http');
    expect(spec.access.sms ?? false, name).toBe(false);
    expect(
      spec.access.secrets.filter((s) => s !== 'officerSettings'),
      name,
    ).toEqual([]);
  }
  // Without a trigger (a caller that does not say), the client stays.
  expect(
    bundleAliases({ access: { table: 'none', stateMachine: [], secrets: [] } })[
      '@aws-sdk/client-secrets-manager'
    ],
  ).toBeUndefined();
  expect(() => new SecretsManagerStandIn()).toThrow(/access\.secrets in functions\/function-list\.ts/);
});

it('keeps the SSM client and SSMProvider only where the officer settings are read: the Cognito trigger, and the staff routes with staffAuth=oidc', () => {
  const ssmPackages = ['@aws-sdk/client-ssm', '@aws-lambda-powertools/parameters/ssm'];
  const keeping = (deployment: Parameters<typeof bundleAliases>[1]) =>
    (functions as readonly FunctionSpec[])
      .filter((f) => ssmPackages.every((p) => bundleAliases(f, deployment)[p] === undefined))
      .map((f) => f.name);
  const staffRoutes = (functions as readonly FunctionSpec[])
    .filter((f) => f.access.secrets.includes('officerSettings') && f.trigger.kind === 'http')
    .map((f) => f.name);
  expect(staffRoutes).toEqual(expect.arrayContaining(['StationQueue', 'OfficerFindings', 'SearchRequests']));
  // Cognito (the default) and staff tokens: the trigger alone.
  for (const deployment of [{}, { staffAuth: 'cognito' as const }, { staffAuth: 'tokens' as const }])
    expect(keeping(deployment), JSON.stringify(deployment)).toEqual(['StaffTokenClaims']);
  // A generic OpenID issuer: the staff routes fall back to the settings.
  expect(keeping({ staffAuth: 'oidc' }).sort()).toEqual(['StaffTokenClaims', ...staffRoutes].sort());
  // Either package is left out together with the other, never one alone.
  for (const spec of functions as readonly FunctionSpec[])
    for (const staffAuth of ['cognito', 'tokens', 'oidc'] as const) {
      const aliases = bundleAliases(spec, { staffAuth });
      expect(aliases[ssmPackages[0]!] === undefined, spec.name).toBe(aliases[ssmPackages[1]!] === undefined);
      expect(aliases[ssmPackages[0]!] === undefined, spec.name).toBe(
        readsOfficerSettings(spec.access, spec.trigger, { staffAuth }),
      );
    }
  expect(() => new SSMStandIn()).toThrow(/staffAuth=oidc/);
  expect(() => new SSMProviderStandIn()).toThrow(AbsentFromBundleError);
});

it('a stand-in reached anyway throws AbsentFromBundleError naming the access flag', () => {
  expect(() => new SNSClient()).toThrow(AbsentFromBundleError);
  expect(() => new SNSClient()).toThrow(/access\.sms in functions\/function-list\.ts/);
});

it("bundles chinese-days initialised on first use, with the same answers and the package's own holiday tables", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'certflow-chinese-days-'));
  try {
    const outfile = join(dir, 'calendar.mjs');
    await build({
      entryPoints: [join(repoRoot, 'shared/domain/calendar.ts')],
      absWorkingDir: repoRoot,
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: esbuildShared.target,
      mainFields: [...esbuildShared.mainFields],
      banner: { js: esbuildShared.banner },
      alias: esbuildShared.alias,
      logLevel: 'silent',
    });
    const code = readFileSync(outfile, 'utf8');
    // The package's module is wrapped to run on first use, not at import.
    expect(code).toMatch(/var init_index_es = __esm\(/);
    const script = `const c = await import(${JSON.stringify(`file://${outfile}`)});
const cal = new c.WorkingDayCalendar();
process.stdout.write(JSON.stringify({ years: cal.coveredYears(), y2030: [...c.statutoryHolidays(2030)], y2045: [...c.statutoryHolidays(2045)], work: cal.isWorkingDay('2031-01-23') }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    ) as { years: number[]; y2030: [string, string][]; y2045: [string, string][]; work: boolean };
    const cal = new WorkingDayCalendar();
    expect(out.years).toEqual(cal.coveredYears());
    expect(out.y2030).toEqual([...statutoryHolidays(2030)]);
    expect(out.y2045).toEqual([...statutoryHolidays(2045)]);
    expect(out.work).toBe(cal.isWorkingDay('2031-01-23'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
