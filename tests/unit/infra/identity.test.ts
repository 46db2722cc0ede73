/**
 * The CDK app with staff signing in at an OpenID issuer given by its discovery URL (infra/identity.ts):
 * no Cognito resource, the gateway's JWT authorizer and the handlers pointed at the issuer, the pages'
 * /auth-config.json naming it. A small app (two stand-in functions, no nag, a one-page site) so this
 * synth is quick; the Cognito mode is asserted on the full app in infra.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { staffDirectoryFromEnv } from '#functions/edge/staff.ts';
import { type FunctionSpec, functions as registry } from '#functions/function-list.ts';
import { buildCertflowApp } from '#infra/certflow-app.ts';
import { parseConfig } from '#infra/config.ts';
import { envNames } from '#infra/environment.ts';
import { issuerOf, staffIdentityOf } from '#infra/identity.ts';
import { standInEntry } from './synth.ts';

const discoveryUrl = 'https://id.jl.example.cn/realms/staff/.well-known/openid-configuration';
const issuer = 'https://id.jl.example.cn/realms/staff';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

describe('staff identity settings', () => {
  it('takes the issuer from its discovery URL or as given, with a client id', () => {
    expect(issuerOf(discoveryUrl)).toBe(issuer);
    expect(issuerOf(issuer)).toBe(issuer);
    const config = parseConfig({ oidcIssuerUrl: discoveryUrl, oidcClientId: 'certflow-console' });
    expect(staffIdentityOf(config)).toEqual({
      kind: 'oidc',
      issuer,
      discoveryUrl,
      clientId: 'certflow-console',
    });
    expect(staffIdentityOf(parseConfig({ region: 'ap-east-1' }))).toEqual({ kind: 'cognito' });
    expect(staffIdentityOf(parseConfig({ staffAuth: 'tokens' }))).toEqual({ kind: 'tokens' });
  });

  it('refuses an issuer without client, a client without issuer, http://, and tokens with an issuer', () => {
    expect(() => parseConfig({ oidcIssuerUrl: discoveryUrl })).toThrow(/oidcClientId/);
    expect(() => parseConfig({ oidcClientId: 'x' })).toThrow(/oidcClientId/);
    expect(() => parseConfig({ oidcIssuerUrl: 'http://id.example.cn', oidcClientId: 'x' })).toThrow(
      /oidcIssuerUrl/,
    );
    expect(() =>
      parseConfig({ oidcIssuerUrl: discoveryUrl, oidcClientId: 'x', staffAuth: 'tokens' }),
    ).toThrow(/staffAuth/);
    expect(() => parseConfig({ oidcAudience: 'api' })).toThrow(/oidcAudience/);
  });
});

describe('the CDK app with an OpenID issuer instead of Cognito', () => {
  let stateful: Template;
  let stateless: Template;
  let outdir: string;

  beforeAll(() => {
    const config = parseConfig({
      stage: 'cn',
      region: 'ap-northeast-2',
      webOrigins: 'https://portal.example.org',
      oidcIssuerUrl: discoveryUrl,
      oidcClientId: 'certflow-console',
      oidcAudience: 'urn:certflow:api',
      rateLimitPerClient: '0',
      nag: 'false',
    });
    const pick = new Set(['StationQueue', 'GetRequest']);
    const specs = (registry as readonly FunctionSpec[])
      .filter((spec) => pick.has(spec.name))
      .map((spec) => ({ ...spec, entry: standInEntry }));
    const site = mkdtempSync(join(tmpdir(), 'certflow-site-'));
    writeFileSync(join(site, 'index.html'), '<!doctype html><title>certflow</title>');
    outdir = mkdtempSync(join(tmpdir(), 'certflow-cdk-oidc-'));
    const app = new App({ outdir });
    const stacks = buildCertflowApp(app, config, {
      functions: specs,
      missing: [],
      workflowDefinition: undefined,
      webAssetsDir: site,
    });
    app.synth();
    stateful = Template.fromStack(stacks.stateful);
    stateless = Template.fromStack(stacks.stateless);
  }, 120_000);

  it('deploys no Cognito resource', () => {
    for (const template of [stateful, stateless]) {
      const types = Object.values(template.toJSON().Resources as Record<string, { Type: string }>).map(
        (r) => r.Type,
      );
      expect(types.filter((t) => t.startsWith('AWS::Cognito::'))).toEqual([]);
    }
    expect(Object.keys(stateful.findOutputs('*'))).not.toContain('UserPoolId');
  });

  it("puts the staff routes behind a JWT authorizer of the issuer, audience the configured 'aud'", () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: { Issuer: issuer, Audience: ['urn:certflow:api'] },
    });
    const routes = Object.values(
      stateless.findResources('AWS::ApiGatewayV2::Route') as Record<
        string,
        { Properties: Record<string, unknown> }
      >,
    );
    const byKey = Object.fromEntries(
      routes.map((r) => [r.Properties.RouteKey, r.Properties.AuthorizationType]),
    );
    expect(byKey['GET /v1/stations/{station}/queue']).toBe('JWT');
    // A citizen's own access token must still reach the status route: the handler verifies either.
    expect(byKey['GET /v1/requests/{requestId}']).toBe('NONE');
  });

  it('tells the handlers the issuer (and no user pool), so they verify its JWTs by JWKS from discovery', () => {
    const fns = Object.values(
      stateless.findResources('AWS::Lambda::Function') as Record<
        string,
        { Properties: { Environment?: { Variables: Record<string, unknown> } } }
      >,
    ).filter((f) => f.Properties.Environment?.Variables[envNames.stage] === 'cn');
    expect(fns.length).toBe(2);
    for (const fn of fns) {
      const env = fn.Properties.Environment?.Variables ?? {};
      expect(env[envNames.oidcIssuer]).toBe(issuer);
      expect(env[envNames.oidcClientId]).toBe('certflow-console');
      expect(env[envNames.oidcAudience]).toBe('urn:certflow:api');
      expect(env[envNames.userPoolId]).toBeUndefined();
      // The handlers build their verifier from exactly these variables.
      expect(staffDirectoryFromEnv(env as Record<string, string>)).toBeDefined();
    }
  });

  it('names the redirect URIs to register at the issuer (the console and the dashboard of each origin)', () => {
    const outputs = stateless.findOutputs('StaffSignInRedirectUris');
    expect(Object.values(outputs)[0]?.Value).toBe(
      'https://portal.example.org/console https://portal.example.org/dashboard',
    );
  });

  it('deploys /auth-config.json naming the issuer and the public client (the pages read discovery)', () => {
    const configs = files(outdir)
      .filter((f) => f.endsWith('auth-config.json'))
      .map((f) => JSON.parse(readFileSync(f, 'utf8')) as unknown);
    expect(configs).toContainEqual({ issuer, clientId: 'certflow-console', scope: 'openid profile' });
  });
});
