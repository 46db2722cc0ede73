import { describe, expect, it } from 'vitest';
import { functions } from '#functions/function-list.ts';
import { toPayloadV2 } from '#local/gateway/request-event.ts';
import { fromHandlerResult } from '#local/gateway/response.ts';
import { compileRoutes, matchRoute } from '#local/gateway/routes.ts';

describe('payload 2.0 request events', () => {
  it('lower-cases headers, joins repeated ones, keeps cookies apart, parses the query string', () => {
    const event = toPayloadV2(
      {
        method: 'GET',
        url: '/v1/exchange/records?department=NOTARY&limit=5&limit=6',
        headers: { 'X-Trace': ['a', 'b'], Cookie: 'a=1; b=2', Host: '127.0.0.1:4000' },
        body: Buffer.alloc(0),
        sourceIp: '127.0.0.9',
        now: Date.parse('2026-11-23T02:00:00Z'),
      },
      { routeKey: 'GET /v1/exchange/records' },
    );
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/exchange/records',
      rawPath: '/v1/exchange/records',
      rawQueryString: 'department=NOTARY&limit=5&limit=6',
      cookies: ['a=1', 'b=2'],
      headers: { 'x-trace': 'a,b', host: '127.0.0.1:4000' },
      queryStringParameters: { department: 'NOTARY', limit: '5,6' },
      isBase64Encoded: false,
      requestContext: {
        http: { method: 'GET', sourceIp: '127.0.0.9' },
        timeEpoch: Date.parse('2026-11-23T02:00:00Z'),
      },
    });
    expect(event.body).toBeUndefined();
  });

  it('JSON bodies are text, binary bodies base64', () => {
    const json = toPayloadV2(
      {
        method: 'POST',
        url: '/v1/requests',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{"a":"黄"}'),
        sourceIp: '1.1.1.1',
        now: 0,
      },
      { routeKey: 'POST /v1/requests' },
    );
    expect(json).toMatchObject({ body: '{"a":"黄"}', isBase64Encoded: false });
    const bin = toPayloadV2(
      {
        method: 'POST',
        url: '/x',
        headers: { 'content-type': 'image/png' },
        body: Buffer.from([0, 255]),
        sourceIp: '1.1.1.1',
        now: 0,
      },
      { routeKey: 'POST /x' },
    );
    expect(bin).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  });
});

describe('routes from the registry', () => {
  const routes = compileRoutes(functions);

  it('matches every HTTP route of the registry with its path parameters', () => {
    const m = matchRoute(routes, 'GET', '/v1/requests/01ABC');
    expect(m).toMatchObject({
      kind: 'route',
      route: { functionName: 'GetRequest' },
      pathParameters: { requestId: '01ABC' },
    });
    expect(matchRoute(routes, 'POST', '/v1/webhooks/COURT/findings')).toMatchObject({
      pathParameters: { department: 'COURT' },
    });
    expect(matchRoute(routes, 'GET', '/v1/stations/CC-YHL/queue')).toMatchObject({
      route: { functionName: 'StationQueue' },
    });
  });

  it('tells a wrong method from an unknown path, and decodes parameters', () => {
    expect(matchRoute(routes, 'DELETE', '/v1/requests/1')).toEqual({
      kind: 'method-not-allowed',
      allowed: ['GET'],
    });
    expect(matchRoute(routes, 'GET', '/v1/nothing')).toEqual({ kind: 'none' });
    expect(matchRoute(routes, 'GET', '/v1/requests/a%2Fb')).toMatchObject({
      pathParameters: { requestId: 'a/b' },
    });
    expect(matchRoute(routes, 'GET', '/v1/requests/%E0%A4%A')).toMatchObject({
      pathParameters: { requestId: '%E0%A4%A' },
    });
  });
});

describe('handler results', () => {
  it('uses a structured result as is, decoding base64', () => {
    const r = fromHandlerResult({
      statusCode: 201,
      headers: { 'X-A': 1 },
      body: 'aGk=',
      isBase64Encoded: true,
      cookies: ['c=1'],
    });
    expect(r).toEqual({
      status: 201,
      headers: { 'x-a': '1', 'set-cookie': ['c=1'] },
      body: Buffer.from('hi'),
    });
  });

  it('turns any other value into JSON 200, like API Gateway', () => {
    expect(fromHandlerResult({ ok: true })).toMatchObject({ status: 200, body: Buffer.from('{"ok":true}') });
    expect(fromHandlerResult(undefined)).toMatchObject({ status: 200 });
  });
});
