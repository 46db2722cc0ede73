/**
 * The Parameters and Secrets Lambda Extension reader (functions/edge/secrets-extension.ts) and the local
 * stack's GET of the extension (local/secretsmanager.ts), over real HTTP: the header and URL the extension
 * expects (AWS Secrets Manager User Guide, "Use AWS Secrets Manager secrets in AWS Lambda functions"), its
 * refusal of a request without the token, errors that name the secret and status but never a value, and the
 * short in-memory cache.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CachedSecret,
  ExtensionSecretReader,
  extensionReaderFromEnv,
  SECRET_MEMORY_SECONDS,
  SECRETS_EXTENSION_TOKEN_HEADER,
  SecretReadError,
  secretsExtensionUrl,
} from '#functions/edge/secrets-extension.ts';
import { type LocalSecretsManager, putSecret, start } from '#local/secretsmanager.ts';
import { ConfigError } from '#shared/config/config.ts';

const VALUE = 's3cr3t-value-that-must-never-be-logged-0123456789';
let sm: LocalSecretsManager;

beforeAll(async () => {
  sm = await start({ sessionToken: 'the-session-token' });
  await putSecret(sm.client, 'certflow/test/key', VALUE);
});
afterAll(async () => {
  await sm?.end();
});

const reader = (token: string | undefined = 'the-session-token') =>
  new ExtensionSecretReader({ baseUrl: sm.url, sessionToken: () => token });

describe('the base URL', () => {
  it('is localhost on PARAMETERS_SECRETS_EXTENSION_HTTP_PORT (2773 by default), or CERTFLOW_SECRETS_EXTENSION_URL', () => {
    expect(secretsExtensionUrl({})).toBe('http://localhost:2773');
    expect(secretsExtensionUrl({ PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2999' })).toBe(
      'http://localhost:2999',
    );
    expect(
      secretsExtensionUrl({
        CERTFLOW_SECRETS_EXTENSION_URL: 'http://127.0.0.1:4153/',
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2999',
      }),
    ).toBe('http://127.0.0.1:4153');
    expect(extensionReaderFromEnv({}).baseUrl).toBe('http://localhost:2773');
  });
});

describe('ExtensionSecretReader', () => {
  it('sends GET /secretsmanager/get?secretId=<encoded id> with the session token header', async () => {
    const seen: { url: string; method: string; headers: IncomingHttpHeaders }[] = [];
    const server = createServer((req, res) => {
      seen.push({ url: req.url ?? '', method: req.method ?? '', headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ARN: 'arn', Name: 'n', SecretString: 'v', VersionStages: ['AWSCURRENT'] }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as AddressInfo).port;
      const id = 'arn:aws-cn:secretsmanager:cn-north-1:123456789012:secret:certflow/jl/token-secret-AbC&d=1';
      const value = await new ExtensionSecretReader({
        baseUrl: `http://127.0.0.1:${port}`,
        sessionToken: () => 'tok-1',
      }).secretString(id);
      expect(value).toBe('v');
      expect(seen).toHaveLength(1);
      expect(seen[0]!.method).toBe('GET');
      expect(seen[0]!.url).toBe(`/secretsmanager/get?secretId=${encodeURIComponent(id)}`);
      expect(seen[0]!.headers[SECRETS_EXTENSION_TOKEN_HEADER.toLowerCase()]).toBe('tok-1');
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('takes AWS_SESSION_TOKEN at the time of the call by default; without one it is a ConfigError, and nothing is sent', async () => {
    const before = process.env.AWS_SESSION_TOKEN;
    let sent = 0;
    const counting = (async (input: string | URL | Request, init?: RequestInit) => {
      sent += 1;
      return fetch(input, init);
    }) as typeof fetch;
    try {
      delete process.env.AWS_SESSION_TOKEN;
      const fromEnv = new ExtensionSecretReader({ baseUrl: sm.url, fetch: counting });
      await expect(fromEnv.secretString('certflow/test/key')).rejects.toThrow(ConfigError);
      await expect(fromEnv.secretString('certflow/test/key')).rejects.toThrow(/AWS_SESSION_TOKEN is not set/);
      expect(sent).toBe(0);
      process.env.AWS_SESSION_TOKEN = 'the-session-token';
      expect(await fromEnv.secretString('certflow/test/key')).toBe(VALUE);
      expect(sent).toBe(1);
    } finally {
      if (before === undefined) delete process.env.AWS_SESSION_TOKEN;
      else process.env.AWS_SESSION_TOKEN = before;
    }
  });

  it('reads the SecretString the local service stores', async () => {
    expect(await reader().secretString('certflow/test/key')).toBe(VALUE);
  });

  it('a refused token, a missing secret and a dead endpoint are SecretReadErrors naming the secret and status, never a value', async () => {
    const refused = (await reader('wrong-token')
      .secretString('certflow/test/key')
      .catch((e: unknown) => e)) as SecretReadError;
    expect(refused).toBeInstanceOf(SecretReadError);
    expect(refused.status).toBe(403);
    expect(refused.message).toContain('certflow/test/key');
    expect(refused.message).not.toContain(VALUE);

    const missing = (await reader()
      .secretString('certflow/test/none')
      .catch((e: unknown) => e)) as SecretReadError;
    expect(missing).toBeInstanceOf(SecretReadError);
    expect(missing.status).toBe(400);
    expect(missing.message).toMatch(
      /ResourceNotFoundException: Secrets Manager can't find the specified secret/,
    );

    const dead = (await new ExtensionSecretReader({ baseUrl: 'http://127.0.0.1:1', sessionToken: () => 't' })
      .secretString('certflow/test/key')
      .catch((e: unknown) => e)) as SecretReadError;
    expect(dead).toBeInstanceOf(SecretReadError);
    expect(dead.status).toBeUndefined();
    expect(dead.message).toMatch(/did not answer/);
  });

  it('a 200 that is not JSON is a SecretReadError; a secret without SecretString reads as undefined', async () => {
    const answering = (body: string) =>
      new ExtensionSecretReader({
        baseUrl: 'http://127.0.0.1:1',
        sessionToken: () => 't',
        fetch: (async () => new Response(body, { status: 200 })) as unknown as typeof fetch,
      });
    await expect(answering('not json').secretString('x')).rejects.toThrow(SecretReadError);
    expect(
      await answering(JSON.stringify({ ARN: 'a', SecretBinary: 'AQID' })).secretString('x'),
    ).toBeUndefined();
  });
});

describe("the local service's extension GET", () => {
  it('refuses a request without the token header with 403, as the extension, and answers GetSecretValue JSON with it', async () => {
    const url = `${sm.url}/secretsmanager/get?secretId=${encodeURIComponent('certflow/test/key')}`;
    const without = await fetch(url);
    expect(without.status).toBe(403);
    expect(await without.text()).not.toContain(VALUE);
    const empty = await fetch(url, { headers: { [SECRETS_EXTENSION_TOKEN_HEADER]: '' } });
    expect(empty.status).toBe(403);
    const ok = await fetch(url, { headers: { [SECRETS_EXTENSION_TOKEN_HEADER]: 'the-session-token' } });
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      Name: 'certflow/test/key',
      SecretString: VALUE,
      VersionStages: ['AWSCURRENT'],
    });
    expect(String(body.ARN)).toMatch(
      /^arn:aws:secretsmanager:cn-north-1:000000000000:secret:certflow\/test\/key-/,
    );
    // By ARN too, as GetSecretValue takes it; only GET.
    const byArn = await fetch(
      `${sm.url}/secretsmanager/get?secretId=${encodeURIComponent(String(body.ARN))}`,
      {
        headers: { [SECRETS_EXTENSION_TOKEN_HEADER]: 'the-session-token' },
      },
    );
    expect(((await byArn.json()) as { SecretString: string }).SecretString).toBe(VALUE);
    const post = await fetch(url, {
      method: 'POST',
      headers: { [SECRETS_EXTENSION_TOKEN_HEADER]: 'the-session-token' },
    });
    expect(post.status).toBe(405);
  });

  it('serves the same store the JSON API writes: a PutSecretValue is read at once', async () => {
    await putSecret(sm.client, 'certflow/test/changing', 'one');
    expect(await reader().secretString('certflow/test/changing')).toBe('one');
    await putSecret(sm.client, 'certflow/test/changing', 'two');
    expect(await reader().secretString('certflow/test/changing')).toBe('two');
  });
});

describe('CachedSecret', () => {
  it('keeps a value its max age, shares one read between concurrent callers, reads again when forced or expired', async () => {
    let now = 1_000_000;
    let reads = 0;
    let value = 'first';
    const counting = {
      async secretString() {
        reads += 1;
        await new Promise((r) => setTimeout(r, 5));
        return value;
      },
    };
    const cached = new CachedSecret(
      counting,
      'id',
      (v) => `parsed:${v}`,
      SECRET_MEMORY_SECONDS,
      () => now,
    );
    expect(await Promise.all([cached.get(), cached.get(), cached.get()])).toEqual([
      'parsed:first',
      'parsed:first',
      'parsed:first',
    ]);
    expect(reads).toBe(1);
    value = 'second';
    now += SECRET_MEMORY_SECONDS * 1000 - 1;
    expect(await cached.get()).toBe('parsed:first');
    expect(await cached.get({ forceFetch: true })).toBe('parsed:second');
    expect(reads).toBe(2);
    value = 'third';
    now += SECRET_MEMORY_SECONDS * 1000;
    expect(await cached.get()).toBe('parsed:third');
    expect(reads).toBe(3);
  });

  it('caches nothing when the parse throws: the next call reads again', async () => {
    let reads = 0;
    const cached = new CachedSecret(
      {
        async secretString() {
          reads += 1;
          return undefined;
        },
      },
      'id',
      (v) => {
        if (v === undefined) throw new ConfigError('id: the secret has no SecretString');
        return v;
      },
    );
    await expect(cached.get()).rejects.toThrow(ConfigError);
    await expect(cached.get()).rejects.toThrow(ConfigError);
    expect(reads).toBe(2);
  });
});
