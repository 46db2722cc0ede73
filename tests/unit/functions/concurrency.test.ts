/** Bounded concurrency (shared/concurrency.ts): never more than the limit in flight, results in order. */
import { describe, expect, it } from 'vitest';
import { eachLimited, mapLimited } from '#shared/concurrency.ts';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('mapLimited', () => {
  it('keeps at most `limit` calls in flight and answers in the items’ order', async () => {
    let inFlight = 0;
    let most = 0;
    const out = await mapLimited([5, 1, 4, 2, 3, 9, 7], 3, async (n, i) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, n));
      inFlight -= 1;
      return `${i}:${n * 2}`;
    });
    expect(out).toEqual(['0:10', '1:2', '2:8', '3:4', '4:6', '5:18', '6:14']);
    expect(most).toBe(3);
  });

  it('handles no items and a limit below 1', async () => {
    expect(await mapLimited([], 4, async () => 1)).toEqual([]);
    expect(await mapLimited([1, 2], 0, async (n) => n + 1)).toEqual([2, 3]);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    await expect(
      eachLimited([1, 2, 3, 4, 5], 1, async (n) => {
        started.push(n);
        await tick();
        if (n === 2) throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(started).toEqual([1, 2]);
  });
});
