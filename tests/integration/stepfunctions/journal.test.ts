/**
 * The journal store (journal-execution-store.ts): each transition one line, history from the lines,
 * versions checked, a torn last line dropped on open (a kill -9 mid-write), compaction on open, and an
 * engine carrying on from the journal after a restart.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    const s = new JournalExecutionStore({ file });
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
