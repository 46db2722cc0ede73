/**
 * `npm run admin -- [options] <command>`: operator commands against a deployed stage, with the operator's
 * AWS credentials. Departments (secrets, endpoint, connection) live in the stage's Secrets Manager secret
 * `certflow/<stage>/department-secrets` (shared/config/departments.ts), which the handlers read through
 * the Parameters and Secrets extension; staff tokens in the table, through the same store as the handlers.
 *
 *   department add CODE --endpoint URL [--not-connected]   a new department; prints its secret once
 *   department rotate CODE                                   a new secret, signing from now on; the old
 *                                                            one is still accepted; prints the new one once
 *   department retire-old CODE                               keep only the newest secret
 *   department show CODE                                     endpoint, connected, number of secrets
 *   staff add --role OFFICER|SUPERVISOR --name NAME --stations CODE,CODE|*
 *   staff add --role REGISTRY --name NAME   the registry system's token for its change feed
 *                                                            a staff token (stored hashed); prints it once
 *   counters recount                                         rebuild the metrics counters from the
 *                                                            requests (a table from before the counters)
 *
 * Global options: --stage NAME (default dev) → table certflow-NAME-certflow and secret
 * certflow/NAME/department-secrets; --table NAME; --secret-id ID; --region REGION (default AWS_REGION);
 * --endpoint-url URL (another DynamoDB endpoint, e.g. the local stack's); --secrets-endpoint-url URL
 * (another Secrets Manager endpoint, e.g. the local stack's); --json; --help; --version. Strict parsing
 * (shared/cli.ts): an unknown option or command is a usage error (exit 2) before anything is touched.
 * Secrets and tokens are printed once and never stored in clear.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { type CliSpec, type CommandSpec, runCli, UsageError } from '#shared/cli.ts';
import {
  DEPARTMENT_CODE,
  type DepartmentConfig,
  type DepartmentSecrets,
  DepartmentSecretsError,
  departmentOf,
  departmentSecretsName,
  MAX_DEPARTMENT_SECRETS,
  parseDepartmentSecrets,
} from '#shared/config/departments.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { Principal } from '#shared/store/model.ts';
import type { CertflowStore } from '#shared/store/port.ts';
import { type ReindexReport, reindexStatusIndex } from '#shared/store/reindex.ts';
import { certflowTable } from '#shared/store/table-definition.ts';
import { generateSecret } from '#shared/webhooks/signature.ts';
import { recountCounters } from './recount.ts';

export class AdminError extends Error {
  override name = 'AdminError';
}

const STATION_CODE = /^[A-Za-z0-9_-]{1,40}$/;

/** Where the departments' document is read and written (Secrets Manager; tests may pass their own). */
export interface DepartmentSecretsStore {
  read(): Promise<DepartmentSecrets>;
  write(document: DepartmentSecrets): Promise<void>;
}

/** The document in the Secrets Manager secret `secretId` (GetSecretValue / PutSecretValue). */
export function secretsManagerDepartments(
  client: SecretsManagerClient,
  secretId: string,
): DepartmentSecretsStore {
  return {
    async read() {
      const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
      if (out.SecretString === undefined) throw new AdminError(`${secretId} has no SecretString`);
      return parseDepartmentSecrets(out.SecretString, secretId);
    },
    async write(document) {
      await client.send(
        new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(document) }),
      );
    },
  };
}

async function save(store: DepartmentSecretsStore, config: DepartmentConfig): Promise<void> {
  const document = await store.read();
  const { code, ...entry } = config;
  await store.write({ departments: { ...document.departments, [code]: entry } });
}

/** The table of a stage, as the stateful stack names it. */
export function tableNameFor(stage: string): string {
  return `certflow-${stage}-${certflowTable.logicalName}`;
}

function checkCode(code: string | undefined): string {
  if (code === undefined || !DEPARTMENT_CODE.test(code)) {
    throw new AdminError(
      `department code: upper-case letters and "_" (e.g. NOTARY), got ${JSON.stringify(code)}`,
    );
  }
  return code;
}

async function existing(store: DepartmentSecretsStore, code: string): Promise<DepartmentConfig> {
  const config = departmentOf(await store.read(), checkCode(code));
  if (!config) throw new AdminError(`department ${code} does not exist (add it first)`);
  return config;
}

export async function addDepartment(
  store: DepartmentSecretsStore,
  code: string,
  options: { endpoint?: string; connected: boolean },
  newSecret: () => string = generateSecret,
): Promise<{ secret: string }> {
  checkCode(code);
  if (options.endpoint !== undefined && !/^https:\/\/\S+$/.test(options.endpoint)) {
    throw new AdminError(`--endpoint: an https:// URL, got ${JSON.stringify(options.endpoint)}`);
  }
  if (departmentOf(await store.read(), code))
    throw new AdminError(`department ${code} exists (rotate its secret instead)`);
  const secret = newSecret();
  await save(store, {
    code,
    secrets: [secret],
    connected: options.connected,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return { secret };
}

/**
 * Step 1 of a rotation: the new secret goes first (certflow signs with the first) and the previous ones
 * stay (certflow accepts a message signed with any), so the department can switch at its own pace.
 */
export async function rotateDepartment(
  store: DepartmentSecretsStore,
  code: string,
  newSecret: () => string = generateSecret,
): Promise<{ secret: string; accepted: number }> {
  const config = await existing(store, code);
  const secret = newSecret();
  const secrets = [secret, ...config.secrets].slice(0, MAX_DEPARTMENT_SECRETS);
  await save(store, { ...config, secrets });
  return { secret, accepted: secrets.length };
}

/** Last step of a rotation, once the department signs with the new secret: only the newest remains. */
export async function retireOldSecrets(
  store: DepartmentSecretsStore,
  code: string,
): Promise<{ retired: number }> {
  const config = await existing(store, code);
  const [newest] = config.secrets;
  if (newest === undefined) throw new AdminError(`department ${code} has no secret`);
  await save(store, { ...config, secrets: [newest] });
  return { retired: config.secrets.length - 1 };
}

export async function showDepartment(
  store: DepartmentSecretsStore,
  code: string,
): Promise<{ code: string; endpoint?: string; connected: boolean; secrets: number }> {
  const config = await existing(store, code);
  return {
    code: config.code,
    connected: config.connected,
    secrets: config.secrets.length,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
  };
}

export async function addStaff(
  store: CertflowStore,
  principal: { role: string | undefined; name: string | undefined; stations: string | undefined },
  random: (bytes: number) => Buffer = randomBytes,
): Promise<{ token: string }> {
  const role = principal.role?.toUpperCase();
  if (role !== 'OFFICER' && role !== 'SUPERVISOR' && role !== 'REGISTRY') {
    throw new AdminError(`--role: OFFICER, SUPERVISOR or REGISTRY, got ${JSON.stringify(principal.role)}`);
  }
  if (!principal.name || !/^[\p{L}\p{N}._-]{1,64}$/u.test(principal.name)) {
    throw new AdminError(
      `--name: 1 to 64 letters, digits, ".", "_" or "-", got ${JSON.stringify(principal.name)}`,
    );
  }
  // REGISTRY: the population registry's own system (POST /v1/registry/changes); it acts for no station.
  const stations = (role === 'REGISTRY' ? '*' : (principal.stations ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (stations.length === 0 || stations.some((s) => s !== '*' && !STATION_CODE.test(s))) {
    throw new AdminError(
      `--stations: station codes separated by "," (or *), got ${JSON.stringify(principal.stations)}`,
    );
  }
  const token = `${role.toLowerCase()}_${random(24).toString('base64url')}`;
  const record: Principal = { role, name: principal.name, stations: role === 'REGISTRY' ? [] : stations };
  await store.putPrincipal(sha256Hex(token), record);
  return { token };
}

export interface AdminContext {
  store: CertflowStore;
  /** Issue 18's one-off migration of the status index (shared/store/reindex.ts). */
  reindex(): Promise<ReindexReport>;
  departments: DepartmentSecretsStore;
  /** Rebuilds the metrics counters from the requests (infra/recount.ts). */
  recount(): ReturnType<typeof recountCounters>;
  close(): void;
}

type Values = Readonly<Record<string, string | boolean | undefined>>;
const text = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined);
const STAGE = /^[a-z][a-z0-9-]{0,19}$/;

const commands: readonly CommandSpec<AdminContext>[] = [
  {
    words: ['department', 'add'],
    args: ['CODE'],
    options: ['endpoint', 'not-connected'],
    summary: 'a new department; prints its secret once',
    async run(ctx, { args: [code = ''], values }) {
      const { secret } = await addDepartment(ctx.departments, code, {
        endpoint: text(values.endpoint),
        connected: values['not-connected'] !== true,
      });
      return {
        lines: [
          `department ${code} added; its secret (shown once, give it to the department securely):`,
          secret,
        ],
        json: { department: code, secret },
      };
    },
  },
  {
    words: ['department', 'rotate'],
    args: ['CODE'],
    options: [],
    summary: 'a new secret signs from now on; the old ones are still accepted; prints it once',
    async run(ctx, { args: [code = ''] }) {
      const { secret, accepted } = await rotateDepartment(ctx.departments, code);
      return {
        lines: [
          `department ${code}: new secret signs from now on; ${accepted} secrets accepted until retire-old:`,
          secret,
        ],
        json: { department: code, secret, accepted },
      };
    },
  },
  {
    words: ['department', 'retire-old'],
    args: ['CODE'],
    options: [],
    summary: 'keep only the newest secret',
    async run(ctx, { args: [code = ''] }) {
      const { retired } = await retireOldSecrets(ctx.departments, code);
      return {
        lines: [`department ${code}: ${retired} old secret(s) retired`],
        json: { department: code, retired },
      };
    },
  },
  {
    words: ['department', 'show'],
    args: ['CODE'],
    options: [],
    summary: 'endpoint, connection and number of secrets (never the secrets)',
    async run(ctx, { args: [code = ''] }) {
      const shown = await showDepartment(ctx.departments, code);
      return {
        lines: [
          `department ${shown.code}: ${shown.connected ? 'connected' : 'not connected'}, ${shown.secrets} secret(s) accepted, endpoint ${shown.endpoint ?? '(none)'}`,
        ],
        json: shown,
      };
    },
  },
  {
    words: ['reindex'],
    args: [],
    options: [],
    summary:
      'once after upgrading to the sharded status index: open requests to their shard, final requests, ratings and concluded complaints out of it, all counted (safe to re-run)',
    async run(ctx) {
      const report = await ctx.reindex();
      return {
        lines: [
          `status index: ${report.moved} open requests moved to their shard, ${report.removed} final requests and ${report.ratings} ratings taken out (counted); ${report.complaints} complaints moved (concluded ones out) and counted`,
        ],
        json: report,
      };
    },
  },
  {
    words: ['staff', 'add'],
    args: [],
    options: ['role', 'name', 'stations'],
    summary: 'a staff token (stored hashed); prints it once',
    async run(ctx, { values }) {
      const { token } = await addStaff(ctx.store, {
        role: text(values.role),
        name: text(values.name),
        stations: text(values.stations),
      });
      const role = text(values.role)?.toLowerCase();
      return {
        lines: [`${role} ${text(values.name)} added; token (shown once):`, token],
        json: { role, name: text(values.name), token },
      };
    },
  },
  {
    words: ['counters', 'recount'],
    args: [],
    options: [],
    summary: 'rebuild the metrics counters from the requests (a table from before the counters; one Scan)',
    async run(ctx) {
      const done = await ctx.recount();
      return {
        lines: [
          `counters recounted from ${done.requests} request(s): ${done.shards} status shard(s), ${done.hours} hour bucket(s) written, ${done.zeroed} stale bucket(s) zeroed`,
        ],
        json: done,
      };
    },
  },
];

/** The store and the departments' secret the global options name (`--stage`, `--table`, …). */
export function contextFor(values: Values): AdminContext {
  const stage = text(values.stage) ?? 'dev';
  if (!STAGE.test(stage))
    throw new UsageError(
      `--stage: lower-case letters, digits and "-" (e.g. prod), got ${JSON.stringify(stage)}`,
    );
  const region = text(values.region) ?? process.env.AWS_REGION;
  const endpoint = text(values['endpoint-url']);
  const secretsEndpoint = text(values['secrets-endpoint-url']);
  const client = new DynamoDBClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const secrets = new SecretsManagerClient({
    ...(region ? { region } : {}),
    ...(secretsEndpoint ? { endpoint: secretsEndpoint } : {}),
  });
  const table = text(values.table) ?? tableNameFor(stage);
  return {
    store: new DynamoStore(client, table),
    reindex: () => reindexStatusIndex(client, table),
    recount: () => recountCounters(client, table),
    departments: secretsManagerDepartments(
      secrets,
      text(values['secret-id']) ?? departmentSecretsName(stage),
    ),
    close() {
      client.destroy();
      secrets.destroy();
    },
  };
}

export const adminCli: CliSpec<AdminContext> = {
  name: 'admin',
  invocation: 'npm run admin --',
  description:
    'Operator commands against a deployed stage (departments in Secrets Manager, staff tokens in the table), with your AWS credentials.',
  globalOptions: {
    stage: { type: 'string', value: 'NAME', help: 'the stage (default dev): table certflow-NAME-certflow' },
    table: { type: 'string', value: 'NAME', help: 'another table name' },
    'secret-id': {
      type: 'string',
      value: 'ID',
      help: "the departments' secret (default certflow/STAGE/department-secrets)",
    },
    region: { type: 'string', value: 'REGION', help: 'AWS region (default AWS_REGION)' },
    'endpoint-url': { type: 'string', value: 'URL', help: "another DynamoDB endpoint (the local stack's)" },
    'secrets-endpoint-url': {
      type: 'string',
      value: 'URL',
      help: "another Secrets Manager endpoint (the local stack's)",
    },
  },
  commandOptions: {
    endpoint: { type: 'string', value: 'URL', help: "the department's https:// endpoint" },
    'not-connected': { type: 'boolean', help: 'the department takes no part in exchange' },
    role: {
      type: 'string',
      value: 'OFFICER|SUPERVISOR|REGISTRY',
      help: "the staff role (REGISTRY: the registry system's change feed, no stations)",
    },
    name: { type: 'string', value: 'NAME', help: 'the staff member (letters, digits, . _ -)' },
    stations: { type: 'string', value: 'CODE,CODE|*', help: 'the stations they act for' },
  },
  commands,
  context: contextFor,
  close: (ctx) => ctx.close(),
  expected: (error) =>
    error instanceof AdminError ||
    error instanceof DepartmentSecretsError ||
    // The AWS SDK's service and credential errors: their message says what is wrong.
    (error instanceof Error &&
      ('$metadata' in error ||
        error.name === 'CredentialsProviderError' ||
        error.name === 'ResourceNotFoundException')),
};

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await runCli(adminCli, process.argv.slice(2));
}
