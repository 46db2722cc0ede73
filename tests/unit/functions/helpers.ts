/**
 * Deps and events for handler unit tests: `memoryDeps` with the in-memory store and workflow doubles
 * (tests/helpers) for outcomes; `testDeps` over real SDK clients for the tests that mock them with
 * aws-sdk-client-mock (the adapters' own behaviour: throttling, conditional failures).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { buildDeps, type Deps } from '#functions/deps.ts';
import { buildDemoRegistry } from '#local/demo/demo-people.ts';
import { lambdaContext } from '#local/functions.ts';
import { toPayloadV2 } from '#local/gateway/request-event.ts';
import { AdjustableClock } from '#shared/clock.ts';
import { parseRegistry } from '#shared/registry/registry.ts';
import { InMemoryStore } from '#tests/helpers/in-memory-store.ts';
import { InMemoryWorkflow } from '#tests/helpers/in-memory-workflow.ts';

export const STATE_MACHINE = 'arn:aws:states:cn-north-1:000000000000:stateMachine:certificate-request';

/**
 * A stored request waiting for its investigation at station CC-YHL, due at the end of Monday 30 November
 * (Beijing); no warnAt and no task token (add `taskToken` for one the workflow waits on).
 */
export const waitingRecord = {
  requestId: 'R1',
  version: 4,
  status: 'INVESTIGATING',
  proof: 'KINSHIP',
  input: {},
  accessTokenHash: 'h',
  acceptedAt: '2026-11-23T02:00:00.000Z',
  updatedAt: '2026-11-23T02:00:00.000Z',
  escalationLevel: 0,
  station: 'CC-YHL',
  deadline: '2026-11-30T15:59:59.999Z',
  executionName: 'R1',
  lastEvent: { seq: 4, at: 't', type: 'DISPATCHED', actor: 'system', detail: {} },
};

export function testDeps(overrides: Partial<Deps> = {}): Deps & { clock: AdjustableClock } {
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  const clock = new AdjustableClock(Date.parse('2026-11-23T02:00:00.000Z') - Date.now());
  const deps = buildDeps({
    config: {
      tableName: 'certflow',
      stateMachineArn: STATE_MACHINE,
      tokenSecret: 'x'.repeat(40),
      rateLimitPerMinute: 0,
      registryFile: undefined,
      publicBaseUrl: '',
    },
    clock,
    dynamo: new DynamoDBClient({
      region: 'cn-north-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    }),
    sfn: new SFNClient({ region: 'cn-north-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } }),
    registry: parseRegistry(buildDemoRegistry()),
    logger: new Logger({ serviceName: 'certflow-test', logLevel: 'SILENT' }),
  });
  return Object.assign(deps, overrides, { clock });
}

/** `testDeps` with the in-memory store and workflow (read them back as `deps.store`, `deps.workflow`). */
export function memoryDeps(
  overrides: Partial<Deps> = {},
): Deps & { clock: AdjustableClock; store: InMemoryStore; workflow: InMemoryWorkflow } {
  const store = new InMemoryStore();
  const workflow = new InMemoryWorkflow();
  return Object.assign(testDeps(overrides), { store, workflow });
}

export function httpEvent(
  method: string,
  path: string,
  routeKey: string,
  options: { body?: unknown; headers?: Record<string, string>; pathParameters?: Record<string, string> } = {},
) {
  const body = options.body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(options.body));
  return toPayloadV2(
    {
      method,
      url: path,
      headers: { 'content-type': 'application/json', ...options.headers },
      body,
      sourceIp: '127.0.0.1',
      now: Date.now(),
    },
    { routeKey, ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}) },
  );
}

export const context = (name = 'Test') => lambdaContext(name, 30_000);

export function awsError(name: string, message = name): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { $metadata: {}, $fault: 'client' });
}
