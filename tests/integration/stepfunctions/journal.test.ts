/**
 * The journal store (journal-execution-store.ts): each transition one line, history from the lines,
 * versions checked, a torn last line dropped on open (a kill -9 mid-write), compaction on open and online
 * (retention of closed executions, a rewrite cut short), and an engine carrying on from the journal after
 * a restart.
 */
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ExecutionRecord, HistoryEvent } from '#local/stepfunctions/execution-store.ts';
import {
  ConcurrentWriteError,
  createStepFunctions,
  JournalExecutionStore,
} from '#local/stepfunctions/index.ts';
import { AdjustableClock } from '#shared/clock.ts';

const dir = mkdtempSync(join(tmpdir(), 'sfn-journal-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sm = 'arn:aws:states:us-east-1:123456789012:stateMachine:j';
function rec(name: string, version: number, nextEventId: number, status = 'RUNNING'): ExecutionRecord {
  return {
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:j:${name}`,
    stateMachineArn: sm,
    name,
    status: status as ExecutionRecord['status'],
    startDate: 1000 + name.length,
    input: '{"a":"换行\\n"}',
    version,
    nextEventId,
    definitionId: 'd1',
    snapshot: { threads: [{ id: 1, note: 'x\ny' }], nextThread: 2, seq: version },
  };
}
const ev = (id: number): HistoryEvent => ({ id, previousEventId: id - 1, timestamp: id, type: `T${id}` });

describe('journal store', () => {
  it('writes each transition once and reads records and history back after reopening', async () => {
    const file = join(dir, 'a.jsonl');
    const s = new JournalExecutionStore({ file });
    await s.init();
    await s.createExecution(rec('e1', 1, 3), [ev(1), ev(2)]);
    await s.commitExecution(rec('e1', 2, 4), 1, [ev(3)], false);
    await s.commitExecution(rec('e1', 3, 4), 2, [], true);
    await expect(s.commitExecution(rec('e1', 3, 4), 1, [], true)).rejects.toBeInstanceOf(
      ConcurrentWriteError,
    );
    await expect(s.createExecution(rec('e1', 1, 1), [])).rejects.toBeInstanceOf(ConcurrentWriteError);
    await s.close();
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(3);

    const t = new JournalExecutionStore({ file });
    await t.init();
    const r = await t.loadExecution(rec('e1', 1, 1).executionArn);
    expect(r?.version).toBe(3);
    expect(r?.snapshot).toEqual(rec('e1', 3, 4).snapshot);
    expect((await t.getHistory(r!.executionArn)).map((e) => e.id)).toEqual([1, 2, 3]);
    const open: string[] = [];
    for await (const o of t.listOpenExecutions()) open.push(o.name);
    expect(open).toEqual(['e1']);
    await t.commitExecution(rec('e1', 4, 5, 'SUCCEEDED'), 3, [ev(4)], true);
    const none: string[] = [];
    for await (const o of t.listOpenExecutions()) none.push(o.name);
    expect(none).toEqual([]);
    await t.close();
  });

  it('drops a torn last line (kill -9 during a write) and appends after the last whole line', async () => {
    const file = join(dir, 'b.jsonl');
    const s = new JournalExecutionStore({ file });
    await s.init();
    await s.createExecution(rec('e1', 1, 2), [ev(1)]);
    await s.close();
    const whole = statSync(file).size;
    appendFileSync(file, '{"k":"X","r":{"executionArn":"'); // a write cut short
    const t = new JournalExecutionStore({ file });
    await t.init();
    expect(statSync(file).size).toBe(whole);
    await t.commitExecution(rec('e1', 2, 3), 1, [ev(2)], false);
    await t.close();
    const u = new JournalExecutionStore({ file });
    await u.init();
    expect((await u.getHistory(rec('e1', 1, 1).executionArn)).map((e) => e.id)).toEqual([1, 2]);
    await u.close();
  });

  it('refuses to open a journal damaged before its last line', async () => {
    const file = join(dir, 'c.jsonl');
    const s = new JournalExecutionStore({ file });
    await s.init();
    await s.createExecution(rec('e1', 1, 2), [ev(1)]);
    await s.close();
    appendFileSync(file, 'not json\n{"k":"D","i":"x","d":"y"}\n');
    await expect(new JournalExecutionStore({ file }).init()).rejects.toThrow(/damaged line/);
  });

  it('compacts on open when superseded lines outweigh the live ones, keeping records and history', async () => {
    const file = join(dir, 'd.jsonl');
    // no online compaction while writing (the default would compact at 1,024 lines)
    const s = new JournalExecutionStore({ file, compactMinLines: Number.POSITIVE_INFINITY });
    await s.init();
    await s.createExecution(rec('e1', 1, 2), [ev(1)]);
    for (let v = 2; v <= 1200; v++) await s.commitExecution(rec('e1', v, v + 1), v - 1, [ev(v)], false);
    await s.createExecution(rec('e22', 1, 2, 'SUCCEEDED'), [ev(1)]);
    await s.close();
    const before = statSync(file).size;
    const t = new JournalExecutionStore({ file });
    await t.init();
    expect(statSync(file).size).toBeLessThan(before / 4);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(2);
    const history = await t.getHistory(rec('e1', 1, 1).executionArn);
    expect(history.map((e) => e.id)).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1));
    expect((await t.getExecution(rec('e1', 1, 1).executionArn))?.version).toBe(1200);
    const page = await t.listExecutions(sm, undefined, 1);
    expect(page.items.map((i) => i.name)).toEqual(['e22']); // newest first
    const next = await t.listExecutions(sm, undefined, 1, page.nextToken);
    expect(next.items.map((i) => i.name)).toEqual(['e1']);
    expect((await t.listExecutions(sm, 'SUCCEEDED', 10)).items.map((i) => i.name)).toEqual(['e22']);
    await t.commitExecution(rec('e1', 1201, 1202), 1200, [ev(1201)], false);
    await t.close();
  });

  it('compacts online between commits: the file shrinks, records and histories stay whole', async () => {
    const file = join(dir, 'online.jsonl');
    const s = new JournalExecutionStore({ file, compactMinLines: 100 });
    await s.init();
    const arn = (n: string) => rec(n, 1, 1).executionArn;
    // 20 executions of 30 transitions each: 600 lines for 20 live ones
    for (let i = 0; i < 20; i++) await s.createExecution(rec(`e${i}`, 1, 2), [ev(1)]);
    for (let v = 2; v <= 30; v++)
      for (let i = 0; i < 20; i++) await s.commitExecution(rec(`e${i}`, v, v + 1), v - 1, [ev(v)], false);
    expect(s.stats.compactions).toBeGreaterThanOrEqual(1);
    expect(s.stats.lines).toBeLessThan(200);
    expect(readFileSync(file, 'utf8').trimEnd().split('\n')).toHaveLength(s.stats.lines);
    for (let i = 0; i < 20; i++) {
      expect((await s.getExecution(arn(`e${i}`)))?.version).toBe(30);
      expect((await s.getHistory(arn(`e${i}`))).map((e) => e.id)).toEqual(
        Array.from({ length: 30 }, (_, k) => k + 1),
      );
    }
    // appends go on in the new file; a reopened store reads the same
    await s.commitExecution(rec('e3', 31, 32, 'SUCCEEDED'), 30, [ev(31)], true);
    await s.close();
    const t = new JournalExecutionStore({ file, compactMinLines: 100 });
    await t.init();
    expect((await t.getExecution(arn('e3')))?.status).toBe('SUCCEEDED');
    expect((await t.getHistory(arn('e3'))).map((e) => e.id)).toHaveLength(31);
    expect((await t.getHistory(arn('e19'))).map((e) => e.id)).toHaveLength(30);
    await t.close();
  });

  it('drops closed executions past the retention when it compacts; running ones stay', async () => {
    const file = join(dir, 'retention.jsonl');
    let now = 10_000_000;
    const day = 24 * 3600 * 1000;
    const s = new JournalExecutionStore({ file, compactMinLines: 20, retentionMs: 90 * day, now: () => now });
    await s.init();
    const closed = (name: string, stopDate: number) => ({ ...rec(name, 1, 2, 'SUCCEEDED'), stopDate });
    for (let i = 0; i < 10; i++) await s.createExecution(closed(`old${i}`, now), [ev(1)]);
    await s.createExecution(rec('running', 1, 2), [ev(1)]);
    now += 91 * day;
    for (let i = 0; i < 5; i++) await s.createExecution(closed(`new${i}`, now), [ev(1)]);
    // 16 lines so far; 4 more commits reach the check at 20 lines
    for (let v = 2; v <= 5; v++) await s.commitExecution(rec('running', v, v + 1), v - 1, [ev(v)], false);
    expect(s.stats.compactions).toBe(1);
    expect(s.stats.executions).toBe(6);
    expect(await s.getExecution(rec('old0', 1, 1).executionArn)).toBeUndefined();
    expect(await s.getHistory(rec('old9', 1, 1).executionArn)).toEqual([]);
    expect((await s.getExecution(rec('new4', 1, 1).executionArn))?.status).toBe('SUCCEEDED');
    expect((await s.getHistory(rec('running', 1, 1).executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    await s.close();
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines.some((l) => l.includes('old0'))).toBe(false);
    expect(lines.filter((l) => l.includes('"k":"X"'))).toHaveLength(6);
  });

  it('a compaction cut short by a kill (a leftover .compact file) leaves the journal whole', async () => {
    const file = join(dir, 'cut.jsonl');
    const s = new JournalExecutionStore({ file });
    await s.init();
    await s.createExecution(rec('e1', 1, 2), [ev(1)]);
    await s.commitExecution(rec('e1', 2, 3), 1, [ev(2)], false);
    await s.close();
    writeFileSync(`${file}.compact`, '{"k":"X","r":{"executionArn":"half'); // killed mid-rewrite
    const t = new JournalExecutionStore({ file });
    await t.init();
    expect(existsSync(`${file}.compact`)).toBe(false);
    expect((await t.getHistory(rec('e1', 1, 1).executionArn)).map((e) => e.id)).toEqual([1, 2]);
    await t.close();
  });

  it('resume lists open executions while commits compact the journal under it', async () => {
    const file = join(dir, 'resume-compact.jsonl');
    const s = new JournalExecutionStore({ file, compactMinLines: 8 });
    await s.init();
    for (let i = 0; i < 30; i++) await s.createExecution(rec(`e${i}`, 1, 2), [ev(1)]);
    const seen: string[] = [];
    let v = 1;
    for await (const r of s.listOpenExecutions()) {
      seen.push(r.name);
      // every execution read back whole although the index moved to a new file meanwhile
      expect(r.snapshot).toEqual(rec(r.name, 1, 2).snapshot);
      for (let k = 0; k < 5; k++, v++)
        await s.commitExecution(rec('e0', v + 1, v + 2), v, [ev(v + 1)], false);
    }
    expect(s.stats.compactions).toBeGreaterThanOrEqual(1);
    expect(seen).toHaveLength(30);
    await s.close();
  });

  it('an engine on the journal carries a waiting execution on after a restart', async () => {
    const file = join(dir, 'e.jsonl');
    const clock = new AdjustableClock();
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Wait', Seconds: 60, Next: 'Done' },
        Done: { Type: 'Pass', Output: '{% $states.input.n + 1 %}', End: true },
      },
    });
    const first = await createStepFunctions({
      storage: { kind: 'journal', file },
      clock,
      functions: () => undefined,
    });
    const { stateMachineArn } = await first.createStateMachine({ name: 'j', definition });
    const { executionArn } = await first.startExecution({ stateMachineArn, name: 'x', input: '{"n":1}' });
    await new Promise((r) => setTimeout(r, 50));
    await first.close();
    const second = await createStepFunctions({
      storage: { kind: 'journal', file },
      clock,
      functions: () => undefined,
    });
    expect(await second.resumeAll()).toBe(1);
    clock.advance(61_000);
    const done = await second.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('2');
    const h = await second.getExecutionHistory({ executionArn });
    expect(h.events.map((e) => e.id)).toEqual(h.events.map((_, i) => i + 1));
    expect(h.events.at(-1)?.type).toBe('ExecutionSucceeded');
    await second.close();
  });
});
