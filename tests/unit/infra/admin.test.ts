/**
 * The operator commands (infra/admin.ts) over the real store on dynalite: departments and their secret
 * rotation as Standard Webhooks expects it, staff tokens stored hashed, and errors that name the input.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AdminError,
  addDepartment,
  addStaff,
  parseArgs,
  retireOldSecrets,
  rotateDepartment,
  run,
  showDepartment,
  tableNameFor,
} from '#infra/admin.ts';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { systemClock } from '#shared/clock.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { signedHeaders, verify } from '#shared/webhooks/signature.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await start({ tableName: tableNameFor('test') });
  store = new DynamoStore(dynamo.client, dynamo.tableName);
}, 30_000);

afterAll(async () => {
  await dynamo?.end();
});

/** A message signed the way a department signs, with the given secrets. */
function signed(secrets: string[]) {
  const body = JSON.stringify({ requestId: 'r1', outcome: 'CONFIRMED' });
  const now = Math.floor(systemClock.now() / 1000);
  return { headers: signedHeaders(secrets, `msg_${Math.random()}`, now, body), body };
}

describe('departments', () => {
  it('adds a department with one secret, which verifies its messages', async () => {
    const { secret } = await addDepartment(store, 'NOTARY', {
      endpoint: 'https://notary.example.org/hook',
      connected: true,
    });
    expect(secret).toMatch(/^whsec_/);
    const config = await store.getDepartment('NOTARY');
    expect(config).toMatchObject({ code: 'NOTARY', secrets: [secret], connected: true });
    const m = signed([secret]);
    expect(() => verify(config!.secrets, m.headers, m.body, systemClock)).not.toThrow();
  });

  it('rotates without downtime: the new secret signs, both verify until the old one is retired', async () => {
    const before = await store.getDepartment('NOTARY');
    const old = before!.secrets[0]!;
    const { secret: fresh, accepted } = await rotateDepartment(store, 'NOTARY');
    expect(accepted).toBe(2);
    const during = await store.getDepartment('NOTARY');
    expect(during!.secrets).toEqual([fresh, old]); // the first signs what certflow sends
    for (const secret of [old, fresh]) {
      const m = signed([secret]);
      expect(() => verify(during!.secrets, m.headers, m.body, systemClock)).not.toThrow();
    }
    expect(await retireOldSecrets(store, 'NOTARY')).toEqual({ retired: 1 });
    const after = await store.getDepartment('NOTARY');
    expect(after!.secrets).toEqual([fresh]);
    const stale = signed([old]);
    expect(() => verify(after!.secrets, stale.headers, stale.body, systemClock)).toThrow();
  });

  it('shows a department without its secrets', async () => {
    const shown = await showDepartment(store, 'NOTARY');
    expect(shown).toEqual({
      code: 'NOTARY',
      endpoint: 'https://notary.example.org/hook',
      connected: true,
      secrets: 1,
    });
    expect(JSON.stringify(shown)).not.toContain('whsec_');
  });

  it('refuses bad input and unknown departments, naming what is wrong, and stores nothing', async () => {
    await expect(addDepartment(store, 'notary', { connected: true })).rejects.toThrow(/department code/);
    await expect(
      addDepartment(store, 'COURT', { endpoint: 'http://court', connected: true }),
    ).rejects.toThrow(/--endpoint/);
    expect(await store.getDepartment('COURT')).toBeUndefined();
    await expect(addDepartment(store, 'NOTARY', { connected: true })).rejects.toThrow(/exists/);
    await expect(rotateDepartment(store, 'EDUCATION')).rejects.toThrow(AdminError);
    await expect(rotateDepartment(store, 'EDUCATION')).rejects.toThrow(/EDUCATION does not exist/);
  });
});

describe('staff tokens', () => {
  it('stores only the hash of a new staff token, with role and stations', async () => {
    const { token } = await addStaff(store, { role: 'officer', name: 'wang.li', stations: 'CC-YHL, CC-XYZ' });
    expect(token).toMatch(/^officer_[A-Za-z0-9_-]{32}$/);
    expect(await store.getPrincipal(sha256Hex(token))).toEqual({
      role: 'OFFICER',
      name: 'wang.li',
      stations: ['CC-YHL', 'CC-XYZ'],
    });
    expect(await store.getPrincipal(token)).toBeUndefined();
  });

  it.each([
    [{ role: 'ADMIN', name: 'x', stations: '*' }, /--role/],
    [{ role: 'SUPERVISOR', name: '', stations: '*' }, /--name/],
    [{ role: 'SUPERVISOR', name: 'zhao', stations: '' }, /--stations/],
    [{ role: 'SUPERVISOR', name: 'zhao', stations: 'CC YHL' }, /--stations/],
  ])('refuses %j', async (principal, message) => {
    await expect(addStaff(store, principal)).rejects.toThrow(message);
  });
});

describe('command line', () => {
  it('parses commands and options', () => {
    expect(
      parseArgs([
        '--stage',
        'prod',
        'department',
        'add',
        'COURT',
        '--endpoint',
        'https://c',
        '--not-connected',
      ]),
    ).toEqual({
      positional: ['department', 'add', 'COURT'],
      options: { stage: 'prod', endpoint: 'https://c', 'not-connected': true },
    });
    expect(() => parseArgs(['--region'])).toThrow(/--region needs a value/);
  });

  it('runs a command and prints the secret once', async () => {
    const lines = await run(
      store,
      parseArgs(['department', 'add', 'COURT', '--endpoint', 'https://court.example.org']),
    );
    expect(lines[0]).toMatch(/COURT added/);
    expect(lines[1]).toMatch(/^whsec_/);
    await expect(run(store, parseArgs(['department', 'delete', 'COURT']))).rejects.toThrow(/usage/);
  });

  it('names the stage table like the stateful stack', () => {
    expect(tableNameFor('prod')).toBe('certflow-prod-certflow');
  });
});
