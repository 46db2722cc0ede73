/**
 * Where the service keeps state machines, executions and their history. Two implementations:
 * `MemoryExecutionStore` (throwaway) and `DynamoExecutionStore` (durable, its own DynamoDB table).
 *
 * The unit of durability is one execution record with a version: `commitExecution` is a conditional
 * write (the stored version must be `expectedVersion`) carrying the new record and the history events
 * of that transition, so a transition is recorded once or not at all.
 */
import { ConcurrentWriteError } from './errors.ts';

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  status: ExecutionStatus;
  readonly startDate: number;
  stopDate?: number;
  readonly input: string;
  output?: string;
  error?: string;
  cause?: string;
  /** Incremented by every commit. */
  version: number;
  nextEventId: number;
  /** Content id of the definition the execution runs (state machines may be updated meanwhile). */
  readonly definitionId: string;
  /** The state machine's role when the execution started (`$states.context.Execution.RoleArn`). */
  readonly roleArn?: string;
  readonly timeoutAt?: number;
  /** The engine's snapshot (threads, variables, pending tasks and timers), JSON-serialisable. */
  snapshot: unknown;
}

export interface StateMachineRecord {
  readonly stateMachineArn: string;
  readonly name: string;
  definition: string;
  definitionId: string;
  roleArn: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  readonly creationDate: number;
  status: 'ACTIVE' | 'DELETING';
  revisionId: string;
  updateDate?: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export interface ExecutionStore {
  /** False: the store keeps no snapshot (nothing resumes from it), so the engine need not make one. */
  readonly keepsSnapshots?: boolean;
  init(): Promise<void>;
  close(): Promise<void>;

  putStateMachine(record: StateMachineRecord, mode: 'create' | 'replace'): Promise<void>;
  getStateMachine(arn: string): Promise<StateMachineRecord | undefined>;
  listStateMachines(limit: number, nextToken?: string): Promise<Page<StateMachineRecord>>;
  putDefinition(definitionId: string, definition: string): Promise<void>;
  getDefinition(definitionId: string): Promise<string | undefined>;

  /** Creates the execution; ConcurrentWriteError if one with this ARN exists. */
  createExecution(record: ExecutionRecord, events: readonly HistoryEvent[]): Promise<void>;
  /**
   * Writes `record` (whose version is expectedVersion + 1) and appends `events`, if the stored version is
   * `expectedVersion`; otherwise ConcurrentWriteError. `idle` hints that nothing follows soon.
   */
  commitExecution(
    record: ExecutionRecord,
    expectedVersion: number,
    events: readonly HistoryEvent[],
    idle: boolean,
  ): Promise<void>;
  getExecution(arn: string): Promise<ExecutionRecord | undefined>;
  listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
  ): Promise<Page<ExecutionRecord>>;
  /** Every history event of the execution, in order. */
  getHistory(arn: string): Promise<HistoryEvent[]>;
  /**
   * Every RUNNING execution (for resume after a restart), each read from its record itself (never from
   * an index, which may be ahead of or behind the record after a crash), snapshot included.
   */
  listOpenExecutions(): AsyncIterable<ExecutionRecord>;
  /**
   * The stored execution with its snapshot, to carry on from (after a refused write): a consistent
   * read that also resets whatever the store keeps in memory about it. `snapshot` is undefined when the
   * store cannot resume (memory storage).
   */
  loadExecution(arn: string): Promise<ExecutionRecord | undefined>;
}

/** One page of `all` from the offset `nextToken` encodes (base64url of a decimal index). */
export function pageOf<T>(all: T[], limit: number, nextToken?: string): Page<T> {
  const start = nextToken ? Number.parseInt(Buffer.from(nextToken, 'base64url').toString(), 10) || 0 : 0;
  const items = all.slice(start, start + limit);
  const end = start + items.length;
  return end < all.length ? { items, nextToken: Buffer.from(String(end)).toString('base64url') } : { items };
}

/**
 * Everything in this process's memory: fast, and gone when the process ends. Records are kept without
 * the engine's snapshot (nothing can resume from memory after a restart), which spares a serialisation
 * per transition; `listOpenExecutions` therefore yields nothing.
 */
export class MemoryExecutionStore implements ExecutionStore {
  readonly keepsSnapshots = false;
  readonly #machines = new Map<string, string>();
  readonly #definitions = new Map<string, string>();
  readonly #executions = new Map<string, ExecutionRecord>();
  readonly #history = new Map<string, HistoryEvent[]>();

  async init(): Promise<void> {}
  async close(): Promise<void> {}

  async putStateMachine(record: StateMachineRecord, mode: 'create' | 'replace'): Promise<void> {
    if (mode === 'create' && this.#machines.has(record.stateMachineArn))
      throw new ConcurrentWriteError('exists');
    this.#machines.set(record.stateMachineArn, JSON.stringify(record));
  }
  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    const text = this.#machines.get(arn);
    return text ? (JSON.parse(text) as StateMachineRecord) : undefined;
  }
  async listStateMachines(limit: number, nextToken?: string): Promise<Page<StateMachineRecord>> {
    const all = [...this.#machines.values()]
      .map((t) => JSON.parse(t) as StateMachineRecord)
      .sort((a, b) => a.name.localeCompare(b.name));
    return pageOf(all, limit, nextToken);
  }
  async putDefinition(definitionId: string, definition: string): Promise<void> {
    this.#definitions.set(definitionId, definition);
  }
  async getDefinition(definitionId: string): Promise<string | undefined> {
    return this.#definitions.get(definitionId);
  }

  async createExecution(record: ExecutionRecord, events: readonly HistoryEvent[]): Promise<void> {
    if (this.#executions.has(record.executionArn)) throw new ConcurrentWriteError('execution exists');
    this.#executions.set(record.executionArn, { ...record, snapshot: undefined });
    this.#history.set(record.executionArn, [...events]);
  }
  async commitExecution(
    record: ExecutionRecord,
    expectedVersion: number,
    events: readonly HistoryEvent[],
  ): Promise<void> {
    const current = this.#executions.get(record.executionArn);
    if (current?.version !== expectedVersion)
      throw new ConcurrentWriteError(`execution ${record.executionArn} is not at version ${expectedVersion}`);
    // The engine hands each commit a record of its own (it keeps no reference), so no copy is needed.
    this.#executions.set(
      record.executionArn,
      record.snapshot === undefined ? record : { ...record, snapshot: undefined },
    );
    const history = this.#history.get(record.executionArn)!;
    for (const e of events) history.push(e);
  }
  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    const r = this.#executions.get(arn);
    return r ? { ...r } : undefined;
  }
  async listExecutions(
    stateMachineArn: string,
    status: ExecutionStatus | undefined,
    limit: number,
    nextToken?: string,
  ): Promise<Page<ExecutionRecord>> {
    const all: ExecutionRecord[] = [];
    for (const r of this.#executions.values())
      if (r.stateMachineArn === stateMachineArn && (!status || r.status === status)) all.push({ ...r });
    all.sort((a, b) => b.startDate - a.startDate || a.name.localeCompare(b.name));
    return pageOf(all, limit, nextToken);
  }
  async getHistory(arn: string): Promise<HistoryEvent[]> {
    return [...(this.#history.get(arn) ?? [])];
  }
  async loadExecution(arn: string): Promise<ExecutionRecord | undefined> {
    return this.getExecution(arn);
  }
  /** Memory storage has nothing to resume. */
  async *listOpenExecutions(): AsyncIterable<ExecutionRecord> {
    yield* [];
  }
}
