/**
 * Deadlines at fixed dates, never today's: the same investigation accepted on a weekday before a
 * holiday, on a Friday, and on make-up working days (a Sunday and a Saturday), each on a stack whose
 * clock is pinned there. Expected values follow the State Council's 2026 schedule (Mid-Autumn Friday
 * 25 September; National Day 1–7 October with make-up workdays Sunday 20 September and Saturday
 * 10 October): "5 working days from acceptance" ends at the close of the 5th working day after the day
 * of acceptance, Beijing time; the warning one working day before; past the deadline, escalation level 1
 * exactly, whatever the weekday.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { WARNING_WINDOW_MINUTES } from '#shared/schedule/port.ts';
import type { RequestEvent } from '#shared/store/model.ts';
import { call, getRequest, scenario, startTestStack, submit, waitFor, waitWaiting } from './helpers.ts';

const cases = [
  {
    name: 'Wednesday 30 September, the day before the National Day holiday',
    acceptedAt: '2026-09-30T02:00:00.000Z',
    // 8, 9, 10 (make-up Saturday), 12, 13 October
    deadline: '2026-10-13T15:59:59.999Z',
    warnAt: '2026-10-12T15:59:59.999Z',
  },
  {
    name: 'Friday 27 November',
    acceptedAt: '2026-11-27T02:00:00.000Z',
    deadline: '2026-12-04T15:59:59.999Z',
    warnAt: '2026-12-03T15:59:59.999Z',
  },
  {
    name: 'Sunday 20 September, a make-up working day (Mid-Autumn on Friday 25th)',
    acceptedAt: '2026-09-20T02:00:00.000Z',
    // 21, 22, 23, 24, then 28 September (25–27 off)
    deadline: '2026-09-28T15:59:59.999Z',
    warnAt: '2026-09-24T15:59:59.999Z',
  },
  {
    name: 'Saturday 10 October, a make-up working day',
    acceptedAt: '2026-10-10T02:00:00.000Z',
    deadline: '2026-10-16T15:59:59.999Z',
    warnAt: '2026-10-15T15:59:59.999Z',
  },
];

let stack: LocalStack | undefined;
afterEach(async () => {
  await stack?.end();
  stack = undefined;
});

const setClock = async (s: LocalStack, at: number) => {
  const answer = await call(s, 'POST', '/_local/clock', { body: { set: new Date(at).toISOString() } });
  expect(answer.status).toBe(200);
};

describe.each(cases)('accepted $name', ({ acceptedAt, deadline, warnAt }) => {
  it('has its deadline and warning on the right working days, and escalates to level 1 exactly', async () => {
    stack = await startTestStack({ clockStart: acceptedAt, scheduler: false });
    const { requestId, accessToken } = await submit(stack, scenario('kinship-investigate').body);
    await waitWaiting(stack, requestId);
    const view = await getRequest(stack, requestId, accessToken);
    expect(view.body).toMatchObject({ status: 'INVESTIGATING', deadline, deadlineProvisional: false });
    // Just before the warning moment: nothing; just after its flexible window (the day's warnings are
    // spread over it): warned once.
    await setClock(stack, Date.parse(warnAt) - 60_000);
    await stack.sweep();
    const before = await getRequest(stack, requestId, accessToken);
    expect(before.body.history.some((e: RequestEvent) => e.type === 'WARNED')).toBe(false);
    await setClock(stack, Date.parse(warnAt) + (WARNING_WINDOW_MINUTES + 1) * 60_000);
    await stack.sweep();
    const warned = await getRequest(stack, requestId, accessToken);
    expect(warned.body.history.filter((e: RequestEvent) => e.type === 'WARNED')).toHaveLength(1);
    // Past the deadline by a minute: level 1, whatever weekday the deadline fell on.
    await setClock(stack, Date.parse(deadline) + 60_000);
    const escalated = await waitFor(
      stack,
      requestId,
      accessToken,
      (v) => v.status === 'ESCALATED',
      'escalation',
    );
    expect(escalated.escalationLevel).toBe(1);
    expect(escalated.deadline > deadline).toBe(true);
  });
});
