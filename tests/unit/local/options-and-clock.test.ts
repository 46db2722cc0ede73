import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDuration, start as startClock } from '#local/clock.ts';
import { loadOrCreate } from '#local/credentials.ts';
import { OptionError, resolveOptions } from '#local/options.ts';

describe('npm start options: flag → env var → default', () => {
  it('defaults', () => {
    expect(resolveOptions([], {})).toMatchObject({
      port: 4000,
      dataDir: '.certflow',
      inMemory: false,
      testClock: false,
      rateLimit: 120,
      web: true,
    });
  });

  it('flags win over env vars, env vars over defaults', () => {
    expect(resolveOptions(['--port', '5000'], { PORT: '6000' }).port).toBe(5000);
    expect(
      resolveOptions([], { PORT: '6000', CERTFLOW_RATE_LIMIT: '0', CERTFLOW_TEST_CLOCK: '1' }),
    ).toMatchObject({ port: 6000, rateLimit: 0, testClock: true });
    expect(resolveOptions(['--rate-limit=7', '--in-memory', '--data-dir', '/tmp/x'], {})).toMatchObject({
      rateLimit: 7,
      inMemory: true,
      dataDir: '/tmp/x',
    });
  });

  it('--holidays FILE or CERTFLOW_HOLIDAYS_FILE: the holiday supplement (none by default)', () => {
    expect(resolveOptions([], {})).not.toHaveProperty('holidaysFile');
    const file = 'shared/registry/demo-registry.json'; // any existing file: its content is checked at start
    expect(resolveOptions(['--holidays', file], {}).holidaysFile).toBe(file);
    expect(resolveOptions([], { CERTFLOW_HOLIDAYS_FILE: file }).holidaysFile).toBe(file);
  });

  it('a bad value names the flag or variable', () => {
    expect(() => resolveOptions(['--port', 'x'], {})).toThrow(/--port/);
    expect(() => resolveOptions([], { PORT: '70000' })).toThrow(/PORT/);
    expect(() => resolveOptions(['--rate-limit'], {})).toThrow(OptionError);
    expect(() => resolveOptions(['--nope'], {})).toThrow(/unknown option/);
    expect(() => resolveOptions(['--registry', '/no/such/file.json'], {})).toThrow(/no such file/);
    expect(() => resolveOptions(['--holidays', '/no/such/file.json'], {})).toThrow(
      /--holidays: no such file/,
    );
    expect(() => resolveOptions([], { CERTFLOW_HOLIDAYS_FILE: '/no/such.json' })).toThrow(
      /CERTFLOW_HOLIDAYS_FILE: no such file/,
    );
    expect(() => resolveOptions([], { CERTFLOW_TEST_CLOCK: 'maybe' })).toThrow(/CERTFLOW_TEST_CLOCK/);
  });
});

describe('ISO 8601 durations', () => {
  it.each([
    ['PT36H', 36 * 3600_000],
    ['P1DT2H', 26 * 3600_000],
    ['P2W', 14 * 86400_000],
    ['PT90S', 90_000],
    ['PT1.5M', 90_000],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['P', 'PT', '36H', 'P1H', '-PT1H', 'PT1H30'])('rejects %s', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

describe('state kept in the data dir', () => {
  it('the test clock goes on from the time it had reached', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certflow-clock-'));
    try {
      const first = await startClock({ testClock: true, dataDir: dir });
      first.adjustable!.advance(10 * 86400_000);
      const reached = first.clock.now();
      await first.end();
      const second = await startClock({ testClock: true, dataDir: dir });
      expect(second.clock.now()).toBeGreaterThanOrEqual(reached);
      expect(second.clock.now() - reached).toBeLessThan(5_000);
      await second.end();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('demo credentials are created once and stay the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'certflow-creds-'));
    try {
      const a = await loadOrCreate(dir, { persist: true });
      const b = await loadOrCreate(dir, { persist: true });
      expect(b.credentials).toEqual(a.credentials);
      expect(b.tokenSecret).toBe(a.tokenSecret);
      expect(Object.keys(a.credentials.departments)).toEqual(
        expect.arrayContaining(['NOTARY', 'COURT', 'CIVIL_AFFAIRS', 'HUMAN_RESOURCES', 'EDUCATION']),
      );
      expect(a.credentials.departments.NOTARY!.secret).toMatch(/^whsec_/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
