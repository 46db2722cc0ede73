/**
 * `npm run admin -- [options] <command>`: operator commands against a deployed stage, through the same
 * store the handlers use (shared/store), with the operator's AWS credentials.
 *
 *   department add CODE --endpoint URL [--not-connected]   a new department; prints its secret once
 *   department rotate CODE                                   a new secret, signing from now on; the old
 *                                                            one is still accepted; prints the new one once
 *   department retire-old CODE                               keep only the newest secret
 *   department show CODE                                     endpoint, connected, number of secrets
 *   staff add --role OFFICER|SUPERVISOR --name NAME --stations CODE,CODE|*
 *                                                            a staff token (stored hashed); prints it once
 *
 * Options: --stage NAME (default dev) → table certflow-NAME-certflow; --table NAME; --region REGION
 * (default AWS_REGION); --endpoint-url URL (another DynamoDB endpoint, e.g. the local stack's).
 * Secrets and tokens are printed once and never stored in clear.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import type { DepartmentConfig, Principal } from '#shared/store/model.ts';
import type { CertflowStore } from '#shared/store/port.ts';
import { certflowTable } from '#shared/store/table-definition.ts';
import { generateSecret } from '#shared/webhooks/signature.ts';

export class AdminError extends Error {
  override name = 'AdminError';
}

const DEPARTMENT_CODE = /^[A-Z][A-Z_]{1,39}$/;
const STATION_CODE = /^[A-Za-z0-9_-]{1,40}$/;

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

async function existing(store: CertflowStore, code: string): Promise<DepartmentConfig> {
  const config = await store.getDepartment(checkCode(code));
  if (!config) throw new AdminError(`department ${code} does not exist (add it first)`);
  return config;
}

export async function addDepartment(
  store: CertflowStore,
  code: string,
  options: { endpoint?: string; connected: boolean },
  newSecret: () => string = generateSecret,
): Promise<{ secret: string }> {
  checkCode(code);
  if (options.endpoint !== undefined && !/^https:\/\/\S+$/.test(options.endpoint)) {
    throw new AdminError(`--endpoint: an https:// URL, got ${JSON.stringify(options.endpoint)}`);
  }
  if (await store.getDepartment(code))
    throw new AdminError(`department ${code} exists (rotate its secret instead)`);
  const secret = newSecret();
  await store.putDepartment({
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
  store: CertflowStore,
  code: string,
  newSecret: () => string = generateSecret,
): Promise<{ secret: string; accepted: number }> {
  const config = await existing(store, code);
  const secret = newSecret();
  const secrets = [secret, ...config.secrets].slice(0, 3);
  await store.putDepartment({ ...config, secrets });
  return { secret, accepted: secrets.length };
}

/** Last step of a rotation, once the department signs with the new secret: only the newest remains. */
export async function retireOldSecrets(store: CertflowStore, code: string): Promise<{ retired: number }> {
  const config = await existing(store, code);
  const [newest] = config.secrets;
  if (newest === undefined) throw new AdminError(`department ${code} has no secret`);
  await store.putDepartment({ ...config, secrets: [newest] });
  return { retired: config.secrets.length - 1 };
}

export async function showDepartment(
  store: CertflowStore,
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
  if (role !== 'OFFICER' && role !== 'SUPERVISOR') {
    throw new AdminError(`--role: OFFICER or SUPERVISOR, got ${JSON.stringify(principal.role)}`);
  }
  if (!principal.name || !/^[\p{L}\p{N}._-]{1,64}$/u.test(principal.name)) {
    throw new AdminError(
      `--name: 1 to 64 letters, digits, ".", "_" or "-", got ${JSON.stringify(principal.name)}`,
    );
  }
  const stations = (principal.stations ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (stations.length === 0 || stations.some((s) => s !== '*' && !STATION_CODE.test(s))) {
    throw new AdminError(
      `--stations: station codes separated by "," (or *), got ${JSON.stringify(principal.stations)}`,
    );
  }
  const token = `${role.toLowerCase()}_${random(24).toString('base64url')}`;
  const record: Principal = { role, name: principal.name, stations };
  await store.putPrincipal(sha256Hex(token), record);
  return { token };
}

export interface ParsedArgs {
  readonly positional: string[];
  readonly options: Record<string, string | true>;
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const name = arg.slice(2);
    const next = argv[i + 1];
    if (name === 'not-connected') options[name] = true;
    else if (next === undefined || next.startsWith('--')) throw new AdminError(`--${name} needs a value`);
    else {
      options[name] = next;
      i++;
    }
  }
  return { positional, options };
}

const text = (v: string | true | undefined) => (typeof v === 'string' ? v : undefined);

/** Runs one command over `store`; returns the lines to print. */
export async function run(store: CertflowStore, args: ParsedArgs): Promise<string[]> {
  const [area, command, code] = args.positional;
  const o = args.options;
  if (area === 'department' && command === 'add') {
    const { secret } = await addDepartment(store, code ?? '', {
      endpoint: text(o.endpoint),
      connected: o['not-connected'] !== true,
    });
    return [`department ${code} added; its secret (shown once, give it to the department securely):`, secret];
  }
  if (area === 'department' && command === 'rotate') {
    const { secret, accepted } = await rotateDepartment(store, code ?? '');
    return [
      `department ${code}: new secret signs from now on; ${accepted} secrets accepted until retire-old:`,
      secret,
    ];
  }
  if (area === 'department' && command === 'retire-old') {
    const { retired } = await retireOldSecrets(store, code ?? '');
    return [`department ${code}: ${retired} old secret(s) retired`];
  }
  if (area === 'department' && command === 'show') {
    return [JSON.stringify(await showDepartment(store, code ?? ''))];
  }
  if (area === 'staff' && command === 'add') {
    const { token } = await addStaff(store, {
      role: text(o.role),
      name: text(o.name),
      stations: text(o.stations),
    });
    return [`${text(o.role)?.toLowerCase()} ${text(o.name)} added; token (shown once):`, token];
  }
  throw new AdminError(
    'usage: department add CODE --endpoint URL [--not-connected] | department rotate CODE | ' +
      'department retire-old CODE | department show CODE | ' +
      'staff add --role OFFICER|SUPERVISOR --name NAME --stations CODE,CODE',
  );
}

export function storeFor(options: Record<string, string | true>): {
  store: CertflowStore;
  client: DynamoDBClient;
} {
  const region = text(options.region) ?? process.env.AWS_REGION;
  const endpoint = text(options['endpoint-url']);
  const client = new DynamoDBClient({
    ...(region ? { region } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const table = text(options.table) ?? tableNameFor(text(options.stage) ?? 'dev');
  return { store: new DynamoStore(client, table), client };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { store, client } = storeFor(args.options);
  try {
    for (const line of await run(store, args)) console.log(line);
  } finally {
    client.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  main().catch((error: unknown) => {
    console.error(error instanceof AdminError ? error.message : error);
    process.exitCode = 1;
  });
}
