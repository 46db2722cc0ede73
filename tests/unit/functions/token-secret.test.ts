/**
 * The token secret out of the environment (issue 18): functions/edge/token-secret.ts reads it through the
 * Parameters and Secrets extension's GET — here the local Secrets Manager-compatible service's
 * (local/secretsmanager.ts), over real HTTP, calls counted — and keeps it SECRET_MEMORY_SECONDS; the config's
 * slot (shared/config/config.ts) refuses an HMAC under no key. The Lambda entries' path (env-configured)
 * runs in tests/e2e/lambda-entry.test.ts and every local stack.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExtensionSecretReader, SECRET_MEMORY_SECONDS } from '#functions/edge/secrets-extension.ts';
import { SecretSource } from '#functions/edge/token-secret.ts';
import { type LocalSecretsManager, putSecret, start } from '#local/secretsmanager.ts';
import { ConfigError, configFromEnv, ENV } from '#shared/config/config.ts';
import { HttpSmsNotifier } from '#shared/notify/http-notifier.ts';

const ARN = 'certflow/prod/token-secret';
const FIRST = 'a'.repeat(64);
const SECOND = 'b'.repeat(64);

let sm: LocalSecretsManager;
/** The extension's GETs made, by secret id. */
let calls: string[] = [];
let reader: ExtensionSecretReader;

beforeAll(async () => {
  sm = await start();
  reader = new ExtensionSecretReader({
    baseUrl: sm.url,
    sessionToken: () => 'session-token',
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      calls.push(new URL(String(input)).searchParams.get('secretId') ?? '');
      return fetch(input, init);
    }) as typeof fetch,
  });
});
afterAll(async () => {
  await sm?.end();
});
afterEach(() => {
  calls = [];
  vi.useRealTimers();
});

describe('SecretSource', () => {
  it('fetches once, serves the cache for the max age, then fetches the replaced value', async () => {
    const start = Date.parse('2026-11-23T02:00:00.000Z');
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    await putSecret(sm.client, ARN, FIRST);
    const source = new SecretSource(reader, ARN);
    expect(await source.get()).toBe(FIRST);
    await putSecret(sm.client, ARN, SECOND);
    expect(await source.get()).toBe(FIRST);
    vi.setSystemTime(start + (SECRET_MEMORY_SECONDS - 1) * 1000);
    expect(await source.get()).toBe(FIRST);
    expect(calls).toEqual([ARN]);
    vi.setSystemTime(start + (SECRET_MEMORY_SECONDS + 1) * 1000);
    expect(await source.get()).toBe(SECOND);
    expect(calls).toEqual([ARN, ARN]);
  });

  it('fills a config that names only the ARN; before that, reading the secret throws', async () => {
    await putSecret(sm.client, `${ARN}-config`, FIRST);
    const config = configFromEnv({ [ENV.tokenSecretId]: `${ARN}-config` });
    expect(config.tokenSecretId).toBe(`${ARN}-config`);
    expect(() => config.tokenSecret).toThrow(/has not been fetched yet/);
    await new SecretSource(reader, `${ARN}-config`).into(config);
    expect(config.tokenSecret).toBe(FIRST);
  });

  it('refuses a secret without a SecretString or one too short to be a key', async () => {
    // The extension's answer for a binary secret (GetSecretValue's JSON without SecretString).
    const binary = new ExtensionSecretReader({
      baseUrl: 'http://127.0.0.1:1',
      sessionToken: () => 't',
      fetch: (async () =>
        new Response(JSON.stringify({ ARN: `${ARN}-binary`, SecretBinary: 'AQID' }), {
          status: 200,
        })) as unknown as typeof fetch,
    });
    await expect(new SecretSource(binary, `${ARN}-binary`).get()).rejects.toThrow(ConfigError);
    await putSecret(sm.client, `${ARN}-short`, 'short');
    const config = configFromEnv({ [ENV.tokenSecretId]: `${ARN}-short` });
    await expect(new SecretSource(reader, `${ARN}-short`).into(config)).rejects.toThrow(/at least 32/);
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
    const TOKEN_ARN = 'certflow/jl/sms-gateway-token';
    await putSecret(sm.client, TOKEN_ARN, 'gateway-token-1');
    const source = new SecretSource(reader, TOKEN_ARN);
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
    expect(calls.filter((id) => id === TOKEN_ARN)).toHaveLength(1);
  });
});
