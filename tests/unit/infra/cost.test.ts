/** The cost estimate walks the real definition: its paths must exist, and the figures follow from them. */
import { describe, expect, it } from 'vitest';
import {
  counts,
  estimate,
  measuredPaths,
  transitionsOf,
  UnknownPathError,
} from '../../../bench/bundles/cost.ts';

describe('cost estimate', () => {
  it('counts the transitions of a path through the definition', () => {
    expect(transitionsOf(['CheckRules', 'Route', 'IssueCertificate'])).toBe(3);
  });

  it('rejects a path the definition does not allow, naming the step', () => {
    expect(() => transitionsOf(['CheckRules', 'IssueCertificate'])).toThrow(UnknownPathError);
    expect(() => transitionsOf(['CheckRules', 'Nowhere'])).toThrow(/Nowhere/);
  });

  it('agrees with the measured transitions of every path, and the mix adds up to 1', () => {
    for (const p of measuredPaths) expect(transitionsOf(p.states), p.path).toBe(p.transitions);
    expect(measuredPaths.reduce((a, p) => a + p.share, 0)).toBeCloseTo(1, 9);
  });

  it('scales the per-request parts linearly and keeps the fixed ones', () => {
    const c = counts();
    expect(c.transitionsPerRequest).toBeGreaterThan(3);
    const total = (n: number) => estimate(n, 44, c).reduce((a, l) => a + l.usd, 0);
    const stepFunctions = (n: number) => estimate(n, 44, c)[0]?.usd ?? 0;
    // Step Functions: $0.025 per 1,000 transitions beyond the 4,000 free.
    expect(stepFunctions(1_000_000)).toBeCloseTo(
      ((c.transitionsPerRequest * 1_000_000 - 4000) * 0.025) / 1000,
      6,
    );
    expect(total(2_000_000)).toBeGreaterThan(total(20_000));
    expect(total(0)).toBeGreaterThan(0);
  });
});
