/**
 * The execution engine: runs JSONata state machines, durably, through a `Store`.
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
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '#shared/clock.ts';
import {
  type Catcher,
  type Definition,
  type MapState,
  type ParallelState,
  parseDefinition,
  parseRfc3339,
  type Retrier,
  type State,
  type TaskState,
} from './definition.ts';
import {
  ConcurrentWriteError,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InternalFailure,
  InvalidArn,
  InvalidExecutionInput,
  InvalidName,
  InvalidOutput,
  InvalidToken,
  StateMachineAlreadyExists,
  StateMachineDeleting,
  StateMachineDoesNotExist,
  StatesError,
  TaskDoesNotExist,
  TaskTimedOut,
  ValidationException,
} from './errors.ts';
import { type Compiled, type EvalContext, evaluate, type Json } from './expressions.ts';
import type { ExecutionRecord, ExecutionStatus, HistoryEvent, StateMachineRecord, Store } from './store.ts';

// ---- public types ---------------------------------------------------------------------------------

export interface LocalInvokeContext {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly awsRequestId: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}
export type LocalFunction = (event: unknown, context: LocalInvokeContext) => Promise<unknown>;
export type FunctionResolver = (functionName: string) => LocalFunction | undefined;

export interface EngineLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly functions: FunctionResolver;
  readonly region?: string;
  readonly accountId?: string;
  readonly logger?: EngineLogger;
  /** Called after every committed transition (crash tests use it to die at random transitions). */
  readonly onCommit?: (executionArn: string, version: number) => void;
}

// ---- snapshot types (persisted) -------------------------------------------------------------------

type Phase =
  | { k: 'run' } // state not yet entered
  | { k: 'exec' } // entered (or retrying): run the state's work
  | {
      k: 'task';
      seq: number;
      token?: string;
      fn: string;
      /** A plain Lambda function ARN as Resource: `args` is the event, the result is the function's. */
      plain?: boolean;
      args: Json;
      submitted: boolean;
      timeoutAt?: number;
      heartbeatAt?: number;
      heartbeatMs?: number;
      timeoutSec?: number;
    }
  | { k: 'wait'; due: number }
  | { k: 'retry'; due: number }
  | { k: 'failed'; error?: string; cause?: string } // a child failed: run this state's Retry/Catch
  | {
      k: 'children';
      results: Json[];
      done: number;
      total: number;
      started: number;
      max: number;
      items?: Json[];
      children: number[];
      /** Map: iterations that failed within ToleratedFailureCount/Percentage, and those limits. */
      failed?: number;
      tolerated?: { count?: number; percent?: number };
    };

interface Thread {
  id: number;
  parent?: number;
  /** Index in the parent's results (branch index or item index). */
  slot?: number;
  state: string;
  input: Json;
  vars: Record<string, Json>;
  enteredAt: number;
  retries: number[];
  retryCount: number;
  phase: Phase;
  lastEventId: number;
  /** Id of the StateEntered event of the current state (AWS's error causes name it). */
  enteredEventId?: number;
}

interface Snapshot {
  threads: Thread[];
  nextThread: number;
  seq: number;
}

// ---- in-memory execution ------------------------------------------------------------------------

interface Exec {
  rec: ExecutionRecord;
  def: Definition;
  threads: Map<number, Thread>;
  nextThread: number;
  seq: number;
  inputJson: Json;
  smName: string;
  /** Events emitted since the last commit. */
  pending: HistoryEvent[];
  ready: number[];
  queue: Promise<unknown>;
  timers: Map<string, AbortController>;
  launched: Set<number>;
  waiters: (() => void)[];
  dirty: boolean;
  broken: boolean;
}

const DETAILS: Record<string, string> = {
  ExecutionStarted: 'executionStartedEventDetails',
  ExecutionSucceeded: 'executionSucceededEventDetails',
  ExecutionFailed: 'executionFailedEventDetails',
  ExecutionAborted: 'executionAbortedEventDetails',
  ExecutionTimedOut: 'executionTimedOutEventDetails',
  TaskScheduled: 'taskScheduledEventDetails',
  TaskStarted: 'taskStartedEventDetails',
  TaskSubmitted: 'taskSubmittedEventDetails',
  TaskSucceeded: 'taskSucceededEventDetails',
  TaskFailed: 'taskFailedEventDetails',
  TaskTimedOut: 'taskTimedOutEventDetails',
  MapStateStarted: 'mapStateStartedEventDetails',
  MapIterationStarted: 'mapIterationStartedEventDetails',
  MapIterationSucceeded: 'mapIterationSucceededEventDetails',
  MapIterationFailed: 'mapIterationFailedEventDetails',
  MapIterationAborted: 'mapIterationAbortedEventDetails',
  EvaluationFailed: 'evaluationFailedEventDetails',
  LambdaFunctionScheduled: 'lambdaFunctionScheduledEventDetails',
  LambdaFunctionSucceeded: 'lambdaFunctionSucceededEventDetails',
  LambdaFunctionFailed: 'lambdaFunctionFailedEventDetails',
  LambdaFunctionTimedOut: 'lambdaFunctionTimedOutEventDetails',
};

function detailsKey(type: string): string | undefined {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return DETAILS[type];
}

/** State types with a <Type>StateAborted history event. */
const ABORTABLE: ReadonlySet<string> = new Set(['Task', 'Wait', 'Map', 'Parallel']);
const TERMINAL: ReadonlySet<ExecutionStatus> = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']);
const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** Names: 1-80 characters, none of whitespace, brackets, wildcards, special or control characters. */
function validName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}
const noop = () => {};

/**
 * The work was not done because the execution was reloaded from storage (after a refused write): an
 * InternalFailure (500, which SDK clients retry) that the API methods retry themselves first.
 */
class Reloaded extends InternalFailure {}

/** Runs an API call's queued work again (a few times) when the execution was reloaded meanwhile. */
async function retryOnReload<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Reloaded) || i >= 3) throw error;
    }
  }
}
/** Reloads in a row after refused writes before an execution is unloaded (e.g. two processes on one table). */
const MAX_RELOADS = 3;

function toJsonString(value: Json): string {
  return JSON.stringify(value);
}

/**
 * Step Functions' payload quota: execution input, state input/output, task results, callback output
 * and one Assign's values, each at most 256 KiB of UTF-8
 * (https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html, "Maximum input or output
 * size for a task, state, or execution"). Over it: a ValidationException at the API, and the state
 * fails with States.DataLimitExceeded inside an execution.
 */
export const PAYLOAD_LIMIT_BYTES = 262_144;

/** Over the payload quota? (UTF-8 bytes; a string of n UTF-16 units has at most 3n, so short ones are not encoded.) */
function overPayloadLimit(text: string): boolean {
  return text.length * 3 > PAYLOAD_LIMIT_BYTES && Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES;
}

/**
 * Throws AWS's length-constraint ValidationException when an API string is too long: `input` and
 * `output` are measured in UTF-8 bytes, other fields in characters (API reference).
 */
function checkLength(field: string, value: string | undefined, max: number, unit: 'bytes' | 'chars'): void {
  if (value === undefined) return;
  if ((unit === 'bytes' ? Buffer.byteLength(value) : value.length) > max)
    throw new ValidationException(
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`,
    );
}

/**
 * States.DataLimitExceeded when a state's output exceeds the payload quota, or its Assign's values
 * together do (the variables quota: 256 KiB per variable and per Assign field, counted on the values;
 * https://docs.aws.amazon.com/step-functions/latest/dg/workflow-variables.html).
 */
function checkPayload(st: State, output: Json, assigned: Record<string, Json> | undefined): void {
  const texts = [JSON.stringify(output)];
  const values = assigned ? Object.values(assigned).map((v) => JSON.stringify(v)) : [];
  const what = overPayloadLimit(texts[0]!)
    ? 'output'
    : overPayloadLimit(values.join(''))
      ? 'set of assigned variables'
      : undefined;
  if (what)
    throw new StatesError(
      'States.DataLimitExceeded',
      `The state/task '${st.name}' returned a ${what} with a size exceeding the maximum number of bytes service limit.`,
    );
}

/** The role a state machine gets when CreateStateMachine names none (no IAM locally). */
function defaultRoleArn(accountId: string): string {
  return `arn:aws:iam::${accountId}:role/local-stepfunctions`;
}

/** Lambda's FunctionName may be a name, a name:qualifier, a partial ARN or a full ARN. */
export function functionNameOf(value: string): string {
  const parts = value.split(':');
  if (value.startsWith('arn:')) return parts[6] ?? value; // arn:aws:lambda:REGION:ACCOUNT:function:NAME[:Q]
  const fn = parts.indexOf('function');
  if (fn >= 0) return parts[fn + 1] ?? value; // ACCOUNT:function:NAME[:Q]
  return parts[0] ?? value; // NAME[:Q]
}

// ---- the engine ---------------------------------------------------------------------------------

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

export class StepFunctionsEngine {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #functions: FunctionResolver;
  readonly region: string;
  readonly accountId: string;
  readonly #log: EngineLogger;
  readonly #onCommit: EngineOptions['onCommit'];
  readonly #live = new Map<string, Exec>();
  readonly #definitions = new Map<string, Definition>();
  readonly #starting = new Map<string, Promise<unknown>>();
  /** Reloads after refused writes, per execution, since its last successful write. */
  readonly #reloads = new Map<string, number>();
  #resuming: Promise<void> | undefined;
  /** State machines read by this process (they change only through this process's API). */
  readonly #machines = new Map<string, StateMachineRecord>();
  #closed = false;

  constructor(options: EngineOptions) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#functions = options.functions;
    this.region = options.region ?? 'us-east-1';
    this.accountId = options.accountId ?? '123456789012';
    this.#log = options.logger ?? { info: noop, warn: noop, error: (m, e) => console.error(m, e) };
    this.#onCommit = options.onCommit;
  }

  get liveExecutions(): number {
    return this.#live.size;
  }

  // ---- state machines ---------------------------------------------------------------------------

  #smArn(name: string): string {
    return `arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`;
  }

  #checkArn(arn: unknown, kind: 'stateMachine' | 'execution', field: string): string {
    if (typeof arn !== 'string' || !arn.startsWith('arn:aws:states:') || arn.split(':')[5] !== kind)
      throw new InvalidArn(
        `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}' (${field})`,
      );
    return arn;
  }

  async #machine(arn: string): Promise<StateMachineRecord | undefined> {
    let record = this.#machines.get(arn);
    if (!record) {
      record = await this.#store.getStateMachine(arn);
      if (record) this.#machines.set(arn, record);
    }
    return record;
  }

  async #definition(definitionId: string): Promise<Definition> {
    let def = this.#definitions.get(definitionId);
    if (!def) {
      const text = await this.#store.getDefinition(definitionId);
      if (text === undefined) throw new StateMachineDoesNotExist(`Definition ${definitionId} is missing`);
      def = parseDefinition(text);
      this.#definitions.set(definitionId, def);
    }
    return def;
  }

  async #storeDefinition(definition: string): Promise<string> {
    const def = parseDefinition(definition);
    const definitionId = createHash('sha256').update(definition).digest('hex').slice(0, 32);
    this.#definitions.set(definitionId, def);
    await this.#store.putDefinition(definitionId, definition);
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
    const definitionId = await this.#storeDefinition(definition);
    const arn = this.#smArn(name);
    const roleArn = input.roleArn ?? defaultRoleArn(this.accountId);
    const existing = await this.#store.getStateMachine(arn);
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
      creationDate: this.#clock.now(),
      status: 'ACTIVE',
      revisionId: randomUUID(),
    };
    this.#machines.delete(arn);
    await this.#store.putStateMachine(record, existing ? 'replace' : 'create');
    return { stateMachineArn: arn, creationDate: new Date(record.creationDate) };
  }

  async updateStateMachine(input: { stateMachineArn?: string; definition?: string; roleArn?: string }) {
    const arn = this.#checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const record = await this.#store.getStateMachine(arn);
    if (record?.status !== 'ACTIVE')
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    if (input.definition !== undefined) {
      record.definitionId = await this.#storeDefinition(input.definition);
      record.definition = input.definition;
    }
    if (input.roleArn) record.roleArn = input.roleArn;
    record.revisionId = randomUUID();
    record.updateDate = this.#clock.now();
    this.#machines.delete(arn);
    await this.#store.putStateMachine(record, 'replace');
    return { updateDate: new Date(record.updateDate), revisionId: record.revisionId };
  }

  async describeStateMachine(input: { stateMachineArn?: string }) {
    const arn = this.#checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const r = await this.#store.getStateMachine(arn);
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
    const arn = this.#checkArn(input.executionArn, 'execution', 'executionArn');
    const r = await this.#record(arn);
    const sm = await this.#store.getStateMachine(r.stateMachineArn);
    const definition = await this.#store.getDefinition(r.definitionId);
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
    const page = await this.#store.listStateMachines(input.maxResults || 100, input.nextToken);
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
    const arn = this.#checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    const r = await this.#store.getStateMachine(arn);
    if (r && r.status === 'ACTIVE') {
      r.status = 'DELETING';
      this.#machines.delete(arn);
      await this.#store.putStateMachine(r, 'replace');
    }
    return {};
  }

  // ---- executions -------------------------------------------------------------------------------

  async startExecution(input: {
    stateMachineArn?: string;
    name?: string;
    input?: string;
    traceHeader?: string;
  }): Promise<{ executionArn: string; startDate: Date }> {
    if (this.#closed) throw new ValidationException('The service is shutting down');
    const smArn = this.#checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
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
    const sm = await this.#machine(smArn);
    if (!sm) throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${smArn}'`);
    if (sm.status !== 'ACTIVE') throw new StateMachineDeleting(`State machine is being deleted: '${smArn}'`);
    const executionArn = `arn:aws:states:${this.region}:${this.accountId}:execution:${sm.name}:${name}`;
    // Serialise starts of the same name in this process.
    while (this.#starting.has(executionArn)) await this.#starting.get(executionArn)!.catch(noop);
    const work = this.#start(executionArn, sm, name, inputText, inputJson);
    this.#starting.set(executionArn, work);
    try {
      return await work;
    } finally {
      this.#starting.delete(executionArn);
    }
  }

  async #start(
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
    await this.#afterResume(executionArn);
    const live = this.#live.get(executionArn);
    if (live) return idempotent(live.rec);

    const def = await this.#definition(sm.definitionId);
    const now = this.#clock.now();
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
    const ex = this.#newExec(rec, def, inputJson, sm.name);
    this.#emit(ex, undefined, 'ExecutionStarted', {
      input: inputText,
      inputDetails: { truncated: false },
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
    await this.#runReady(ex);
    rec.snapshot = this.#snapshot(ex);
    const events = ex.pending;
    ex.pending = [];
    ex.dirty = false;
    try {
      await this.#store.createExecution(rec, events);
    } catch (error) {
      if (error instanceof ConcurrentWriteError) {
        const other = await this.#store.getExecution(executionArn);
        if (other) return idempotent(other);
      }
      throw error;
    }
    rec.snapshot = undefined;
    if (!TERMINAL.has(rec.status)) {
      this.#live.set(executionArn, ex);
      void this.#enqueue(ex, async () => this.#reconcile(ex));
    }
    return { executionArn, startDate: new Date(now) };
  }

  /** Steps ready threads until all are blocked (or the execution ended). No writes. */
  async #runReady(ex: Exec): Promise<void> {
    while (ex.ready.length > 0 && !TERMINAL.has(ex.rec.status)) {
      const id = ex.ready.shift()!;
      const thread = ex.threads.get(id);
      if (!thread) continue;
      await this.#step(ex, thread);
    }
    ex.ready.length = 0;
  }

  #newExec(rec: ExecutionRecord, def: Definition, inputJson: Json, smName: string): Exec {
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

  async #record(arn: string): Promise<ExecutionRecord> {
    await this.#afterResume(arn);
    const live = this.#live.get(arn);
    if (live) return live.rec;
    const stored = await this.#store.getExecution(arn);
    if (!stored) throw new ExecutionDoesNotExist(`Execution Does Not Exist: '${arn}'`);
    return stored;
  }

  async describeExecution(input: { executionArn?: string }) {
    const arn = this.#checkArn(input.executionArn, 'execution', 'executionArn');
    const r = await this.#record(arn);
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
    const arn = this.#checkArn(input.stateMachineArn, 'stateMachine', 'stateMachineArn');
    if (!(await this.#store.getStateMachine(arn)))
      throw new StateMachineDoesNotExist(`State Machine Does Not Exist: '${arn}'`);
    const page = await this.#store.listExecutions(
      arn,
      input.statusFilter,
      input.maxResults || 100,
      input.nextToken,
    );
    return {
      executions: page.items.map((stored) => {
        const r = this.#live.get(stored.executionArn)?.rec ?? stored;
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
    const arn = this.#checkArn(input.executionArn, 'execution', 'executionArn');
    await this.#record(arn);
    const live = this.#live.get(arn);
    if (live) await live.queue.catch(noop); // let a transition in progress land
    let events = await this.#store.getHistory(arn);
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
    const arn = this.#checkArn(input.executionArn, 'execution', 'executionArn');
    return retryOnReload(async () => {
      await this.#afterResume(arn);
      const ex = this.#live.get(arn);
      if (!ex) {
        const r = await this.#record(arn);
        return { stopDate: new Date(r.stopDate ?? this.#clock.now()) };
      }
      await this.#enqueue(ex, async () => {
        if (TERMINAL.has(ex.rec.status)) return;
        this.#closeExecution(ex, 'ABORTED', 'ExecutionAborted', {
          ...(input.error !== undefined ? { error: input.error } : {}),
          ...(input.cause !== undefined ? { cause: input.cause } : {}),
        });
        await this.#commit(ex);
      });
      return { stopDate: new Date(ex.rec.stopDate ?? this.#clock.now()) };
    });
  }

  // ---- callbacks --------------------------------------------------------------------------------

  #makeToken(arn: string, seq: number): string {
    return Buffer.from(JSON.stringify({ a: arn, s: seq, n: randomBytes(6).toString('hex') })).toString(
      'base64url',
    );
  }

  #parseToken(token: unknown): { arn: string; seq: number } {
    if (typeof token !== 'string' || token.length === 0 || token.length > 2048)
      throw new InvalidToken('Invalid Token');
    try {
      const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as {
        a?: unknown;
        s?: unknown;
      };
      if (typeof parsed.a === 'string' && typeof parsed.s === 'number')
        return { arn: parsed.a, seq: parsed.s };
    } catch {
      // fall through
    }
    throw new InvalidToken(`Invalid Token: '${token.slice(0, 40)}…'`);
  }

  /** Finds the live execution and the waiting thread for a token, or throws as AWS does. */
  async #taskFor(token: string): Promise<{ ex: Exec; thread: Thread }> {
    const { arn } = this.#parseToken(token);
    await this.#afterResume(arn);
    const ex = this.#live.get(arn);
    if (!ex) {
      const stored = await this.#store.getExecution(arn);
      if (!stored) throw new TaskDoesNotExist('Task Does Not Exist');
      throw new TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'");
    }
    for (const thread of ex.threads.values())
      if (thread.phase.k === 'task' && thread.phase.token === token) return { ex, thread };
    throw new TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'");
  }

  async sendTaskSuccess(input: { taskToken?: string; output?: string }): Promise<Record<string, never>> {
    this.#parseToken(input.taskToken);
    checkLength('output', input.output, PAYLOAD_LIMIT_BYTES, 'bytes');
    let output: Json;
    try {
      output = JSON.parse(input.output ?? '') as Json;
    } catch (error) {
      throw new InvalidOutput(`Invalid Output: '${(error as Error).message}'`);
    }
    await retryOnReload(async () => {
      const probe = await this.#taskFor(input.taskToken!);
      await this.#enqueue(probe.ex, async () => {
        const { ex, thread } = await this.#taskFor(input.taskToken!);
        const st = ex.def.states.get(thread.state) as TaskState;
        this.#emitTaskOutput(ex, thread, st, 'TaskSucceeded', output);
        await this.#taskResult(ex, thread, st, output);
        await this.#drive(ex);
      });
    });
    return {};
  }

  async sendTaskFailure(input: {
    taskToken?: string;
    error?: string;
    cause?: string;
  }): Promise<Record<string, never>> {
    this.#parseToken(input.taskToken);
    // SendTaskFailure: error at most 256 characters, cause at most 32,768 (API reference).
    checkLength('error', input.error, 256, 'chars');
    checkLength('cause', input.cause, 32_768, 'chars');
    await retryOnReload(async () => {
      const probe = await this.#taskFor(input.taskToken!);
      await this.#enqueue(probe.ex, async () => {
        const { ex, thread } = await this.#taskFor(input.taskToken!);
        const st = ex.def.states.get(thread.state) as TaskState;
        const error = input.error ?? '';
        const cause = input.cause ?? '';
        this.#emit(ex, thread, 'TaskFailed', { resourceType: 'lambda', resource: st.resource, error, cause });
        await this.#stateFailed(ex, thread, st, error, cause);
        await this.#drive(ex);
      });
    });
    return {};
  }

  async sendTaskHeartbeat(input: { taskToken?: string }): Promise<Record<string, never>> {
    this.#parseToken(input.taskToken);
    await retryOnReload(async () => {
      const probe = await this.#taskFor(input.taskToken!);
      await this.#enqueue(probe.ex, async () => {
        const { ex, thread } = await this.#taskFor(input.taskToken!);
        const phase = thread.phase as Phase & { k: 'task' };
        if (phase.heartbeatMs !== undefined) {
          phase.heartbeatAt = this.#clock.now() + phase.heartbeatMs;
          ex.dirty = true;
          await this.#drive(ex);
        }
      });
    });
    return {};
  }

  // ---- waiting (tests, bench, CLI) --------------------------------------------------------------

  /** Resolves with the execution's description once it is no longer RUNNING. */
  async waitForExecution(executionArn: string) {
    await this.#afterResume(executionArn);
    const ex = this.#live.get(executionArn);
    if (ex && !TERMINAL.has(ex.rec.status)) await new Promise<void>((resolve) => ex.waiters.push(resolve));
    return this.describeExecution({ executionArn });
  }

  // ---- resume and shutdown ----------------------------------------------------------------------

  /** Loads every RUNNING execution from the store and carries it on. Returns how many. */
  async resumeAll(): Promise<number> {
    const work = this.#resume();
    this.#resuming = work.then(noop, noop);
    try {
      return await work;
    } finally {
      this.#resuming = undefined;
    }
  }

  /**
   * While executions are being resumed, a call about an execution that is not loaded yet waits for the
   * resume (a callback arriving at start-up must find its task, not a "task does not exist anymore").
   */
  async #afterResume(arn: string): Promise<void> {
    if (this.#resuming && !this.#live.has(arn)) await this.#resuming;
  }

  async #resume(): Promise<number> {
    let count = 0;
    const pending: Promise<unknown>[] = [];
    for await (const rec of this.#store.listOpenExecutions()) {
      if (this.#live.has(rec.executionArn)) continue;
      const def = await this.#definition(rec.definitionId);
      const ex = this.#load(rec, def);
      count++;
      // A failure here is logged by the queue and unloads that execution only; the others go on.
      pending.push(this.#carryOn(ex));
      if (pending.length >= 256) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
    return count;
  }

  /** An execution in memory from its stored record and snapshot, made live (not yet stepped). */
  #load(rec: ExecutionRecord, def: Definition): Exec {
    const sm = rec.executionArn.split(':')[6] ?? '';
    const ex = this.#newExec(rec, def, JSON.parse(rec.input) as Json, sm);
    const snap = rec.snapshot as Snapshot;
    for (const t of snap.threads) ex.threads.set(t.id, t);
    ex.nextThread = snap.nextThread;
    ex.seq = snap.seq;
    rec.snapshot = undefined;
    this.#live.set(rec.executionArn, ex);
    for (const t of ex.threads.values())
      if (t.phase.k === 'run' || t.phase.k === 'exec' || t.phase.k === 'failed' || t.phase.k === 'children')
        ex.ready.push(t.id);
    return ex;
  }

  /** Carries on a loaded execution: re-runs lost pure steps, re-arms timers, re-calls tasks in flight. */
  #carryOn(ex: Exec): Promise<void> {
    return this.#enqueue(ex, async () => {
      if (ex.ready.length > 0) await this.#drive(ex);
      else this.#reconcile(ex);
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
  async #reload(old: Exec): Promise<boolean> {
    const arn = old.rec.executionArn;
    let stored: ExecutionRecord | undefined;
    try {
      stored = await this.#store.loadExecution(arn);
    } catch (error) {
      this.#log.error('stepfunctions: could not reload an execution', {
        executionArn: arn,
        error: String(error),
      });
      return false;
    }
    if (!stored || (stored.status === 'RUNNING' && stored.snapshot === undefined) || this.#closed)
      return false;
    if (this.#live.get(arn) === old) this.#live.delete(arn);
    if (TERMINAL.has(stored.status)) {
      for (const w of old.waiters.splice(0)) w();
      return true;
    }
    const def =
      stored.definitionId === old.rec.definitionId ? old.def : await this.#definition(stored.definitionId);
    const ex = this.#load(stored, def);
    ex.waiters.push(...old.waiters.splice(0));
    void this.#carryOn(ex);
    return true;
  }

  /** Stops timers and waits for transitions in progress; functions still running are left to finish unheard. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const ex of this.#live.values()) for (const timer of ex.timers.values()) timer.abort();
    await Promise.all([...this.#live.values()].map((ex) => ex.queue.catch(noop)));
    for (const ex of this.#live.values()) for (const timer of ex.timers.values()) timer.abort();
    this.#live.clear();
    await this.#store.close();
  }

  // ---- internals: queue, events, commit -----------------------------------------------------------

  /**
   * Queues work on the execution. Work queued on a copy that a refused write dropped (`broken`) does not
   * run: it fails with `Reloaded` (API calls retry on the reloaded copy; timers and call results of the
   * dropped copy are derived again from the stored state).
   */
  #enqueue<T>(ex: Exec, work: () => Promise<T>): Promise<T> {
    const run = ex.queue.then(() => {
      if (this.#closed) return undefined as T;
      if (ex.broken) throw new Reloaded('The execution was reloaded from storage meanwhile. Retry.');
      return work();
    });
    ex.queue = run.catch((error: unknown) => {
      if (!(error instanceof Error && 'statusCode' in error))
        this.#log.error('stepfunctions: transition failed', {
          executionArn: ex.rec.executionArn,
          error: String(error),
        });
    });
    return run;
  }

  #emit(ex: Exec, thread: Thread | undefined, type: string, details?: Record<string, unknown>): void {
    const id = ex.rec.nextEventId++;
    const event: Record<string, unknown> = {
      id,
      previousEventId: thread ? thread.lastEventId : id - 1,
      timestamp: this.#clock.now(),
      type,
    };
    const key = detailsKey(type);
    if (key && details) event[key] = details;
    ex.pending.push(event as unknown as HistoryEvent);
    if (thread) thread.lastEventId = id;
    ex.dirty = true;
  }

  #snapshot(ex: Exec): Snapshot {
    return { threads: [...ex.threads.values()], nextThread: ex.nextThread, seq: ex.seq };
  }

  async #commit(ex: Exec): Promise<void> {
    if (!ex.dirty) return;
    const expected = ex.rec.version;
    const events = ex.pending;
    ex.pending = [];
    ex.dirty = false;
    // The store serialises the record before it awaits anything, and nothing changes the snapshot
    // meanwhile (work on one execution is serialised), so no copy is needed.
    const rec: ExecutionRecord = { ...ex.rec, version: expected + 1, snapshot: this.#snapshot(ex) };
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
      await this.#store.commitExecution(rec, expected, events, idle);
    } catch (error) {
      const arn = ex.rec.executionArn;
      ex.broken = true; // queued work, timers and call results of this copy are dropped from now on
      for (const timer of ex.timers.values()) timer.abort();
      ex.timers.clear();
      if (error instanceof ConcurrentWriteError) {
        const reloads = (this.#reloads.get(arn) ?? 0) + 1;
        this.#reloads.set(arn, reloads);
        if (reloads <= MAX_RELOADS && (await this.#reload(ex))) {
          this.#log.warn(
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
      this.#reloads.delete(arn);
      if (this.#live.get(arn) === ex) this.#live.delete(arn);
      for (const w of ex.waiters.splice(0)) w();
      this.#log.error(
        'stepfunctions: could not record a transition; the execution is unloaded until restart',
        {
          executionArn: arn,
          error: String(error),
        },
      );
      throw error;
    }
    this.#reloads.delete(ex.rec.executionArn);
    ex.rec.version = expected + 1;
    ex.rec.snapshot = undefined;
    this.#onCommit?.(ex.rec.executionArn, ex.rec.version);
    if (closed) {
      for (const timer of ex.timers.values()) timer.abort();
      ex.timers.clear();
      this.#live.delete(ex.rec.executionArn);
      for (const w of ex.waiters.splice(0)) w();
    }
  }

  /** Runs every ready thread until all are blocked, commits, then starts side effects. */
  async #drive(ex: Exec): Promise<void> {
    await this.#runReady(ex);
    await this.#commit(ex);
    if (!TERMINAL.has(ex.rec.status)) this.#reconcile(ex);
  }

  /** Makes in-memory side effects (function calls, timers) match the committed snapshot. */
  #reconcile(ex: Exec): void {
    if (this.#closed || ex.broken) return;
    const wanted = new Map<string, { at: number; fire: () => Promise<void> }>();
    if (ex.rec.timeoutAt !== undefined)
      wanted.set(`x:${ex.rec.timeoutAt}`, { at: ex.rec.timeoutAt, fire: () => this.#executionTimedOut(ex) });
    for (const t of ex.threads.values()) {
      const p = t.phase;
      if (p.k === 'wait' || p.k === 'retry') {
        wanted.set(`${t.id}:${p.k}:${p.due}`, {
          at: p.due,
          fire: () => this.#timerFired(ex, t.id, p.k, p.due),
        });
      } else if (p.k === 'task') {
        if (p.timeoutAt !== undefined)
          wanted.set(`${t.id}:to:${p.seq}:${p.timeoutAt}`, {
            at: p.timeoutAt,
            fire: () => this.#taskTimedOut(ex, t.id, p.seq, 'States.Timeout'),
          });
        if (p.heartbeatAt !== undefined)
          wanted.set(`${t.id}:hb:${p.seq}:${p.heartbeatAt}`, {
            at: p.heartbeatAt,
            fire: () => this.#taskTimedOut(ex, t.id, p.seq, 'States.HeartbeatTimeout'),
          });
        if (!p.submitted && !ex.launched.has(p.seq)) {
          ex.launched.add(p.seq);
          this.#invoke(ex, t.id, p).catch(noop); // failures are logged by the execution's queue
        }
      }
    }
    if (ex.launched.size > 0) {
      // forget calls of tasks that have ended (the set would otherwise grow with every task)
      const current = new Set<number>();
      for (const t of ex.threads.values()) if (t.phase.k === 'task') current.add(t.phase.seq);
      for (const seq of ex.launched) if (!current.has(seq)) ex.launched.delete(seq);
    }
    for (const [key, timer] of ex.timers)
      if (!wanted.has(key)) {
        timer.abort();
        ex.timers.delete(key);
      }
    for (const [key, { at, fire }] of wanted) {
      if (ex.timers.has(key)) continue;
      const controller = new AbortController();
      ex.timers.set(key, controller);
      this.#clock.sleepUntil(at, controller.signal).then(() => {
        ex.timers.delete(key);
        void this.#enqueue(ex, fire);
      }, noop);
    }
  }

  // ---- internals: states ------------------------------------------------------------------------

  #ctx(
    ex: Exec,
    thread: Thread,
    st: State,
    extra?: { result?: Json; errorOutput?: Json; token?: string },
    item?: { Index: number; Value: Json },
  ): EvalContext {
    return new StateContext(this.#clock, this.accountId, ex, thread, st, extra, item);
  }

  async #step(ex: Exec, t: Thread): Promise<void> {
    const st = ex.def.states.get(t.state);
    if (!st) {
      this.#failThread(ex, t, 'States.Runtime', `The state '${t.state}' does not exist in this definition`);
      return;
    }
    if (t.phase.k === 'run') {
      t.enteredAt = this.#clock.now();
      t.retries = [];
      t.retryCount = 0;
      this.#emit(ex, t, `${st.type}StateEntered`, {
        name: st.name,
        inputValue: t.input,
        inputDetails: { truncated: false },
      });
      t.enteredEventId = t.lastEventId;
      t.phase = { k: 'exec' };
    }
    if (t.phase.k === 'failed') {
      const { error, cause } = t.phase;
      t.phase = { k: 'exec' };
      await this.#stateFailed(ex, t, st, error, cause, true);
      return;
    }
    try {
      if (t.phase.k === 'children') {
        // A child finished: start more Map items, or finish the state when all are done.
        if (t.phase.done === t.phase.total) await this.#childrenDone(ex, t, st as MapState | ParallelState);
        else if (st.type === 'Map') await this.#startMapItems(ex, t, st);
        return;
      }
      switch (st.type) {
        case 'Pass': {
          const ctx = this.#ctx(ex, t, st);
          await this.#exit(ex, t, st, ctx, t.input, st.output, st.assign);
          return;
        }
        case 'Succeed': {
          const ctx = this.#ctx(ex, t, st);
          const output = st.output ? await evaluate(st.output, ctx, 'Output') : t.input;
          this.#emit(ex, t, 'SucceedStateExited', {
            name: st.name,
            outputValue: output,
            outputDetails: { truncated: false },
          });
          this.#finishThread(ex, t, output);
          return;
        }
        case 'Fail': {
          const ctx = this.#ctx(ex, t, st);
          const error = st.error ? await evaluate(st.error, ctx, 'Error') : undefined;
          const cause = st.cause ? await evaluate(st.cause, ctx, 'Cause') : undefined;
          if (
            (error !== undefined && typeof error !== 'string') ||
            (cause !== undefined && typeof cause !== 'string')
          )
            throw new StatesError(
              'States.QueryEvaluationError',
              'The Fail state Error and Cause must evaluate to strings',
            );
          // An unset Error or Cause stays absent (ExecutionFailed, DescribeExecution), as on AWS.
          this.#failThread(ex, t, error, cause);
          return;
        }
        case 'Choice': {
          const ctx = this.#ctx(ex, t, st);
          for (const [i, rule] of st.choices.entries()) {
            const value = await evaluate(rule.condition, ctx, `Choices[${i}].Condition`);
            if (typeof value !== 'boolean')
              throw new StatesError(
                'States.QueryEvaluationError',
                `The Condition of Choices[${i}] must evaluate to a boolean, not ${JSON.stringify(value)}`,
              );
            if (value) {
              await this.#exit(
                ex,
                t,
                st,
                ctx,
                t.input,
                rule.output ?? st.output,
                st.assign,
                rule.next,
                rule.assign,
              );
              return;
            }
          }
          if (st.default) {
            await this.#exit(ex, t, st, ctx, t.input, st.output, st.assign, st.default);
            return;
          }
          throw new StatesError('States.NoChoiceMatched', `No Matches! (state '${st.name}')`);
        }
        case 'Wait': {
          if (t.phase.k === 'wait') {
            // the timer fired
            const ctx = this.#ctx(ex, t, st);
            await this.#exit(ex, t, st, ctx, t.input, st.output, st.assign);
            return;
          }
          const ctx = this.#ctx(ex, t, st);
          let due: number;
          if (st.seconds) {
            const seconds = await evaluate(st.seconds, ctx, 'Seconds');
            if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0)
              throw new StatesError(
                'States.QueryEvaluationError',
                `Seconds must be a non-negative number, not ${JSON.stringify(seconds)}`,
              );
            due = this.#clock.now() + seconds * 1000;
          } else {
            const ts = await evaluate(st.timestamp!, ctx, 'Timestamp');
            const ms = typeof ts === 'string' ? parseRfc3339(ts) : undefined;
            if (ms === undefined) {
              const error = new StatesError(
                'States.QueryEvaluationError',
                `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${typeof ts === 'string' ? ts : JSON.stringify(ts)}`,
              );
              error.location = 'Timestamp';
              throw error;
            }
            due = ms;
          }
          t.phase = { k: 'wait', due };
          ex.dirty = true;
          return;
        }
        case 'Task':
          await this.#scheduleTask(ex, t, st);
          return;
        case 'Parallel':
          await this.#startParallel(ex, t, st);
          return;
        case 'Map':
          await this.#startMap(ex, t, st);
          return;
      }
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      const cause =
        error.error === 'States.QueryEvaluationError'
          ? this.#evaluationFailed(ex, t, st, error)
          : error.causeText;
      if (st.type === 'Map' && t.phase.k !== 'children') {
        // Items, MaxConcurrency… failed before any iteration: the Map state fails (MapStateFailed).
        this.#emit(ex, t, 'MapStateFailed');
      } else if (t.phase.k === 'children') {
        // e.g. an ItemSelector failed while other iterations run: abort them, the Map state fails.
        for (const child of t.phase.children) {
          const c = ex.threads.get(child);
          if (c && st.type === 'Map')
            this.#emit(ex, t, 'MapIterationAborted', { name: st.name, index: c.slot });
          this.#removeThreadTree(ex, child);
        }
        this.#emit(ex, t, st.type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
        t.phase = { k: 'exec' };
      }
      await this.#stateFailed(ex, t, st, error.error, cause);
    }
  }

  /** Output and Assign (both see the values from before the state), StateExited, then the transition. */
  async #exit(
    ex: Exec,
    t: Thread,
    st: State,
    ctx: EvalContext,
    defaultOutput: Json,
    outputC: Compiled | undefined,
    assignC: Compiled | undefined,
    next?: string,
    ruleAssignC?: Compiled,
  ): Promise<void> {
    const output = outputC ? await evaluate(outputC, ctx, 'Output') : defaultOutput;
    let assigned = assignC ? ((await evaluate(assignC, ctx, 'Assign')) as Record<string, Json>) : undefined;
    // A Choice rule's Assign applies with the state's, which applies whichever rule matched
    // (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html); the rule's wins a clash.
    if (ruleAssignC)
      assigned = { ...assigned, ...((await evaluate(ruleAssignC, ctx, 'Assign')) as Record<string, Json>) };
    checkPayload(st, output, assigned);
    const details: Record<string, unknown> = {
      name: st.name,
      outputValue: output,
      outputDetails: { truncated: false },
    };
    if (assigned) {
      for (const [k, v] of Object.entries(assigned)) t.vars[k] = v;
      details.assignedValues = assigned;
      details.assignedVariablesDetails = { truncated: false };
    }
    this.#emit(ex, t, `${st.type}StateExited`, details);
    const target = next ?? st.next;
    if (st.type !== 'Choice' && st.end && next === undefined) {
      this.#finishThread(ex, t, output);
      return;
    }
    t.state = target!;
    t.input = output;
    t.phase = { k: 'run' };
    ex.ready.push(t.id);
  }

  // ---- tasks --------------------------------------------------------------------------------------

  async #scheduleTask(ex: Exec, t: Thread, st: TaskState): Promise<void> {
    const seq = ex.seq++;
    const token =
      st.resource === 'invoke.waitForTaskToken' ? this.#makeToken(ex.rec.executionArn, seq) : undefined;
    const ctx = this.#ctx(ex, t, st, token ? { token } : {});
    if (st.resource === 'function') {
      await this.#schedulePlainFunction(ex, t, st, seq, ctx);
      return;
    }
    const args = st.args ? await evaluate(st.args, ctx, 'Arguments') : {};
    if (
      args === null ||
      typeof args !== 'object' ||
      Array.isArray(args) ||
      typeof args.FunctionName !== 'string'
    )
      throw new StatesError(
        'States.Runtime',
        'The lambda:invoke Arguments must be an object with a string FunctionName',
      );
    const { timeoutSec, heartbeatSec } = await this.#taskTimeouts(st, ctx);
    const now = this.#clock.now();
    t.phase = {
      k: 'task',
      seq,
      ...(token ? { token } : {}),
      fn: args.FunctionName,
      args,
      submitted: false,
      ...(timeoutSec !== undefined
        ? { timeoutAt: now + (timeoutSec as number) * 1000, timeoutSec: timeoutSec as number }
        : {}),
      ...(heartbeatSec !== undefined
        ? { heartbeatAt: now + (heartbeatSec as number) * 1000, heartbeatMs: (heartbeatSec as number) * 1000 }
        : {}),
    };
    this.#emit(ex, t, 'TaskScheduled', {
      resourceType: 'lambda',
      resource: st.resource,
      region: this.region,
      parametersValue: args,
      ...(timeoutSec !== undefined ? { timeoutInSeconds: timeoutSec } : {}),
      ...(heartbeatSec !== undefined ? { heartbeatInSeconds: heartbeatSec } : {}),
    });
    this.#emit(ex, t, 'TaskStarted', { resourceType: 'lambda', resource: st.resource });
  }

  /** TimeoutSeconds and HeartbeatSeconds of a Task (numbers or expressions giving positive integers). */
  async #taskTimeouts(
    st: TaskState,
    ctx: EvalContext,
  ): Promise<{ timeoutSec: number | undefined; heartbeatSec: number | undefined }> {
    const timeoutSec = st.timeout ? await evaluate(st.timeout, ctx, 'TimeoutSeconds') : undefined;
    const heartbeatSec = st.heartbeat ? await evaluate(st.heartbeat, ctx, 'HeartbeatSeconds') : undefined;
    for (const [field, v] of [
      ['TimeoutSeconds', timeoutSec],
      ['HeartbeatSeconds', heartbeatSec],
    ] as const)
      if (v !== undefined && (typeof v !== 'number' || !Number.isInteger(v) || v < 1))
        throw new StatesError(
          'States.QueryEvaluationError',
          `${field} must evaluate to a positive integer, not ${JSON.stringify(v)}`,
        );
    return { timeoutSec: timeoutSec as number | undefined, heartbeatSec: heartbeatSec as number | undefined };
  }

  /**
   * A Task whose Resource is a Lambda function ARN: the event is `Arguments` (the state input when
   * absent), the history has LambdaFunctionScheduled/Started/Succeeded/Failed/TimedOut events and the
   * result is what the function returned (https://docs.aws.amazon.com/step-functions/latest/dg/
   * state-task.html, "Task state resource"; event types in the API reference's HistoryEvent).
   */
  async #schedulePlainFunction(ex: Exec, t: Thread, st: TaskState, seq: number, ctx: EvalContext) {
    const args = st.args ? await evaluate(st.args, ctx, 'Arguments') : t.input;
    const { timeoutSec, heartbeatSec } = await this.#taskTimeouts(st, ctx);
    const now = this.#clock.now();
    t.phase = {
      k: 'task',
      seq,
      fn: st.functionArn!,
      plain: true,
      args,
      submitted: false,
      ...(timeoutSec !== undefined ? { timeoutAt: now + timeoutSec * 1000, timeoutSec } : {}),
      ...(heartbeatSec !== undefined
        ? { heartbeatAt: now + heartbeatSec * 1000, heartbeatMs: heartbeatSec * 1000 }
        : {}),
    };
    this.#emit(ex, t, 'LambdaFunctionScheduled', {
      resource: st.functionArn,
      inputValue: args,
      inputDetails: { truncated: false },
      ...(timeoutSec !== undefined ? { timeoutInSeconds: timeoutSec } : {}),
    });
    this.#emit(ex, t, 'LambdaFunctionStarted');
  }

  async #invoke(ex: Exec, threadId: number, p: Phase & { k: 'task' }): Promise<void> {
    const name = functionNameOf(p.fn);
    const fn = this.#functions(name);
    const requestId = randomUUID();
    let outcome: { ok: true; payload: Json } | { ok: false; error: string; cause: string };
    if (!fn) {
      outcome = {
        ok: false,
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: arn:aws:lambda:${this.region}:${this.accountId}:function:${name} (Service: Lambda, Status Code: 404, Request ID: ${requestId})`,
      };
    } else {
      const deadline = p.timeoutAt ?? this.#clock.now() + 900_000;
      const context: LocalInvokeContext = {
        functionName: name,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`,
        memoryLimitInMB: '128',
        awsRequestId: requestId,
        logGroupName: `/aws/lambda/${name}`,
        logStreamName: 'local',
        callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => Math.max(0, deadline - this.#clock.now()),
      };
      const payloadIn = p.plain
        ? p.args
        : p.args && typeof p.args === 'object' && !Array.isArray(p.args)
          ? (p.args as Record<string, Json>).Payload
          : undefined;
      try {
        const event = payloadIn === undefined ? {} : JSON.parse(JSON.stringify(payloadIn));
        const result = await fn(event, context);
        const text = result === undefined ? 'null' : JSON.stringify(result);
        outcome = overPayloadLimit(text)
          ? {
              ok: false,
              error: 'States.DataLimitExceeded',
              cause: `The state/task '${name}' returned a result with a size exceeding the maximum number of bytes service limit.`,
            }
          : { ok: true, payload: JSON.parse(text) as Json };
      } catch (error) {
        const e = error instanceof Error ? error : undefined;
        const errorType = e ? e.name || 'Error' : typeof error;
        const errorMessage = e ? e.message : String(error);
        const trace = e?.stack ? e.stack.split('\n') : [];
        outcome = { ok: false, error: errorType, cause: JSON.stringify({ errorType, errorMessage, trace }) };
      }
    }
    if (this.#closed) return;
    await this.#enqueue(ex, async () => {
      const t = ex.threads.get(threadId);
      if (t?.phase.k !== 'task' || t.phase.seq !== p.seq) return; // timed out, aborted or superseded
      const st = ex.def.states.get(t.state) as TaskState;
      if (p.plain) {
        if (outcome.ok) {
          this.#emit(ex, t, 'LambdaFunctionSucceeded', {
            outputValue: outcome.payload,
            outputDetails: { truncated: false },
          });
          await this.#taskResult(ex, t, st, outcome.payload);
        } else {
          this.#emit(ex, t, 'LambdaFunctionFailed', { error: outcome.error, cause: outcome.cause });
          await this.#stateFailed(ex, t, st, outcome.error, outcome.cause);
        }
      } else if (!outcome.ok) {
        this.#emit(ex, t, 'TaskFailed', {
          resourceType: 'lambda',
          resource: st.resource,
          error: outcome.error,
          cause: outcome.cause,
        });
        await this.#stateFailed(ex, t, st, outcome.error, outcome.cause);
      } else {
        const result: Json = {
          ExecutedVersion: '$LATEST',
          Payload: outcome.payload,
          SdkHttpMetadata: {
            AllHttpHeaders: {
              'X-Amz-Executed-Version': ['$LATEST'],
              'x-amzn-Remapped-Content-Length': ['0'],
              Connection: ['keep-alive'],
              'x-amzn-RequestId': [requestId],
              'Content-Type': ['application/json'],
            },
            HttpHeaders: {
              Connection: 'keep-alive',
              'Content-Type': 'application/json',
              'X-Amz-Executed-Version': '$LATEST',
              'x-amzn-Remapped-Content-Length': '0',
              'x-amzn-RequestId': requestId,
            },
            HttpStatusCode: 200,
          },
          SdkResponseMetadata: { RequestId: requestId },
          StatusCode: 200,
        };
        if (t.phase.token) {
          t.phase.submitted = true;
          this.#emitTaskOutput(ex, t, st, 'TaskSubmitted', result);
        } else {
          this.#emitTaskOutput(ex, t, st, 'TaskSucceeded', result);
          await this.#taskResult(ex, t, st, result);
        }
      }
      await this.#drive(ex);
    });
  }

  #emitTaskOutput(
    ex: Exec,
    t: Thread,
    st: TaskState,
    type: 'TaskSubmitted' | 'TaskSucceeded',
    output: Json,
  ): void {
    this.#emit(ex, t, type, {
      resourceType: 'lambda',
      resource: st.resource,
      outputValue: output,
      outputDetails: { truncated: false },
    });
  }

  /** Leaves a Task, Map or Parallel state with its result; an Output/Assign evaluation error fails the state. */
  async #taskResult(
    ex: Exec,
    t: Thread,
    st: TaskState | MapState | ParallelState,
    result: Json,
  ): Promise<void> {
    try {
      const ctx = this.#ctx(ex, t, st, { result });
      await this.#exit(ex, t, st, ctx, result, st.output, st.assign);
    } catch (error) {
      if (!(error instanceof StatesError)) throw error;
      const cause =
        error.error === 'States.QueryEvaluationError'
          ? this.#evaluationFailed(ex, t, st, error)
          : error.causeText;
      await this.#stateFailed(ex, t, st, error.error, cause);
    }
  }

  /**
   * Records an EvaluationFailed event; returns the cause as AWS words it, naming the state and the id
   * of the event that entered it ("An error occurred while executing the state 'S' (entered at the
   * event id #N). …").
   */
  #evaluationFailed(ex: Exec, t: Thread, st: State, error: StatesError): string {
    const entered = t.enteredEventId !== undefined ? ` (entered at the event id #${t.enteredEventId})` : '';
    const cause = `An error occurred while executing the state '${st.name}'${entered}. ${error.causeText}`;
    this.#emit(ex, t, 'EvaluationFailed', {
      state: st.name,
      error: error.error,
      cause,
      ...(error.location ? { location: error.location } : {}),
    });
    return cause;
  }

  async #taskTimedOut(ex: Exec, threadId: number, seq: number, error: string): Promise<void> {
    const t = ex.threads.get(threadId);
    if (t?.phase.k !== 'task' || t.phase.seq !== seq) return;
    if (error === 'States.HeartbeatTimeout' && (t.phase.heartbeatAt ?? 0) > this.#clock.now()) return;
    const st = ex.def.states.get(t.state) as TaskState;
    const cause =
      error === 'States.Timeout' ? 'The task timed out.' : 'The task did not send a heartbeat in time.';
    if (t.phase.plain) this.#emit(ex, t, 'LambdaFunctionTimedOut', { error, cause });
    else this.#emit(ex, t, 'TaskTimedOut', { resourceType: 'lambda', resource: st.resource, error, cause });
    await this.#stateFailed(ex, t, st, error, cause);
    await this.#drive(ex);
  }

  async #timerFired(ex: Exec, threadId: number, kind: 'wait' | 'retry', due: number): Promise<void> {
    const t = ex.threads.get(threadId);
    if (!t || t.phase.k !== kind || t.phase.due !== due) return;
    if (kind === 'retry') t.phase = { k: 'exec' };
    ex.ready.push(t.id);
    await this.#drive(ex);
  }

  async #executionTimedOut(ex: Exec): Promise<void> {
    if (TERMINAL.has(ex.rec.status)) return;
    this.#closeExecution(ex, 'TIMED_OUT', 'ExecutionTimedOut', {
      error: 'States.Timeout',
      cause: 'The execution timed out (TimeoutSeconds).',
    });
    await this.#commit(ex);
  }

  // ---- Parallel and Map -------------------------------------------------------------------------

  #spawn(ex: Exec, parent: Thread, slot: number, startAt: string, input: Json): Thread {
    const child: Thread = {
      id: ex.nextThread++,
      parent: parent.id,
      slot,
      state: startAt,
      input,
      vars: {},
      enteredAt: this.#clock.now(),
      retries: [],
      retryCount: 0,
      phase: { k: 'run' },
      lastEventId: parent.lastEventId,
    };
    ex.threads.set(child.id, child);
    ex.ready.push(child.id);
    return child;
  }

  async #startParallel(ex: Exec, t: Thread, st: ParallelState): Promise<void> {
    const ctx = this.#ctx(ex, t, st);
    const input = st.args ? await evaluate(st.args, ctx, 'Arguments') : t.input;
    this.#emit(ex, t, 'ParallelStateStarted');
    const n = st.branches.length;
    t.phase = {
      k: 'children',
      results: new Array(n).fill(null),
      done: 0,
      total: n,
      started: n,
      max: n,
      children: [],
    };
    for (const [i, branch] of st.branches.entries())
      t.phase.children.push(this.#spawn(ex, t, i, branch.startAt, input).id);
  }

  async #startMap(ex: Exec, t: Thread, st: MapState): Promise<void> {
    const ctx = this.#ctx(ex, t, st);
    const items = st.items ? await evaluate(st.items, ctx, 'Items') : t.input;
    if (!Array.isArray(items)) {
      if (!st.items)
        throw new StatesError(
          'States.QueryEvaluationError',
          `Map state input must be an array but was: ${JSON.stringify(items)}`,
        );
      const src = st.items.k === 'expr' ? st.items.src : JSON.stringify(st.items);
      const kind = items === null ? 'null' : typeof items;
      const error = new StatesError(
        'States.QueryEvaluationError',
        `The JSONata expression '${src}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was '${kind}' for value: ${JSON.stringify(items)}`,
      );
      error.location = 'Items';
      throw error;
    }
    const maxRaw = st.maxConcurrency ? await evaluate(st.maxConcurrency, ctx, 'MaxConcurrency') : 0;
    if (typeof maxRaw !== 'number' || !Number.isInteger(maxRaw) || maxRaw < 0)
      throw new StatesError(
        'States.QueryEvaluationError',
        `MaxConcurrency must be a non-negative integer, not ${JSON.stringify(maxRaw)}`,
      );
    const tolerated = await this.#tolerance(st, ctx);
    this.#emit(ex, t, 'MapStateStarted', { length: items.length });
    const max = maxRaw === 0 ? items.length : maxRaw;
    t.phase = {
      k: 'children',
      results: new Array(items.length).fill(null),
      done: 0,
      total: items.length,
      started: 0,
      max,
      items,
      children: [],
      ...(tolerated ? { failed: 0, tolerated } : {}),
    };
    if (items.length === 0) {
      await this.#childrenDone(ex, t, st);
      return;
    }
    await this.#startMapItems(ex, t, st);
  }

  /**
   * ToleratedFailurePercentage (0-100) and ToleratedFailureCount (an integer >= 0), evaluated when the
   * Map starts (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html,
   * "Setting failure thresholds"; AWS accepts them on an inline Map too).
   */
  async #tolerance(
    st: MapState,
    ctx: EvalContext,
  ): Promise<{ count?: number; percent?: number } | undefined> {
    if (!st.toleratedFailureCount && !st.toleratedFailurePercentage) return undefined;
    const out: { count?: number; percent?: number } = {};
    if (st.toleratedFailureCount) {
      const count = await evaluate(st.toleratedFailureCount, ctx, 'ToleratedFailureCount');
      if (typeof count !== 'number' || !Number.isInteger(count) || count < 0)
        throw new StatesError(
          'States.QueryEvaluationError',
          `ToleratedFailureCount must be a non-negative integer, not ${JSON.stringify(count)}`,
        );
      out.count = count;
    }
    if (st.toleratedFailurePercentage) {
      const percent = await evaluate(st.toleratedFailurePercentage, ctx, 'ToleratedFailurePercentage');
      if (typeof percent !== 'number' || percent < 0 || percent > 100)
        throw new StatesError(
          'States.QueryEvaluationError',
          `ToleratedFailurePercentage must be a number from 0 to 100, not ${JSON.stringify(percent)}`,
        );
      out.percent = percent;
    }
    return out;
  }

  async #startMapItems(ex: Exec, t: Thread, st: MapState): Promise<void> {
    const p = t.phase as Phase & { k: 'children' };
    while (p.started < p.total && p.children.length < p.max) {
      const index = p.started++;
      const value = p.items![index]!;
      const ctx = this.#ctx(ex, t, st, {}, { Index: index, Value: value });
      const input = st.itemSelector ? await evaluate(st.itemSelector, ctx, 'ItemSelector') : value;
      this.#emit(ex, t, 'MapIterationStarted', { name: st.name, index });
      p.children.push(this.#spawn(ex, t, index, st.processor.startAt, input).id);
    }
    if (p.started === p.total) delete p.items;
  }

  async #childrenDone(ex: Exec, t: Thread, st: MapState | ParallelState): Promise<void> {
    const p = t.phase as Phase & { k: 'children' };
    this.#emit(ex, t, st.type === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
    const result = p.results;
    t.phase = { k: 'exec' };
    await this.#taskResult(ex, t, st, result);
  }

  #removeThreadTree(ex: Exec, id: number): void {
    const t = ex.threads.get(id);
    if (!t) return;
    if (t.phase.k === 'children') for (const child of t.phase.children) this.#removeThreadTree(ex, child);
    ex.threads.delete(id);
  }

  // ---- endings ------------------------------------------------------------------------------------

  #finishThread(ex: Exec, t: Thread, output: Json): void {
    if (t.parent === undefined) {
      ex.threads.delete(t.id);
      this.#closeExecution(
        ex,
        'SUCCEEDED',
        'ExecutionSucceeded',
        { outputValue: output, outputDetails: { truncated: false } },
        output,
      );
      return;
    }
    const parent = ex.threads.get(t.parent)!;
    const st = ex.def.states.get(parent.state) as MapState | ParallelState;
    const p = parent.phase as Phase & { k: 'children' };
    ex.threads.delete(t.id);
    p.children = p.children.filter((c) => c !== t.id);
    p.results[t.slot!] = output;
    p.done++;
    parent.lastEventId = Math.max(parent.lastEventId, t.lastEventId);
    if (st.type === 'Map') this.#emit(ex, parent, 'MapIterationSucceeded', { name: st.name, index: t.slot });
    ex.ready.push(parent.id); // the parent starts more items or finishes when it is stepped
  }

  /** A thread failed with an error nobody caught: fail its parent state, or the execution. */
  #failThread(ex: Exec, t: Thread, error: string | undefined, cause: string | undefined): void {
    if (t.parent === undefined) {
      ex.threads.delete(t.id);
      const details = {
        ...(error !== undefined ? { error } : {}),
        ...(cause !== undefined ? { cause } : {}),
      };
      this.#closeExecution(ex, 'FAILED', 'ExecutionFailed', details, undefined, error, cause);
      return;
    }
    const parent = ex.threads.get(t.parent)!;
    const st = ex.def.states.get(parent.state) as MapState | ParallelState;
    const p = parent.phase as Phase & { k: 'children' };
    if (st.type === 'Parallel') {
      // The branches are aborted, the failing one included: each running state records
      // <Type>StateAborted (as AWS's history shows), and the Parallel state fails (ParallelStateFailed
      // only if neither Retry nor Catch handles it; see #stateFailed).
      for (const child of p.children) this.#abortThreadTree(ex, child);
      parent.lastEventId = Math.max(parent.lastEventId, t.lastEventId);
      p.children = [];
    } else {
      parent.lastEventId = Math.max(parent.lastEventId, t.lastEventId);
      this.#removeThreadTree(ex, t.id);
      this.#emit(ex, parent, 'MapIterationFailed', { name: st.name, index: t.slot });
      if (p.tolerated) {
        p.failed = (p.failed ?? 0) + 1;
        const { count, percent } = p.tolerated;
        if (
          (count === undefined || p.failed <= count) &&
          (percent === undefined || (p.failed * 100) / p.total <= percent)
        ) {
          // tolerated: the iteration's slot holds its error output; the other iterations go on
          p.children = p.children.filter((c) => c !== t.id);
          p.results[t.slot!] = {
            ...(error !== undefined ? { Error: error } : {}),
            ...(cause !== undefined ? { Cause: cause } : {}),
          };
          p.done++;
          ex.ready.push(parent.id);
          return;
        }
        error = 'States.ExceedToleratedFailureThreshold';
        cause = 'The specified tolerated failure threshold was exceeded';
      }
      for (const other of p.children) {
        if (other === t.id) continue;
        const o = ex.threads.get(other);
        if (o) this.#emit(ex, parent, 'MapIterationAborted', { name: st.name, index: o.slot });
        this.#removeThreadTree(ex, other);
      }
      p.children = [];
      this.#emit(ex, parent, 'MapStateFailed');
    }
    // Retry/Catch of the Map/Parallel state run in the parent's turn.
    parent.phase = {
      k: 'failed',
      ...(error !== undefined ? { error } : {}),
      ...(cause !== undefined ? { cause } : {}),
    };
    ex.ready.push(parent.id);
  }

  /** Records <Type>StateAborted for every entered Task, Wait, Map or Parallel state of a thread tree, and removes it. */
  #abortThreadTree(ex: Exec, id: number): void {
    const t = ex.threads.get(id);
    if (!t) return;
    if (t.phase.k === 'children') for (const child of t.phase.children) this.#abortThreadTree(ex, child);
    const st = ex.def.states.get(t.state);
    if (st && t.phase.k !== 'run' && ABORTABLE.has(st.type)) this.#emit(ex, t, `${st.type}StateAborted`);
    ex.threads.delete(id);
  }

  #closeExecution(
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
    this.#emit(ex, undefined, eventType, details);
    ex.rec.status = status;
    ex.rec.stopDate = this.#clock.now();
    if (output !== undefined) ex.rec.output = toJsonString(output);
    const err = error ?? (details.error as string | undefined);
    const cau = cause ?? (details.cause as string | undefined);
    if (status !== 'SUCCEEDED') {
      if (err !== undefined) ex.rec.error = err;
      if (cau !== undefined) ex.rec.cause = cau;
    }
  }

  // ---- errors: Retry and Catch ------------------------------------------------------------------

  /** Does `errorEquals` match `error`? (States.ALL: anything but States.Runtime / DataLimitExceeded.) */
  static matches(errorEquals: readonly string[], error: string): boolean {
    for (const name of errorEquals) {
      if (name === error) return true;
      if (name === 'States.ALL' && error !== 'States.Runtime' && error !== 'States.DataLimitExceeded')
        return true;
      if (
        name === 'States.TaskFailed' &&
        error !== 'States.Timeout' &&
        error !== 'States.Runtime' &&
        error !== 'States.DataLimitExceeded' &&
        error !== 'States.QueryEvaluationError' &&
        error !== 'States.NoChoiceMatched'
      )
        return true;
    }
    return false;
  }

  #retryDelayMs(r: Retrier, attempt: number): number {
    let seconds = r.intervalSeconds * r.backoffRate ** attempt;
    if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
    if (r.jitter === 'FULL') seconds = Math.random() * seconds;
    return Math.round(seconds * 1000);
  }

  /**
   * Runs the state's Retry, then Catch, for an error; else fails the thread. `fromBranch`: a Parallel
   * state whose branch failed; it records ParallelStateFailed only when neither retries nor catches.
   */
  async #stateFailed(
    ex: Exec,
    t: Thread,
    st: State,
    errorName: string | undefined,
    cause: string | undefined,
    fromBranch = false,
  ): Promise<void> {
    const retriers: readonly Retrier[] = 'retry' in st ? st.retry : [];
    const catchers: readonly Catcher[] = 'catch' in st ? st.catch : [];
    const error = errorName ?? '';
    for (const [i, r] of retriers.entries()) {
      if (!StepFunctionsEngine.matches(r.errorEquals, error)) continue;
      const attempt = t.retries[i] ?? 0;
      if (attempt < r.maxAttempts) {
        t.retries[i] = attempt + 1;
        t.retryCount++;
        t.phase = { k: 'retry', due: this.#clock.now() + this.#retryDelayMs(r, attempt) };
        ex.dirty = true;
        return;
      }
      break; // the first matching retrier is used; when it is exhausted, go to Catch
    }
    for (const c of catchers) {
      if (!StepFunctionsEngine.matches(c.errorEquals, error)) continue;
      const errorOutput: Json = {
        ...(errorName !== undefined ? { Error: errorName } : {}),
        ...(cause !== undefined ? { Cause: cause } : {}),
      };
      t.phase = { k: 'exec' };
      try {
        const ctx = this.#ctx(ex, t, st, { errorOutput });
        await this.#exit(ex, t, st, ctx, errorOutput, c.output, c.assign, c.next);
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        const failure =
          e.error === 'States.QueryEvaluationError' ? this.#evaluationFailed(ex, t, st, e) : e.causeText;
        this.#failThread(ex, t, e.error, failure);
      }
      return;
    }
    if (fromBranch && st.type === 'Parallel') this.#emit(ex, t, 'ParallelStateFailed');
    this.#failThread(ex, t, errorName, cause);
  }
}

/** What the expressions of one state see: `$states` (context built lazily) and the variable scopes. */
class StateContext implements EvalContext {
  readonly states: Record<string, unknown>;
  #context: Record<string, unknown> | undefined;

  constructor(
    readonly clock: Clock,
    readonly accountId: string,
    readonly ex: Exec,
    readonly thread: Thread,
    readonly st: State,
    readonly extra: { result?: Json; errorOutput?: Json; token?: string } | undefined,
    readonly item: { Index: number; Value: Json } | undefined,
  ) {
    const self = this;
    const states: Record<string, unknown> = {
      input: thread.input,
      get context() {
        return self.context();
      },
    };
    if (extra?.result !== undefined) states.result = extra.result;
    if (extra?.errorOutput !== undefined) states.errorOutput = extra.errorOutput;
    this.states = states;
  }

  context(): Record<string, unknown> {
    if (!this.#context) {
      const { ex, thread, st } = this;
      this.#context = {
        Execution: {
          Id: ex.rec.executionArn,
          Input: ex.inputJson,
          Name: ex.rec.name,
          RoleArn: ex.rec.roleArn ?? defaultRoleArn(this.accountId),
          StartTime: new Date(ex.rec.startDate).toISOString(),
          RedriveCount: 0,
        },
        State: {
          EnteredTime: new Date(thread.enteredAt).toISOString(),
          Name: st.name,
          RetryCount: thread.retryCount,
        },
        StateMachine: { Id: ex.rec.stateMachineArn, Name: ex.smName },
        ...(this.extra?.token !== undefined ? { Task: { Token: this.extra.token } } : {}),
        ...(this.item ? { Map: { Item: this.item } } : {}),
      };
    }
    return this.#context;
  }

  lookup(name: string): Json | undefined {
    for (
      let t: Thread | undefined = this.thread;
      t;
      t = t.parent !== undefined ? this.ex.threads.get(t.parent) : undefined
    )
      if (Object.hasOwn(t.vars, name)) return t.vars[name];
    return undefined;
  }

  visible(): Record<string, Json> {
    if (this.thread.parent === undefined) return this.thread.vars;
    const chain: Thread[] = [];
    for (
      let t: Thread | undefined = this.thread;
      t;
      t = t.parent !== undefined ? this.ex.threads.get(t.parent) : undefined
    )
      chain.push(t);
    const out: Record<string, Json> = {};
    for (let i = chain.length - 1; i >= 0; i--) Object.assign(out, chain[i]!.vars);
    return out;
  }

  get now(): () => number {
    return nowOf(this.clock);
  }
}

const nowFunctions = new WeakMap<Clock, () => number>();
/** One `now` function per clock, so that the JSONata function bindings are made once per clock. */
function nowOf(clock: Clock): () => number {
  let now = nowFunctions.get(clock);
  if (!now) {
    now = () => clock.now();
    nowFunctions.set(clock, now);
  }
  return now;
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

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status as ExecutionStatus);
}
