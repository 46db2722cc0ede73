/**
 * The dependencies of every handler, built once per process: clock, store and workflow ports,
 * policy, registry, configuration, logger and metrics. `createHandler(deps)` takes them; `handler`
 * (the Lambda entry) uses `defaultDeps()`, built lazily from the environment on the first invocation.
 * The local stack builds its own with `buildDeps` (its clients, its clock).
 */
import type { BasePersistenceLayer } from '@aws-lambda-powertools/idempotency/persistence';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { withFastConfig } from '#shared/aws/fast-config.ts';
import { type Clock, systemClock } from '#shared/clock.ts';
import { configFromEnv, ENV, type FunctionConfig } from '#shared/config/config.ts';
import { loadCalendar, type WorkingDayCalendar } from '#shared/domain/calendar.ts';
import type { Notifier } from '#shared/domain/notifications.ts';
import { HttpSmsNotifier, noNotifier } from '#shared/notify/http-notifier.ts';
import { type AccountabilityPolicy, accountabilityPolicy } from '#shared/policy/accountability.ts';
import { defaultPolicies, defaultPolicy, type Policy } from '#shared/policy/policy.ts';
import { demoRegistryPath, loadRegistryFile, type PopulationRegistry } from '#shared/registry/registry.ts';
import { noSchedules, type OneTimeSchedules } from '#shared/schedule/port.ts';
import type { AccountabilityStore } from '#shared/store/accountability-port.ts';
import { DynamoAccountabilityStore } from '#shared/store/dynamo-accountability.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { DynamoExchangeStore } from '#shared/store/exchange-store.ts';
import { idempotencyPersistence } from '#shared/store/idempotency.ts';
import type { CertflowStore, ExchangeFeedStore } from '#shared/store/port.ts';
import type { FetchLike } from '#shared/webhooks/delivery.ts';
import type { CertflowWorkflow } from '#shared/workflow/port.ts';
import { SfnWorkflow } from '#shared/workflow/sfn-workflow.ts';
import type { DepartmentDirectory } from './edge/departments.ts';
import { type OriginRequest, OriginVerifier } from './edge/origin-verify.ts';
import { extensionReaderFromEnv, type SecretReader } from './edge/secrets-extension.ts';
import type { StaffDirectory } from './edge/staff.ts';
import { SecretSource } from './edge/token-secret.ts';
import { newTracer } from './edge/tracing.ts';

export interface Deps {
  clock: Clock;
  store: CertflowStore;
  /** Periodic exchange, result feedback and registry checks on the same table (exchange-store.ts). */
  exchange: ExchangeFeedStore;
  /**
   * Powertools' idempotency persistence on the same table (intake's `Idempotency-Key`), made on the first
   * call: only functions with `access.idempotencyKeys` carry Powertools idempotency in their bundle (the
   * others a stand-in that throws when constructed: infra/bundling.ts `optionalPackages`).
   */
  idempotency: () => BasePersistenceLayer;
  /** The certificate-request workflow (Step Functions through `SfnWorkflow`, or a test double). */
  workflow: CertflowWorkflow;
  /**
   * One-time schedules (deadline warnings): EventBridge Scheduler when `CERTFLOW_SCHEDULE_GROUP` is set
   * (its client loaded only by a function that schedules), the local stack's scheduler, or none.
   */
  schedules: OneTimeSchedules;
  /** The complaint workflow (workflows/complaint.ts): executions named after complaints. */
  complaintWorkflow: CertflowWorkflow;
  /** Complaints, accountability records, ratings (the same table, shared/store/accountability-port.ts). */
  accountability: AccountabilityStore;
  /** Complaint kinds, deadlines, limits, rating threshold (shared/policy/accountability.json). */
  accountabilityPolicy: AccountabilityPolicy;
  config: FunctionConfig;
  /** The latest loaded policy version (service standard, notices, connected bodies). */
  policy: Policy;
  /** Every loaded version of the province; a request is decided under the one in force on acceptance. */
  policies: readonly Policy[];
  /** The population registry (loaded once, then shared). */
  registry: () => Promise<PopulationRegistry>;
  /**
   * The working-day calendar of every deadline (rule check, escalation, warnings, complaint deadlines):
   * chinese-days' data plus `CERTFLOW_HOLIDAYS_FILE` when set (shared/domain/calendar.ts `loadCalendar`).
   * Loaded once, then shared. Only functions with `access.workingDayCalendar` (functions/function-list.ts)
   * have it: in the others' bundles, and on the local stack, it rejects with an `AbsentFromBundleError`
   * naming the function and the declaration (infra/bundle-shims/absent/calendar.ts).
   */
  calendar: () => Promise<WorkingDayCalendar>;
  logger: Logger;
  metrics: Metrics;
  /**
   * Powertools Tracer (X-Ray is on for every function in CDK): a subsegment per invocation and per AWS SDK
   * call, in functions with `access.traces` (the others' bundles leave Tracer out: a DisabledTracer). Outside Lambda (local stack, tests) and with POWERTOOLS_TRACE_ENABLED=false it is off, and not even
   * loaded (edge/tracing.ts: a stand-in that behaves as a switched-off Tracer).
   */
  tracer: Tracer;
  /** For outgoing deliveries to department endpoints. */
  fetch: FetchLike;
  random: (bytes: number) => Buffer;
  /**
   * Staff signed in with Cognito (AWS: `CERTFLOW_USER_POOL_ID` set; the staff routes' Lambda entries add
   * it with `staffDeps()` (edge/staff-deps.ts), so only their bundles carry the SSM client and the JWT verifier). Absent on the
   * local stack, whose officers and supervisors use opaque tokens stored hashed in the table.
   */
  staff?: StaffDirectory;
  /** SMS to applicants (`shared/domain/notifications.ts`): SNS, an HTTP gateway, the local outbox, or none. */
  notifier: Notifier;
  /**
   * The connected departments (Secrets Manager through the Parameters and Secrets extension, edge/departments.ts): the
   * Lambda entries that verify or sign department messages add it with `departmentDeps()`; the local
   * stack passes one over its Secrets Manager-compatible service.
   */
  departments?: DepartmentDirectory;
  /**
   * Behind CloudFront on AWS (`CERTFLOW_ORIGIN_VERIFY_ARN`): whether an HTTP request may pass — not on the
   * execute-api domain, or carrying CloudFront's origin header (edge/origin-verify.ts). Absent elsewhere.
   */
  originVerify?: { allows(request: OriginRequest): Promise<boolean> };
}

export const SERVICE_NAME = 'certflow';
export const METRICS_NAMESPACE = 'certflow';

export function memoize<T>(load: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined;
  return () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
}

export interface DepsInput {
  config: FunctionConfig;
  clock?: Clock;
  dynamo?: DynamoDBClient;
  sfn?: SFNClient;
  store?: CertflowStore;
  exchange?: ExchangeFeedStore;
  idempotency?: BasePersistenceLayer;
  workflow?: CertflowWorkflow;
  schedules?: OneTimeSchedules;
  complaintWorkflow?: CertflowWorkflow;
  accountability?: AccountabilityStore;
  accountabilityPolicy?: AccountabilityPolicy;
  policy?: Policy;
  policies?: readonly Policy[];
  registry?: PopulationRegistry | (() => Promise<PopulationRegistry>);
  calendar?: WorkingDayCalendar;
  logger?: Logger;
  metrics?: Metrics;
  tracer?: Tracer;
  fetch?: FetchLike;
  random?: (bytes: number) => Buffer;
  staff?: StaffDirectory;
  notifier?: Notifier;
  departments?: DepartmentDirectory;
}

/**
 * Powertools Metrics' own notices ("no application metrics to publish" on routes that emit none) routed to
 * the function log: warnings at debug, errors as errors. Used by Lambda deps and the local stack's metrics.
 */
export function metricsNotices(logger: Logger) {
  return {
    debug: (...args: unknown[]) => logger.debug(String(args[0])),
    info: (...args: unknown[]) => logger.debug(String(args[0])),
    warn: (...args: unknown[]) => logger.debug(String(args[0])),
    error: (...args: unknown[]) => logger.error(String(args[0])),
  };
}

export function buildDeps(input: DepsInput): Deps {
  const tracer = input.tracer ?? newTracer(SERVICE_NAME);
  // Traced only where tracing is on (in Lambda); elsewhere captureAWSv3Client returns the client as is.
  const dynamo = input.dynamo ?? tracer.captureAWSv3Client(withFastConfig(new DynamoDBClient({})));
  const registry = input.registry;
  const logger = input.logger ?? new Logger({ serviceName: SERVICE_NAME });
  // One Step Functions client for both state machines, made on a workflow's first call (when not given).
  let idempotency: BasePersistenceLayer | undefined = input.idempotency;
  let client: SFNClient | undefined = input.sfn;
  const sfnClient = () => {
    client ??= tracer.captureAWSv3Client(withFastConfig(new SFNClient({})));
    return client;
  };
  return {
    clock: input.clock ?? systemClock,
    store: input.store ?? new DynamoStore(dynamo, input.config.tableName),
    exchange: input.exchange ?? new DynamoExchangeStore(dynamo, input.config.tableName),
    idempotency: () => (idempotency ??= idempotencyPersistence(dynamo, input.config.tableName)),
    workflow: input.workflow ?? new SfnWorkflow(sfnClient, input.config.stateMachineArn),
    complaintWorkflow:
      input.complaintWorkflow ??
      new SfnWorkflow(sfnClient, input.config.complaintStateMachineArn ?? '', 'complaintId'),
    accountability: input.accountability ?? new DynamoAccountabilityStore(dynamo, input.config.tableName),
    accountabilityPolicy: input.accountabilityPolicy ?? accountabilityPolicy,
    schedules: input.schedules ?? schedulesFor(input.config),
    config: input.config,
    policy: input.policy ?? input.policies?.at(-1) ?? defaultPolicy,
    policies: input.policies ?? (input.policy ? [input.policy] : defaultPolicies),
    registry:
      typeof registry === 'function'
        ? memoize(registry)
        : registry
          ? () => Promise.resolve(registry)
          : memoize(() => loadRegistryFile(input.config.registryFile ?? demoRegistryPath)),
    calendar: calendarOf(input),
    logger,
    metrics:
      input.metrics ??
      new Metrics({
        namespace: METRICS_NAMESPACE,
        serviceName: SERVICE_NAME,
        logger: metricsNotices(logger),
      }),
    tracer,
    fetch: input.fetch ?? (globalThis.fetch as unknown as FetchLike),
    random: input.random ?? ((n) => Buffer.from(crypto.getRandomValues(new Uint8Array(n)))),
    ...(input.staff ? { staff: input.staff } : {}),
    notifier: input.notifier ?? notifierFor(input.config),
    ...(input.departments ? { departments: input.departments } : {}),
  };
}

/** EventBridge Scheduler when the config names a schedule group; its client is loaded on first use. */
function schedulesFor(config: FunctionConfig): OneTimeSchedules {
  const target = config.schedules;
  if (!target) return noSchedules;
  const schedules = memoize(async () => {
    // The client through the adapter's module, not the package: see eventbridge-schedules.ts.
    const { SchedulerClient, EventBridgeSchedules } = await import(
      '#shared/schedule/eventbridge-schedules.ts'
    );
    return new EventBridgeSchedules(withFastConfig(new SchedulerClient({})), target);
  });
  return { scheduleOnce: async (s) => (await schedules()).scheduleOnce(s) };
}

/** The notifier `CERTFLOW_SMS_PROVIDER` names; the SNS client is loaded only by a function that sends. */
function notifierFor(config: FunctionConfig): Notifier {
  if (config.smsProvider === 'http' && config.smsGatewayUrl) {
    // The gateway's token from Secrets Manager (the CDK app: CERTFLOW_SMS_GATEWAY_TOKEN_ARN, cached like the
    // token secret), else CERTFLOW_SMS_GATEWAY_TOKEN (tools, tests), else none.
    const tokenId = process.env[ENV.smsGatewayTokenId];
    if (!tokenId) return new HttpSmsNotifier(config.smsGatewayUrl, process.env.CERTFLOW_SMS_GATEWAY_TOKEN);
    const source = onFirstUse((reader) => new SecretSource(reader, tokenId));
    return new HttpSmsNotifier(config.smsGatewayUrl, async () => source().get());
  }
  if (config.smsProvider !== 'sns') return noNotifier;
  const sns = memoize(async () => {
    // The client through the adapter's module, not the package: see sns-notifier.ts.
    const { SNSClient, SnsNotifier } = await import('#shared/notify/sns-notifier.ts');
    return new SnsNotifier(withFastConfig(new SNSClient({})));
  });
  return { send: async (sms) => (await sns()).send(sms) };
}

function calendarOf(input: DepsInput): () => Promise<WorkingDayCalendar> {
  const given = input.calendar;
  if (given) return () => Promise.resolve(given);
  const file = input.config.holidaysFile;
  return memoize(() => loadCalendar(file));
}

/**
 * `make(reader)` on the first call, the same value after; `reader` is the Parameters and Secrets extension's
 * (edge/secrets-extension.ts, no SDK client) at the environment of that call. Nothing is read before then.
 */
function onFirstUse<T>(make: (reader: SecretReader) => T): () => T {
  let made: { value: T } | undefined;
  return () => {
    made ??= { value: make(extensionReaderFromEnv()) };
    return made.value;
  };
}

let defaults: Deps | undefined;
/** The default deps' token secret source (Secrets Manager), where `CERTFLOW_TOKEN_SECRET_ARN` is set. */
let tokenSecretSource: (() => SecretSource) | undefined;

/** The default dependencies (from the environment), built once per process. */
export function defaultDeps(): Deps {
  if (defaults) return defaults;
  const deps = buildDeps({ config: configFromEnv() });
  const secretId = deps.config.tokenSecretId;
  if (secretId) tokenSecretSource = onFirstUse((reader) => new SecretSource(reader, secretId));
  const originSecretId = process.env[ENV.originVerifyId];
  if (originSecretId) {
    const verifier = onFirstUse((reader) => new OriginVerifier(reader, originSecretId));
    deps.originVerify = { allows: async (request) => verifier().allows(request) };
  }
  defaults = deps;
  return deps;
}

/**
 * A Lambda entry that builds its handler (and the default deps) on the first invocation. Where the default
 * deps name a token secret, each invocation first takes its value from the cache of
 * functions/edge/token-secret.ts (fetched on the first invocation and again after the cache's max age).
 */
export function lazyHandler<E, R, C>(build: () => (event: E, context: C) => Promise<R>) {
  let built: ((event: E, context: C) => Promise<R>) | undefined;
  return async (event: E, context: C): Promise<R> => {
    built ??= build();
    if (defaults && tokenSecretSource) await tokenSecretSource().into(defaults.config);
    return built(event, context);
  };
}
