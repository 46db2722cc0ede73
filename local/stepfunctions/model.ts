/**
 * The engine's model: the public option and function types, the persisted snapshot (threads and their
 * phases), the in-memory execution, history event detail keys, and the small rules every room shares
 * (names, payload quotas, the default role). See engine.ts for how the rooms fit together.
 */
import type { Clock } from '#shared/clock.ts';
import type { Definition, State } from './definition.ts';
import { InternalFailure, StatesError, ValidationException } from './errors.ts';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, HistoryEvent } from './execution-store.ts';
import type { Json } from './expressions.ts';

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
  readonly store: ExecutionStore;
  readonly clock: Clock;
  readonly functions: FunctionResolver;
  readonly region?: string;
  readonly accountId?: string;
  readonly logger?: EngineLogger;
  /** Called after every committed transition (crash tests use it to die at random transitions). */
  readonly onCommit?: (executionArn: string, version: number) => void;
}

// ---- snapshot types (persisted) -------------------------------------------------------------------

export type Phase =
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

export interface Thread {
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

export interface Snapshot {
  threads: Thread[];
  nextThread: number;
  seq: number;
}

// ---- in-memory execution ------------------------------------------------------------------------

export interface Exec {
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

export const DETAILS: Record<string, string> = {
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

const STATE_TYPES = ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const;
function perStateType(suffix: string): Readonly<Record<string, string>> {
  return Object.fromEntries(STATE_TYPES.map((type) => [type, `${type}${suffix}`]));
}
const ENTERED = perStateType('StateEntered');
const EXITED = perStateType('StateExited');
const ABORTED = perStateType('StateAborted');

/**
 * The history event type `<Type>StateEntered`, `<Type>StateExited` or `<Type>StateAborted` of a state
 * type: one string per type, made once (not a new string per event, which the history keeps).
 */
export function stateEventType(stateType: string, what: 'Entered' | 'Exited' | 'Aborted'): string {
  const table = what === 'Entered' ? ENTERED : what === 'Exited' ? EXITED : ABORTED;
  return table[stateType] ?? `${stateType}State${what}`;
}

const detailsKeys = new Map<string, string | undefined>();
/** The key of an event type's details (`taskScheduledEventDetails` …), undefined if it has none. */
export function detailsKey(type: string): string | undefined {
  if (detailsKeys.has(type)) return detailsKeys.get(type);
  const key = type.endsWith('StateEntered')
    ? 'stateEnteredEventDetails'
    : type.endsWith('StateExited')
      ? 'stateExitedEventDetails'
      : DETAILS[type];
  if (detailsKeys.size < 1000) detailsKeys.set(type, key);
  return key;
}

type EventMaker = (
  id: number,
  previousEventId: number,
  timestamp: number,
  type: string,
  details: unknown,
) => HistoryEvent;

/**
 * One maker per details key, each a literal with that key: every event of a kind has one fixed shape
 * with its details in an in-object slot (a computed key would go through a generic keyed store).
 */
const EVENT_MAKERS: Readonly<Record<string, EventMaker>> = {
  stateEnteredEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    stateEnteredEventDetails: d,
  }),
  stateExitedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    stateExitedEventDetails: d,
  }),
  executionStartedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    executionStartedEventDetails: d,
  }),
  executionSucceededEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    executionSucceededEventDetails: d,
  }),
  executionFailedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    executionFailedEventDetails: d,
  }),
  executionAbortedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    executionAbortedEventDetails: d,
  }),
  executionTimedOutEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    executionTimedOutEventDetails: d,
  }),
  taskScheduledEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    taskScheduledEventDetails: d,
  }),
  taskStartedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    taskStartedEventDetails: d,
  }),
  taskSubmittedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    taskSubmittedEventDetails: d,
  }),
  taskSucceededEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    taskSucceededEventDetails: d,
  }),
  taskFailedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    taskFailedEventDetails: d,
  }),
  taskTimedOutEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    taskTimedOutEventDetails: d,
  }),
  mapStateStartedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    mapStateStartedEventDetails: d,
  }),
  mapIterationStartedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    mapIterationStartedEventDetails: d,
  }),
  mapIterationSucceededEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    mapIterationSucceededEventDetails: d,
  }),
  mapIterationFailedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    mapIterationFailedEventDetails: d,
  }),
  mapIterationAbortedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    mapIterationAbortedEventDetails: d,
  }),
  evaluationFailedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    evaluationFailedEventDetails: d,
  }),
  lambdaFunctionScheduledEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    lambdaFunctionScheduledEventDetails: d,
  }),
  lambdaFunctionSucceededEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    lambdaFunctionSucceededEventDetails: d,
  }),
  lambdaFunctionFailedEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    lambdaFunctionFailedEventDetails: d,
  }),
  lambdaFunctionTimedOutEventDetails: (id, previousEventId, timestamp, type, d) => ({
    id,
    previousEventId,
    timestamp,
    type,
    lambdaFunctionTimedOutEventDetails: d,
  }),
};

/** A history event with its details under `key` (see detailsKey); without details when either is absent. */
export function makeEvent(
  id: number,
  previousEventId: number,
  timestamp: number,
  type: string,
  key: string | undefined,
  details: unknown,
): HistoryEvent {
  if (key === undefined || details === undefined) return { id, previousEventId, timestamp, type };
  const make = EVENT_MAKERS[key];
  return make
    ? make(id, previousEventId, timestamp, type, details)
    : ({ id, previousEventId, timestamp, type, [key]: details } as HistoryEvent);
}

/**
 * `{ truncated: false }` of inputDetails, outputDetails and assignedVariablesDetails: one frozen object
 * shared by every event (the history keeps tens of them per execution).
 */
export const NOT_TRUNCATED: { readonly truncated: false } = Object.freeze({ truncated: false });

/** State types with a <Type>StateAborted history event. */
export const ABORTABLE: ReadonlySet<string> = new Set(['Task', 'Wait', 'Map', 'Parallel']);
export const TERMINAL: ReadonlySet<ExecutionStatus> = new Set([
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
]);
export const NAME_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;

/** Names: 1-80 characters, none of whitespace, brackets, wildcards, special or control characters. */
export function validName(name: string): boolean {
  if (name.length < 1 || name.length > 80 || NAME_FORBIDDEN.test(name)) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return false;
  }
  return true;
}
export const noop = () => {};

/**
 * The work was not done because the execution was reloaded from storage (after a refused write): an
 * InternalFailure (500, which SDK clients retry, the stack's own in-process client too: local/workflow-service.ts)
 * that the API methods retry themselves first.
 */
export class Reloaded extends InternalFailure {}

/** Runs an API call's queued work again (a few times) when the execution was reloaded meanwhile. */
export async function retryOnReload<T>(attempt: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof Reloaded) || i >= 3) throw error;
    }
  }
}
/** Reloads in a row after refused writes before an execution is unloaded (e.g. two processes on one table). */
export const MAX_RELOADS = 3;

export function toJsonString(value: Json): string {
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
export function overPayloadLimit(text: string): boolean {
  return text.length * 3 > PAYLOAD_LIMIT_BYTES && Buffer.byteLength(text) > PAYLOAD_LIMIT_BYTES;
}

/**
 * Throws AWS's length-constraint ValidationException when an API string is too long: `input` and
 * `output` are measured in UTF-8 bytes, other fields in characters (API reference).
 */
export function checkLength(
  field: string,
  value: string | undefined,
  max: number,
  unit: 'bytes' | 'chars',
): void {
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
export function checkPayload(st: State, output: Json, assigned: Record<string, Json> | undefined): void {
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
export function defaultRoleArn(accountId: string): string {
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
