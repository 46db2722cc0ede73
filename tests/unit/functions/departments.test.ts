/**
 * The department directory (functions/edge/departments.ts): the Parameters and Secrets extension's GET,
 * over real HTTP, on the local Secrets Manager-compatible service (local/secretsmanager.ts), which the
 * real SDK writes (putSecret).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DepartmentDirectory, departmentsOf } from '#functions/edge/departments.ts';
import { SECRET_MEMORY_SECONDS } from '#functions/edge/secrets-extension.ts';
import { type LocalSecretsManager, putSecret, start } from '#local/secretsmanager.ts';
import { DepartmentSecretsError } from '#shared/config/departments.ts';
import { testDeps } from './helpers.ts';

const ID = 'certflow/unit/department-secrets';
const SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;
let sm: LocalSecretsManager;

beforeAll(async () => {
  sm = await start();
});
afterAll(async () => {
  await sm?.end();
});
afterEach(() => {
  vi.useRealTimers();
});

const doc = (endpoint: string) =>
  JSON.stringify({
    departments: { NOTARY: { secrets: [SECRET], endpoint, connected: true } },
    placeholder: 'p',
  });

describe('department directory', () => {
  it('reads a department from the secret, keeps it SECRET_MEMORY_SECONDS, then reads the change', async () => {
    const start = Date.parse('2026-11-23T02:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    await putSecret(sm.client, ID, doc('https://notary.example.org/a'));
    const directory = new DepartmentDirectory(sm.extension, ID);
    expect(await directory.get('NOTARY')).toEqual({
      code: 'NOTARY',
      secrets: [SECRET],
      endpoint: 'https://notary.example.org/a',
      connected: true,
    });
    expect(await directory.get('COURT')).toBeUndefined();
    await putSecret(sm.client, ID, doc('https://notary.example.org/b'));
    vi.setSystemTime(start + (SECRET_MEMORY_SECONDS - 1) * 1000);
    expect((await directory.get('NOTARY'))?.endpoint).toBe('https://notary.example.org/a');
    vi.setSystemTime(start + (SECRET_MEMORY_SECONDS + 1) * 1000);
    expect((await directory.get('NOTARY'))?.endpoint).toBe('https://notary.example.org/b');
  });

  it('a document that is not valid is a DepartmentSecretsError naming the field, never the secret', async () => {
    await putSecret(
      sm.client,
      `${ID}-bad`,
      JSON.stringify({ departments: { NOTARY: { secrets: ['not-a-secret'], connected: true } } }),
    );
    const error = await new DepartmentDirectory(sm.extension, `${ID}-bad`)
      .get('NOTARY')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DepartmentSecretsError);
    expect((error as Error).message).toContain('departments.NOTARY.secrets.0');
    expect((error as Error).message).not.toContain('not-a-secret');
  });

  it('a missing secret fails the read; deps without a directory are a DepartmentSecretsError', async () => {
    await expect(new DepartmentDirectory(sm.extension, 'certflow/none').get('NOTARY')).rejects.toThrow(
      /can't find the specified secret/,
    );
    expect(() => departmentsOf(testDeps())).toThrow(DepartmentSecretsError);
  });
});
