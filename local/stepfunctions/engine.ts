/**
 * The local Step Functions engine: runs JSONata state machines, durably, through an `ExecutionStore`. This file
 * holds the API operations (state machines, executions, history); the work is done in rooms, each a
 * class that the next extends:
 *
 * - persistence.ts — the per-execution queue, history events, the commit (one conditional write per
 *   transition), resume after a restart and reload after a refused write;
 * - tasks.ts — Lambda tasks, callbacks (task tokens, SendTask*) and timers;
 * - map-parallel.ts — Map and Parallel child threads, their results and failures;
 * - interpreter.ts — one step of a thread, Output/Assign, evaluation errors, Retry and Catch;
 * - model.ts — the types and rules they share.
 *
 * Model. An execution is a set of threads: the root thread runs the top-level states; a Parallel branch
 * or a Map iteration is a child thread with its own variable scope whose lookups go on to the parent's.
 * Each thread is at one state, in a phase: about to enter / run it, a task in flight or waiting for a
 * callback, a Wait or retry timer, or waiting for its children.
 *
 * Durability. Work for one execution is serialised (a promise queue). Pure steps (Pass, Choice, the
 * bookkeeping of Map/Parallel, Output/Assign) run in memory until every thread is blocked; then the
 * transition is committed as one conditional write of the execution record (version + snapshot) with
 * its history events. Only after the commit are side effects started: a task is recorded as scheduled
 * before its function is called, timers are armed from stored due times. A crash therefore loses at
 * most uncommitted pure steps, which are re-run deterministically on resume; a task that was in flight
 * runs again (at-least-once, like AWS's Lambda retries).
 */

import { createHash, randomUUID } from 'node:crypto';
import { parseDefinition } from './definition.ts';
import {
  ConcurrentWriteError,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  StateMachineAlreadyExists,
  StateMachineDeleting,
  StateMachineDoesNotExist,
  ValidationException,
} from './errors.ts';
import type {
  ExecutionRecord,
  ExecutionStatus,
  HistoryEvent,
  StateMachineRecord,
} from './execution-store.ts';
import type { Json } from './expressions.ts';
import { Interpreter } from './interpreter.ts';
import {
  checkLength,
  defaultRoleArn,
  NOT_TRUNCATED,
  noop,
  PAYLOAD_LIMIT_BYTES,
  retryOnReload,
  TERMINAL,
  type Thread,
  validName,
} from './model.ts';

export type {
  EngineLogger,
  EngineOptions,
  FunctionResolver,
  LocalFunction,
  LocalInvokeContext,
} from './model.ts';
export { functionNameOf } from './model.ts';

/** The fields DescribeExecution and ListExecutions share. */
function executionSummary(r: ExecutionRecord) {
  return {
    executionArn: r.executionArn,
    stateMachineArn: r.stateMachineArn,
    name: r.name,
    status: r.status,
    startDate: new Date(r.startDate),
    ...(r.stopDate !== undefined ? { stopDate: new Date(r.stopDate) } : {}),
  };
}

/** The Step Functions API of the engine (JSON protocol operations; see http.ts for the wire). */
export class StepFunctionsEngine extends Interpreter {
  readonly #starting = new Map<string, Promise<unknown>>();

  get liveExecutions(): number {
    return this.live.size;
  }

  protected smArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  protected checkArn(arn: unknown, kind: 'stateMachine' | 'execution', field: string): string {
    if (typeof arn !== 'string' || !arn.startsWith('arn:aws:states:') || arn.split(':')[5] !== kind)
      throw new InvalidArn(
        `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}' (${field})`,
      );
    return arn;
  }

  protected async machine(arn: string): Promise<StateMachineRecord | undefined> {
    let record = this.machines.get(arn);
    if (!record) {
      record = await this.store.getStateMachine(arn);
      if (record) this.machines.set(arn, record);
    }
    return record;
  }

  protected async storeDefinition(definition: string): Promise<string> {
    const def = parseDefinition(definition);
    const definitionId = createHash('sha256').update(definition).digest('hex').slice(0, 32);
    this.definitions.set(definitionId, def);
    await this.store.putDefinition(definitionId, definition);
    return definitionId;
  }

  async createStateMachine(input: {
    name?: string;
    definition?: string;
    roleArn?: string;
    type?: string;
  }): Promise<{ stateMachineArn: string; creationDate: Date }> {
    const { name, definition } = input;
    if (typeof name !== 'string' || !validName(name))
      throw new InvalidName(`Invalid Name: '${String(name)}'`);
    if (typeof definition !== 'string')
      throw new ValidationException(
        "1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null",
      );
    if (input.type && input.type !== 'STANDARD')
      throw new ValidationException(`Only STANDARD state machines are supported locally, not ${input.type}`);
    const definitionId = await this.storeDefinition(definition);
    const arn = this.smArn(name);
    const roleArn = input.roleArn ?? defaultRoleArn(this.accountId);
    const existing = await this.store.getStateMachine(arn);
    if (existing && existing.status === 'ACTIVE') {
      if (existing.definitionId === definitionId && existing.roleArn === roleArn)
        return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
      throw new StateMachineAlreadyExists(`State Machine Already Exists: '${arn}'`);
    }
    const record: StateMachineRecord = {
      stateMachineArn: arn,
      name,
      definition,
      definitionId,
      roleArn,
      type: 'STANDARD',
      creationDate: this.clock.now(),
      status: 'ACTIVE',
      revisionId: randomUUID(),
    };
    this.machines.delete(arn);
    await this.store.putStateMachine(record, existing ? 'replace' : 'create');
    return { stateMachineArn: arn, creationDate: new Date(record.creationDate) };
  }

  async updateStateMachine(input: { stateMachineArn?: string; definition?: string; roleArn?: string }) {
    const arn = this.checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const record = await this.store.getStateMachine(arn);
    if (record?.status !== 'ACTIVE')
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    if (input.definition !== undefined) {
      record.definitionId = await this.storeDefinition(input.definition);
      record.definition = input.definition;
    }
    if (input.roleArn) record.roleArn = input.roleArn;
    record.revisionId = randomUUID();
    record.updateDate = this.clock.now();
    this.machines.delete(arn);
    await this.store.putStateMachine(record, 'replace');
    return { updateDate: new Date(record.updateDate), revisionId: record.revisionId };
  }

  async describeStateMachine(input: { stateMachineArn?: string }) {
    const arn = this.checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const r = await this.store.getStateMachine(arn);
    if (!r) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    return {
      stateMachineArn: r.stateMachineArn,
      name: r.name,
      status: r.status,
      definition: r.definition,
      roleArn: r.roleArn,
      type: r.type,
      creationDate: new Date(r.creationDate),
      revisionId: r.revisionId,
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  /** The definition an execution runs (it may differ from the state machine's current one). */
  async describeStateMachineForExecution(input: { executionArn?: string }) {
    const arn = this.checkArn(input.executionArn, 'execution', 'executionArn');
    const r = await this.record(arn);
    const sm = await this.store.getStateMachine(r.stateMachineArn);
    const definition = await this.store.getDefinition(r.definitionId);
    return {
      stateMachineArn: r.stateMachineArn,
      name: sm?.name ?? r.stateMachineArn.split(':')[6] ?? '',
      definition: definition ?? '',
      roleArn: sm?.roleArn ?? defaultRoleArn(this.accountId),
      updateDate: new Date(sm?.updateDate ?? sm?.creationDate ?? r.startDate),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  async listStateMachines(input: { maxResults?: number; nextToken?: string } = {}) {
    const page = await this.store.listStateMachines(input.maxResults || 100, input.nextToken);
    return {
      stateMachines: page.items
        .filter((r) => r.status === 'ACTIVE')
        .map((r) => ({
          stateMachineArn: r.stateMachineArn,
          name: r.name,
          type: r.type,
          creationDate: new Date(r.creationDate),
        })),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  /** Marks the state machine DELETING; running executions go on (as on AWS), new ones are refused. */
  async deleteStateMachine(input: { stateMachineArn?: string }): Promise<Record<string, never>> {
    const arn = this.checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const r = await this.store.getStateMachine(arn);
    if (r && r.status === 'ACTIVE') {
      r.status = 'DELETING';
      this.machines.delete(arn);
      await this.store.putStateMachine(r, 'replace');
    }
    return {};
  }

  async startExecution(input: {
    stateMachineArn?: string;
    name?: string;
    input?: string;
    traceHeader?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    if (this.closed) throw new ValidationException('The service is shutting down');
    const smArn = this.checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const name = input.name ?? randomUUID();
    if (!validName(name)) throw new InvalidName(`Invalid Name: '${name}'`);
    const inputText = input.input ?? '{}';
    checkLength('input', inputText, PAYLOAD_LIMIT_BYTES, 'bytes');
    let inputJson: Json;
    try {
      inputJson = JSON.parse(inputText) as Json;
    } catch (error) {
      throw new InvalidExecutionInput(`Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const sm = await this.machine(smArn);
    if (!sm) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${smArn}'`);
    if (sm.status !== 'ACTIVE') throw new StateMachineDeleting(`State machine is being deleted: '${smArn}'`);
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${sm.name}:${name}`;
    // Serialise starts of the same name in this process.
    while (this.#starting.has(executionArn)) await this.#starting.get(executionArn)!.catch(noop);
    const work = this.start(executionArn, sm, name, inputText, inputJson);
    this.#starting.set(executionArn, work);
    try {
      return await work;
    } finally {
      this.#starting.delete(executionArn);
    }
  }

  protected async start(
    executionArn: string,
    sm: StateMachineRecord,
    name: string,
    inputText: string,
    inputJson: Json,
  ): Promise<{ executionArn: string; startDate: Date }> {
    const idempotent = (existing: ExecutionRecord) => {
      // Standard workflows: same name and input while RUNNING → the same answer; otherwise an error.
      if (existing.status === 'RUNNING' && existing.input === inputText)
        return { executionArn, startDate: new Date(existing.startDate) };
      throw new ExecutionAlreadyExists(`Execution Already Exists: '${executionArn}'`);
    };
    await this.afterResume(executionArn);
    const live = this.live.get(executionArn);
    if (live) return idempotent(live.rec);

    const def = await this.definition(sm.definitionId);
    const now = this.clock.now();
    const rec: ExecutionRecord = {
      executionArn,
      stateMachineArn: sm.stateMachineArn,
      name,
      status: 'RUNNING',
      startDate: now,
      input: inputText,
      version: 1,
      nextEventId: 1,
      definitionId: sm.definitionId,
      roleArn: sm.roleArn,
      ...(def.timeoutSeconds ? { timeoutAt: now + def.timeoutSeconds * 1000 } : {}),
      snapshot: undefined,
    };
    const ex = this.newExec(rec, def, inputJson, sm.name);
    this.emit(ex, undefined, 'ExecutionStarted', {
      input: inputText,
      inputDetails: NOT_TRUNCATED,
      roleArn: sm.roleArn,
    });
    const root: Thread = {
      id: ex.nextThread++,
      state: def.root.startAt,
      input: inputJson,
      vars: {},
      enteredAt: now,
      retries: [],
      retryCount: 0,
      phase: { k: 'run' },
      lastEventId: 1,
    };
    ex.threads.set(root.id, root);
    // Run the first pure steps now, so that the creation write also records them (one write, not two);
    // nothing outside this function can see the execution before it is stored.
    ex.ready.push(root.id);
    await this.runReady(ex);
    rec.snapshot = this.store.keepsSnapshots === false ? undefined : this.snapshot(ex);
    const events = ex.pending;
    ex.pending = [];
    ex.dirty = false;
    try {
      await this.store.createExecution(rec, events);
    } catch (error) {
      if (error instanceof ConcurrentWriteError) {
        const other = await this.store.getExecution(executionArn);
        if (other) return idempotent(other);
      }
      throw error;
    }
    rec.snapshot = undefined;
    if (!TERMINAL.has(rec.status)) {
      this.live.set(executionArn, ex);
      void this.enqueue(ex, async () => this.reconcile(ex));
    }
    return { executionArn, startDate: new Date(now) };
  }

  protected async record(arn: string): Promise<ExecutionRecord> {
    await this.afterResume(arn);
    const live = this.live.get(arn);
    if (live) return live.rec;
    const stored = await this.store.getExecution(arn);
    if (!stored) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    return stored;
  }

  async describeExecution(input: { executionArn?: string }) {
    const arn = this.checkArn(input.executionArn, 'execution', 'executionArn');
    const r = await this.record(arn);
    return {
      ...executionSummary(r),
      input: r.input,
      inputDetails: { included: true },
      ...(r.output !== undefined ? { output: r.output, outputDetails: { included: true } } : {}),
      ...(r.error !== undefined ? { error: r.error } : {}),
      ...(r.cause !== undefined ? { cause: r.cause } : {}),
      redriveCount: 0,
      redriveStatus: 'NOT_REDRIVABLE',
    };
  }

  async listExecutions(input: {
    stateMachineArn?: string;
    statusFilter?: ExecutionStatus;
    maxResults?: number;
    nextToken?: string;
  }) {
    const arn = this.checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    if (!(await this.store.getStateMachine(arn)))
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    const page = await this.store.listExecutions(
      arn,
      input.statusFilter,
      input.maxResults || 100,
      input.nextToken,
    );
    return {
      executions: page.items.map((stored) => {
        const r = this.live.get(stored.executionArn)?.rec ?? stored;
        return { ...executionSummary(r), redriveCount: 0 };
      }),
      ...(page.nextToken ? { nextToken: page.nextToken } : {}),
    };
  }

  async getExecutionHistory(input: {
    executionArn?: string;
    maxResults?: number;
    reverseOrder?: boolean;
    nextToken?: string;
    includeExecutionData?: boolean;
  }) {
    const arn = this.checkArn(input.executionArn, 'execution', 'executionArn');
    await this.record(arn);
    const live = this.live.get(arn);
    if (live) await live.queue.catch(noop); // let a transition in progress land
    let events = await this.store.getHistory(arn);
    if (input.reverseOrder) events = events.reverse();
    const limit = Math.min(Math.max(input.maxResults || 100, 1), 1000);
    let start = 0;
    if (input.nextToken) {
      start = Number.parseInt(Buffer.from(input.nextToken, 'base64url').toString(), 10);
      if (!Number.isInteger(start) || start < 0) throw new ValidationException('Invalid nextToken');
    }
    const page = events.slice(start, start + limit);
    const end = start + page.length;
    const include = input.includeExecutionData !== false;
    return {
      events: page.map((e) => toApiEvent(e, include)),
      ...(end < events.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}),
    };
  }

  async stopExecution(input: { executionArn?: string; error?: string; cause?: string }) {
    const arn = this.checkArn(input.executionArn, 'execution', 'executionArn');
    return retryOnReload(async () => {
      await this.afterResume(arn);
      const ex = this.live.get(arn);
      if (!ex) {
        const r = await this.record(arn);
        return { stopDate: new Date(r.stopDate ?? this.clock.now()) };
      }
      await this.enqueue(ex, async () => {
        if (TERMINAL.has(ex.rec.status)) return;
        this.closeExecution(ex, 'ABORTED', 'ExecutionAborted', {
          ...(input.error !== undefined ? { error: input.error } : {}),
          ...(input.cause !== undefined ? { cause: input.cause } : {}),
        });
        await this.commit(ex);
      });
      return { stopDate: new Date(ex.rec.stopDate ?? this.clock.now()) };
    });
  }

  /** Resolves with the execution's description once it is no longer RUNNING. */
  async waitForExecution(executionArn: string) {
    await this.afterResume(executionArn);
    const ex = this.live.get(executionArn);
    if (ex && !TERMINAL.has(ex.rec.status)) await new Promise<void>((resolve) => ex.waiters.push(resolve));
    return this.describeExecution({ executionArn });
  }
}

/**
 * Internally, event details keep JSON values (`inputValue`, `outputValue`, `parametersValue`,
 * `assignedValues`); the API sends them as JSON strings (`input`, `output`, `parameters`,
 * `assignedVariables`), as AWS does. Stringifying once, when read, is cheaper than on every transition.
 */
function toApiEvent(e: HistoryEvent, includeData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...e, timestamp: new Date(e.timestamp) };
  for (const [key, value] of Object.entries(out)) {
    if (!key.endsWith('EventDetails') || !value || typeof value !== 'object') continue;
    const d = { ...(value as Record<string, unknown>) };
    for (const f of ['input', 'output', 'parameters'])
      if (`${f}Value` in d) {
        d[f] = JSON.stringify(d[`${f}Value`]);
        delete d[`${f}Value`];
      }
    if (d.assignedValues) {
      const vars: Record<string, string> = {};
      for (const [k, v] of Object.entries(d.assignedValues as Record<string, unknown>))
        vars[k] = JSON.stringify(v);
      d.assignedVariables = vars;
      delete d.assignedValues;
    }
    out[key] = d;
  }
  if (!includeData) {
    for (const [key, value] of Object.entries(out)) {
      if (key.endsWith('EventDetails') && value && typeof value === 'object') {
        const copy = { ...(value as Record<string, unknown>) };
        for (const f of ['input', 'output', 'parameters', 'cause', 'assignedVariables']) delete copy[f];
        out[key] = copy;
      }
    }
  }
  return out;
}
