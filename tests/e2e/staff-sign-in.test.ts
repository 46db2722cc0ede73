/**
 * Staff sign-in through the local OpenID provider (local/oidc.ts), and the API verifying its JWTs by the
 * same code path as on AWS (functions/edge/staff.ts): discovery, code + PKCE, the password form, the
 * claims, and the supervisor-only per-station metrics.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { signInWithPassword } from '#tests/helpers/oidc-sign-in.ts';
import { call, startTestStack } from './helpers.ts';

let stack: LocalStack;
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'certflow-oidc-'));
  stack = await startTestStack({ dataDir: dir });
}, 60_000);
afterAll(async () => {
  await stack?.end();
  await rm(dir, { recursive: true, force: true });
});

const signIn = (username: string, password: string, options?: { pkce?: boolean }) =>
  signInWithPassword(stack.url, stack.endpoints.oidc, username, password, options);

async function accessToken(username: 'demo-officer' | 'demo-supervisor'): Promise<string> {
  const password =
    username === 'demo-officer' ? stack.credentials.officerPassword : stack.credentials.supervisorPassword;
  const result = await signIn(username, password);
  if (result.status !== 'signed-in') throw new Error(`sign-in refused: ${result.code}`);
  return result.accessToken;
}

const claimsOf = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;

describe('the local OpenID provider', () => {
  it('endpoints.json names the issuer, whose discovery document answers with code + PKCE S256', async () => {
    const endpoints = JSON.parse(await readFile(join(dir, 'endpoints.json'), 'utf8'));
    expect(endpoints.oidc).toBe(`${stack.url}/oidc`);
    const discovery = await (await fetch(`${endpoints.oidc}/.well-known/openid-configuration`)).json();
    expect(discovery.issuer).toBe(endpoints.oidc);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.response_types_supported).toContain('code');
    expect(discovery.end_session_endpoint).toMatch(/\/oidc\/session\/end$/);
    const credentials = JSON.parse(await readFile(join(dir, 'demo-credentials.json'), 'utf8'));
    expect(credentials.officerPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(credentials.supervisorPassword).toMatch(/^[A-Za-z0-9]{16}$/);
  });

  it('signs the demo officer in: a 15-minute JWT access token with username, groups and stations', async () => {
    const token = await accessToken('demo-officer');
    const claims = claimsOf(token);
    expect(claims).toMatchObject({
      iss: stack.endpoints.oidc,
      aud: 'urn:certflow:api',
      client_id: 'certflow-console',
      sub: 'demo-officer',
      username: 'demo-officer',
      groups: ['officer'],
    });
    expect(claims.stations).toEqual(expect.arrayContaining(['CC-YHL']));
    expect(Number(claims.exp) - Number(claims.iat)).toBe(15 * 60);
  });

  it('refuses a wrong password and an authorization request without PKCE', async () => {
    const password = stack.credentials.officerPassword;
    expect(await signIn('demo-officer', 'not-the-password')).toMatchObject({ status: 'rejected', code: 401 });
    expect(await signIn('nobody', password)).toMatchObject({ status: 'rejected', code: 401 });
    expect(await signIn('demo-officer', password, { pkce: false })).toMatchObject({
      status: 'rejected',
      body: 'invalid_request',
    });
  });
});

describe('the API verifies the provider’s JWTs', () => {
  it('an officer JWT lists the stations; a tampered one is a 401', async () => {
    const token = await accessToken('demo-officer');
    const stations = await call(stack, 'GET', '/v1/stations', { token });
    expect(stations.status).toBe(200);
    const [header, payload, signature] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...claimsOf(token), groups: ['supervisor'] }),
      'utf8',
    ).toString('base64url');
    expect(payload).not.toBe(forged);
    const tampered = await call(stack, 'GET', '/v1/stations', { token: `${header}.${forged}.${signature}` });
    expect(tampered.status).toBe(401);
  });

  it('GET /v1/metrics/summary is public; ?station= needs a supervisor sign-in', async () => {
    expect((await call(stack, 'GET', '/v1/metrics/summary')).status).toBe(200);
    const anonymous = await call(stack, 'GET', '/v1/metrics/summary?station=CC-YHL');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const officer = await call(stack, 'GET', '/v1/metrics/summary?station=CC-YHL', {
      token: await accessToken('demo-officer'),
    });
    expect(officer.status).toBe(401);
    const supervisor = await accessToken('demo-supervisor');
    const answer = await call(stack, 'GET', '/v1/metrics/summary?station=CC-YHL', { token: supervisor });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ station: 'CC-YHL', open: expect.any(Number), overdueNow: 0 });
    const script = await call(stack, 'GET', '/v1/metrics/summary?station=CC-YHL', {
      token: stack.credentials.supervisorToken,
    });
    expect(script.status).toBe(200);
    expect((await call(stack, 'GET', '/v1/metrics/summary?station=cc', { token: supervisor })).status).toBe(
      400,
    );
    expect(
      (await call(stack, 'GET', '/v1/metrics/summary?station=XX-NONE', { token: supervisor })).status,
    ).toBe(404);
  });
});
