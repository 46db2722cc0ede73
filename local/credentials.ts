/**
 * Demo credentials and the stack's secret, created once per data dir and kept across restarts:
 * `DIR/demo-credentials.json` = `{ officerToken, supervisorToken, officerPassword, supervisorPassword,
 * registryToken, departments: { CODE: { secret } } }` (docs/api.md; the passwords sign `demo-officer` / `demo-supervisor`
 * in at the local OpenID provider, local/oidc.ts; the tokens are for scripts and the CLI) and
 * `DIR/stack-secret.json` (the HMAC secret that derives access tokens and verification
 * codes; never shown). With `--in-memory` both are made afresh and the credentials file is still
 * written when a data dir is given, so a newcomer can read it.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultPolicy } from '#shared/policy/policy.ts';
import { generateSecret } from '#shared/webhooks/signature.ts';

export interface DemoCredentials {
  officerToken: string;
  supervisorToken: string;
  /** Password of `demo-officer` at the local OpenID provider. */
  officerPassword: string;
  /** Password of `demo-supervisor` at the local OpenID provider. */
  supervisorPassword: string;
  departments: Record<string, { secret: string }>;
  /** The population registry's own system: its bearer token for the change feed (POST /v1/registry/changes). */
  registryToken: string;
}

/** The demo departments are the policy's connected bodies: one list, in the policy. */
export const DEMO_DEPARTMENTS: readonly string[] = defaultPolicy.bodies
  .filter((b) => b.connected)
  .map((b) => b.code);

/**
 * Level-by-level docking of the demo departments (the departments document's `level` and `region`,
 * shared/config/departments.ts): CIVIL_AFFAIRS is a county body of 长春市朝阳区 (its queries about people
 * of another city go up to the province and down again); the others are answered directly.
 */
export const DEMO_DOCKING: Readonly<
  Record<string, { level: 'PROVINCE' | 'CITY' | 'COUNTY'; region: { city?: string; county?: string } }>
> = {
  CIVIL_AFFAIRS: { level: 'COUNTY', region: { city: '长春市', county: '朝阳区' } },
};

function token(prefix: string): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

/** 16 characters from an alphabet without look-alikes (≈ 90 bits): typed by a person at the login form. */
function password(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479';
  return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
}

export function newCredentials(departments: readonly string[] = DEMO_DEPARTMENTS): DemoCredentials {
  return {
    officerToken: token('officer'),
    supervisorToken: token('supervisor'),
    officerPassword: password(),
    supervisorPassword: password(),
    registryToken: token('registry'),
    departments: Object.fromEntries(departments.map((d) => [d, { secret: generateSecret() }])),
  };
}

async function readJson<T>(file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Loads the credentials of the data dir, creating (and writing) them the first time. */
export async function loadOrCreate(
  dataDir: string | undefined,
  options: { persist: boolean },
): Promise<{ credentials: DemoCredentials; tokenSecret: string; file?: string }> {
  if (!dataDir || !options.persist) {
    const credentials = newCredentials();
    const file = dataDir ? join(dataDir, 'demo-credentials.json') : undefined;
    if (dataDir && file) {
      await mkdir(dataDir, { recursive: true });
      await writeJsonAtomic(file, credentials);
    }
    return { credentials, tokenSecret: randomBytes(32).toString('base64url'), ...(file ? { file } : {}) };
  }
  await mkdir(dataDir, { recursive: true });
  const file = join(dataDir, 'demo-credentials.json');
  const secretFile = join(dataDir, 'stack-secret.json');
  let credentials = await readJson<DemoCredentials>(file);
  if (!credentials) {
    credentials = newCredentials();
    await writeJsonAtomic(file, credentials);
  } else {
    // A department added since the file was written gets a secret, a file from before the OpenID
    // provider gets staff passwords; nothing existing changes.
    let added = false;
    if (!credentials.registryToken) {
      credentials.registryToken = token('registry');
      added = true;
    }
    if (!credentials.officerPassword || !credentials.supervisorPassword) {
      credentials.officerPassword ||= password();
      credentials.supervisorPassword ||= password();
      added = true;
    }
    for (const d of DEMO_DEPARTMENTS) {
      if (!credentials.departments[d]) {
        credentials.departments[d] = { secret: generateSecret() };
        added = true;
      }
    }
    if (added) await writeJsonAtomic(file, credentials);
  }
  let secret = (await readJson<{ tokenSecret?: string }>(secretFile))?.tokenSecret;
  if (!secret) {
    secret = randomBytes(32).toString('base64url');
    await writeJsonAtomic(secretFile, { tokenSecret: secret });
  }
  return { credentials, tokenSecret: secret, file };
}
