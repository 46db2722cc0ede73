/**
 * A client generated from the OpenAPI document (openapi-fetch over the openapi-typescript types) talks to
 * the running local stack (in-process, dynalite in memory, test clock pinned to a Monday), and every
 * answer of the happy paths, and a problem, validates (Ajv, JSON Schema 2020-12) against the schema the
 * served document gives for that path, method, status and content type.
 */
import { randomUUID } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import createClient from 'openapi-fetch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import type { paths } from '#shared/openapi/api-types.ts';
import { openApiDocument } from '#shared/openapi/document.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { scenario, startTestStack, waitFinal, waitWaiting } from './helpers.ts';

let stack: LocalStack;
let client: ReturnType<typeof createClient<paths>>;
let raw: unknown;
// biome-ignore lint/suspicious/noExplicitAny: the served document, read as JSON.
let served: Record<string, any>;
const ajv = new Ajv2020({ strict: false, allErrors: true });

beforeAll(async () => {
  stack = await startTestStack();
  client = createClient<paths>({ baseUrl: stack.url });
  const { data, response } = await client.GET('/v1/openapi.json');
  expect(response.status).toBe(200);
  raw = data;
  // The document's component schemas as one JSON Schema; its references point into it.
  served = JSON.parse(JSON.stringify(raw).replaceAll('#/components/schemas/', 'certflow#/$defs/'));
  ajv.addSchema({ $id: 'certflow', $defs: served.components.schemas });
});

afterAll(async () => {
  await stack?.end();
});

/** Validates `body` against the served document's schema for that answer; returns the body. */
function conforms(path: string, method: string, response: Response, body: unknown): unknown {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!;
  const schema = served.paths[path]?.[method]?.responses?.[String(response.status)]?.content?.[type]?.schema;
  expect(
    schema,
    `${method.toUpperCase()} ${path} ${response.status} ${type} is in the document`,
  ).toBeDefined();
  const check = ajv.compile(schema);
  const valid = check(body);
  expect(valid, `${method.toUpperCase()} ${path} ${response.status}: ${ajv.errorsText(check.errors)}`).toBe(
    true,
  );
  return body;
}

describe('a generated client (openapi-fetch) against the running local stack', () => {
  it('serves the document it was generated from', () => {
    expect(raw).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('the public routes: catalogue and metrics', async () => {
    const catalogue = await client.GET('/v1/catalogue');
    expect(catalogue.response.status).toBe(200);
    conforms('/v1/catalogue', 'get', catalogue.response, catalogue.data);
    expect(catalogue.data?.kinds.some((k) => k.code === 'KINSHIP')).toBe(true);
    const metrics = await client.GET('/v1/metrics/summary');
    conforms('/v1/metrics/summary', 'get', metrics.response, metrics.data);
    expect(metrics.data?.series).toHaveLength(30);
  });

  it('files a request, follows it to ISSUED and verifies the certificate', async () => {
    const body = scenario('kinship-on-the-spot')
      .body as paths['/v1/requests']['post']['requestBody']['content']['application/json'];
    const accepted = await client.POST('/v1/requests', {
      body,
      params: { header: { 'idempotency-key': randomUUID() } },
    });
    expect(accepted.response.status).toBe(202);
    conforms('/v1/requests', 'post', accepted.response, accepted.data);
    const { requestId, accessToken } = accepted.data!;
    await waitFinal(stack, requestId, accessToken);
    const answer = await client.GET('/v1/requests/{requestId}', {
      params: { path: { requestId } },
      headers: { authorization: `Bearer ${accessToken}` },
    });
    conforms('/v1/requests/{requestId}', 'get', answer.response, answer.data);
    const view = answer.data;
    expect(view?.status).toBe('ISSUED');
    const certificate = view!.certificate!;
    const check = await client.GET('/v1/certificates/{number}', {
      params: { path: { number: certificate.number }, query: { code: certificate.verificationCode } },
    });
    expect(check.response.status).toBe(200);
    conforms('/v1/certificates/{number}', 'get', check.response, check.data);
    expect(check.data?.valid).toBe(true);
  });

  it('a bad body is a problem+json the document describes', async () => {
    const answer = await client.POST('/v1/requests', {
      body: { ...scenario('identity').body, proof: 'NO_SUCH_KIND' } as never,
    });
    expect(answer.response.status).toBe(400);
    expect(answer.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    conforms('/v1/requests', 'post', answer.response, answer.error);
    expect(answer.error?.errors?.map((e) => e.path)).toContain('proof');
  });

  it('staff: stations, the queue, and a finding that issues', async () => {
    const filed = await client.POST('/v1/requests', {
      body: scenario('kinship-investigate').body as never,
    });
    expect(filed.response.status).toBe(202);
    const { requestId } = filed.data!;
    const waiting = await waitWaiting(stack, requestId);
    const headers = { authorization: `Bearer ${stack.credentials.officerToken}` };
    const stations = await client.GET('/v1/stations', { headers });
    conforms('/v1/stations', 'get', stations.response, stations.data);
    expect(stations.data?.stations.map((s) => s.code)).toContain(waiting.station);
    const queue = await client.GET('/v1/stations/{station}/queue', {
      params: { path: { station: waiting.station! }, query: { limit: '200' } },
      headers,
    });
    conforms('/v1/stations/{station}/queue', 'get', queue.response, queue.data);
    expect(queue.data?.items.some((i) => i.requestId === requestId)).toBe(true);
    const finding = await client.POST('/v1/requests/{requestId}/findings', {
      params: { path: { requestId } },
      body: { outcome: 'CONFIRMED', facts: {} },
      headers,
    });
    expect(finding.response.status).toBe(202);
    conforms('/v1/requests/{requestId}/findings', 'post', finding.response, finding.data);
  });

  it('a department: a signed exchange query and its records', async () => {
    const secret = stack.credentials.departments.HUMAN_RESOURCES!.secret;
    const body = {
      question: 'ALIVE' as const,
      subject: { idNumber: '220102195211081069' },
      purpose: '养老金资格认证',
      reference: 'HR-OPENAPI-1',
    };
    const now = Math.floor(stack.clock.now() / 1000);
    const query = await client.POST('/v1/exchange/queries', {
      params: {
        query: { department: 'HUMAN_RESOURCES' },
        // openapi-fetch sends JSON.stringify(body): the bytes signed here.
        header: signedHeaders([secret], `msg_${randomUUID()}`, now, JSON.stringify(body)),
      },
      body,
    });
    expect(query.response.status).toBe(200);
    conforms('/v1/exchange/queries', 'post', query.response, query.data);
    const records = await client.GET('/v1/exchange/records', {
      params: { query: { department: 'HUMAN_RESOURCES' } },
      headers: signedHeaders([secret], `msg_${randomUUID()}`, now, ''),
    });
    expect(records.response.status).toBe(200);
    conforms('/v1/exchange/records', 'get', records.response, records.data);
    expect(records.data?.records.some((r) => r.exchangeId === query.data?.exchangeId)).toBe(true);
  });

  it('accountability: a complaint through its finding, the lists, a rating and the public figures', async () => {
    const sup = { authorization: `Bearer ${stack.credentials.supervisorToken}` };
    const filed = await client.POST('/v1/complaints', {
      body: {
        kind: 'FAVOURS_ASKED',
        station: 'CC-YHL',
        text: '办事要求请吃饭',
        officer: 'officer:demo-officer',
        contact: { name: '黄小雨', phone: '13812345678' },
      },
    });
    expect(filed.response.status).toBe(202);
    conforms('/v1/complaints', 'post', filed.response, filed.data);
    const complaintId = filed.data!.complaintId;
    const own = { authorization: `Bearer ${filed.data!.accessToken}` };
    let view = await client.GET('/v1/complaints/{complaintId}', {
      params: { path: { complaintId } },
      headers: own,
    });
    for (let i = 0; i < 200 && view.data?.status !== 'ASSIGNED'; i += 1) {
      await new Promise((r) => setTimeout(r, 40));
      view = await client.GET('/v1/complaints/{complaintId}', {
        params: { path: { complaintId } },
        headers: own,
      });
    }
    conforms('/v1/complaints/{complaintId}', 'get', view.response, view.data);
    for (let i = 0; i < 200; i += 1) {
      const c = await stack.deps.accountability.getComplaint(complaintId);
      if (c?.taskToken) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    const list = await client.GET('/v1/complaints', { params: { query: {} }, headers: sup });
    conforms('/v1/complaints', 'get', list.response, list.data);
    const decided = await client.POST('/v1/complaints/{complaintId}/findings', {
      params: { path: { complaintId } },
      body: { outcome: 'UPHELD', note: '属实' },
      headers: sup,
    });
    expect(decided.response.status).toBe(202);
    conforms('/v1/complaints/{complaintId}/findings', 'post', decided.response, decided.data);
    const supView = await client.GET('/v1/complaints/{complaintId}', {
      params: { path: { complaintId } },
      headers: sup,
    });
    conforms('/v1/complaints/{complaintId}', 'get', supView.response, supView.data);
    const records = await client.GET('/v1/accountability', {
      params: { query: { officer: 'officer:demo-officer' } },
      headers: sup,
    });
    conforms('/v1/accountability', 'get', records.response, records.data);
    const filedRequest = await client.POST('/v1/requests', {
      body: scenario('kinship-on-the-spot').body as never,
    });
    const { requestId, accessToken } = filedRequest.data!;
    await waitFinal(stack, requestId, accessToken);
    const rated = await client.POST('/v1/requests/{requestId}/rating', {
      params: { path: { requestId } },
      body: { score: 1, text: '慢' },
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(rated.response.status).toBe(201);
    conforms('/v1/requests/{requestId}/rating', 'post', rated.response, rated.data);
    const again = await client.POST('/v1/requests/{requestId}/rating', {
      params: { path: { requestId } },
      body: { score: 1 },
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(again.response.status).toBe(409);
    conforms('/v1/requests/{requestId}/rating', 'post', again.response, again.error);
    const reviews = await client.GET('/v1/reviews', { params: { query: {} }, headers: sup });
    conforms('/v1/reviews', 'get', reviews.response, reviews.data);
    const figures = await client.GET('/v1/transparency/accountability');
    conforms('/v1/transparency/accountability', 'get', figures.response, figures.data);
  });
});
