/** The alarms and the dashboard read metrics by name: every name must be one the handlers emit. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/bundling.ts';
import { emfMetrics, extraDimensions, outcomeMetrics } from '#infra/metrics.ts';
import { OUTCOMES } from '#shared/domain/types.ts';

function sources(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(join(repoRoot, dir, f), 'utf8'));
}

/** Metric names passed to `metrics.addMetric('Name', …)` anywhere in functions/. */
function emittedNames(): Set<string> {
  const names = new Set<string>();
  for (const code of sources('functions')) {
    for (const m of code.matchAll(/addMetric\(\s*'([A-Za-z0-9_]+)'/g)) names.add(m[1] as string);
    if (/addMetric\(\s*`Outcome_\$\{[^}]+\}`/.test(code)) for (const o of OUTCOMES) names.add(`Outcome_${o}`);
  }
  return names;
}

describe('EMF metric names', () => {
  it('finds the metrics the handlers emit', () => {
    const emitted = emittedNames();
    expect(emitted).toContain('RequestAccepted');
    expect(emitted.size).toBeGreaterThan(5);
  });

  it('alarms and dashboard read only metrics some handler emits', () => {
    const emitted = emittedNames();
    const missing = [...Object.values(emfMetrics), ...outcomeMetrics].filter((name) => !emitted.has(name));
    expect(missing).toEqual([]);
  });

  it('the overdue alarm has its gauge: the deadline sweeper emits OverdueRequests', () => {
    const sweeper = readFileSync(join(repoRoot, 'functions/schedule/deadline-sweeper.ts'), 'utf8');
    expect(emfMetrics.overdue).toBe('OverdueRequests');
    expect(sweeper).toMatch(/addMetric\(\s*'OverdueRequests',\s*'Count'/);
  });

  it('knows every extra dimension the handlers add (an alarm on a metric must match its dimension set)', () => {
    const found: Record<string, string[]> = {};
    for (const code of sources('functions')) {
      const dims = [...code.matchAll(/addDimension\(\s*'([A-Za-z0-9_]+)'/g)].map((m) => m[1] as string);
      if (dims.length === 0) continue;
      for (const m of code.matchAll(/addMetric\(\s*'([A-Za-z0-9_]+)'/g)) found[m[1] as string] = dims.sort();
    }
    expect(found).toEqual(
      Object.fromEntries(Object.entries(extraDimensions).map(([k, v]) => [k, [...v].sort()])),
    );
  });
});
