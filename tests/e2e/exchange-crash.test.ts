/**
 * Crash drill of periodic exchange: kill -9 of `npm start` while a batch run is delivering. After a restart
 * on the same data dir (the scheduler runs the batch once at start, then on demand), every change reaches
 * each of its subscribers at least once (the demo inboxes keep what they received in DIR/inbox/*.jsonl),
 * and each (subscriber, change) pair is recorded exactly once as an exchange record.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIdNumber } from '#shared/domain/id-number.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { startStackProcess } from '#tests/helpers/stack-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'certflow-exchange-crash-'));
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

interface Credentials {
  registryToken: string;
  departments: Record<string, { secret: string }>;
}
const credentials = () => JSON.parse(readFileSync(join(dir, 'demo-credentials.json'), 'utf8')) as Credentials;

async function now(api: string): Promise<number> {
  const r = (await (await fetch(`${api}/_local/clock`)).json()) as { now: string };
  return Math.floor(Date.parse(r.now) / 1000);
}

async function signed(api: string, code: string, method: 'GET' | 'POST', path: string, body?: unknown) {
  const raw = body === undefined ? '' : JSON.stringify(body);
  const headers = signedHeaders(
    [credentials().departments[code]!.secret],
    `msg_${randomUUID()}`,
    await now(api),
    raw,
  );
  const r = await fetch(`${api}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: raw }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: the test reads several answers' fields
  return { status: r.status, body: (await r.json()) as any };
}

function inboxChanges(code: string): string[] {
  const file = join(dir, 'inbox', `${code}.jsonl`);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as { verified: boolean; type?: string; data?: { changes?: { changeId: string }[] } },
    )
    .filter((m) => m.verified && m.type === 'certflow.exchange.changes')
    .flatMap((m) => (m.data?.changes ?? []).map((c) => c.changeId));
}

const SUBSCRIBERS = ['NOTARY', 'COURT', 'EDUCATION', 'CIVIL_AFFAIRS', 'HUMAN_RESOURCES'];
const PEOPLE = Array.from({ length: 240 }, (_, i) =>
  buildIdNumber({
    region: '220102',
    birthDate: `19${40 + (i % 50)}-0${1 + (i % 9)}-1${i % 10}`,
    sequence: i,
  }),
);

describe('kill -9 during a periodic-exchange batch run', () => {
  it('delivers each change at least once and records it exactly once', async () => {
    // Prepare: five subscribers, each with the 240 people; a death for each of them.
    let { api, proc } = await startStackProcess(dir);
    child = proc;
    for (const code of SUBSCRIBERS) {
      const r = await signed(api, code, 'POST', `/v1/exchange/subscriptions?department=${code}`, {
        changeTypes: ['DEATH'],
        people: PEOPLE,
      });
      expect(r.status).toBe(200);
    }
    for (const [i, idNumber] of PEOPLE.entries()) {
      const r = await fetch(`${api}/v1/registry/changes`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${credentials().registryToken}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          changeId: `crash-${i}`,
          type: 'DEATH',
          idNumber,
          effectiveOn: '2026-11-20',
          station: 'CC-GLL',
        }),
      });
      expect(r.status).toBe(201);
    }
    await fetch(`${api}/_local/clock`, { method: 'POST', body: JSON.stringify({ advance: 'PT2M' }) });

    // Act: start a run and kill the stack once the first subscriber has its batch.
    void fetch(`${api}/_local/exchange/run`, { method: 'POST' }).catch(() => undefined);
    const until = Date.now() + 30_000;
    while (SUBSCRIBERS.every((c) => inboxChanges(c).length === 0) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 40));
    proc.kill('SIGKILL');
    await new Promise((r) => proc.once('exit', r));
    const deliveredBeforeCrash = SUBSCRIBERS.filter((c) => inboxChanges(c).length > 0).length;
    expect(deliveredBeforeCrash).toBeGreaterThan(0);

    // The restarted stack runs the batch at start; run it again until every subscriber is served.
    ({ api, proc } = await startStackProcess(dir));
    child = proc;
    const served = async () => {
      for (const code of SUBSCRIBERS) {
        const s = await signed(api, code, 'GET', `/v1/exchange/subscriptions?department=${code}`);
        if (s.body.subscription.delivered < PEOPLE.length) return false;
      }
      return true;
    };
    for (let i = 0; i < 10 && !(await served()); i += 1)
      await fetch(`${api}/_local/exchange/run`, { method: 'POST' });
    expect(await served()).toBe(true);

    // Assess: each subscriber got every change at least once, and has exactly one record per change.
    const expected = PEOPLE.map((_, i) => `crash-${i}`).sort();
    for (const code of SUBSCRIBERS) {
      expect([...new Set(inboxChanges(code))].sort(), code).toEqual(expected);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await signed(
          api,
          code,
          'GET',
          `/v1/exchange/records?department=${code}&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
        );
        ids.push(
          ...(page.body.records as { exchangeId: string; mechanism: string }[])
            .filter((r) => r.mechanism === 'PERIODIC_EXCHANGE')
            .map((r) => r.exchangeId),
        );
        cursor = page.body.cursor;
      } while (cursor);
      expect(ids.length, code).toBe(PEOPLE.length);
      expect(new Set(ids).size, code).toBe(PEOPLE.length);
    }
    proc.kill('SIGKILL');
  }, 180_000);
});
