/**
 * The operator commands (infra/admin.ts) over the real store on dynalite: departments and their secret
 * rotation as Standard Webhooks expects it, staff tokens stored hashed, and errors that name the input.
 */
import { readFileSync } from 'node:fs';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AdminError,
  addDepartment,
  addStaff,
  adminCli,
  type DepartmentSecretsStore,
  retireOldSecrets,
  rotateDepartment,
  secretsManagerDepartments,
  showDepartment,
  tableNameFor,
} from '#infra/admin.ts';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { type LocalSecretsManager, putSecret, start as startSecrets } from '#local/secretsmanager.ts';
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { EXIT, runCli } from '#shared/cli.ts';
import { systemClock } from '#shared/clock.ts';
import { departmentOf } from '#shared/config/departments.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { signedHeaders, verify } from '#shared/webhooks/signature.ts';
import { runScript } from '#tests/helpers/cli-process.ts';

const SECRET_ID = 'certflow/test/department-secrets';
let dynamo: LocalDynamo;
let secretsManager: LocalSecretsManager;
let store: DynamoStore;
let departments: DepartmentSecretsStore;

beforeAll(async () => {
  dynamo = await start({ tableName: tableNameFor('test') });
  store = new DynamoStore(dynamo.client, dynamo.tableName);
  secretsManager = await startSecrets();
  // As the stateful stack creates it: an empty document beside the key CDK generates.
  await putSecret(secretsManager.client, SECRET_ID, JSON.stringify({ departments: {}, placeholder: 'x' }));
  departments = secretsManagerDepartments(secretsManager.client, SECRET_ID);
}, 30_000);

afterAll(async () => {
  await secretsManager?.end();
  await dynamo?.end();
});

const department = async (code: string) => departmentOf(await departments.read(), code);

/** A message signed the way a department signs, with the given secrets. */
function signed(secrets: string[]) {
  const body = JSON.stringify({ requestId: 'r1', outcome: 'CONFIRMED' });
  const now = Math.floor(systemClock.now() / 1000);
  return { headers: signedHeaders(secrets, `msg_${Math.random()}`, now, body), body };
}

describe('departments', () => {
  it('adds a department with one secret, which verifies its messages', async () => {
    const { secret } = await addDepartment(departments, 'NOTARY', {
      endpoint: 'https://notary.example.org/hook',
      connected: true,
    });
    expect(secret).toMatch(/^whsec_/);
    const config = await department('NOTARY');
    expect(config).toMatchObject({ code: 'NOTARY', secrets: [secret], connected: true });
    const m = signed([secret]);
    expect(() => verify(config!.secrets, m.headers, m.body, systemClock)).not.toThrow();
  });

  it('rotates without downtime: the new secret signs, both verify until the old one is retired', async () => {
    const before = await department('NOTARY');
    const old = before!.secrets[0]!;
    const { secret: fresh, accepted } = await rotateDepartment(departments, 'NOTARY');
    expect(accepted).toBe(2);
    const during = await department('NOTARY');
    expect(during!.secrets).toEqual([fresh, old]); // the first signs what certflow sends
    for (const secret of [old, fresh]) {
      const m = signed([secret]);
      expect(() => verify(during!.secrets, m.headers, m.body, systemClock)).not.toThrow();
    }
    expect(await retireOldSecrets(departments, 'NOTARY')).toEqual({ retired: 1 });
    const after = await department('NOTARY');
    expect(after!.secrets).toEqual([fresh]);
    const stale = signed([old]);
    expect(() => verify(after!.secrets, stale.headers, stale.body, systemClock)).toThrow();
  });

  it('shows a department without its secrets', async () => {
    const shown = await showDepartment(departments, 'NOTARY');
    expect(shown).toEqual({
      code: 'NOTARY',
      endpoint: 'https://notary.example.org/hook',
      connected: true,
      secrets: 1,
    });
    expect(JSON.stringify(shown)).not.toContain('whsec_');
  });

  it('refuses bad input and unknown departments, naming what is wrong, and stores nothing', async () => {
    await expect(addDepartment(departments, 'notary', { connected: true })).rejects.toThrow(
      /department code/,
    );
    await expect(
      addDepartment(departments, 'COURT', { endpoint: 'http://court', connected: true }),
    ).rejects.toThrow(/--endpoint/);
    expect(await department('COURT')).toBeUndefined();
    await expect(addDepartment(departments, 'NOTARY', { connected: true })).rejects.toThrow(/exists/);
    await expect(rotateDepartment(departments, 'EDUCATION')).rejects.toThrow(AdminError);
    await expect(rotateDepartment(departments, 'EDUCATION')).rejects.toThrow(/EDUCATION does not exist/);
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

  it("a REGISTRY token (the registry system's change feed) acts for no station", async () => {
    const { token } = await addStaff(store, {
      role: 'registry',
      name: 'jl-hukou-system',
      stations: undefined,
    });
    expect(token).toMatch(/^registry_/);
    expect(await store.getPrincipal(sha256Hex(token))).toEqual({
      role: 'REGISTRY',
      name: 'jl-hukou-system',
      stations: [],
    });
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

describe('command line (node:util parseArgs, strict)', () => {
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
  };
  const local = () => [
    '--region',
    'cn-north-1',
    '--endpoint-url',
    dynamo.url,
    '--table',
    dynamo.tableName,
    '--secrets-endpoint-url',
    secretsManager.url,
    '--secret-id',
    SECRET_ID,
  ];

  it('adds a department and prints its secret once, as text or --json', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const text = io();
    const argv = [...local(), 'department', 'add', 'COURT', '--endpoint', 'https://court.example.org'];
    expect(await runCli(adminCli, argv, text.io)).toBe(EXIT.ok);
    expect(text.out.join('\n')).toMatch(/COURT added.*\nwhsec_/s);
    const json = io();
    expect(await runCli(adminCli, [...local(), '--json', 'department', 'show', 'COURT'], json.io)).toBe(
      EXIT.ok,
    );
    expect(JSON.parse(json.out.join(''))).toEqual({
      code: 'COURT',
      endpoint: 'https://court.example.org',
      connected: true,
      secrets: 1,
    });
    vi.unstubAllEnvs();
  });

  it.each([
    [['--stag', 'prod', 'department', 'show', 'NOTARY'], /Unknown option '--stag'/],
    [['department', 'delete', 'COURT'], /unknown command: department delete COURT/],
    [['launch'], /unknown command: launch/],
    [['department', 'show'], /department show takes CODE, got none/],
    [['department', 'show', 'NOTARY', '--role', 'OFFICER'], /--role does not apply to department show/],
    [['--stage', 'Prod!', 'department', 'show', 'NOTARY'], /--stage/],
    [['--region'], /argument missing|--region/],
    [[], /no command given/],
  ])('%j is a usage error (exit 2) before anything is touched', async (argv, message) => {
    const run = io();
    expect(await runCli(adminCli, argv, run.io)).toBe(EXIT.usage);
    expect(run.err[0]).toMatch(message);
    expect(run.err.join('\n')).not.toMatch(/\n\s+at /);
    expect(run.out).toEqual([]);
  });

  it('reindex migrates a pre-issue-18 status entry, and a second run changes nothing', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const { PutCommand } = await import('@aws-sdk/lib-dynamodb');
    const { plainDocumentCalls } = await import('#shared/store/plain-document.ts');
    await plainDocumentCalls(dynamo.client).send(
      new PutCommand({
        TableName: dynamo.tableName,
        Item: {
          pk: 'REQ#OLD1',
          sk: 'REQUEST',
          requestId: 'OLD1',
          status: 'DECLINED',
          finishedAt: '2026-11-02T01:00:00.000Z',
          gsi1pk: 'STATUS#DECLINED',
          gsi1sk: '2026-11-02T01:00:00.000Z#OLD1',
        },
      }),
    );
    const first = io();
    expect(await runCli(adminCli, [...local(), 'reindex', '--json'], first.io)).toBe(EXIT.ok);
    expect(JSON.parse(first.out.join('\n'))).toEqual({ moved: 0, removed: 1, ratings: 0, complaints: 0 });
    const again = io();
    expect(await runCli(adminCli, [...local(), 'reindex'], again.io)).toBe(EXIT.ok);
    expect(again.out[0]).toMatch(/0 open requests moved .* 0 final requests and 0 ratings/);
    vi.unstubAllEnvs();
  });

  it('an expected failure is one line and exit 1', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const run = io();
    expect(await runCli(adminCli, [...local(), 'department', 'rotate', 'HEALTH'], run.io)).toBe(EXIT.failed);
    expect(run.err).toEqual(['admin: department HEALTH does not exist (add it first)']);
    vi.unstubAllEnvs();
  });

  it('--help and --version work everywhere', async () => {
    const all = io();
    expect(await runCli(adminCli, ['--help'], all.io)).toBe(EXIT.ok);
    expect(all.out[0]).toMatch(/^Usage: npm run admin -- \[options\] <command>/);
    expect(all.out[0]).toContain('department rotate CODE');
    const one = io();
    expect(await runCli(adminCli, ['staff', 'add', '--help'], one.io)).toBe(EXIT.ok);
    expect(one.out[0]).toMatch(/--stations CODE,CODE\|\*/);
    const version = io();
    expect(await runCli(adminCli, ['department', 'show', 'X', '--version'], version.io)).toBe(EXIT.ok);
    expect(version.out).toEqual([
      (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
    ]);
  });

  it('as a process: `admin --stag prod …` exits 2 with the usage line and no stack trace', async () => {
    const args = ['--stag', 'prod', 'department', 'show', 'NOTARY'];
    const result = await runScript('infra/admin.ts', args, { ...process.env, AWS_REGION: '' });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/^admin: Unknown option '--stag'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);

  it('names the stage table like the stateful stack', () => {
    expect(tableNameFor('prod')).toBe('certflow-prod-certflow');
  });
});

describe('counters recount (a table from before the counters)', () => {
  const base = {
    version: 1,
    proof: 'KINSHIP',
    input: {},
    accessTokenHash: 'h',
    acceptedAt: '2026-11-23T02:00:00.000Z',
    updatedAt: '2026-11-23T02:00:00.000Z',
    escalationLevel: 0,
  };
  const requests = [
    { requestId: 'RC1', status: 'INVESTIGATING', station: 'CC-YHL', deadline: '2026-11-30T15:59:59.999Z' },
    { requestId: 'RC2', status: 'ESCALATED', station: 'CC-NG', deadline: '2026-12-01T15:59:59.999Z' },
    {
      requestId: 'RC3',
      status: 'ISSUED',
      station: 'CC-YHL',
      finishedAt: '2026-11-23T03:10:00.000Z',
      onTime: true,
    },
    {
      requestId: 'RC4',
      status: 'ISSUED',
      station: 'CC-NG',
      finishedAt: '2026-11-24T07:00:00.000Z',
      onTime: false,
    },
    { requestId: 'RC5', status: 'REFUSED', station: 'CC-NG', finishedAt: '2026-11-24T07:30:00.000Z' },
    { requestId: 'RC6', status: 'DECLINED', finishedAt: '2026-11-23T02:00:01.000Z' },
  ];
  const statuses = ['INVESTIGATING', 'ESCALATED', 'ISSUED', 'REFUSED', 'DECLINED'] as const;
  const finals = ['ISSUED', 'REFUSED', 'DECLINED'] as const;
  const day = (at: string) => at.slice(0, 10);
  const figures = async () => ({
    byStatus: await Promise.all(statuses.map((s) => store.countByStatus(s))),
    finished: await Promise.all(
      finals.map((s) => store.countFinishedSince(s, '2026-11-01T00:00:00.000Z', day)),
    ),
  });
  const doc = () => DynamoDBDocumentClient.from(dynamo.client);
  const counterItems = async () =>
    ((await doc().send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? []).filter((i) =>
      String(i.pk).startsWith('COUNT#'),
    );

  it('rebuilds exactly the counters the writes made, zeroes stale buckets, and runs again to the same', async () => {
    // Only this test's requests: the table is shared with the tests above (reindex writes legacy items).
    for (const item of (await doc().send(new ScanCommand({ TableName: dynamo.tableName }))).Items ?? [])
      await doc().send(new DeleteCommand({ TableName: dynamo.tableName, Key: { pk: item.pk, sk: item.sk } }));
    for (const r of requests)
      expect(
        await store.createRequest({ ...base, ...r } as never, { type: 'ACCEPTED', actor: 'system' } as never),
      ).toBe(true);
    const live = await figures();
    expect(live.byStatus[2]).toMatchObject({ count: 2, onTime: 1, late: 1 });
    // As a table from before the counters: no counter items at all, and one stale bucket of nonsense.
    for (const item of await counterItems())
      await doc().send(new DeleteCommand({ TableName: dynamo.tableName, Key: { pk: item.pk, sk: item.sk } }));
    await doc().send(
      new PutCommand({
        TableName: dynamo.tableName,
        Item: { pk: 'COUNT#FINISHED', sk: '2020-01-01T00', 'f#ISSUED#NONE': 5 },
      }),
    );
    expect((await store.countByStatus('ISSUED')).count).toBe(0);

    vi.stubEnv('AWS_ACCESS_KEY_ID', 'local');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'local');
    const out: string[] = [];
    const argv = [
      '--region',
      'cn-north-1',
      '--endpoint-url',
      dynamo.url,
      '--table',
      dynamo.tableName,
      '--json',
    ];
    const io = { out: (t: string) => out.push(t), err: () => {} };
    expect(await runCli(adminCli, [...argv, 'counters', 'recount'], io)).toBe(EXIT.ok);
    expect(JSON.parse(out.join(''))).toEqual({ requests: 6, shards: 4, hours: 3, zeroed: 1 });
    expect(await figures()).toEqual(live);
    expect(await store.countFinishedSince('ISSUED', '2019-12-01T00:00:00.000Z', day)).toEqual(
      live.finished[0],
    );
    // Idempotent: a second run writes the same figures.
    expect(await runCli(adminCli, [...argv, 'counters', 'recount'], io)).toBe(EXIT.ok);
    expect(await figures()).toEqual(live);
  });
});
