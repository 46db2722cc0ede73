/**
 * Accept anywhere, handle at the competent station (收受分离), end to end: a request filed at CC-YHL
 * (长春) about a family registered at JL-DSL (吉林) is decided and issued by JL-DSL; the applicant
 * collects it at CC-YHL; both stations' queues show it, with their roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { call, scenario, startTestStack, submit, waitFinal, waitWaiting } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);

afterAll(async () => {
  await stack?.end();
});

const queue = (station: string) =>
  call(stack, 'GET', `/v1/stations/${station}/queue`, { token: stack.credentials.officerToken });

describe('收受分离: accepted at one station, handled at another', () => {
  it('both queues show it with their roles; the competent station issues; it is collected where chosen', async () => {
    // Prepare + Act: filed at CC-YHL, to be collected there; the family is registered at JL-DSL.
    const body = {
      ...scenario('head-and-other-member').body,
      filing: { station: 'CC-YHL', collectAt: 'CC-YHL' },
    };
    const { requestId, accessToken } = await submit(stack, body);
    await waitWaiting(stack, requestId);

    // Assess: JL-DSL handles it; CC-YHL shows it as accepted there.
    const handling = await queue('JL-DSL');
    expect(handling.body.items.find((i: { requestId: string }) => i.requestId === requestId)).toMatchObject({
      role: 'HANDLING',
      waiting: true,
    });
    expect(handling.body.accepted ?? []).toEqual([]);
    const accepting = await queue('CC-YHL');
    expect(accepting.body.items.some((i: { requestId: string }) => i.requestId === requestId)).toBe(false);
    expect(accepting.body.accepted).toEqual([
      expect.objectContaining({
        requestId,
        reference: requestId.slice(-8).toUpperCase(),
        role: 'ACCEPTING',
        handlingStation: 'JL-DSL',
        collectAt: 'CC-YHL',
        status: 'INVESTIGATING',
      }),
    ]);

    // The competent station confirms; the certificate is issued there and collected at CC-YHL.
    const finding = await call(stack, 'POST', `/v1/requests/${requestId}/findings`, {
      body: { outcome: 'CONFIRMED', facts: { checked: 'household file' }, note: '核实属实' },
      token: stack.credentials.officerToken,
    });
    expect(finding.status).toBe(202);
    const view = await waitFinal(stack, requestId, accessToken);
    expect(view).toMatchObject({
      status: 'ISSUED',
      station: 'JL-DSL',
      filing: { acceptedAt: 'CC-YHL', handledAt: 'JL-DSL', collectAt: 'CC-YHL' },
    });
    expect((await queue('CC-YHL')).body.accepted[0]).toMatchObject({ requestId, status: 'ISSUED' });
  });

  it('filed online, collected at the competent station by default; an unknown station is a 400', async () => {
    const online = await submit(stack, { ...scenario('head-and-other-member').body, filing: {} });
    await waitWaiting(stack, online.requestId);
    const view = (await call(stack, 'GET', `/v1/requests/${online.requestId}`, { token: online.accessToken }))
      .body;
    expect(view.filing).toEqual({ acceptedAt: 'ONLINE', handledAt: 'JL-DSL', collectAt: 'JL-DSL' });
    const bad = await call(stack, 'POST', '/v1/requests', {
      body: { ...scenario('head-and-other-member').body, filing: { station: 'XX-NONE', collectAt: 'cc' } },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['filing.collectAt']);
    const unknown = await call(stack, 'POST', '/v1/requests', {
      body: { ...scenario('head-and-other-member').body, filing: { station: 'XX-NONE' } },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors.map((e: { path: string }) => e.path)).toEqual(['filing.station']);
  });
});
