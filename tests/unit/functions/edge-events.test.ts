/**
 * The edges' event parsing (issue 16: certflow's zod/mini schemas through Powertools' parser middleware,
 * not Powertools' classic-zod event schemas): an HTTP route gets the payload 2.0 fields it reads, a
 * malformed event is a plain 500 problem with nothing of it passed on, and a workflow step's bad input is
 * a StepInputError.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { type HttpEvent, httpHandler, json } from '#functions/edge/http.ts';
import { StepInputError, stepHandler } from '#functions/edge/step.ts';
import { DeadlineTimerInputSchema } from '#functions/schedule/deadline-timer.ts';
import { RecoverInputSchema } from '#functions/workflow/recover-workflow.ts';
import { context, testDeps } from './helpers.ts';

/** An API Gateway HTTP API payload 2.0 event (tests/events), here with a JWT authorizer's claims. */
const fixture = (): Record<string, unknown> & { requestContext: Record<string, unknown> } => {
  const event = JSON.parse(
    readFileSync(new URL('../../events/apigw-http/get-catalogue.json', import.meta.url), 'utf8'),
  );
  event.requestContext.authorizer = {
    jwt: { claims: { username: 'officer1', 'cognito:groups': '[officer]' }, scopes: null },
  };
  event.pathParameters = { requestId: 'R1' };
  event.queryStringParameters = { limit: '5' };
  event.cookies = ['a=b'];
  return event;
};

function routeSpy() {
  const seen: HttpEvent[] = [];
  const route = async (event: HttpEvent) => {
    seen.push(event);
    return json(200, { ok: true });
  };
  return { seen, route };
}

describe('httpHandler event parsing', () => {
  it('hands the route the payload 2.0 fields certflow reads', async () => {
    const { seen, route } = routeSpy();
    const result = await httpHandler(testDeps(), route)(fixture(), context());
    expect(result.statusCode).toBe(200);
    expect(seen).toHaveLength(1);
    const event = seen[0]!;
    expect(event.routeKey).toBe('GET /v1/catalogue');
    expect(event.headers.host).toBe('abc123.execute-api.ap-northeast-2.amazonaws.com');
    expect(event.pathParameters).toEqual({ requestId: 'R1' });
    expect(event.queryStringParameters).toEqual({ limit: '5' });
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).toMatchObject({
      requestId: 'bundle-check',
      domainName: 'abc123.execute-api.ap-northeast-2.amazonaws.com',
      http: { method: 'GET', sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims: { username: 'officer1', 'cognito:groups': '[officer]' } } },
    });
  });

  it.each([
    ['a REST API (payload 1.0) event', { httpMethod: 'GET', path: '/v1/catalogue', headers: {} }],
    ['no event at all', null],
    [
      'a method API Gateway never sends',
      {
        ...fixture(),
        requestContext: { ...fixture().requestContext, http: { method: 'BREW', sourceIp: '127.0.0.1' } },
      },
    ],
    [
      'a source address that is no IP address',
      {
        ...fixture(),
        requestContext: { ...fixture().requestContext, http: { method: 'GET', sourceIp: 'example.com' } },
      },
    ],
    ['headers that are not strings', { ...fixture(), headers: { host: 1 } }],
  ])('answers %s with a plain 500 problem, without calling the route', async (_, event) => {
    const deps = testDeps();
    const error = vi.spyOn(deps.logger, 'error');
    const { seen, route } = routeSpy();
    const result = await httpHandler(deps, route)(event, context());
    expect(seen).toEqual([]);
    expect(result.statusCode).toBe(500);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toEqual({
      type: '/problems/internal',
      title: '服务器内部错误 / Internal server error',
      status: 500,
      detail: '请稍后再试 / Please try again later',
    });
    expect(error).toHaveBeenCalledWith('event is not an API Gateway payload 2.0 event', {
      error: 'Failed to parse schema',
    });
  });
});

describe('stepHandler input parsing', () => {
  it('passes the parsed input on (unknown keys dropped)', async () => {
    const seen: unknown[] = [];
    const handler = stepHandler(testDeps(), RecoverInputSchema, async (input) => {
      seen.push(input);
      return 'done';
    });
    const input = { requestId: 'R1', error: { Error: 'States.Timeout', Cause: 'x' }, extra: 1 };
    expect(await handler(input, context())).toBe('done');
    expect(seen).toEqual([{ requestId: 'R1', error: { Error: 'States.Timeout', Cause: 'x' } }]);
  });

  it.each([
    [
      'a request id that is too long',
      { action: 'WARN', requestId: 'R'.repeat(101), deadline: '2026-11-30T15:59:59.999Z' },
    ],
    ['an empty request id', { action: 'WARN', requestId: '', deadline: '2026-11-30T15:59:59.999Z' }],
    ['a deadline that is no ISO date-time', { action: 'WARN', requestId: 'R1', deadline: '30 Nov 2026' }],
    ['another action', { action: 'ESCALATE', requestId: 'R1', deadline: '2026-11-30T15:59:59.999Z' }],
  ])('refuses %s with a StepInputError, without running the step', async (_, input) => {
    const step = vi.fn(async () => 'ran');
    const handler = stepHandler(testDeps(), DeadlineTimerInputSchema, step);
    await expect(handler(input, context())).rejects.toThrow(StepInputError);
    await expect(handler(input, context())).rejects.toThrow(
      'step input is not valid: Failed to parse schema',
    );
    expect(step).not.toHaveBeenCalled();
  });
});
