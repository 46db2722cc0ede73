/**
 * Regression: a restarted service must carry on from each execution's record, never from an index entry.
 *
 * dynalite writes an item's index entries before the item itself, so a kill -9 between the two leaves the
 * `open` index holding a record the item never got (a newer version, or — for the write that ends an
 * execution — no entry at all while the item still says RUNNING). The e2e crash test hit the first case in
 * about one run of six: the restarted process resumed from the index's version and its next write failed
 * with `ConcurrentWriteError … is not at version N`. Here the interleaving is injected deterministically:
 * dynalite's index update succeeds, then the item write fails as if the process had died there.
 *
 * Also: a version conflict seen by a running engine (a refused write) reloads the execution from storage
 * and carries on — the callback is applied once, a task in flight runs again (at-least-once), nothing is
 * recorded twice, and no promise rejection escapes.
 */
import { createRequire } from 'node:module';
import { type AttributeValue, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DynamoExecutionStore } from '#local/stepfunctions/dynamo-execution-store.ts';
import type { EngineLogger } from '#local/stepfunctions/engine.ts';
import type { ExecutionRecord, HistoryEvent } from '#local/stepfunctions/execution-store.ts';
import {
  ConcurrentWriteError,
  createStepFunctions,
  StepFunctionsEngine as Engine,
  type StepFunctionsEngine,
} from '#local/stepfunctions/index.ts';
import { systemClock } from '#shared/clock.ts';
import { type Dynalite, startDynalite } from './dynalite.ts';

type Item = Record<string, AttributeValue>;
type UpdateIndexes = (
  store: unknown,
  table: { TableName: string },
  existing: Item | undefined,
  item: Item | undefined,
  cb: (err?: unknown) => void,
) => void;

// The same module instance dynalite's actions use (plain CommonJS, shared require cache).
const require = createRequire(import.meta.url);
const dynaliteDb = require('dynalite/db') as { updateIndexes: UpdateIndexes };
const originalUpdateIndexes = dynaliteDb.updateIndexes;
/** When set and true for an item: its index entries are written, then the item write fails (a "crash"). */
let tearAfterIndexes: ((item: Item) => boolean) | undefined;
/** When set and true for an item: the write fails before anything is written (the process died before). */
let failWrite: ((item: Item) => boolean) | undefined;
const torn = (message: string) =>
  Object.assign(new Error(message), {
    statusCode: 500,
    body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message },
  });

let db: Dynalite;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  db = await startDynalite();
  dynaliteDb.updateIndexes = (store, table, existing, item, cb) => {
    if (item && failWrite?.(item)) return cb(torn('write lost (test)'));
    originalUpdateIndexes(store, table, existing, item, (err) => {
      if (err) return cb(err);
      if (item && tearAfterIndexes?.(item)) return cb(torn('torn write (test)'));
      cb();
    });
  };
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  tearAfterIndexes = undefined;
  failWrite = undefined;
});
afterAll(async () => {
  dynaliteDb.updateIndexes = originalUpdateIndexes;
  process.off('unhandledRejection', onUnhandled);
  await db?.stop();
});

function recordingLogger(): EngineLogger & { errors: string[] } {
  const errors: string[] = [];
  return {
    errors,
    info() {},
    warn() {},
    error(message, extra) {
      errors.push(`${message} ${JSON.stringify(extra)}`);
    },
  };
}

const task = (step: string, next: Record<string, unknown>) => ({
  Type: 'Task',
  Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
  Arguments: { FunctionName: 'Notify', Payload: { step, token: '{% $states.context.Task.Token %}' } },
  ...next,
});

const TWO_CALLBACKS = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'First',
  States: {
    First: task('first', { Output: '{% $states.result %}', Next: 'Second' }),
    Second: task('second', {
      Output: "{% { 'first': $states.input, 'second': $states.result } %}",
      End: true,
    }),
  },
});

const ONE_CALLBACK = JSON.stringify({
  QueryLanguage: 'JSONata',
  StartAt: 'Only',
  States: { Only: task('only', { Output: '{% $states.result %}', End: true }) },
});

interface Harness {
  engine: StepFunctionsEngine;
  log: ReturnType<typeof recordingLogger>;
  calls: { step: string; token: string }[];
}

async function engineOn(tableName: string): Promise<Harness> {
  const log = recordingLogger();
  const calls: { step: string; token: string }[] = [];
  const engine = await createStepFunctions({
    storage: { kind: 'dynamodb', client: db.client(), tableName },
    clock: systemClock,
    logger: log,
    functions: (name) =>
      name === 'Notify'
        ? async (event) => {
            calls.push(event as { step: string; token: string });
            return {};
          }
        : undefined,
  });
  return { engine, log, calls };
}

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function submitted(engine: StepFunctionsEngine, executionArn: string, count: number): Promise<void> {
  await until(`${count} TaskSubmitted`, async () => {
    const h = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    return h.events.filter((e) => e.type === 'TaskSubmitted').length >= count;
  });
}

async function storedItem(tableName: string, executionArn: string): Promise<Item | undefined> {
  const r = await db.client().send(
    new GetItemCommand({
      TableName: tableName,
      Key: { pk: { S: `X#${executionArn}` }, sk: { S: 'H' } },
      ConsistentRead: true,
    }),
  );
  return r.Item;
}

async function openIndex(tableName: string): Promise<Item[]> {
  const r = await db.client().send(
    new QueryCommand({
      TableName: tableName,
      IndexName: 'open',
      KeyConditionExpression: 'gsi2pk = :o',
      ExpressionAttributeValues: { ':o': { S: 'OPEN' } },
    }),
  );
  return r.Items ?? [];
}

/** Every event once, ids 1..n in order. */
function expectWellFormed(events: readonly { id?: number }[]): void {
  expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
}

describe('a kill -9 between the index write and the item write (dynalite)', () => {
  it('resumes from the item, not from the newer record the index holds, and records nothing twice', async () => {
    const table = 'sfn-torn-ahead';
    const first = await engineOn(table);
    const { stateMachineArn } = await first.engine.createStateMachine({
      name: 'torn',
      definition: TWO_CALLBACKS,
    });
    const { executionArn } = await first.engine.startExecution({ stateMachineArn, name: 'x1', input: '{}' });
    await submitted(first.engine, executionArn, 1);
    const version = Number((await storedItem(table, executionArn))!.v!.N);
    const token1 = first.calls[0]!.token;

    // The callback's transition (First → Second scheduled) reaches the index, not the item: "crash".
    tearAfterIndexes = (item) => item.pk?.S === `X#${executionArn}` && item.v?.N === String(version + 1);
    await expect(first.engine.sendTaskSuccess({ taskToken: token1, output: '{"a":1}' })).rejects.toThrow();
    tearAfterIndexes = undefined;
    await first.engine.close();
    // The torn state this test is about: the index is one version ahead of the item.
    const [entry] = (await openIndex(table)).filter((i) => i.gsi2sk?.S === executionArn);
    expect(entry?.v?.N).toBe(String(version + 1));
    expect((await storedItem(table, executionArn))?.v?.N).toBe(String(version));

    // Restart: carry on from the item (waiting for the first callback), which the caller sends again.
    const second = await engineOn(table);
    expect(await second.engine.resumeAll()).toBe(1);
    await second.engine.sendTaskSuccess({ taskToken: token1, output: '{"a":1}' });
    await until('the second call', () => second.calls.some((c) => c.step === 'second'));
    const token2 = second.calls.find((c) => c.step === 'second')!.token;
    await second.engine.sendTaskSuccess({ taskToken: token2, output: '{"b":2}' });
    const done = await second.engine.waitForExecution(executionArn);

    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ first: { a: 1 }, second: { b: 2 } });
    expect(second.calls.map((c) => c.step)).toEqual(['second']); // First was submitted: not called again
    const { events } = await second.engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    expectWellFormed(events);
    expect(events.filter((e) => e.type === 'TaskSucceeded')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'TaskScheduled')).toHaveLength(2);
    expect(events.filter((e) => e.type === 'ExecutionSucceeded')).toHaveLength(1);
    expect(second.log.errors).toEqual([]);
    expect(await openIndex(table)).toEqual([]);
    await second.engine.close();
    expect(unhandled).toEqual([]);
  });

  it('finds an execution whose ending write was torn (the index entry must not go before the item)', async () => {
    const table = 'sfn-torn-end';
    const first = await engineOn(table);
    const { stateMachineArn } = await first.engine.createStateMachine({
      name: 'torn',
      definition: ONE_CALLBACK,
    });
    const { executionArn } = await first.engine.startExecution({ stateMachineArn, name: 'x2', input: '{}' });
    await submitted(first.engine, executionArn, 1);
    const token = first.calls[0]!.token;

    tearAfterIndexes = (item) => item.pk?.S === `X#${executionArn}` && item.st?.S === 'SUCCEEDED';
    await expect(first.engine.sendTaskSuccess({ taskToken: token, output: '"yes"' })).rejects.toThrow();
    tearAfterIndexes = undefined;
    await first.engine.close();
    expect(JSON.parse((await storedItem(table, executionArn))!.r!.S!).status).toBe('RUNNING');

    const second = await engineOn(table);
    expect(await second.engine.resumeAll()).toBe(1);
    await second.engine.sendTaskSuccess({ taskToken: token, output: '"yes"' });
    const done = await second.engine.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('"yes"');
    const { events } = await second.engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    expectWellFormed(events);
    expect(events.filter((e) => e.type === 'TaskSucceeded')).toHaveLength(1);
    // The ended execution left the open index (second write), so the next start finds nothing to resume.
    expect(await openIndex(table)).toEqual([]);
    await second.engine.close();
    const third = await engineOn(table);
    expect(await third.engine.resumeAll()).toBe(0);
    await third.engine.close();
    expect(second.log.errors).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('takes an ended execution out of the open index at start when its second write did not happen', async () => {
    const table = 'sfn-torn-leave';
    const first = await engineOn(table);
    const { stateMachineArn } = await first.engine.createStateMachine({
      name: 'torn',
      definition: ONE_CALLBACK,
    });
    const { executionArn } = await first.engine.startExecution({ stateMachineArn, name: 'x3', input: '{}' });
    await submitted(first.engine, executionArn, 1);
    // The process dies after the ending write, before the write that takes it out of the index.
    failWrite = (item) =>
      item.pk?.S === `X#${executionArn}` && item.sk?.S === 'H' && item.gsi2pk === undefined;
    await first.engine.sendTaskSuccess({ taskToken: first.calls[0]!.token, output: '1' });
    expect((await first.engine.waitForExecution(executionArn)).status).toBe('SUCCEEDED');
    failWrite = undefined;
    expect((await openIndex(table)).map((i) => i.gsi2sk?.S)).toEqual([executionArn]);
    await first.engine.close();
    expect((await storedItem(table, executionArn))?.gsi2pk?.S).toBe('OPEN');

    const second = await engineOn(table);
    expect(await second.engine.resumeAll()).toBe(0);
    expect((await storedItem(table, executionArn))?.gsi2pk).toBeUndefined();
    expect(await openIndex(table)).toEqual([]);
    await second.engine.close();
  });
});

/** A DynamoExecutionStore that refuses chosen commits as if another writer had moved the version on. */
class RefusingStore extends DynamoExecutionStore {
  refuse: ((record: ExecutionRecord, expectedVersion: number) => boolean) | undefined;
  refused = 0;
  override async commitExecution(
    record: ExecutionRecord,
    expectedVersion: number,
    events: readonly HistoryEvent[],
    idle: boolean,
  ): Promise<void> {
    if (this.refuse?.(record, expectedVersion)) {
      this.refused++;
      throw new ConcurrentWriteError(`execution ${record.executionArn} is not at version ${expectedVersion}`);
    }
    return super.commitExecution(record, expectedVersion, events, idle);
  }
}

describe('a refused write (version conflict) in a running engine', () => {
  async function engineWith(
    tableName: string,
    functions: Record<string, (event: unknown) => Promise<unknown>>,
  ) {
    const store = new RefusingStore(db.client(), tableName);
    await store.init();
    const log = recordingLogger();
    const engine = new Engine({ store, clock: systemClock, logger: log, functions: (n) => functions[n] });
    return { store, engine, log };
  }

  it('reloads from storage; the callback that hit the conflict is applied once', async () => {
    const calls: { step: string; token: string }[] = [];
    const { store, engine, log } = await engineWith('sfn-refused-callback', {
      Notify: async (event) => {
        calls.push(event as { step: string; token: string });
        return {};
      },
    });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'refused',
      definition: TWO_CALLBACKS,
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'r1', input: '{}' });
    await submitted(engine, executionArn, 1);
    let once = true;
    store.refuse = () => {
      const now = once;
      once = false;
      return now;
    };
    // The callback's first attempt is refused; the engine reloads and applies it to the stored state.
    await engine.sendTaskSuccess({ taskToken: calls[0]!.token, output: '{"a":1}' });
    expect(store.refused).toBe(1);
    await until('the second call', () => calls.some((c) => c.step === 'second'));
    await engine.sendTaskSuccess({ taskToken: calls.find((c) => c.step === 'second')!.token, output: '2' });
    const done = await engine.waitForExecution(executionArn);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ first: { a: 1 }, second: 2 });
    expect(calls.map((c) => c.step)).toEqual(['first', 'second']);
    const { events } = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    expectWellFormed(events);
    expect(events.filter((e) => e.type === 'TaskSucceeded')).toHaveLength(2);
    expect(log.errors).toEqual([]);
    await engine.close();
    expect(unhandled).toEqual([]);
  });

  it('reloads when a task result is refused: the task runs again, its result is recorded once', async () => {
    let runs = 0;
    const { store, engine, log } = await engineWith('sfn-refused-task', {
      Work: async (event) => {
        runs++;
        return { doubled: (event as { n: number }).n * 2 };
      },
    });
    const definition = JSON.stringify({
      QueryLanguage: 'JSONata',
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'Work', Payload: '{% $states.input %}' },
          Output: '{% $states.result.Payload %}',
          End: true,
        },
      },
    });
    // The first commit after the creation (the task's result) is refused once.
    let once = true;
    store.refuse = (record) => {
      const now = once && record.status === 'SUCCEEDED';
      if (now) once = false;
      return now;
    };
    const { stateMachineArn } = await engine.createStateMachine({ name: 'refused', definition });
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'r2', input: '{"n":21}' });
    const done = await engine.waitForExecution(executionArn);
    expect(store.refused).toBe(1);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ doubled: 42 });
    expect(runs).toBe(2); // at-least-once: the task in flight of the stored state ran again
    const { events } = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    expectWellFormed(events);
    expect(events.filter((e) => e.type === 'TaskSucceeded')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'ExecutionSucceeded')).toHaveLength(1);
    expect(log.errors).toEqual([]);
    await engine.close();
    expect(unhandled).toEqual([]);
  });

  it('unloads the execution after repeated conflicts (e.g. two processes on one table), without escaping rejections', async () => {
    const calls: string[] = [];
    const { store, engine, log } = await engineWith('sfn-refused-always', {
      Notify: async (event) => {
        calls.push((event as { token: string }).token);
        return {};
      },
    });
    const { stateMachineArn } = await engine.createStateMachine({
      name: 'refused',
      definition: ONE_CALLBACK,
    });
    const { executionArn } = await engine.startExecution({ stateMachineArn, name: 'r3', input: '{}' });
    await submitted(engine, executionArn, 1);
    store.refuse = () => true;
    await expect(engine.sendTaskSuccess({ taskToken: calls[0]!, output: '1' })).rejects.toThrow();
    expect(store.refused).toBeGreaterThanOrEqual(3);
    expect(engine.liveExecutions).toBe(0);
    expect(log.errors.some((e) => e.includes('unloaded until restart'))).toBe(true);
    // waitForExecution does not hang on an unloaded execution: it reports the stored state.
    expect((await engine.waitForExecution(executionArn)).status).toBe('RUNNING');
    await engine.close();
    expect(unhandled).toEqual([]);
  });
});
