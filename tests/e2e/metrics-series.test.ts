/** GET /v1/metrics/summary `series`: finished requests per Beijing day and outcome, the last 30 days. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { advanceClock, call, scenario, startTestStack, submit, waitFinal } from './helpers.ts';

let stack: LocalStack;

beforeAll(async () => {
  stack = await startTestStack(); // Monday 23 November 2026, 10:00 Beijing time
});
afterAll(async () => {
  await stack?.end();
});

async function file(id: string) {
  const { requestId, accessToken } = await submit(stack, scenario(id).body);
  return waitFinal(stack, requestId, accessToken);
}

interface Point {
  date: string;
  byOutcome: Record<string, number>;
}

async function series(): Promise<Point[]> {
  const answer = await call(stack, 'GET', '/v1/metrics/summary');
  expect(answer.status).toBe(200);
  return answer.body.series;
}

describe('metrics series', () => {
  it('counts finished requests on their Beijing day; 30 days, oldest first; older days drop out', async () => {
    await file('identity');
    await file('kinship-on-the-spot');
    // 16:30 UTC on Monday is already 00:30 on Tuesday 24 November in Beijing.
    await advanceClock(stack, 'PT14H30M');
    await file('identity');
    await file('alive-bank');

    const points = await series();
    expect(points).toHaveLength(30);
    expect(points[0]!.date).toBe('2026-10-26');
    expect(points.at(-1)!.date).toBe('2026-11-24');
    const dates = points.map((p) => p.date);
    expect([...dates].sort()).toEqual(dates);
    expect(new Set(dates).size).toBe(30);
    expect(points.at(-2)).toEqual({
      date: '2026-11-23',
      byOutcome: { DECLINED_PROVABLE_BY_HUKOU: 1, ISSUE_ON_THE_SPOT: 1 },
    });
    expect(points.at(-1)).toEqual({
      date: '2026-11-24',
      byOutcome: { DECLINED_PROVABLE_BY_HUKOU: 1, DECLINED_NO_LEGAL_BASIS: 1 },
    });
    expect(points.slice(0, -2).every((p) => Object.keys(p.byOutcome).length === 0)).toBe(true);

    // 29 days later, Monday 23 November is the 31st day back: out of the window; the 24th is the first.
    await advanceClock(stack, 'P29D');
    const later = await series();
    expect(later[0]).toEqual({
      date: '2026-11-24',
      byOutcome: { DECLINED_PROVABLE_BY_HUKOU: 1, DECLINED_NO_LEGAL_BASIS: 1 },
    });
    expect(later.some((p) => p.date === '2026-11-23')).toBe(false);
  });
});
