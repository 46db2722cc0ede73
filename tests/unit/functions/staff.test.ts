/**
 * Staff signed in with Cognito: claims → principal, the officer settings from SSM (aws-sdk-client-mock),
 * the handler's own JWT verification (aws-jwt-verify against a locally generated RSA key, its JWKS handed
 * to the verifier: no network), and the routes that use them.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  cognitoAccessTokenVerifier,
  groupsOf,
  OfficerSettingsError,
  OfficerSettingsSource,
  principalFromClaims,
  StaffConfigError,
  StaffDirectory,
  staffDirectoryFromEnv,
  stationsClaimValue,
  stationsOfClaims,
} from '#functions/edge/staff.ts';
import { staffDeps } from '#functions/edge/staff-deps.ts';
import { createHandler as exchangeRecordsHandler } from '#functions/http/exchange-records.ts';
import { createHandler as getRequestHandler } from '#functions/http/get-request.ts';
import { createHandler as listStationsHandler } from '#functions/http/list-stations.ts';
import { mockDocumentCalls } from '#tests/helpers/document-mock.ts';
import { context, httpEvent, testDeps } from './helpers.ts';

const ssm = mockClient(SSMClient);
const ddb = mockDocumentCalls();
afterEach(() => {
  vi.useRealTimers();
  ssm.reset();
  ddb.reset();
});

const PARAMETER = '/certflow/test/officer-settings';
const SETTINGS = {
  officers: { 'wang.li': { stations: ['CC-YHL'] }, 'zhao.min': { stations: ['CC-YHL', 'CC-NG'] } },
};
const parameter = (value: unknown) => ({
  Parameter: { Name: PARAMETER, Value: typeof value === 'string' ? value : JSON.stringify(value) },
});

describe('claims → principal', () => {
  const stationsOf = async (name: string) => (name === 'wang.li' ? ['CC-YHL'] : []);

  it('reads the groups as a JWT array and as API Gateway flattens them ("[a b]")', () => {
    expect(groupsOf({ 'cognito:groups': ['officer', 'x'] })).toEqual(['officer', 'x']);
    expect(groupsOf({ 'cognito:groups': '[officer supervisor]' })).toEqual(['officer', 'supervisor']);
    expect(groupsOf({ 'cognito:groups': 'officer' })).toEqual(['officer']);
    expect(groupsOf({})).toEqual([]);
  });

  it('an officer acts for the stations of the settings; a supervisor for every station', async () => {
    expect(
      await principalFromClaims({ username: 'wang.li', 'cognito:groups': '[officer]' }, stationsOf),
    ).toEqual({ role: 'OFFICER', name: 'wang.li', stations: ['CC-YHL'] });
    expect(
      await principalFromClaims(
        { username: 'chen.jie', 'cognito:groups': ['officer', 'supervisor'] },
        stationsOf,
      ),
    ).toEqual({ role: 'SUPERVISOR', name: 'chen.jie', stations: ['*'] });
    // An ID token names the user `cognito:username`.
    expect(
      await principalFromClaims({ 'cognito:username': 'wang.li', 'cognito:groups': ['officer'] }, stationsOf),
    ).toMatchObject({ role: 'OFFICER', name: 'wang.li' });
  });

  it('an officer the settings do not name acts for no station; no staff group or no username is no principal', async () => {
    expect(
      await principalFromClaims({ username: 'new.hire', 'cognito:groups': ['officer'] }, stationsOf),
    ).toEqual({
      role: 'OFFICER',
      name: 'new.hire',
      stations: [],
    });
    expect(
      await principalFromClaims({ username: 'x', 'cognito:groups': ['citizen'] }, stationsOf),
    ).toBeUndefined();
    expect(await principalFromClaims({ 'cognito:groups': ['supervisor'] }, stationsOf)).toBeUndefined();
  });

  it('reads the stations claim in every form it arrives in: the trigger\'s string, a JWT array, the gateway\'s "[a b]"', () => {
    expect(stationsOfClaims({ stations: stationsClaimValue(['CC-YHL', 'CC-NG']) })).toEqual([
      'CC-YHL',
      'CC-NG',
    ]);
    expect(stationsClaimValue(['CC-YHL', 'CC-NG'])).toBe('CC-YHL CC-NG');
    expect(stationsOfClaims({ stations: ['CC-YHL'] })).toEqual(['CC-YHL']);
    expect(stationsOfClaims({ stations: '[CC-YHL CC-NG]' })).toEqual(['CC-YHL', 'CC-NG']);
    expect(stationsOfClaims({ stations: 'CC-YHL,CC-NG' })).toEqual(['CC-YHL', 'CC-NG']);
    expect(stationsOfClaims({ stations: 'CC-YHL' })).toEqual(['CC-YHL']);
    // Not station codes (the wildcard included) are dropped; an empty claim is no station, not "absent".
    expect(stationsOfClaims({ stations: '* cc-yhl CC-NG' })).toEqual(['CC-NG']);
    expect(stationsOfClaims({ stations: '' })).toEqual([]);
    expect(stationsOfClaims({})).toBeUndefined();
  });

  it('settings cannot give an officer the wildcard', async () => {
    const p = await principalFromClaims({ username: 'a', 'cognito:groups': ['officer'] }, async () => [
      '*',
      'CC-NG',
    ]);
    expect(p?.stations).toEqual(['CC-NG']);
  });
});

describe('officer settings from SSM', () => {
  it('reads the parameter decrypted once and serves it from the cache for five minutes, then re-reads', async () => {
    ssm
      .on(GetParameterCommand)
      .resolvesOnce(parameter(SETTINGS))
      .resolves(parameter({ officers: {} }));
    // Powertools' cache reads the system clock: pin it (fake Date only; timers stay real).
    const start = Date.parse('2026-11-23T02:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const source = new OfficerSettingsSource(new SSMClient({ region: 'cn-north-1' }), PARAMETER);
    expect(await source.stationsOf('zhao.min')).toEqual(['CC-YHL', 'CC-NG']);
    vi.setSystemTime(start + 4 * 60_000);
    expect(await source.stationsOf('wang.li')).toEqual(['CC-YHL']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
    expect(ssm.commandCalls(GetParameterCommand)[0]!.args[0].input).toEqual({
      Name: PARAMETER,
      WithDecryption: true,
    });
    vi.setSystemTime(start + 6 * 60_000);
    expect(await source.stationsOf('wang.li')).toEqual([]);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });

  it('bad settings are an OfficerSettingsError naming the parameter and the field', async () => {
    ssm.on(GetParameterCommand).resolves(parameter({ officers: { 'wang.li': { stations: 'CC-YHL' } } }));
    const source = new OfficerSettingsSource(new SSMClient({ region: 'cn-north-1' }), PARAMETER);
    const error = await source.settings().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfficerSettingsError);
    expect((error as Error).message).toContain(PARAMETER);
    expect((error as Error).message).toContain('officers.wang.li.stations');
    ssm.on(GetParameterCommand).resolves(parameter('{not json'));
    await expect(
      new OfficerSettingsSource(new SSMClient({ region: 'cn-north-1' }), PARAMETER).settings(),
    ).rejects.toThrow(/not JSON/);
  });

  it('a failed read is not cached: the next call reads again', async () => {
    const denied = Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    ssm.on(GetParameterCommand).rejectsOnce(denied).resolves(parameter(SETTINGS));
    const source = new OfficerSettingsSource(new SSMClient({ region: 'cn-north-1' }), PARAMETER);
    await expect(source.stationsOf('wang.li')).rejects.toThrow('denied');
    expect(await source.stationsOf('wang.li')).toEqual(['CC-YHL']);
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(2);
  });
});

// --- JWTs signed by a locally generated key, verified against its JWKS handed to the verifier ---

const POOL = 'cn-north-1_TestPool1';
const CLIENT = 'console-client-1';
const ISSUER = `https://cognito-idp.cn-north-1.amazonaws.com/${POOL}`;
const KID = 'test-key-1';
let key: KeyObject;
let otherKey: KeyObject;
let jwks: { keys: Record<string, unknown>[] };

beforeAll(() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  key = pair.privateKey;
  otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  jwks = { keys: [{ ...pair.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] };
});

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function jwt(claims: Record<string, unknown>, signWith: KeyObject = key): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64url({ alg: 'RS256', kid: KID, typ: 'JWT' })}.${b64url({
    iss: ISSUER,
    client_id: CLIENT,
    token_use: 'access',
    username: 'wang.li',
    'cognito:groups': ['officer'],
    iat: now - 60,
    exp: now + 3600,
    ...claims,
  })}`;
  const signature = createSign('RSA-SHA256').update(body).sign(signWith).toString('base64url');
  return `${body}.${signature}`;
}

function directory() {
  const verifier = cognitoAccessTokenVerifier(POOL, CLIENT);
  verifier.cacheJwks(jwks as never);
  ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
  const source = new OfficerSettingsSource(new SSMClient({ region: 'cn-north-1' }), PARAMETER);
  return new StaffDirectory(verifier, source.stationsOf);
}

describe('verifying a staff JWT in the handler', () => {
  it('a valid officer access token is the officer, with the stations of the settings', async () => {
    expect(await directory().fromJwt(jwt({}))).toEqual({
      role: 'OFFICER',
      name: 'wang.li',
      stations: ['CC-YHL'],
    });
    expect(
      await directory().fromJwt(jwt({ username: 'chen.jie', 'cognito:groups': ['supervisor'] })),
    ).toEqual({
      role: 'SUPERVISOR',
      name: 'chen.jie',
      stations: ['*'],
    });
  });

  it('refuses an expired token, another client, an ID token, another group, another key and a forged payload', async () => {
    const d = directory();
    const now = Math.floor(Date.now() / 1000);
    expect(await d.fromJwt(jwt({ iat: now - 7200, exp: now - 60 }))).toBeUndefined();
    expect(await d.fromJwt(jwt({ client_id: 'someone-else' }))).toBeUndefined();
    expect(await d.fromJwt(jwt({ token_use: 'id' }))).toBeUndefined();
    expect(await d.fromJwt(jwt({ 'cognito:groups': ['citizen'] }))).toBeUndefined();
    expect(await d.fromJwt(jwt({ 'cognito:groups': undefined }))).toBeUndefined();
    expect(await d.fromJwt(jwt({}, otherKey))).toBeUndefined();
    expect(
      await d.fromJwt(jwt({ iss: 'https://cognito-idp.cn-north-1.amazonaws.com/cn-north-1_Other' })),
    ).toBeUndefined();
    const [h, , s] = jwt({}).split('.');
    const forged = `${h}.${b64url({ iss: ISSUER, client_id: CLIENT, token_use: 'access', username: 'x', 'cognito:groups': ['supervisor'], exp: now + 60 })}.${s}`;
    expect(await d.fromJwt(forged)).toBeUndefined();
    expect(await d.fromJwt('not-a-jwt-at-all')).toBeUndefined();
  });

  it('staffDirectoryFromEnv: none without a user pool (local stack); the client id is required with one', () => {
    expect(staffDirectoryFromEnv({})).toBeUndefined();
    expect(() => staffDirectoryFromEnv({ CERTFLOW_USER_POOL_ID: POOL })).toThrow(StaffConfigError);
    expect(
      staffDirectoryFromEnv({ CERTFLOW_USER_POOL_ID: POOL, CERTFLOW_USER_POOL_CLIENT_ID: CLIENT }),
    ).toBeInstanceOf(StaffDirectory);
  });

  it('Cognito (no officer settings parameter): stations from the token only; none without the claim, with a warning, and no SSM call', async () => {
    const warn = vi.fn();
    const d = staffDirectoryFromEnv(
      { CERTFLOW_USER_POOL_ID: POOL, CERTFLOW_USER_POOL_CLIENT_ID: CLIENT },
      { log: { warn } },
    )!;
    expect(
      await d.fromClaims({ username: 'zhao.min', 'cognito:groups': '[officer]', stations: 'CC-YHL CC-NG' }),
    ).toEqual({ role: 'OFFICER', name: 'zhao.min', stations: ['CC-YHL', 'CC-NG'] });
    expect(warn).not.toHaveBeenCalled();
    expect(await d.fromClaims({ username: 'wang.li', 'cognito:groups': '[officer]' })).toEqual({
      role: 'OFFICER',
      name: 'wang.li',
      stations: [],
    });
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('no stations claim'),
      expect.objectContaining({ username: 'wang.li', claim: 'stations' }),
    );
    expect(ssm.calls()).toHaveLength(0);
  });

  it('an OpenID issuer with the officer settings parameter (staffAuth=oidc): the token claim first, else the settings from SSM', async () => {
    ssm.on(GetParameterCommand).resolves(parameter(SETTINGS));
    const d = staffDirectoryFromEnv(
      {
        CERTFLOW_OIDC_ISSUER: 'https://idp.example.gov.cn/realms/police',
        CERTFLOW_OIDC_CLIENT_ID: CLIENT,
        CERTFLOW_OFFICER_SETTINGS_PARAMETER: PARAMETER,
      },
      { ssm: () => new SSMClient({ region: 'cn-north-1' }) },
    )!;
    expect(await d.fromClaims({ username: 'x', groups: ['officer'], stations: ['CC-NG'] })).toMatchObject({
      stations: ['CC-NG'],
    });
    expect(ssm.calls()).toHaveLength(0);
    expect(await d.fromClaims({ username: 'wang.li', groups: ['officer'] })).toMatchObject({
      stations: ['CC-YHL'],
    });
    expect(ssm.commandCalls(GetParameterCommand)).toHaveLength(1);
  });

  it("staffDeps: a staff route's Lambda entry gets the directory from the environment", () => {
    Object.assign(process.env, {
      CERTFLOW_TOKEN_SECRET: 'y'.repeat(40),
      CERTFLOW_USER_POOL_ID: POOL,
      CERTFLOW_USER_POOL_CLIENT_ID: CLIENT,
    });
    try {
      expect(staffDeps().staff).toBeInstanceOf(StaffDirectory);
      expect(staffDeps().staff).toBe(staffDeps().staff);
    } finally {
      delete process.env.CERTFLOW_USER_POOL_ID;
      delete process.env.CERTFLOW_USER_POOL_CLIENT_ID;
    }
  });
});

// --- the routes ---

const REQUEST = {
  requestId: 'R1',
  version: 4,
  status: 'INVESTIGATING',
  proof: 'KINSHIP',
  input: {},
  accessTokenHash: 'h'.repeat(64),
  acceptedAt: '2026-11-23T02:00:00.000Z',
  updatedAt: '2026-11-23T02:00:00.000Z',
  escalationLevel: 0,
  station: 'CC-YHL',
  deadline: '2026-11-30T15:59:59.999Z',
  lastEvent: { seq: 4, at: 't', type: 'DISPATCHED', actor: 'system', detail: {} },
};

function withClaims(event: ReturnType<typeof httpEvent>, claims: Record<string, unknown>) {
  return {
    ...event,
    requestContext: { ...event.requestContext, authorizer: { jwt: { claims, scopes: null } } },
  };
}

describe('routes with Cognito staff', () => {
  it('GET /v1/stations takes the principal from the gateway authorizer claims', async () => {
    const handler = listStationsHandler(testDeps({ staff: directory() }));
    const event = withClaims(httpEvent('GET', '/v1/stations', 'GET /v1/stations'), {
      username: 'wang.li',
      'cognito:groups': '[officer]',
    });
    const result = (await handler(event, context())) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body).stations.map((s: { code: string }) => s.code)).toEqual(['CC-YHL']);
    // Verified claims without a staff group: authenticated, not staff.
    const other = withClaims(httpEvent('GET', '/v1/stations', 'GET /v1/stations'), {
      username: 'x',
      'cognito:groups': '[citizen]',
    });
    expect(((await handler(other, context())) as { statusCode: number }).statusCode).toBe(403);
  });

  it('GET /v1/stations with Cognito: the stations claim the trigger wrote, as the gateway passes it; no SSM', async () => {
    const staff = staffDirectoryFromEnv({
      CERTFLOW_USER_POOL_ID: POOL,
      CERTFLOW_USER_POOL_CLIENT_ID: CLIENT,
    })!;
    const handler = listStationsHandler(testDeps({ staff }));
    const get = async (claims: Record<string, unknown>) => {
      const event = withClaims(httpEvent('GET', '/v1/stations', 'GET /v1/stations'), claims);
      const result = (await handler(event, context())) as { statusCode: number; body: string };
      expect(result.statusCode).toBe(200);
      return JSON.parse(result.body).stations.map((s: { code: string }) => s.code);
    };
    const officer = { username: 'zhao.min', 'cognito:groups': '[officer]' };
    expect(await get({ ...officer, stations: 'CC-YHL CC-GLL' })).toEqual(['CC-YHL', 'CC-GLL']);
    expect(await get({ ...officer, stations: 'CC-GLL' })).toEqual(['CC-GLL']);
    // No claim (a token from before the trigger): no station.
    expect(await get(officer)).toEqual([]);
    expect(ssm.calls()).toHaveLength(0);
  });

  it('GET /v1/requests/{id} verifies a staff JWT itself: the officer of the station sees it, others get 404', async () => {
    ddb.on(QueryCommand).resolves({ Items: [{ pk: 'REQ#R1', sk: 'REQUEST', ...REQUEST }] });
    ddb.on(GetCommand).resolves({});
    const handler = getRequestHandler(testDeps({ staff: directory() }));
    const get = (token: string) =>
      handler(
        httpEvent('GET', '/v1/requests/R1', 'GET /v1/requests/{requestId}', {
          headers: { authorization: `Bearer ${token}` },
          pathParameters: { requestId: 'R1' },
        }),
        context(),
      ) as Promise<{ statusCode: number; body: string }>;
    const ok = await get(jwt({}));
    expect(ok.statusCode).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ requestId: 'R1', status: 'INVESTIGATING' });
    expect((await get(jwt({ username: 'nobody' }))).statusCode).toBe(404);
    expect((await get(jwt({ client_id: 'someone-else' }))).statusCode).toBe(404);
    expect((await get(jwt({ exp: Math.floor(Date.now() / 1000) - 1 }))).statusCode).toBe(404);
  });

  it('GET /v1/exchange/records accepts a staff JWT verified in the handler; an invalid one is a 401', async () => {
    ddb.on(QueryCommand).resolves({ Items: [] });
    ddb.on(GetCommand).resolves({});
    const handler = exchangeRecordsHandler(testDeps({ staff: directory() }));
    const get = (token: string) =>
      handler(
        httpEvent('GET', '/v1/exchange/records?department=NOTARY', 'GET /v1/exchange/records', {
          headers: { authorization: `Bearer ${token}` },
        }),
        context(),
      ) as Promise<{ statusCode: number }>;
    expect((await get(jwt({}))).statusCode).toBe(200);
    expect((await get(jwt({}, otherKey))).statusCode).toBe(401);
  });
});
