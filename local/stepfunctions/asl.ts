/**
 * The compiled form of an Amazon States Language definition (JSONata mode) that definition.ts builds and
 * the engine runs: states with their compiled fields, machines (the top level, Parallel branches, Map
 * item processors), retriers and catchers.
 */
import type { Compiled } from './expressions.ts';

export interface Retrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly output: Compiled | undefined;
  readonly assign: Compiled | undefined;
}

interface Base {
  readonly name: string;
  readonly next: string | undefined;
  readonly end: boolean;
  readonly output: Compiled | undefined;
  readonly assign: Compiled | undefined;
}

export interface TaskState extends Base {
  readonly type: 'Task';
  /**
   * `invoke`/`invoke.waitForTaskToken`: the optimized Lambda integration (Arguments carry FunctionName
   * and Payload); `function`: a plain Lambda function ARN as Resource (Arguments are the event).
   */
  readonly resource: 'invoke' | 'invoke.waitForTaskToken' | 'function';
  /** For `function`: the Resource ARN. */
  readonly functionArn: string | undefined;
  readonly args: Compiled | undefined;
  readonly timeout: Compiled | undefined;
  readonly heartbeat: Compiled | undefined;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}
export interface PassState extends Base {
  readonly type: 'Pass';
}
export interface ChoiceRule {
  readonly condition: Compiled;
  readonly next: string;
  readonly output: Compiled | undefined;
  readonly assign: Compiled | undefined;
}
export interface ChoiceState extends Base {
  readonly type: 'Choice';
  readonly choices: readonly ChoiceRule[];
  readonly default: string | undefined;
}
export interface WaitState extends Base {
  readonly type: 'Wait';
  readonly seconds: Compiled | undefined;
  readonly timestamp: Compiled | undefined;
}
export interface SucceedState extends Base {
  readonly type: 'Succeed';
}
export interface FailState extends Base {
  readonly type: 'Fail';
  readonly error: Compiled | undefined;
  readonly cause: Compiled | undefined;
}
export interface ParallelState extends Base {
  readonly type: 'Parallel';
  readonly args: Compiled | undefined;
  readonly branches: readonly Machine[];
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}
export interface MapState extends Base {
  readonly type: 'Map';
  readonly items: Compiled | undefined;
  readonly itemSelector: Compiled | undefined;
  readonly processor: Machine;
  readonly maxConcurrency: Compiled | undefined;
  /** Failed iterations the Map tolerates: a percentage (0-100) and/or a count (numbers or expressions). */
  readonly toleratedFailurePercentage: Compiled | undefined;
  readonly toleratedFailureCount: Compiled | undefined;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

export type State =
  | TaskState
  | PassState
  | ChoiceState
  | WaitState
  | SucceedState
  | FailState
  | ParallelState
  | MapState;

export interface Machine {
  readonly startAt: string;
  readonly states: ReadonlyMap<string, State>;
}

export interface Definition {
  readonly root: Machine;
  /** Every state of the definition by name (names are unique across nested machines, as on AWS). */
  readonly states: ReadonlyMap<string, State>;
  readonly timeoutSeconds: number | undefined;
}
