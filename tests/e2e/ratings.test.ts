/**
 * Rating a request once (好差评) over HTTP: only after closure, only with the request's own access token,
 * a second time is a 409; a poor rating (≤ 2, accountability.json) opens a review in the supervisor's
 * list; a supervisor closes it once with an outcome and a remark (差评回访); ratings feed the station's
 * public figures and the officer's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { call, getRequest, investigation, scenario, startTestStack, submit, waitFinal } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.end();
});

const rate = (requestId: string, body: unknown, token?: string) =>
  call(stack, 'POST', `/v1/requests/${requestId}/rating`, { body, ...(token ? { token } : {}) });

describe('rating a request', () => {
  it('before closure is a 409; after, once only; a poor one opens a review', async () => {
    // Prepare: an investigation the officer confirms.
    const { requestId, accessToken } = await investigation(stack);
    const early = await rate(requestId, { score: 5 }, accessToken);
    expect(early.status).toBe(409);
    expect(early.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(early.body.detail).toMatch(/办结后.*closed/);
    const found = await call(stack, 'POST', `/v1/requests/${requestId}/findings`, {
      token: stack.credentials.officerToken,
      body: { outcome: 'CONFIRMED', facts: { checked: 'case file' } },
    });
    expect(found.status).toBe(202);
    await waitFinal(stack, requestId, accessToken);
    const officer = (await getRequest(stack, requestId, stack.credentials.supervisorToken)).body.finding.by;
    expect(officer).toMatch(/^officer:/);
    // Bad input and the wrong credentials store nothing.
    expect((await rate(requestId, { score: 6 }, accessToken)).status).toBe(400);
    expect((await rate(requestId, { score: 2, text: 'x'.repeat(201) }, accessToken)).status).toBe(400);
    expect((await rate(requestId, { score: 2 })).status).toBe(401);
    expect((await rate(requestId, { score: 2 }, stack.credentials.supervisorToken)).status).toBe(404);
    // Act
    const first = await rate(requestId, { score: 2, text: '来回跑了三趟' }, accessToken);
    const second = await rate(requestId, { score: 5, text: '改个好评' }, accessToken);
    // Assess
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ requestId, score: 2, review: 'OPEN' });
    expect(second.status).toBe(409);
    expect(second.body.detail).toMatch(/已经评价过/);
    const reviews = await call(stack, 'GET', '/v1/reviews', { token: stack.credentials.supervisorToken });
    expect(reviews.status).toBe(200);
    expect(reviews.body.items).toEqual([
      expect.objectContaining({ requestId, score: 2, text: '来回跑了三趟', station: 'CC-YHL', officer }),
    ]);
    expect((await call(stack, 'GET', '/v1/reviews', { token: stack.credentials.officerToken })).status).toBe(
      403,
    );
    const figures = await call(stack, 'GET', `/v1/accountability?officer=${encodeURIComponent(officer)}`, {
      token: stack.credentials.supervisorToken,
    });
    expect(figures.body.ratings).toEqual({ count: 1, average: 2, poor: 1 });
  });

  it('a good rating opens no review; the station average counts both', async () => {
    const { requestId, accessToken } = await submit(stack, scenario('kinship-on-the-spot').body);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view.status).toBe('ISSUED');
    const answer = await rate(requestId, { score: 5 }, accessToken);
    expect(answer.status).toBe(201);
    expect(answer.body.review).toBe('NONE');
    const reviews = await call(stack, 'GET', '/v1/reviews', { token: stack.credentials.supervisorToken });
    expect(reviews.body.items.map((r: { requestId: string }) => r.requestId)).not.toContain(requestId);
    const publicFigures = await call(stack, 'GET', '/v1/transparency/accountability');
    expect(view.station).toBe('CC-YHL');
    const row = publicFigures.body.stations.find((s: { station: string }) => s.station === 'CC-YHL');
    // Both requests of this file finished on time at CC-YHL; rated 2 and 5.
    expect(row).toMatchObject({ finished: 2, onTimeRate: 1, ratings: 2, ratingAverage: 3.5 });
    expect(JSON.stringify(publicFigures.body)).not.toContain('来回跑了三趟');
  });

  it('a supervisor closes a poor-rating review once, with an outcome and a remark; it leaves the open list', async () => {
    // Prepare: a request rated 1 (a review opens) and one rated 5 (none).
    const poor = await submit(stack, scenario('kinship-on-the-spot').body);
    await waitFinal(stack, poor.requestId, poor.accessToken);
    expect((await rate(poor.requestId, { score: 1, text: '态度差' }, poor.accessToken)).status).toBe(201);
    const good = await submit(stack, scenario('name-change').body);
    await waitFinal(stack, good.requestId, good.accessToken);
    expect((await rate(good.requestId, { score: 5 }, good.accessToken)).status).toBe(201);
    const close = (requestId: string, body: unknown, token?: string) =>
      call(stack, 'POST', `/v1/reviews/${requestId}/close`, { body, ...(token ? { token } : {}) });
    const supervisor = stack.credentials.supervisorToken;
    const body = { outcome: 'RECTIFIED', remark: '已回访申请人并道歉，窗口整改' };

    // Bad input, no sign-in, an officer, no review: refused, nothing stored.
    const bad = await close(poor.requestId, { outcome: 'FIXED', remark: '' }, supervisor);
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['outcome', 'remark']);
    expect(JSON.stringify(bad.body)).toMatch(/[\u4e00-\u9fff]/);
    expect((await close(poor.requestId, body)).status).toBe(401);
    const officer = await close(poor.requestId, body, stack.credentials.officerToken);
    expect(officer.status).toBe(403);
    expect(officer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await close(good.requestId, body, supervisor)).status).toBe(404);
    expect((await close('r_unknown', body, supervisor)).status).toBe(404);
    const stillOpen = await call(stack, 'GET', '/v1/reviews', { token: supervisor });
    expect(stillOpen.body.items.map((r: { requestId: string }) => r.requestId)).toContain(poor.requestId);
    expect((await stack.deps.accountability.getRating(poor.requestId))?.review).toBe('OPEN');

    // Act
    const before = stack.clock.now();
    const closed = await close(poor.requestId, body, supervisor);
    const after = stack.clock.now();
    const again = await close(poor.requestId, { outcome: 'NO_FAULT', remark: '再关一次' }, supervisor);

    // Assess: closed once, by the supervisor, at the stack's (pinned) time; out of the open list.
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({
      requestId: poor.requestId,
      score: 1,
      review: 'CLOSED',
      closure: {
        outcome: 'RECTIFIED',
        remark: '已回访申请人并道歉，窗口整改',
        by: expect.stringMatching(/^supervisor:/),
        at: expect.stringMatching(/^2026-11-23T/),
      },
      links: { request: `/v1/requests/${poor.requestId}` },
    });
    const at = Date.parse(closed.body.closure.at);
    expect(at).toBeGreaterThanOrEqual(before);
    expect(at).toBeLessThanOrEqual(after);
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(again.body.detail).toMatch(/已经办结.*closed already/);
    const open = await call(stack, 'GET', '/v1/reviews', { token: supervisor });
    expect(open.body.items.map((r: { requestId: string }) => r.requestId)).not.toContain(poor.requestId);
    expect(await stack.deps.accountability.getRating(poor.requestId)).toMatchObject({
      review: 'CLOSED',
      closure: { outcome: 'RECTIFIED' },
    });
  });
});
