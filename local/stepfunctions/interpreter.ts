/**
 * The interpreter: one step of a thread at its state (enter, evaluate, exit or transition), Output and
 * Assign, evaluation errors as AWS words them, Retry and Catch, and what expressions see (`$states`, the
 * variable scopes).
 */

import type { Clock } from '#shared/clock.ts';
import {
  type Catcher,
  type MapState,
  type ParallelState,
  parseRfc3339,
  type Retrier,
  type State,
} from './definition.ts';
import { StatesError } from './errors.ts';
import {
  type Compiled,
  type EvalContext,
  evaluate,
  evaluateAs,
  type Json,
  outOfRange,
} from './expressions.ts';
import { EngineBranches } from './map-parallel.ts';
import {
  checkPayload,
  defaultRoleArn,
  type Exec,
  NOT_TRUNCATED,
  stateEventType,
  type Thread,
} from './model.ts';

/** The interpreter (see engine.ts for the rooms). */
export abstract class Interpreter extends EngineBranches {
  protected ctx(
    ex: Exec,
    thread: Thread,
    st: State,
    extra?: { result?: Json; errorOutput?: Json; token?: string },
    item?: { Index: number; Value: Json },
  ): EvalContext {
    return new StateContext(this.clock, this.accountId, ex, thread, st, extra, item);
  }

  /**
   * One step of a thread. Synchronous when nothing in it needs jsonata or a promise (a Pass with plain
   * paths, most Map bookkeeping); otherwise it returns the promise of the rest. Either way an error of
   * the state (StatesError) goes to its Retry/Catch through `stepFailed`.
   */
  protected step(ex: Exec, t: Thread): void | Promise<void> {
    const st = ex.def.states.get(t.state);
    if (!st) {
      this.failThread(ex, t, 'States.Runtime', `The state '${t.state}' does not exist in this definition`);
      return;
    }
    if (t.phase.k === 'run') {
      t.enteredAt = this.clock.now();
      t.retries = [];
      t.retryCount = 0;
      this.emit(ex, t, stateEventType(st.type, 'Entered'), {
        name: st.name,
        inputValue: t.input,
        inputDetails: NOT_TRUNCATED,
      });
      t.enteredEventId = t.lastEventId;
      t.phase = { k: 'exec' };
    }
    if (t.phase.k === 'failed') {
      const { error, cause } = t.phase;
      t.phase = { k: 'exec' };
      return this.stateFailed(ex, t, st, error, cause, true);
    }
    let work: void | Promise<void>;
    try {
      work = this.stepState(ex, t, st);
    } catch (error) {
      return this.stepFailed(ex, t, st, error);
    }
    if (work) return work.catch((error: unknown) => this.stepFailed(ex, t, st, error));
  }

  /** The work of the state a thread is at (see `step`); may throw or reject with a StatesError. */
  protected stepState(ex: Exec, t: Thread, st: State): void | Promise<void> {
    if (t.phase.k === 'children') {
      // A child finished: start more Map items, or finish the state when all are done.
      if (t.phase.done === t.phase.total) return this.childrenDone(ex, t, st as MapState | ParallelState);
      if (st.type === 'Map') return this.startMapItems(ex, t, st);
      return;
    }
    switch (st.type) {
      case 'Pass':
        return this.exit(ex, t, st, this.ctx(ex, t, st), t.input, st.output, st.assign);
      case 'Succeed':
        return this.succeedState(ex, t, st);
      case 'Fail':
        return this.failState(ex, t, st);
      case 'Choice':
        return this.choiceState(ex, t, st);
      case 'Wait':
        return this.waitState(ex, t, st);
      case 'Task':
        return this.scheduleTask(ex, t, st);
      case 'Parallel':
        return this.startParallel(ex, t, st);
      case 'Map':
        return this.startMap(ex, t, st);
    }
  }

  protected async succeedState(ex: Exec, t: Thread, st: State & { type: 'Succeed' }): Promise<void> {
    const ctx = this.ctx(ex, t, st);
    const output = st.output ? await evaluate(st.output, ctx, 'Output') : t.input;
    this.emit(ex, t, 'SucceedStateExited', {
      name: st.name,
      outputValue: output,
      outputDetails: NOT_TRUNCATED,
    });
    this.finishThread(ex, t, output);
  }

  protected async failState(ex: Exec, t: Thread, st: State & { type: 'Fail' }): Promise<void> {
    const ctx = this.ctx(ex, t, st);
    const error = st.error ? ((await evaluateAs(st.error, ctx, 'Error', 'string')) as string) : undefined;
    const cause = st.cause ? ((await evaluateAs(st.cause, ctx, 'Cause', 'string')) as string) : undefined;
    // An unset Error or Cause stays absent (ExecutionFailed, DescribeExecution), as on AWS.
    this.failThread(ex, t, error, cause);
  }

  protected async choiceState(ex: Exec, t: Thread, st: State & { type: 'Choice' }): Promise<void> {
    const ctx = this.ctx(ex, t, st);
    for (const [i, rule] of st.choices.entries()) {
      const value = await evaluateAs(rule.condition, ctx, `Choices/${i}/Condition`, 'boolean');
      if (value) {
        await this.exit(ex, t, st, ctx, t.input, rule.output ?? st.output, st.assign, rule.next, rule.assign);
        return;
      }
    }
    if (st.default) {
      await this.exit(ex, t, st, ctx, t.input, st.output, st.assign, st.default);
      return;
    }
    throw new StatesError('States.NoChoiceMatched', `No Matches! (state '${st.name}')`);
  }

  protected async waitState(ex: Exec, t: Thread, st: State & { type: 'Wait' }): Promise<void> {
    if (t.phase.k === 'wait') {
      // the timer fired
      const ctx = this.ctx(ex, t, st);
      await this.exit(ex, t, st, ctx, t.input, st.output, st.assign);
      return;
    }
    const ctx = this.ctx(ex, t, st);
    let due: number;
    if (st.seconds) {
      const seconds = (await evaluateAs(st.seconds, ctx, 'Seconds', 'integer')) as number;
      if (seconds < 0) throw outOfRange(st.seconds, 'Seconds', seconds, '0 or more');
      due = this.clock.now() + seconds * 1000;
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
  }

  /** A state's error: EvaluationFailed/MapStateFailed… as AWS records them, then its Retry/Catch. */
  protected async stepFailed(ex: Exec, t: Thread, st: State, error: unknown): Promise<void> {
    if (!(error instanceof StatesError)) throw error;
    const cause = this.failureCause(ex, t, st, error);
    if (st.type === 'Map' && t.phase.k !== 'children') {
      // Items, MaxConcurrency… failed before any iteration: the Map state fails (MapStateFailed).
      this.emit(ex, t, 'MapStateFailed');
    } else if (t.phase.k === 'children') {
      // e.g. an ItemSelector failed while other iterations run: abort them, the Map state fails.
      for (const child of t.phase.children) {
        const c = ex.threads.get(child);
        if (c && st.type === 'Map') this.emit(ex, t, 'MapIterationAborted', { name: st.name, index: c.slot });
        this.removeThreadTree(ex, child);
      }
      this.emit(ex, t, st.type === 'Map' ? 'MapStateFailed' : 'ParallelStateFailed');
      t.phase = { k: 'exec' };
    }
    await this.stateFailed(ex, t, st, error.error, cause);
  }

  /**
   * Output and Assign (both see the values from before the state), StateExited, then the transition.
   * Synchronous when no expression needs jsonata; otherwise the promise of the rest. Output is
   * evaluated before Assign, and the state's Assign before a Choice rule's (the first error wins).
   */
  protected exit(
    ex: Exec,
    t: Thread,
    st: State,
    ctx: EvalContext,
    defaultOutput: Json,
    outputC: Compiled | undefined,
    assignC: Compiled | undefined,
    next?: string,
    ruleAssignC?: Compiled,
  ): void | Promise<void> {
    const output = outputC ? evaluate(outputC, ctx, 'Output') : defaultOutput;
    if (output instanceof Promise)
      return output.then((o) => this.exitAssign(ex, t, st, ctx, o, assignC, next, ruleAssignC));
    return this.exitAssign(ex, t, st, ctx, output, assignC, next, ruleAssignC);
  }

  protected exitAssign(
    ex: Exec,
    t: Thread,
    st: State,
    ctx: EvalContext,
    output: Json,
    assignC: Compiled | undefined,
    next: string | undefined,
    ruleAssignC: Compiled | undefined,
  ): void | Promise<void> {
    const assigned = assignC ? evaluate(assignC, ctx, 'Assign') : undefined;
    if (assigned instanceof Promise)
      return assigned.then((a) =>
        this.exitRuleAssign(ex, t, st, ctx, output, a as Record<string, Json>, next, ruleAssignC),
      );
    return this.exitRuleAssign(
      ex,
      t,
      st,
      ctx,
      output,
      assigned as Record<string, Json> | undefined,
      next,
      ruleAssignC,
    );
  }

  protected exitRuleAssign(
    ex: Exec,
    t: Thread,
    st: State,
    ctx: EvalContext,
    output: Json,
    assigned: Record<string, Json> | undefined,
    next: string | undefined,
    ruleAssignC: Compiled | undefined,
  ): void | Promise<void> {
    // A Choice rule's Assign applies with the state's, which applies whichever rule matched
    // (https://docs.aws.amazon.com/step-functions/latest/dg/state-choice.html); the rule's wins a clash.
    if (ruleAssignC) {
      const rule = evaluate(ruleAssignC, ctx, 'Assign');
      if (rule instanceof Promise)
        return rule.then((r) =>
          this.exitWith(ex, t, st, output, { ...assigned, ...(r as Record<string, Json>) }, next),
        );
      this.exitWith(ex, t, st, output, { ...assigned, ...(rule as Record<string, Json>) }, next);
      return;
    }
    this.exitWith(ex, t, st, output, assigned, next);
  }

  /** StateExited with the evaluated output and assignments, then the transition (or the thread ends). */
  protected exitWith(
    ex: Exec,
    t: Thread,
    st: State,
    output: Json,
    assigned: Record<string, Json> | undefined,
    next: string | undefined,
  ): void {
    checkPayload(st, output, assigned);
    const details: Record<string, unknown> = {
      name: st.name,
      outputValue: output,
      outputDetails: NOT_TRUNCATED,
    };
    if (assigned) {
      for (const [k, v] of Object.entries(assigned)) t.vars[k] = v;
      details.assignedValues = assigned;
      details.assignedVariablesDetails = NOT_TRUNCATED;
    }
    this.emit(ex, t, stateEventType(st.type, 'Exited'), details);
    const target = next ?? st.next;
    if (st.type !== 'Choice' && st.end && next === undefined) {
      this.finishThread(ex, t, output);
      return;
    }
    t.state = target!;
    t.input = output;
    t.phase = { k: 'run' };
    ex.ready.push(t.id);
  }

  /**
   * The cause a state fails with for `error`. An expression error (States.QueryEvaluationError) is
   * recorded as an EvaluationFailed event and its cause worded as AWS does, naming the state and the id
   * of the event that entered it ("An error occurred while executing the state 'S' (entered at the
   * event id #N). …"); other errors keep their cause.
   */
  protected failureCause(ex: Exec, t: Thread, st: State, error: StatesError): string {
    if (error.error !== 'States.QueryEvaluationError') return error.causeText;
    const entered = t.enteredEventId !== undefined ? ` (entered at the event id #${t.enteredEventId})` : '';
    const cause = `An error occurred while executing the state '${st.name}'${entered}. ${error.causeText}`;
    this.emit(ex, t, 'EvaluationFailed', {
      state: st.name,
      error: error.error,
      cause,
      ...(error.location ? { location: error.location } : {}),
    });
    return cause;
  }

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

  protected retryDelayMs(r: Retrier, attempt: number): number {
    let seconds = r.intervalSeconds * r.backoffRate ** attempt;
    if (r.maxDelaySeconds !== undefined) seconds = Math.min(seconds, r.maxDelaySeconds);
    if (r.jitter === 'FULL') seconds = Math.random() * seconds;
    return Math.round(seconds * 1000);
  }

  /**
   * Runs the state's Retry, then Catch, for an error; else fails the thread. `fromBranch`: a Parallel
   * state whose branch failed; it records ParallelStateFailed only when neither retries nor catches.
   */
  protected async stateFailed(
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
      if (!Interpreter.matches(r.errorEquals, error)) continue;
      const attempt = t.retries[i] ?? 0;
      if (attempt < r.maxAttempts) {
        t.retries[i] = attempt + 1;
        t.retryCount++;
        t.phase = { k: 'retry', due: this.clock.now() + this.retryDelayMs(r, attempt) };
        ex.dirty = true;
        return;
      }
      break; // the first matching retrier is used; when it is exhausted, go to Catch
    }
    for (const c of catchers) {
      if (!Interpreter.matches(c.errorEquals, error)) continue;
      const errorOutput: Json = {
        ...(errorName !== undefined ? { Error: errorName } : {}),
        ...(cause !== undefined ? { Cause: cause } : {}),
      };
      t.phase = { k: 'exec' };
      try {
        const ctx = this.ctx(ex, t, st, { errorOutput });
        await this.exit(ex, t, st, ctx, errorOutput, c.output, c.assign, c.next);
      } catch (e) {
        if (!(e instanceof StatesError)) throw e;
        this.failThread(ex, t, e.error, this.failureCause(ex, t, st, e));
      }
      return;
    }
    if (fromBranch && st.type === 'Parallel') this.emit(ex, t, 'ParallelStateFailed');
    this.failThread(ex, t, errorName, cause);
  }
}

/**
 * What the expressions of one state see: `$states` and the variable scopes. `$states.input`,
 * `.result`, `.errorOutput` and `.context` are read directly by the plain-path fast path
 * (`statesField`); the `$states` object itself (with `context` as a lazy getter) is made only when an
 * expression goes to jsonata.
 */
class StateContext implements EvalContext {
  #states: Record<string, unknown> | undefined;
  #context: Record<string, unknown> | undefined;

  constructor(
    readonly clock: Clock,
    readonly accountId: string,
    readonly ex: Exec,
    readonly thread: Thread,
    readonly st: State,
    readonly extra: { result?: Json; errorOutput?: Json; token?: string } | undefined,
    readonly item: { Index: number; Value: Json } | undefined,
  ) {}

  get states(): Record<string, unknown> {
    if (!this.#states) {
      const self = this;
      const states: Record<string, unknown> = {
        input: this.thread.input,
        get context() {
          return self.context();
        },
      };
      if (this.extra?.result !== undefined) states.result = this.extra.result;
      if (this.extra?.errorOutput !== undefined) states.errorOutput = this.extra.errorOutput;
      this.#states = states;
    }
    return this.#states;
  }

  statesField(name: string): unknown {
    switch (name) {
      case 'input':
        return this.thread.input;
      case 'context':
        return this.context();
      case 'result':
        return this.extra?.result;
      case 'errorOutput':
        return this.extra?.errorOutput;
      default:
        return undefined;
    }
  }

  /** `$states.context.Map` (ItemSelector's `Map.Item.Value`, per item) without the rest of the context. */
  contextField(name: string): unknown {
    if (name === 'Map' && !this.#context) return this.item ? { Item: this.item } : undefined;
    return this.context()[name];
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
