/**
 * The token secret out of the environment (issue 18): functions/edge/token-secret.ts fetches it from
 * Secrets Manager (aws-sdk-client-mock here: calls counted) and caches it TOKEN_SECRET_MAX_AGE_SECONDS; the
 * config's slot (shared/config/config.ts) refuses an HMAC under no key. The real path (local Secrets
 * Manager-compatible service, real SDK) runs in tests/e2e/lambda-entry.test.ts and every local stack.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SecretSource, TOKEN_SECRET_MAX_AGE_SECONDS } from '#functions/edge/token-secret.ts';
import { ConfigError, configFromEnv, ENV } from '#shared/config/config.ts';
import { HttpSmsNotifier } from '#shared/notify/http-notifier.ts';

const ARN = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:certflow/prod/token-secret-AbCdEf';
const FIRST = 'a'.repeat(64);
const SECOND = 'b'.repeat(64);

const sm = mockClient(SecretsManagerClient);

beforeEach(() => {
  sm.reset();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('SecretSource', () => {
  it('fetches once, serves the cache for the max age, then fetches the replaced value', async () => {
    const start = Date.parse('2026-11-23T02:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    sm.on(GetSecretValueCommand, { SecretId: ARN })
      .resolvesOnce({ SecretString: FIRST })
      .resolves({ SecretString: SECOND });
    const source = new SecretSource(new SecretsManagerClient({ region: 'cn-north-1' }), ARN);
    expect(await source.get()).toBe(FIRST);
    expect(await source.get()).toBe(FIRST);
    vi.setSystemTime(start + (TOKEN_SECRET_MAX_AGE_SECONDS - 1) * 1000);
    expect(await source.get()).toBe(FIRST);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    vi.setSystemTime(start + (TOKEN_SECRET_MAX_AGE_SECONDS + 1) * 1000);
    expect(await source.get()).toBe(SECOND);
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('fills a config that names only the ARN; before that, reading the secret throws', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: FIRST });
    const config = configFromEnv({ [ENV.tokenSecretId]: ARN });
    expect(config.tokenSecretId).toBe(ARN);
    expect(() => config.tokenSecret).toThrow(/has not been fetched yet/);
    await new SecretSource(new SecretsManagerClient({ region: 'cn-north-1' }), ARN).into(config);
    expect(config.tokenSecret).toBe(FIRST);
  });

  it('refuses a secret without a SecretString or one too short to be a key', async () => {
    const client = new SecretsManagerClient({ region: 'cn-north-1' });
    sm.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });
    await expect(new SecretSource(client, `${ARN}-binary`).get()).rejects.toThrow(ConfigError);
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'short' });
    const config = configFromEnv({ [ENV.tokenSecretId]: `${ARN}-short` });
    await expect(new SecretSource(client, `${ARN}-short`).into(config)).rejects.toThrow(/at least 32/);
  });
});

describe('the config without a token secret', () => {
  it('throws a ConfigError on reading it (a function whose access.secrets does not list token)', () => {
    const config = configFromEnv({});
    expect(() => config.tokenSecret).toThrow(ConfigError);
    expect(() => config.tokenSecret).toThrow(/no token secret/);
  });

  it('still takes CERTFLOW_TOKEN_SECRET (local stack, tests) and checks its length', () => {
    expect(configFromEnv({ [ENV.tokenSecret]: FIRST }).tokenSecret).toBe(FIRST);
    expect(() => configFromEnv({ [ENV.tokenSecret]: 'short' })).toThrow(/at least 32/);
  });
});

describe('the SMS gateway token (smsProvider http)', () => {
  it('is read through the same cached source and sent as the bearer token', async () => {
    const TOKEN_ARN =
      'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:certflow/jl/sms-gateway-token';
    sm.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: 'gateway-token-1' });
    const source = new SecretSource(new SecretsManagerClient({ region: 'cn-north-1' }), TOKEN_ARN);
    const seen: (string | null)[] = [];
    const notifier = new HttpSmsNotifier('https://sms.example.gov.cn/send', () => source.get(), (async (
      _url: string,
      init: RequestInit,
    ) => {
      seen.push(new Headers(init.headers).get('authorization'));
      return new Response('{}', { status: 200 });
    }) as typeof fetch);
    const sms = { to: '13800000000', text: '您好', requestId: 'R1', key: 'k1' };
    await notifier.send(sms as never);
    await notifier.send(sms as never);
    expect(seen).toEqual(['Bearer gateway-token-1', 'Bearer gateway-token-1']);
    expect(sm.commandCalls(GetSecretValueCommand, { SecretId: TOKEN_ARN })).toHaveLength(1);
  });
});
