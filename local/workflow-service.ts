/**
 * The local Step Functions service (local/stepfunctions, on its append-only journal) with both state
 * machines registered (certificate-request and complaint), each the definition of workflows/ with each placeholder
 * replaced by the local function name from the registry — the same `substitute` CDK's
 * definitionSubstitutions mirror.
 */
import { existsSync, renameSync, rmSync } from 'node:fs';
import { DeleteTableCommand, DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateStateMachineCommand,
  SFNClient,
  StateMachineAlreadyExists,
  UpdateStateMachineCommand,
} from '@aws-sdk/client-sfn';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { withFastConfig } from '#shared/aws/fast-config.ts';
import type { Clock } from '#shared/clock.ts';
import { LOCAL_PARTITION, PARTITION_PLACEHOLDER } from '#workflows/asl.ts';
import {
  CERTIFICATE_REQUEST_STATE_MACHINE,
  certificateRequestDefinition,
  substitute,
} from '#workflows/certificate-request.ts';
import { COMPLAINT_STATE_MACHINE, complaintDefinition } from '#workflows/complaint.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb.ts';
import { inProcessClientConfig, withoutNetworkMiddleware } from './dynamodb-inprocess.ts';
import { DynamoExecutionStore } from './stepfunctions/dynamo-execution-store.ts';
import type { ExecutionRecord } from './stepfunctions/execution-store.ts';
import { handle } from './stepfunctions/http.ts';
import {
  type EngineLogger,
  JournalExecutionStore,
  type LocalFunction,
  type StepFunctionsEngine,
  startStepFunctionsService,
} from './stepfunctions/index.ts';

export const LOCAL_ACCOUNT = '000000000000';
export const STEP_FUNCTIONS_TABLE = 'certflow-stepfunctions';

export interface WorkflowService {
  url: string;
  client: SFNClient;
  stateMachineArn: string;
  complaintStateMachineArn: string;
  resumed: number;
  end(): Promise<void>;
}

/** Placeholder → local function name, for every workflow step of the registry. */
export function localSubstitutions(): Record<string, string> {
  const map: Record<string, string> = { [PARTITION_PLACEHOLDER]: LOCAL_PARTITION };
  for (const spec of functions as readonly FunctionSpec[])
    if (spec.placeholder) map[spec.placeholder] = spec.name;
  return map;
}

/**
 * A Step Functions client for the local service at `url`. With `engine`, the stack's own client: the
 * SDK's requests go to the service's HTTP API handler in memory (dynamodb-inprocess.ts) instead of over
 * loopback TCP; the HTTP endpoint stays up for tools.
 */
export function localSfnClient(
  url: string,
  inProcess?: { engine: StepFunctionsEngine; logger: EngineLogger },
): SFNClient {
  const client = withFastConfig(
    new SFNClient({
      endpoint: url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 3,
      ...(inProcess
        ? {
            // Middleware chains built once per command type (no per-call options are used).
            cacheMiddleware: true,
            ...inProcessClientConfig((req, res) => {
              void handle(inProcess.engine, req as never, res as never, inProcess.logger);
            }),
          }
        : {}),
    }),
  );
  // Retries stay: the service answers InternalFailure (500) after a reload, which SDK clients retry.
  return inProcess ? withoutNetworkMiddleware(client, { keepRetry: true }) : client;
}

/**
 * Before the journal, the engine kept its state in dynalite (table `certflow-stepfunctions`). A data dir
 * from then is imported once: every state machine, definition and execution (latest record with its
 * snapshot, whole history) is written to `journalFile.import`, fsynced, renamed to `journalFile`; then
 * the old table is deleted. A crash before the rename leaves the table as it was (the next start
 * imports again). Returns how many executions were imported (0: nothing to import).
 */
export async function importDynamoState(dynamo: DynamoDBClient, journalFile: string): Promise<number> {
  if (existsSync(journalFile)) return 0;
  try {
    await dynamo.send(new DescribeTableCommand({ TableName: STEP_FUNCTIONS_TABLE }));
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return 0;
    throw error;
  }
  const from = new DynamoExecutionStore(dynamo, STEP_FUNCTIONS_TABLE);
  const next = `${journalFile}.import`;
  rmSync(next, { force: true });
  const to = new JournalExecutionStore({ file: next });
  await to.init();
  let count = 0;
  const definitions = new Set<string>();
  const copyDefinition = async (id: string) => {
    if (definitions.has(id)) return;
    definitions.add(id);
    const text = await from.getDefinition(id);
    if (text !== undefined) await to.putDefinition(id, text);
  };
  let machines: string | undefined;
  do {
    const page = await from.listStateMachines(100, machines);
    for (const machine of page.items) {
      await to.putStateMachine(machine, 'replace');
      await copyDefinition(machine.definitionId);
      let executions: string | undefined;
      do {
        const list = await from.listExecutions(machine.stateMachineArn, undefined, 100, executions);
        for (const listed of list.items) {
          const record: ExecutionRecord | undefined = await from.loadExecution(listed.executionArn);
          if (!record) continue;
          await copyDefinition(record.definitionId);
          await to.createExecution(record, await from.getHistory(listed.executionArn));
          count++;
        }
        executions = list.nextToken;
      } while (executions);
    }
    machines = page.nextToken;
  } while (machines);
  await to.close(); // fsync
  renameSync(next, journalFile);
  await dynamo.send(new DeleteTableCommand({ TableName: STEP_FUNCTIONS_TABLE })).catch(() => {});
  return count;
}

export async function start(options: {
  port: number;
  clock: Clock;
  dynamo: DynamoDBClient;
  /** The engine's journal; undefined: kept in memory. */
  journalFile?: string;
  functions: (name: string) => LocalFunction | undefined;
  logger?: {
    info(m: string, e?: Record<string, unknown>): void;
    warn(m: string, e?: Record<string, unknown>): void;
    error(m: string, e?: Record<string, unknown>): void;
  };
}): Promise<WorkflowService> {
  if (options.journalFile !== undefined) {
    const imported = await importDynamoState(options.dynamo, options.journalFile);
    if (imported > 0)
      options.logger?.info('stepfunctions: imported the executions kept in dynalite into the journal', {
        imported,
      });
  }
  const service = await startStepFunctionsService({
    host: '127.0.0.1',
    port: options.port,
    storage: {
      kind: 'journal',
      ...(options.journalFile !== undefined ? { file: options.journalFile } : {}),
    },
    clock: options.clock,
    functions: options.functions,
    region: LOCAL_REGION,
    accountId: LOCAL_ACCOUNT,
    ...(options.logger ? { logger: options.logger } : {}),
  });
  const client = localSfnClient(service.url, {
    engine: service.service,
    logger: options.logger ?? { info() {}, warn() {}, error: (m, e) => console.error(m, e) },
  });
  try {
    const stateMachineArn = await register(
      client,
      CERTIFICATE_REQUEST_STATE_MACHINE,
      substitute(certificateRequestDefinition, localSubstitutions()),
    );
    const complaintStateMachineArn = await register(
      client,
      COMPLAINT_STATE_MACHINE,
      substitute(complaintDefinition, localSubstitutions()),
    );
    return {
      url: service.url,
      client,
      stateMachineArn,
      complaintStateMachineArn,
      resumed: service.resumed,
      async end() {
        client.destroy();
        await service.end();
      },
    };
  } catch (error) {
    client.destroy();
    await service.end();
    throw error;
  }
}

/** Creates state machine `name` with `definition`, or updates the one a previous run created; its ARN. */
async function register(client: SFNClient, name: string, definition: string): Promise<string> {
  const roleArn = `arn:aws:iam::${LOCAL_ACCOUNT}:role/certflow-workflow`;
  try {
    const out = await client.send(
      new CreateStateMachineCommand({ name, definition, roleArn, type: 'STANDARD' }),
    );
    return out.stateMachineArn!;
  } catch (error) {
    if (!(error instanceof StateMachineAlreadyExists)) throw error;
    const stateMachineArn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT}:stateMachine:${name}`;
    await client.send(new UpdateStateMachineCommand({ stateMachineArn, definition, roleArn }));
    return stateMachineArn;
  }
}
