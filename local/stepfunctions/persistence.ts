import type { Clock } from '#shared/clock.ts';
import { type Definition, parseDefinition, type State } from './definition.ts';
import { ConcurrentWriteError, StateMachineDoesNotExist, type StatesError } from './errors.ts';
import type {
  ExecutionRecord,
  ExecutionStatus,
  ExecutionStore,
  StateMachineRecord,
} from './execution-store.ts';
import type { Compiled, EvalContext, Json } from './expressions.ts';
import {
  detailsKey,
  type EngineLogger,
  type EngineOptions,
  type Exec,
  type FunctionResolver,
  MAX_RELOADS,
  makeEvent,
  noop,
  Reloaded,
  type Snapshot,
  TERMINAL,
  type Thread,
  toJsonString,
} from './model.ts';

/** Persistence and recovery; the rooms below it (see engine.ts) do the work. */
export abstract class EnginePersistence {
  protected readonly store: ExecutionStore;
  protected readonly clock: Clock;
  protected readonly functions: FunctionResolver;
  readonly region: string;
  readonly accountId: string;
  protected readonly log: EngineLogger;
  protected readonly onCommit: EngineOptions['onCommit'];
  protected readonly live = new Map<string, Exec>();
  protected readonly definitions = new Map<string, Definition>();
  /** Reloads after refused writes, per execution, since its last successful write. */
  protected readonly reloads = new Map<string, number>();
  protected resuming: Promise<void> | undefined;
  /** State machines read by this process (they change only through this process's API). */
  protected readonly machines = new Map<string, StateMachineRecord>();
  protected closed = false;

  constructor(options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.functions = options.functions;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.log = options.logger ?? { info: noop, warn: noop, error: (m, e) => console.error(m, e) };
    this.onCommit = options.onCommit;
  }

  protected async definition(definitionId: string): Promise<Definition> {
    let def = this.definitions.get(definitionId);
    if (!def) {
      const text = await this.store.getDefinition(definitionId);
      if (text === undefined) throw new StateMachineDoesNotExist(`Definition ${definitionId} is missing`);
      def = parseDefinition(text);
      this.definitions.set(definitionId, def);
    }
    return def;
  }

  /** Steps ready threads until all are blocked (or the execution ended). No writes. */
  protected async runReady(ex: Exec): Promise<void> {
    while (ex.ready.length > 0 && !TERMINAL.has(ex.rec.status)) {
      const id = ex.ready.shift()!;
      const thread = ex.threads.get(id);
      if (!thread) continue;
      const work = this.step(ex, thread);
      if (work) await work;
    }
    ex.ready.length = 0;
  }

  protected newExec(rec: ExecutionRecord, def: Definition, inputJson: Json, smName: string): Exec {
    return {
      rec,
      def,
      threads: new Map(),
      nextThread: 1,
      seq: 1,
      inputJson,
      smName,
      pending: [],
      ready: [],
      queue: Promise.resolve(),
      timers: new Map(),
      launched: new Set(),
      waiters: [],
      dirty: false,
      broken: false,
    };
  }

  /** Loads every RUNNING execution from the store and carries it on. Returns how many. */
  async resumeAll(): Promise<number> {
    const work = this.resume();
    this.resuming = work.then(noop, noop);
    try {
      return await work;
    } finally {
      this.resuming = undefined;
    }
  }

  /**
   * While executions are being resumed, a call about an execution that is not loaded yet waits for the
   * resume (a callback arriving at start-up must find its task, not a "task does not exist anymore").
   */
  protected async afterResume(arn: string): Promise<void> {
    if (this.resuming && !this.live.has(arn)) await this.resuming;
  }

  protected async resume(): Promise<number> {
    let count = 0;
    const pending: Promise<unknown>[] = [];
    for await (const rec of this.store.listOpenExecutions()) {
      if (this.live.has(rec.executionArn)) continue;
      const def = await this.definition(rec.definitionId);
      const ex = this.load(rec, def);
      count++;
      // A failure here is logged by the queue and unloads that execution only; the others go on.
      pending.push(this.carryOn(ex));
      if (pending.length >= 256) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    return count;
  }

  /** An execution in memory from its stored record and snapshot, made live (not yet stepped). */
  protected load(rec: ExecutionRecord, def: Definition): Exec {
    const sm = rec.executionArn.split(':')[6] ?? '';
    const ex = this.newExec(rec, def, JSON.parse(rec.input) as Json, sm);
    const snap = rec.snapshot as Snapshot;
    for (const t of snap.threads) ex.threads.set(t.id, t);
    ex.nextThread = snap.nextThread;
    ex.seq = snap.seq;
    rec.snapshot = undefined;
    this.live.set(rec.executionArn, ex);
    for (const t of ex.threads.values())
      if (t.phase.k === 'run' || t.phase.k === 'exec' || t.phase.k === 'failed' || t.phase.k === 'children')
        ex.ready.push(t.id);
    return ex;
  }

  /** Carries on a loaded execution: re-runs lost pure steps, re-arms timers, re-calls tasks in flight. */
  protected carryOn(ex: Exec): Promise<void> {
    return this.enqueue(ex, async () => {
      if (ex.ready.length > 0) await this.drive(ex);
      else this.reconcile(ex);
    }).catch(noop);
  }

  /**
   * After a refused conditional write (the stored version is not the one this process followed): drop
   * the in-memory execution — its uncommitted transition, its timers, the results of calls it started —
   * and carry on from the stored record, as a restart would. Nothing is lost (side effects start only
   * after a commit, and all of them are derived again from the stored snapshot) and nothing is recorded
   * twice (every write is conditional on the version it follows). False if it cannot (memory storage
   * keeps no snapshot, the record is gone, or the store fails too).
   */
  protected async reload(old: Exec): Promise<boolean> {
    const arn = old.rec.executionArn;
    let stored: ExecutionRecord | undefined;
    try {
      stored = await this.store.loadExecution(arn);
    } catch (error) {
      this.log.error('stepfunctions: could not reload an execution', {
        executionArn: arn,
        error: String(error),
      });
      return false;
    }
    if (!stored || (stored.status === 'RUNNING' && stored.snapshot === undefined) || this.closed)
      return false;
    if (this.live.get(arn) === old) this.live.delete(arn);
    if (TERMINAL.has(stored.status)) {
      for (const w of old.waiters.splice(0)) w();
      return true;
    }
    const def =
      stored.definitionId === old.rec.definitionId ? old.def : await this.definition(stored.definitionId);
    const ex = this.load(stored, def);
    ex.waiters.push(...old.waiters.splice(0));
    void this.carryOn(ex);
    return true;
  }

  /** Stops timers and waits for transitions in progress; functions still running are left to finish unheard. */
  async close(): Promise<void> {
    this.closed = true;
    for (const ex of this.live.values()) for (const timer of ex.timers.values()) timer.abort();
    await Promise.all([...this.live.values()].map((ex) => ex.queue.catch(noop)));
    for (const ex of this.live.values()) for (const timer of ex.timers.values()) timer.abort();
    this.live.clear();
    await this.store.close();
  }

  /**
   * Queues work on the execution. Work queued on a copy that a refused write dropped (`broken`) does not
   * run: it fails with `Reloaded` (API calls retry on the reloaded copy; timers and call results of the
   * dropped copy are derived again from the stored state).
   */
  protected enqueue<T>(ex: Exec, work: () => Promise<T>): Promise<T> {
    const run = ex.queue.then(() => {
      if (this.closed) return undefined as T;
      if (ex.broken) throw new Reloaded('The execution was reloaded from storage meanwhile. Retry.');
      return work();
    });
    ex.queue = run.catch((error: unknown) => {
      if (!(error instanceof Error && 'statusCode' in error))
        this.log.error('stepfunctions: transition failed', {
          executionArn: ex.rec.executionArn,
          error: String(error),
        });
    });
    return run;
  }

  protected emit(
    ex: Exec,
    thread: Thread | undefined,
    type: string,
    details?: Record<string, unknown>,
  ): void {
    const id = ex.rec.nextEventId++;
    const previousEventId = thread ? thread.lastEventId : id - 1;
    const timestamp = this.clock.now();
    // The details in an in-object slot of a fixed shape per kind (the history keeps every event).
    ex.pending.push(makeEvent(id, previousEventId, timestamp, type, detailsKey(type), details));
    if (thread) thread.lastEventId = id;
    ex.dirty = true;
  }

  protected snapshot(ex: Exec): Snapshot {
    return { threads: [...ex.threads.values()], nextThread: ex.nextThread, seq: ex.seq };
  }

  protected async commit(ex: Exec): Promise<void> {
    if (!ex.dirty) return;
    const expected = ex.rec.version;
    const events = ex.pending;
    ex.pending = [];
    ex.dirty = false;
    // The store serialises the record before it awaits anything, and nothing changes the snapshot
    // meanwhile (work on one execution is serialised), so no copy is needed.
    const rec: ExecutionRecord = {
      ...ex.rec,
      version: expected + 1,
      snapshot: this.store.keepsSnapshots === false ? undefined : this.snapshot(ex),
    };
    const closed = TERMINAL.has(rec.status);
    // Idle: nothing will happen until a callback or a timer (e.g. an investigation waiting for days).
    let idle = true;
    for (const t of ex.threads.values())
      if (
        t.phase.k === 'run' ||
        t.phase.k === 'exec' ||
        t.phase.k === 'failed' ||
        (t.phase.k === 'task' && !t.phase.submitted)
      )
        idle = false;
    try {
      await this.store.commitExecution(rec, expected, events, idle);
    } catch (error) {
      const arn = ex.rec.executionArn;
      ex.broken = true; // queued work, timers and call results of this copy are dropped from now on
      for (const timer of ex.timers.values()) timer.abort();
      ex.timers.clear();
      if (error instanceof ConcurrentWriteError) {
        const reloads = (this.reloads.get(arn) ?? 0) + 1;
        this.reloads.set(arn, reloads);
        if (reloads <= MAX_RELOADS && (await this.reload(ex))) {
          this.log.warn(
            'stepfunctions: a transition was refused (version); carrying on from the stored record',
            {
              executionArn: arn,
              expectedVersion: expected,
            },
          );
          throw new Reloaded('The execution changed meanwhile; it carries on from its stored state. Retry.', {
            cause: error,
          });
        }
      }
      this.reloads.delete(arn);
      if (this.live.get(arn) === ex) this.live.delete(arn);
      for (const w of ex.waiters.splice(0)) w();
      this.log.error(
        'stepfunctions: could not record a transition; the execution is unloaded until restart',
        {
          executionArn: arn,
          error: String(error),
        },
      );
      throw error;
    }
    this.reloads.delete(ex.rec.executionArn);
    ex.rec.version = expected + 1;
    ex.rec.snapshot = undefined;
    this.onCommit?.(ex.rec.executionArn, ex.rec.version);
    if (closed) {
      for (const timer of ex.timers.values()) timer.abort();
      ex.timers.clear();
      this.live.delete(ex.rec.executionArn);
      for (const w of ex.waiters.splice(0)) w();
    }
  }

  /** Runs every ready thread until all are blocked, commits, then starts side effects. */
  protected async drive(ex: Exec): Promise<void> {
    await this.runReady(ex);
    await this.commit(ex);
    if (!TERMINAL.has(ex.rec.status)) this.reconcile(ex);
  }

  protected closeExecution(
    ex: Exec,
    status: ExecutionStatus,
    eventType: string,
    details: Record<string, unknown>,
    output?: Json,
    error?: string,
    cause?: string,
  ): void {
    for (const id of [...ex.threads.keys()]) ex.threads.delete(id);
    ex.ready.length = 0;
    this.emit(ex, undefined, eventType, details);
    ex.rec.status = status;
    ex.rec.stopDate = this.clock.now();
    if (output !== undefined) ex.rec.output = toJsonString(output);
    const err = error ?? (details.error as string | undefined);
    const cau = cause ?? (details.cause as string | undefined);
    if (status !== 'SUCCEEDED') {
      if (err !== undefined) ex.rec.error = err;
      if (cau !== undefined) ex.rec.cause = cau;
    }
  }

  // ---- the other rooms (interpreter.ts, tasks.ts) --------------------------------------------------

  /** Runs one step of a thread (interpreter.ts); a promise when some of it is asynchronous. */
  protected abstract step(ex: Exec, t: Thread): void | Promise<void>;
  /** Makes function calls and timers match the committed snapshot (tasks.ts). */
  protected abstract reconcile(ex: Exec): void;
  /** What a state's expressions see (interpreter.ts). */
  protected abstract ctx(
    ex: Exec,
    thread: Thread,
    st: State,
    extra?: { result?: Json; errorOutput?: Json; token?: string },
    item?: { Index: number; Value: Json },
  ): EvalContext;
  /** Output and Assign, StateExited, then the transition (interpreter.ts). */
  protected abstract exit(
    ex: Exec,
    t: Thread,
    st: State,
    ctx: EvalContext,
    defaultOutput: Json,
    outputC: Compiled | undefined,
    assignC: Compiled | undefined,
    next?: string,
    ruleAssignC?: Compiled,
  ): void | Promise<void>;
  /** Retry, Catch, or the thread fails (interpreter.ts). */
  protected abstract stateFailed(
    ex: Exec,
    t: Thread,
    st: State,
    errorName: string | undefined,
    cause: string | undefined,
    fromBranch?: boolean,
  ): Promise<void>;
  /** The cause a state fails with; records EvaluationFailed for expression errors (interpreter.ts). */
  protected abstract failureCause(ex: Exec, t: Thread, st: State, error: StatesError): string;
}
