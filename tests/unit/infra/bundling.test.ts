/**
 * Per-function bundle aliases (infra/bundling.ts): the optional SDK clients are replaced by stand-ins
 * exactly where the function's access does not need them, and a stand-in reached anyway says what to do.
 * (The synthesized bundles themselves are checked in infra.test.ts.)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { AbsentFromBundleError } from '#infra/bundle-shims/absent/absent.ts';
import * as calendarStandIn from '#infra/bundle-shims/absent/calendar.ts';
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
import * as calendarModule from '#shared/domain/calendar.ts';
import { loadHolidaySupplementFile, statutoryHolidays, WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { SfnWorkflow } from '#shared/workflow/sfn-workflow.ts';
import { buildFunctionBundle } from '#tests/helpers/bundle.ts';

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
  expect(names).toContain('CheckRules');
  // Intake sends no SMS: CheckRules sends the "accepted" message (functions/workflow/check-rules.ts).
  expect(names).not.toContain('Intake');
  expect(bundleAliases({ access: { table: 'none', stateMachine: [], secrets: [] } })).toHaveProperty(
    '@aws-sdk/client-sns',
  );
});

it('keeps the SNS client only where SMS go through SNS: not with an HTTP gateway or no SMS provider', () => {
  const sender = (functions as readonly FunctionSpec[]).find((f) => f.name === 'CheckRules')!;
  expect(bundleAliases(sender)['@aws-sdk/client-sns']).toBeUndefined();
  expect(bundleAliases(sender, { smsProvider: 'sns' })['@aws-sdk/client-sns']).toBeUndefined();
  for (const smsProvider of ['http', 'none'] as const) {
    expect(bundleAliases(sender, { smsProvider })['@aws-sdk/client-sns']).toBe(
      join(repoRoot, 'infra/bundle-shims/absent/client-sns.ts'),
    );
  }
});

it("Intake's bundle, built as CDK builds it, has no SNS client; CheckRules' (which sends the accepted SMS) has", async () => {
  const [intake, checkRules] = await Promise.all([
    buildFunctionBundle('Intake'),
    buildFunctionBundle('CheckRules'),
  ]);
  expect(intake.inputs.filter((p) => p.includes('client-sns/'))).toEqual([]);
  expect(intake.inputs).toContain('infra/bundle-shims/absent/client-sns.ts');
  expect(intake.code).not.toContain('CheckIfPhoneNumberIsOptedOut');
  expect(checkRules.inputs.some((p) => p.includes('@aws-sdk/client-sns/'))).toBe(true);
  expect(checkRules.code).toContain('CheckIfPhoneNumberIsOptedOut');
}, 60_000);

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

it('no bundle carries the Secrets Manager client or Powertools SecretsProvider: secrets come through the Parameters and Secrets extension', async () => {
  expect(optionalPackages.map((o) => o.name)).not.toContain('@aws-sdk/client-secrets-manager');
  // The functions that read the token, the department secrets, the SMS gateway's token and (HTTP) the
  // origin-verify secret, bundled as CDK bundles them.
  for (const name of ['ExchangeQuery', 'DeliverToDepartments', 'CheckRules']) {
    const { parsed: inputs } = await buildFunctionBundle(name, { smsProvider: 'http' });
    expect(
      inputs.filter((p) => /client-secrets-manager|parameters\/lib\/(esm\/)?secrets/.test(p)),
      name,
    ).toEqual([]);
    expect(inputs, name).toContain('functions/edge/secrets-extension.ts');
  }
}, 120_000);

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

it('bundles the calendar with the tables derived from chinese-days, none of the package, and the same answers', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'certflow-calendar-'));
  try {
    const outfile = join(dir, 'calendar.mjs');
    const result = await build({
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
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('shared/domain/calendar-data.ts');
    expect(inputs.filter((i) => i.includes('chinese-days'))).toEqual([]);
    // Every day of the years around the data's end, and the statutory days of provisional years.
    const script = `const c = await import(${JSON.stringify(`file://${outfile}`)});
const cal = new c.WorkingDayCalendar();
const days = [];
for (let t = Date.UTC(2025, 0, 1); t <= Date.UTC(2031, 11, 31); t += 864e5) days.push(cal.isWorkingDay(new Date(t).toISOString().slice(0, 10)));
process.stdout.write(JSON.stringify({ years: cal.coveredYears(), y2030: [...c.statutoryHolidays(2030)], y2045: [...c.statutoryHolidays(2045)], days }));`;
    const out = JSON.parse(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' }),
    ) as { years: number[]; y2030: [string, string][]; y2045: [string, string][]; days: boolean[] };
    const cal = new WorkingDayCalendar();
    const days: boolean[] = [];
    for (let t = Date.UTC(2025, 0, 1); t <= Date.UTC(2031, 11, 31); t += 864e5)
      days.push(cal.isWorkingDay(new Date(t).toISOString().slice(0, 10)));
    expect(out.years).toEqual(cal.coveredYears());
    expect(out.y2030).toEqual([...statutoryHolidays(2030)]);
    expect(out.y2045).toEqual([...statutoryHolidays(2045)]);
    expect(out.days).toEqual(days);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const specNamed = (name: string) => (functions as readonly FunctionSpec[]).find((f) => f.name === name)!;
const calendarSpecifier = '#shared/domain/calendar.ts';

it('leaves the working-day calendar out except where access.workingDayCalendar is set; its stand-in has the same exports, each naming the function', async () => {
  for (const spec of functions as readonly FunctionSpec[])
    expect(bundleAliases(spec)[calendarSpecifier], spec.name).toBe(
      spec.access.workingDayCalendar ? undefined : join(repoRoot, 'infra/bundle-shims/absent/calendar.ts'),
    );
  // The same names, so no import of the calendar fails to build in a bundle without it.
  expect(Object.keys(calendarStandIn).sort()).toEqual(Object.keys(calendarModule).sort());
  const before = process.env.AWS_LAMBDA_FUNCTION_NAME;
  process.env.AWS_LAMBDA_FUNCTION_NAME = 'certflow-test-GetCatalogue';
  try {
    const naming =
      /the working-day calendar is not in the bundle of certflow-test-GetCatalogue: .*access\.workingDayCalendar in functions\/function-list\.ts/;
    await expect(calendarStandIn.loadCalendar()).rejects.toThrow(naming);
    await expect(calendarStandIn.loadHolidaySupplementFile('x')).rejects.toThrow(AbsentFromBundleError);
    expect(() => new calendarStandIn.WorkingDayCalendar()).toThrow(naming);
    expect(() => calendarStandIn.defaultCalendar.workingDaysAfter()).toThrow(naming);
    expect(() => calendarStandIn.workingDaysAfter()).toThrow(naming);
  } finally {
    if (before === undefined) delete process.env.AWS_LAMBDA_FUNCTION_NAME;
    else process.env.AWS_LAMBDA_FUNCTION_NAME = before;
  }
});

/**
 * `deps.calendar()` as a Lambda bundle runs it: functions/deps.ts built with the aliases of the function
 * `name` (infra/bundling.ts bundleAliases), run in plain Node with the environment CDK gives it. Returns
 * the bundle's inputs and what the calendar answered (or the error it threw).
 */
async function bundledDepsCalendar(name: string, env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'certflow-calendar-deps-'));
  try {
    const outfile = join(dir, 'probe.mjs');
    const result = await build({
      stdin: {
        contents: `import { buildDeps } from '#functions/deps.ts';
import { configFromEnv } from '#shared/config/config.ts';
const deps = buildDeps({ config: configFromEnv() });
let out;
try {
  const cal = await deps.calendar();
  const after = (at, n) => { const r = cal.workingDaysAfter(new Date(at), n); return [r.deadline.toISOString(), r.provisional]; };
  out = { covered: cal.coveredYears(), newYear2027: cal.isWorkingDay('2027-01-01'), spring2028: after('2028-01-20T02:00:00Z', 10), close2027: after('2026-12-28T02:00:00Z', 5) };
} catch (error) {
  out = { error: error.name, message: error.message };
}
process.stdout.write(JSON.stringify(out));`,
        resolveDir: repoRoot,
        sourcefile: 'calendar-probe.ts',
        loader: 'ts',
      },
      absWorkingDir: repoRoot,
      outfile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: esbuildShared.target,
      mainFields: [...esbuildShared.mainFields],
      banner: { js: esbuildShared.banner },
      alias: bundleAliases(specNamed(name)),
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    const out = JSON.parse(
      execFileSync(process.execPath, [outfile], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'cn-north-1',
          AWS_LAMBDA_FUNCTION_NAME: `certflow-test-${name}`,
          CERTFLOW_TABLE_NAME: 'unused',
          CERTFLOW_STATE_MACHINE_ARN: 'arn:aws:states:cn-north-1:123456789012:stateMachine:unused',
          CERTFLOW_TOKEN_SECRET: 'bundle-check-secret-bundle-check-secret-0123',
          CERTFLOW_RATE_LIMIT: '0',
          ...env,
        },
      }),
    ) as Record<string, unknown>;
    return { inputs, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it('a function that computes deadlines keeps the whole calendar in its bundle: the holiday supplement and the provisional years past it (lunar code)', async () => {
  const supplementFile = join(repoRoot, 'tests/unit/domain/fixtures/holidays-2027-sample.json');
  const { inputs, out } = await bundledDepsCalendar('Escalate', { CERTFLOW_HOLIDAYS_FILE: supplementFile });
  expect(inputs).toContain('shared/domain/calendar.ts');
  expect(inputs).toContain('shared/domain/calendar-data.ts');
  expect(inputs.filter((i) => i.includes('chinese-days'))).toEqual([]);
  // The same answers as the calendar unbundled, with the same supplement (2027 covered by the sample;
  // 2028 provisional: Spring Festival from the lunar conversion).
  const cal = new WorkingDayCalendar([await loadHolidaySupplementFile(supplementFile)]);
  const after = (at: string, n: number) => {
    const r = cal.workingDaysAfter(new Date(at), n);
    return [r.deadline.toISOString(), r.provisional];
  };
  expect(out).toEqual({
    covered: cal.coveredYears(),
    newYear2027: false,
    spring2028: after('2028-01-20T02:00:00Z', 10),
    close2027: after('2026-12-28T02:00:00Z', 5),
  });
  expect(out.spring2028).toEqual([expect.any(String), true]);
  expect(out.covered).toContain(2027);
}, 60_000);

it('a function without the declaration carries none of the calendar: its deps.calendar() rejects naming it', async () => {
  const { inputs, out } = await bundledDepsCalendar('GetCatalogue', {});
  expect(inputs.filter((i) => /chinese-days|shared\/domain\/calendar\.ts/.test(i))).toEqual([]);
  expect(inputs).toContain('infra/bundle-shims/absent/calendar.ts');
  expect(out).toEqual({
    error: 'AbsentFromBundleError',
    message: expect.stringMatching(
      /^the working-day calendar is not in the bundle of certflow-test-GetCatalogue: .*access\.workingDayCalendar/,
    ),
  });
}, 60_000);
