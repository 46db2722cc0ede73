/**
 * The local stack: everything of certflow on one machine. `startLocalStack(options)` is what `npm start`
 * (local/main.ts) runs and what the end-to-end and browser tests start in-process.
 *
 * Start-up is one ordered list (below, a comment per step); tear-down runs it in reverse; a failed
 * start stops what had already started and rethrows.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Logger } from '@aws-lambda-powertools/logger';
import type { LogLevel } from '@aws-lambda-powertools/logger/types';
import { buildDeps, type Deps, METRICS_NAMESPACE, metricsNotices, SERVICE_NAME } from '#functions/deps.ts';
import { DepartmentDirectory } from '#functions/edge/departments.ts';
import { oidcAccessTokenVerifier, StaffDirectory } from '#functions/edge/staff.ts';
import { SecretSource } from '#functions/edge/token-secret.ts';
import { type FunctionSpec, functions as functionSpecs } from '#functions/function-list.ts';
import { tableActionsOf } from '#infra/constructs/permissions.ts';
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import type { AdjustableClock, Clock } from '#shared/clock.ts';
import { deadlineAlarms } from '#shared/config/alarms.ts';
import { tokenSecretName } from '#shared/config/config.ts';
import { type DepartmentSecrets, departmentSecretsName } from '#shared/config/departments.ts';
import { loadCalendar } from '#shared/domain/calendar.ts';
import { demoRegistryPath, loadRegistryFile, type PopulationRegistry } from '#shared/registry/registry.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { plainDocumentCalls } from '#shared/store/plain-document.ts';
import { LocalAlarms, RecordingMetrics } from './alarms.ts';
import * as clockService from './clock.ts';
import { DEMO_DOCKING, type DemoCredentials, loadOrCreate, writeJsonAtomic } from './credentials.ts';
import * as departmentsService from './departments.ts';
import * as dynamodbService from './dynamodb.ts';
import { sweepExpired } from './expiry.ts';
import * as functionsService from './functions.ts';
import { createLocalRouter } from './gateway/local-routes.ts';
import { compileRoutes, type Route } from './gateway/routes.ts';
import * as gatewayService from './gateway.ts';
import { guardLeadingKeys } from './key-guard.ts';
import { lockDataDir } from './lock.ts';
import * as oidcService from './oidc.ts';
import { Outbox } from './outbox.ts';
import * as schedulerService from './scheduler.ts';
import * as secretsManagerService from './secretsmanager.ts';
import { putSecret } from './secretsmanager.ts';
import * as workflowService from './workflow-service.ts';

/** The scheduler job of the local TTL stand-in (not a function: local only). */
export const LOCAL_EXPIRY_JOB = 'LocalExpiry';

export interface LocalStackOptions {
  /** API gateway port (0: any free port). Default 4000. */
  port?: number;
  /** Data directory (dynalite's files, clock, credentials, endpoints, inboxes). Default `.certflow`. */
  dataDir?: string;
  /** Keep no data on disk (dynalite in memory). endpoints.json and demo-credentials.json are still written to dataDir if given. */
  inMemory?: boolean;
  /** Population registry file instead of the demo one. */
  registryFile?: string;
  /** Holiday supplement (`{ years, holidays, workdays }`) merged over chinese-days' data for every deadline. */
  holidaysFile?: string;
  /** Adjustable clock and `POST /_local/clock`. */
  testClock?: boolean;
  /** With testClock: where the clock starts (ISO time or epoch ms) if the data dir has no reached time. */
  clockStart?: string | number;
  /** Intake requests a minute per client address; 0 = none. Default 120. */
  rateLimit?: number;
  /** Serve the web pages (local/static-site.ts). Default true. */
  web?: boolean;
  /** Run the scheduler (the sweeper every 5 minutes, and once at start). Default true. */
  scheduler?: boolean;
  /** Log level of the functions (Powertools). Default WARN; SILENT for none. */
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT';
  /** Ports of the embedded DynamoDB and Step Functions (0: any). Default: port+1 and port+2, or 0. */
  dynamodbPort?: number;
  stepFunctionsPort?: number;
  /** The local Secrets Manager's port (default: port + 3; 0 with port 0). */
  secretsManagerPort?: number;
}

export interface Endpoints {
  api: string;
  dynamodb: string;
  stepfunctions: string;
  /** The local OpenID provider's issuer (`${oidc}/.well-known/openid-configuration` answers). */
  oidc: string;
  /** The local Secrets Manager (the departments' document, `certflow/local/department-secrets`). */
  secretsmanager: string;
}

export interface LocalStack {
  url: string;
  endpoints: Endpoints;
  credentials: DemoCredentials;
  credentialsFile: string | undefined;
  dataDir: string | undefined;
  clock: Clock;
  /** The adjustable clock with `testClock`. */
  testClock: AdjustableClock | undefined;
  stateMachineArn: string;
  /** Executions resumed at start (from a previous run on the same data dir). */
  resumed: number;
  deps: Deps;
  /** Runs the deadline sweeper now. */
  sweep(): Promise<unknown>;
  /** Runs the periodic-exchange batch now (as its hourly schedule would). */
  exchangeBatch(): Promise<unknown>;
  /** Runs the local TTL stand-in now (as its hourly schedule would, local/expiry.ts). */
  expireNow(): Promise<unknown>;
  inbox(department: string): departmentsService.InboxMessage[];
  /** The SMS the functions sent (`GET /_local/notifications`). */
  outbox: Outbox;
  /** Makes a demo department's inbox fail (503) or work again. */
  setInboxFailing(department: string, failing: boolean): void;
  /** The partition-key prefixes (`REQ#`…) each function's table calls touched (local/key-guard.ts). */
  leadingKeysUsed: ReadonlyMap<string, ReadonlySet<string>>;
  end(): Promise<void>;
}

/** The departments' secret of the local stack (stage `local`). */
export const LOCAL_DEPARTMENT_SECRETS = departmentSecretsName('local');
/** The token secret of the local stack: local/credentials.ts makes it, the functions read it as on AWS. */
export const LOCAL_TOKEN_SECRET = tokenSecretName('local');

export class StackOptionError extends Error {
  override name = 'StackOptionError';
}

function checkPort(value: number | undefined, name: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0 || value > 65535)) {
    throw new StackOptionError(`${name} must be a whole number from 0 to 65535, got ${value}`);
  }
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const port = options.port ?? 4000;
  checkPort(port, 'port');
  checkPort(options.dynamodbPort, 'dynamodbPort');
  checkPort(options.stepFunctionsPort, 'stepFunctionsPort');
  checkPort(options.secretsManagerPort, 'secretsManagerPort');
  const rateLimit = options.rateLimit ?? 120;
  if (!Number.isInteger(rateLimit) || rateLimit < 0)
    throw new StackOptionError(`rateLimit must be a whole number ≥ 0, got ${rateLimit}`);
  const inMemory = options.inMemory === true;
  const dataDir =
    options.dataDir === undefined ? (inMemory ? undefined : resolve('.certflow')) : resolve(options.dataDir);
  const persist = !inMemory && dataDir !== undefined;
  let clockStartMs: number | undefined;
  if (options.clockStart !== undefined) {
    clockStartMs =
      typeof options.clockStart === 'number' ? options.clockStart : Date.parse(options.clockStart);
    if (!Number.isFinite(clockStartMs))
      throw new StackOptionError(`clockStart is not a time: ${options.clockStart}`);
  }
  // Functions log through Powertools; EMF metrics stay off locally unless asked for.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

  const stops: { name: string; stop: () => Promise<void> }[] = [];
  const stopAll = async () => {
    for (const { stop } of stops.reverse()) await stop().catch(() => undefined);
    stops.length = 0;
  };
  try {
    // 0. One stack per data dir (DIR/certflow.pid): a second start fails naming the pid using it.
    if (persist) stops.push({ name: 'lock', stop: await lockDataDir(dataDir!) });
    // 1. The clock: everything below reads it (adjustable with --test-clock, its time kept in the data dir).
    const clocks = await clockService.start({
      testClock: options.testClock === true,
      ...(persist ? { dataDir } : {}),
      ...(clockStartMs !== undefined ? { initial: clockStartMs } : {}),
    });
    stops.push({ name: 'clock', stop: clocks.end });
    const clock = clocks.clock;

    // 2. The population registry the rules consult (demo registry unless --registry).
    const registryFile = options.registryFile ? resolve(options.registryFile) : demoRegistryPath;
    const registry: PopulationRegistry = await loadRegistryFile(registryFile);
    // The working-day calendar of every deadline: chinese-days' data plus --holidays (checked now, so a
    // bad file stops the start with a CalendarDataError naming the path).
    const holidaysFile = options.holidaysFile ? resolve(options.holidaysFile) : undefined;
    const calendar = await loadCalendar(holidaysFile);

    // 3. DynamoDB: dynalite on loopback, data under DIR/dynamodb (or in memory), the certflow table
    //    created from shared/store/table-definition.ts.
    const basePortOr = (n: number) => (port === 0 ? 0 : port + n);
    const dynamo = await dynamodbService.start({
      ...(persist ? { path: join(dataDir!, 'dynamodb') } : {}),
      port: options.dynamodbPort ?? basePortOr(1),
    });
    stops.push({ name: 'dynamodb', stop: dynamo.end });
    // (stopped just before DynamoDB: the functions' last writes finish first)
    let fns: functionsService.LocalFunctions | undefined;
    stops.push({ name: 'functions', stop: async () => fns?.drain() });
    // The functions' dynamodb:LeadingKeys (access.keys) and table actions (access.table, deletes,
    // batchWrites: infra/constructs/permissions.ts), enforced here as IAM does on AWS; on the client the
    // store and the functions use (rawClient), installed before its first call.
    const specKeys = new Map(
      (functionSpecs as readonly FunctionSpec[]).map((f) => [f.name, f.access.keys] as const),
    );
    const specActions = new Map(
      (functionSpecs as readonly FunctionSpec[]).map((f) => [f.name, tableActionsOf(f.access)] as const),
    );
    const leadingKeys = guardLeadingKeys(
      dynamo.rawClient,
      (name) => specKeys.get(name),
      (name) => specActions.get(name),
    );
    const store = new DynamoStore(dynamo.rawClient, dynamo.tableName);

    // 4. Demo credentials and the stack's secret: created once per data dir, the same after a restart.
    const { credentials, tokenSecret, file: credentialsFile } = await loadOrCreate(dataDir, { persist });

    // 5. The gateway listens now (API routes answer 503 until step 8), so department endpoints are known.
    let routes: Route[] | undefined;
    let scheduler: schedulerService.Scheduler | undefined;
    let inboxes: departmentsService.Inboxes | undefined;
    const outbox = await Outbox.open(() => clock.now(), persist ? dataDir : undefined);
    // The deadline-escalation alarms CDK deploys, evaluated here over the functions' metrics.
    const alarms = await LocalAlarms.open(deadlineAlarms(), clock, persist ? dataDir : undefined);
    let oidc: oidcService.LocalOidc | undefined;
    const localRoute = createLocalRouter({
      clock,
      ...(clocks.adjustable ? { testClock: clocks } : {}),
      openRequests: () => countOpen(store),
      ready: () => routes !== undefined,
      scheduler: () => scheduler,
      inboxes: () => inboxes,
      outbox,
      alarms,
      listDeadLetters: (code) => store.listDeadLetters(code),
      authConfig: () =>
        oidc && {
          issuer: oidc.issuer,
          clientId: oidcService.CONSOLE_CLIENT_ID,
          scope: oidcService.PAGES_SCOPE,
        },
    });
    const staticSite = options.web === false ? undefined : await loadStaticSite();
    const gateway = await gatewayService.start({
      port,
      clock,
      routes: () => routes,
      invoke: (name, event) => fns!.invoke(name, event),
      local: localRoute,
      mounted: (req, res) => oidc?.handle(req, res) ?? false,
      ...(staticSite ? { staticSite } : {}),
      onError: (error) => console.error('gateway error', error),
    });
    stops.push({ name: 'gateway', stop: gateway.end });

    // 6. The OpenID provider at /oidc (the pages' sign-in, local/oidc.ts) with the demo staff; officers
    //    and supervisors in the table (tokens hashed, for scripts and the CLI); departments (below) with
    //    their endpoints the demo inboxes on the gateway; the inboxes themselves.
    const stations = registry.stations().map((s) => s.code);
    oidc = await oidcService.start({
      gatewayUrl: gateway.url,
      accounts: [
        { username: 'demo-officer', password: credentials.officerPassword, group: 'officer', stations },
        {
          username: 'demo-supervisor',
          password: credentials.supervisorPassword,
          group: 'supervisor',
          stations: ['*'],
        },
      ],
      ...(persist ? { dataDir } : {}),
    });
    await store.putPrincipal(sha256Hex(credentials.officerToken), {
      role: 'OFFICER',
      name: 'demo-officer',
      stations,
    });
    await store.putPrincipal(sha256Hex(credentials.registryToken), {
      role: 'REGISTRY',
      name: 'population-registry',
      stations: [],
    });
    await store.putPrincipal(sha256Hex(credentials.supervisorToken), {
      role: 'SUPERVISOR',
      name: 'demo-supervisor',
      stations,
    });
    const secrets: Record<string, string> = {};
    const departments: DepartmentSecrets['departments'] = {};
    for (const [code, { secret }] of Object.entries(credentials.departments)) {
      secrets[code] = secret;
      departments[code] = {
        secrets: [secret],
        endpoint: `${gateway.url}/_local/departments/${code}/inbox`,
        connected: true,
        ...DEMO_DOCKING[code],
      };
    }
    // The departments' document goes to the local Secrets Manager (as `npm run admin` writes it on AWS);
    // the handlers read it through the Parameters and Secrets extension's GET, as on AWS.
    const secretsManager = await secretsManagerService.start({
      port: options.secretsManagerPort ?? basePortOr(3),
      ...(persist ? { file: join(dataDir!, 'secretsmanager.json') } : {}),
    });
    stops.push({ name: 'secretsmanager', stop: secretsManager.end });
    await putSecret(secretsManager.client, LOCAL_DEPARTMENT_SECRETS, JSON.stringify({ departments }));
    // The token secret too: the functions' config gets it through the same SecretSource (the extension's
    // GET on this service) as on AWS.
    await putSecret(secretsManager.client, LOCAL_TOKEN_SECRET, tokenSecret);
    inboxes = await departmentsService.start({
      secrets,
      clock,
      ...(persist ? { dir: join(dataDir!, 'inbox') } : {}),
    });

    // 7. Step Functions: the durable local service on its append-only journal (DIR/stepfunctions.jsonl,
    //    or in memory), the workflow registered; executions of a previous run resume now, their steps
    //    waiting for step 8. A data dir from before the journal is imported from dynalite once.
    let markReady!: () => void;
    const ready = new Promise<void>((r) => {
      markReady = r;
    });
    const known = new Set((functionSpecs as readonly FunctionSpec[]).map((f) => f.name));
    const workflow = await workflowService.start({
      port: options.stepFunctionsPort ?? basePortOr(2),
      clock,
      dynamo: dynamo.rawClient,
      ...(persist ? { journalFile: join(dataDir!, 'stepfunctions.jsonl') } : {}),
      functions: (name) =>
        known.has(name)
          ? async (event) => {
              await ready;
              return fns!.invoke(name, event);
            }
          : undefined,
    });
    stops.push({ name: 'stepfunctions', stop: workflow.end });

    // 8. The functions, built once with the stack's deps; from now on routes and workflow steps run.
    const logLevel = options.logLevel ?? 'WARN';
    const functionLogger = new Logger({ serviceName: SERVICE_NAME, logLevel: logLevel as LogLevel });
    const deps = buildDeps({
      config: {
        tableName: dynamo.tableName,
        stateMachineArn: workflow.stateMachineArn,
        complaintStateMachineArn: workflow.complaintStateMachineArn,
        tokenSecret: await new SecretSource(secretsManager.extension, LOCAL_TOKEN_SECRET).get(),
        rateLimitPerMinute: rateLimit,
        registryFile,
        publicBaseUrl: '',
        holidaysFile,
      },
      clock,
      dynamo: dynamo.rawClient,
      sfn: workflow.client,
      store,
      // One-time schedules on the stack's scheduler (step 9, started before any workflow step runs).
      schedules: {
        scheduleOnce: async (schedule) => {
          if (!scheduler) throw new Error('the local scheduler has not started');
          await scheduler.scheduleOnce(schedule);
        },
      },
      registry,
      calendar,
      notifier: outbox,
      logger: functionLogger,
      // Powertools' own notices ("No application metrics to publish") go to the log at debug, as on AWS.
      metrics: new RecordingMetrics(
        { namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME, logger: metricsNotices(functionLogger) },
        alarms,
      ),
      // Staff JWTs of the local provider, verified as on AWS (JWKS from its discovery document); the
      // stations are the token's own claim, so no officer settings are needed.
      staff: new StaffDirectory(
        oidcAccessTokenVerifier({
          issuer: oidc.issuer,
          clientId: oidcService.CONSOLE_CLIENT_ID,
          audience: oidcService.STAFF_API_AUDIENCE,
        }),
        async () => [],
      ),
      departments: new DepartmentDirectory(secretsManager.extension, LOCAL_DEPARTMENT_SECRETS),
    });
    fns = await functionsService.start(deps);
    routes = compileRoutes(functionSpecs);

    // 9. The scheduler: the sweeper every 5 minutes and the exchange batch every hour on the stack's clock,
    //    and each once now (repairs; re-delivers a batch a crash left unacknowledged); the one-time
    //    schedules (deadline warnings) on the same clock, kept in DIR/schedules.json. Started before the
    //    workflow steps run, since DispatchInvestigation schedules through it.
    const jobs = (functionSpecs as readonly FunctionSpec[]).flatMap((f) =>
      f.trigger.kind === 'schedule' ? [{ name: f.name, everyMinutes: f.trigger.everyMinutes }] : [],
    );
    const onceTarget = (functionSpecs as readonly FunctionSpec[]).find(
      (f) => f.trigger.kind === 'oneTimeSchedule',
    )?.name;
    // The local stand-in for DynamoDB TTL (local/expiry.ts): expired items deleted every hour.
    const expiryJob = { name: LOCAL_EXPIRY_JOB, everyMinutes: 60 };
    const expiryDoc = plainDocumentCalls(dynamo.client);
    scheduler = await schedulerService.start({
      clock,
      jobs: options.scheduler === false ? [] : [...jobs, expiryJob],
      invoke: (name, event) =>
        name === LOCAL_EXPIRY_JOB
          ? sweepExpired(expiryDoc, dynamo.tableName, clock.now(), Date.now())
          : fns!.invoke(
              name,
              event ?? { source: 'local.scheduler', time: new Date(clock.now()).toISOString() },
            ),
      onError: (name, error) => console.error(`scheduled ${name} failed`, error),
      runAtStart: true,
      ...(onceTarget ? { onceTarget } : {}),
      ...(persist ? { file: join(dataDir!, 'schedules.json') } : {}),
    });
    stops.push({ name: 'scheduler', stop: () => scheduler!.end() });
    markReady();

    // 10. endpoints.json for tools (the CLI, the AWS CLI, tests).
    const endpoints: Endpoints = {
      api: gateway.url,
      dynamodb: dynamo.url,
      stepfunctions: workflow.url,
      oidc: oidc.issuer,
      secretsmanager: secretsManager.url,
    };
    if (dataDir) {
      await mkdir(dataDir, { recursive: true });
      await writeJsonAtomic(join(dataDir, 'endpoints.json'), endpoints);
    }

    return {
      url: gateway.url,
      endpoints,
      credentials,
      credentialsFile,
      dataDir,
      clock,
      testClock: clocks.adjustable,
      stateMachineArn: workflow.stateMachineArn,
      resumed: workflow.resumed,
      deps,
      // What is due now: the one-time schedules (warnings), then the reconciliation sweep.
      sweep: async () => {
        await scheduler!.drainDue();
        return scheduler!.runNow('DeadlineSweeper');
      },
      exchangeBatch: () => scheduler!.runNow('ExchangeBatch'),
      expireNow: () => scheduler!.runNow(LOCAL_EXPIRY_JOB),
      inbox: (code) => inboxes?.list(code) ?? [],
      outbox,
      setInboxFailing: (code, failing) => {
        if (failing) inboxes?.failing.add(code);
        else inboxes?.failing.delete(code);
      },
      leadingKeysUsed: leadingKeys.used,
      end: async () => {
        // For deriving access.keys (a developer's aid): the prefixes each function touched, appended.
        const record = process.env.CERTFLOW_RECORD_LEADING_KEYS;
        if (record) {
          const { appendFile } = await import('node:fs/promises');
          const lines = [...leadingKeys.used].flatMap(([fn, keys]) => [...keys].map((k) => `${fn}\t${k}\n`));
          await appendFile(record, lines.join(''));
        }
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    const e = error as NodeJS.ErrnoException & { port?: number };
    if (e.code === 'EADDRINUSE') {
      // Name the port that was asked for (the stack also needs the three after it), not an inner one.
      throw new StackOptionError(
        `port ${port} or one after it is in use (the stack listens on ${port} for the API` +
          `${port === 0 ? '' : `, ${options.dynamodbPort ?? port + 1} for DynamoDB, ${options.stepFunctionsPort ?? port + 2} for Step Functions and ${options.secretsManagerPort ?? port + 3} for Secrets Manager`}` +
          `; ${e.port ?? '?'} is taken): start with --port N to use another`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** Open requests (not final), at most a few counted: the clock may go backwards only when there are none. */
async function countOpen(store: DynamoStore): Promise<number> {
  let open = 0;
  for (const status of ['RECEIVED', 'CHECKING', 'INVESTIGATING', 'ESCALATED'] as const)
    open += (await store.listStatusEntries(status, { limit: 10 })).items.length;
  return open;
}

async function loadStaticSite() {
  try {
    const mod = (await import('./static-site.ts')) as typeof import('./static-site.ts');
    return mod.createStaticSite();
  } catch (error) {
    console.warn('web pages not served:', (error as Error).message);
    return undefined;
  }
}
