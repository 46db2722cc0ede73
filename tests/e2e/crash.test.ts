/**
 * kill -9 of `npm start` loses nothing accepted. In the middle of a burst of requests: after a restart on
 * the same data dir, every request that was answered 202 reaches its outcome (final, or waiting for its
 * investigation finding). In the middle of findings and clock moves: every finding answered 202 is
 * applied, and the clock goes on from at least the last time it answered.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startStackProcess } from '#tests/helpers/stack-process.ts';
import { scenario } from './helpers.ts';

const crashDir = mkdtempSync(join(tmpdir(), 'certflow-crash-'));
const drillDir = mkdtempSync(join(tmpdir(), 'certflow-crash-drill-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(crashDir, { recursive: true, force: true });
  rmSync(drillDir, { recursive: true, force: true });
});

const KINDS = ['kinship-on-the-spot', 'name-change', 'identity', 'kinship-investigate', 'kinship-exchange'];

describe('crash during a burst', () => {
  it('every accepted request reaches its outcome after a restart', async () => {
    // Prepare: the stack as a child process.
    const first = await startStackProcess(crashDir);
    child = first.proc;
    const accepted: { requestId: string; accessToken: string; kind: string }[] = [];
    let killed = false;
    // Act: 10 clients submitting until the stack is killed after 40 accepted requests.
    const client = async (n: number) => {
      for (let i = 0; !killed; i += 1) {
        const kind = KINDS[(n + i) % KINDS.length]!;
        try {
          const r = await fetch(`${first.api}/v1/requests`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(scenario(kind).body),
          });
          if (r.status === 202)
            accepted.push({ ...((await r.json()) as { requestId: string; accessToken: string }), kind });
        } catch {
          return; // the stack is gone
        }
        if (accepted.length >= 40 && !killed) {
          killed = true;
          first.proc.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 10 }, (_, n) => client(n)));
    await new Promise<void>((resolve) =>
      first.proc.exitCode !== null || first.proc.signalCode !== null
        ? resolve()
        : first.proc.once('exit', () => resolve()),
    );
    expect(accepted.length).toBeGreaterThanOrEqual(40);
    // Restart on the same data dir; move past the sweeper's grace period and sweep (repairs).
    const second = await startStackProcess(crashDir);
    child = second.proc;
    let secondExit: string | undefined;
    second.proc.once('exit', (code, signal) => {
      secondExit = `exit code ${code}, signal ${signal}`;
    });
    const clock = await fetch(`${second.api}/_local/clock`, {
      method: 'POST',
      body: JSON.stringify({ advance: 'PT3M' }),
    });
    expect(clock.status).toBe(200);
    // The restarted stack answers the sweep (a fetch failing with "other side closed" here meant it had
    // died). dynalite writes index entries before the item, so the kill can leave a status-index entry of
    // a request that was never stored (never answered 202): the sweeper skips it and sweeps the rest.
    const sweep = await fetch(`${second.api}/_local/sweep`, { method: 'POST' });
    expect(sweep.status, await sweep.clone().text()).toBe(200);
    // Assess: each accepted request reaches its outcome.
    const outcomes: Record<string, number> = {};
    const until = Date.now() + 40_000;
    for (const a of accepted) {
      let view: { status?: string } = {};
      while (Date.now() < until) {
        const r = await fetch(`${second.api}/v1/requests/${a.requestId}`, {
          headers: { authorization: `Bearer ${a.accessToken}` },
        });
        view = r.status === 200 ? ((await r.json()) as { status: string }) : {};
        const done =
          a.kind === 'kinship-investigate'
            ? view.status === 'INVESTIGATING'
            : ['ISSUED', 'DECLINED', 'ANSWERED_BY_EXCHANGE'].includes(view.status ?? '');
        if (done) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      outcomes[view.status ?? 'MISSING'] = (outcomes[view.status ?? 'MISSING'] ?? 0) + 1;
    }
    console.log('crash test: accepted', accepted.length, 'outcomes after restart', outcomes);
    // The restarted stack kept running and logged no lost race (a refused write, an escaped rejection).
    expect(secondExit).toBeUndefined();
    expect(second.stderr()).not.toMatch(
      /ConcurrentWriteError|unhandled rejection|could not record a transition/,
    );
    expect(outcomes.MISSING ?? 0).toBe(0);
    expect(outcomes.RECEIVED ?? 0).toBe(0);
    expect(outcomes.CHECKING ?? 0).toBe(0);
    expect(Object.values(outcomes).reduce((x, y) => x + y, 0)).toBe(accepted.length);
    second.proc.kill('SIGTERM');
    await new Promise<void>((resolve) => second.proc.once('exit', () => resolve()));
    child = undefined;
  });

  it('kill -9 during findings and clock moves: every 202 finding is applied, every answered clock move kept', async () => {
    const first = await startStackProcess(drillDir);
    child = first.proc;
    const post = (path: string, body: unknown, token?: string) =>
      fetch(`${first.api}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify(body),
      });
    const officerToken = (
      JSON.parse(readFileSync(join(drillDir, 'demo-credentials.json'), 'utf8')) as { officerToken: string }
    ).officerToken;
    // Pin the clock (Monday 23 November 2026, 10:00 Beijing): nothing is open after the restart's sweep,
    // so the test clock may be set back to it.
    expect((await post('/_local/clock', { set: '2026-11-23T02:00:00.000Z' })).status).toBe(200);
    // Prepare: investigations waiting for a finding.
    const waiting: { requestId: string; accessToken: string }[] = [];
    for (let i = 0; i < 12; i += 1) {
      const r = await post('/v1/requests', scenario('kinship-investigate').body);
      expect(r.status).toBe(202);
      waiting.push((await r.json()) as { requestId: string; accessToken: string });
    }
    const until = Date.now() + 30_000;
    for (const w of waiting) {
      while (Date.now() < until) {
        const queue = await fetch(`${first.api}/v1/requests/${w.requestId}`, {
          headers: { authorization: `Bearer ${officerToken}` },
        }).then((r) => r.json() as Promise<{ status: string; history: { type: string }[] }>);
        if (queue.history.some((e) => e.type === 'DISPATCHED')) break;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    // Act: findings and clock moves at once; kill -9 right after the last answers.
    const accepted: string[] = [];
    let clockReached = 0;
    await Promise.all([
      ...waiting.map(async (w) => {
        const r = await post(`/v1/requests/${w.requestId}/findings`, { outcome: 'CONFIRMED' }, officerToken);
        if (r.status === 202) accepted.push(w.requestId);
      }),
      (async () => {
        for (let i = 0; i < 5; i += 1) {
          const r = await post('/_local/clock', { advance: 'PT1M' });
          if (r.status === 200) clockReached = Date.parse(((await r.json()) as { now: string }).now);
        }
      })(),
    ]);
    first.proc.kill('SIGKILL');
    await new Promise<void>((resolve) =>
      first.proc.exitCode !== null || first.proc.signalCode !== null
        ? resolve()
        : first.proc.once('exit', () => resolve()),
    );
    expect(accepted.length).toBeGreaterThan(0);
    // Restart: the clock went on from at least the last answered move; every accepted finding applies.
    const second = await startStackProcess(drillDir);
    child = second.proc;
    const now = await fetch(`${second.api}/_local/clock`).then((r) => r.json() as Promise<{ now: string }>);
    expect(Date.parse(now.now)).toBeGreaterThanOrEqual(clockReached);
    await fetch(`${second.api}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 'PT3M' }),
    });
    expect((await fetch(`${second.api}/_local/sweep`, { method: 'POST' })).status).toBe(200);
    const statuses: Record<string, string> = {};
    const deadline = Date.now() + 40_000;
    for (const requestId of accepted) {
      const token = waiting.find((w) => w.requestId === requestId)!.accessToken;
      while (Date.now() < deadline) {
        const view = await fetch(`${second.api}/v1/requests/${requestId}`, {
          headers: { authorization: `Bearer ${token}` },
        }).then((r) => r.json() as Promise<{ status: string }>);
        statuses[requestId] = view.status;
        if (view.status === 'ISSUED') break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    console.log('kill -9 drill: findings accepted', accepted.length, 'clock reached', new Date(clockReached));
    expect(Object.values(statuses).filter((s) => s !== 'ISSUED')).toEqual([]);
    second.proc.kill('SIGTERM');
    await new Promise<void>((resolve) => second.proc.once('exit', () => resolve()));
    child = undefined;
  });
});
