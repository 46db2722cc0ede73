/**
 * Only CloudFront may use the execute-api endpoint (issue 18): functions/edge/origin-verify.ts and the HTTP
 * edge's 403. The secret through the Parameters and Secrets extension's GET on the local Secrets
 * Manager-compatible service (real HTTP, calls counted); the handler is GetCatalogue's, over the API Gateway
 * fixture event (its domain is an execute-api one).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isExecuteApiDomain,
  ORIGIN_VERIFY_HEADER,
  ORIGIN_VERIFY_REFETCH_MS,
  OriginVerifier,
} from '#functions/edge/origin-verify.ts';
import { ExtensionSecretReader } from '#functions/edge/secrets-extension.ts';
import { createHandler } from '#functions/http/get-catalogue.ts';
import { lambdaContext } from '#local/functions.ts';
import { type LocalSecretsManager, putSecret, start } from '#local/secretsmanager.ts';
import { testDeps } from './helpers.ts';

const ARN = 'certflow/prod/origin-verify';
const VALUE = 'v'.repeat(48);
let sm: LocalSecretsManager;
/** The extension's GETs made. */
let calls = 0;
const client = () =>
  new ExtensionSecretReader({
    baseUrl: sm.url,
    sessionToken: () => 'session-token',
    fetch: (async (input: string | URL | Request, init?: RequestInit) => {
      calls += 1;
      return fetch(input, init);
    }) as typeof fetch,
  });

const fixture = JSON.parse(
  readFileSync(new URL('../../events/apigw-http/get-catalogue.json', import.meta.url), 'utf8'),
) as { headers: Record<string, string>; requestContext: Record<string, unknown> };
const event = (headers: Record<string, string>, domainName?: string) => ({
  ...fixture,
  headers: { ...fixture.headers, ...headers },
  requestContext: { ...fixture.requestContext, ...(domainName ? { domainName } : {}) },
});

beforeAll(async () => {
  sm = await start();
});
afterAll(async () => {
  await sm?.end();
});
beforeEach(async () => {
  calls = 0;
  await putSecret(sm.client, ARN, VALUE);
});

describe('isExecuteApiDomain', () => {
  it('knows the execute-api domains of both partitions, and nothing else', () => {
    expect(isExecuteApiDomain('abc123.execute-api.ap-northeast-2.amazonaws.com')).toBe(true);
    expect(isExecuteApiDomain('abc123.execute-api.cn-north-1.amazonaws.com.cn')).toBe(true);
    expect(isExecuteApiDomain('api.certflow.example.gov.cn')).toBe(false);
    expect(isExecuteApiDomain('abc123.execute-api.ap-northeast-2.amazonaws.com.evil.example')).toBe(false);
    expect(isExecuteApiDomain(undefined)).toBe(false);
  });
});

describe('OriginVerifier', () => {
  it("passes CloudFront's header, refuses none or a wrong one, ignores the custom domain", async () => {
    let now = 0;
    const verifier = new OriginVerifier(client(), ARN, () => now);
    const onExecuteApi = (headers: Record<string, string>) => ({
      headers,
      requestContext: { domainName: 'abc123.execute-api.ap-northeast-2.amazonaws.com' },
    });
    expect(await verifier.allows(onExecuteApi({ [ORIGIN_VERIFY_HEADER]: VALUE }))).toBe(true);
    expect(await verifier.allows(onExecuteApi({}))).toBe(false);
    expect(await verifier.allows(onExecuteApi({ [ORIGIN_VERIFY_HEADER]: 'x'.repeat(48) }))).toBe(false);
    expect(await verifier.allows({ headers: {}, requestContext: { domainName: 'api.example.gov.cn' } })).toBe(
      true,
    );
    // One fetch, then the cache; the wrong header forced one refetch, a second within the minute none.
    expect(await verifier.allows(onExecuteApi({ [ORIGIN_VERIFY_HEADER]: 'y'.repeat(48) }))).toBe(false);
    expect(calls).toBe(2);
    // A replaced secret (a deploy changed both sides): the first mismatch after a minute fetches it.
    await putSecret(sm.client, ARN, 'n'.repeat(48));
    now += ORIGIN_VERIFY_REFETCH_MS + 1;
    expect(await verifier.allows(onExecuteApi({ [ORIGIN_VERIFY_HEADER]: 'n'.repeat(48) }))).toBe(true);
    expect(await verifier.allows(onExecuteApi({ [ORIGIN_VERIFY_HEADER]: 'n'.repeat(48) }))).toBe(true);
    expect(await verifier.allows(onExecuteApi({ [ORIGIN_VERIFY_HEADER]: VALUE }))).toBe(false);
  });
});

describe('the HTTP edge behind CloudFront', () => {
  it('answers 403 problem+json (zh + en) to a call on the execute-api URL without the header', async () => {
    const verifier = new OriginVerifier(client(), ARN);
    const handler = createHandler(testDeps({ originVerify: verifier }));
    const refused = (await handler(event({}) as never, lambdaContext('GetCatalogue'))) as {
      statusCode: number;
      headers: Record<string, string>;
      body: string;
    };
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    expect(refused.body).toContain('请通过本服务的网址访问接口');
    expect(refused.body).toContain("call the API through the service's web address");
    const through = (await handler(
      event({ [ORIGIN_VERIFY_HEADER]: VALUE }) as never,
      lambdaContext('GetCatalogue'),
    )) as { statusCode: number };
    expect(through.statusCode).toBe(200);
    // On the custom domain (department systems): no header needed.
    const custom = (await handler(
      event({}, 'api.certflow.example.gov.cn') as never,
      lambdaContext('GetCatalogue'),
    )) as { statusCode: number };
    expect(custom.statusCode).toBe(200);
  });
});
