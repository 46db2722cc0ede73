/** CDK context parsing: defaults, coercion of `-c key=value` strings, and errors that name the setting. */
import { describe, expect, it } from 'vitest';
import { functions } from '#functions/function-list.ts';
import { InvalidContextError, parseConfig } from '#infra/config.ts';
import { handlerVerifiedTokenRoutes, routesOf } from '#infra/constructs/api.ts';

describe('parseConfig', () => {
  it('gives every setting a default', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      stage: 'dev',
      logRetentionDays: 90,
      nag: true,
      allowMissingHandlers: false,
      webOrigins: [],
      rateLimitPerClient: 120,
    });
    expect(config.region).toBeUndefined();
    expect(config.alarmEmail).toBeUndefined();
  });

  it('reads CLI strings: numbers, booleans and comma lists', () => {
    const config = parseConfig({
      stage: 'prod',
      logRetentionDays: '365',
      nag: 'false',
      webOrigins: 'https://a.example.org, https://b.example.org',
      apiRateLimit: '200',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      logRetentionDays: 365,
      nag: false,
      webOrigins: ['https://a.example.org', 'https://b.example.org'],
      apiRateLimit: 200,
    });
  });

  it.each([
    [{ rateLimitPerClient: '5' }, 'rateLimitPerClient'],
    [{ stage: 'Prod!' }, 'stage'],
    [{ alarmEmail: 'not-an-email' }, 'alarmEmail'],
    [{ logRetentionDays: '42' }, 'logRetentionDays'],
    [{ region: 'mars' }, 'region'],
    [{ holidaysFile: '' }, 'holidaysFile'],
    [{ apiDomainName: 'api.example.org' }, 'apiCertificateArn'],
    [{ webCertificateArn: 'arn:aws:acm:us-east-1:1:certificate/x' }, 'webCertificateArn'],
  ])('rejects %j naming %s', (context, field) => {
    expect(() => parseConfig(context)).toThrow(InvalidContextError);
    expect(() => parseConfig(context)).toThrow(new RegExp(`\\b${field}\\b`));
  });
});

describe('staffAuth', () => {
  const specs = functions.map((spec) => ({ spec }));

  it('puts staff routes behind the JWT authorizer with cognito (the default in the standard partition)', () => {
    expect(parseConfig({ region: 'ap-northeast-2' }).staffAuth).toBe('cognito');
    // The default region is cn-north-1 (no Cognito there): staff tokens unless an OIDC issuer is given.
    if (process.env.CDK_DEFAULT_REGION === undefined) expect(parseConfig({}).staffAuth).toBe('tokens');
    const routes = routesOf(specs, 'cognito');
    const staff = routes.filter(
      (r) => r.fn.spec.trigger.kind === 'http' && r.fn.spec.trigger.auth === 'token',
    );
    expect(staff.length).toBeGreaterThan(1);
    for (const route of staff) {
      expect(route.gatewayAuth).toBe(
        handlerVerifiedTokenRoutes.includes(route.routeKey) ? 'none-token-in-handler' : 'jwt',
      );
    }
  });

  it('leaves every staff route to the handler with tokens', () => {
    expect(parseConfig({ staffAuth: 'tokens' }).staffAuth).toBe('tokens');
    expect(routesOf(specs, 'tokens').some((r) => r.gatewayAuth === 'jwt')).toBe(false);
    expect(() => parseConfig({ staffAuth: 'ldap' })).toThrow(/staffAuth/);
  });
});
