/**
 * Tasks, callbacks and timers: scheduling a Lambda task (optimized integration, `.waitForTaskToken`, or a
 * plain function ARN), calling the function after the transition is committed, its result or failure,
 * task tokens and SendTaskSuccess/Failure/Heartbeat, and the timers (Wait, retry, task and heartbeat
 * timeouts, the execution timeout) armed from the committed snapshot.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import type { MapState, ParallelState, TaskState } from './definition.ts';
import { InvalidOutput, InvalidToken, StatesError, TaskDoesNotExist, TaskTimedOut } from './errors.ts';
import {
  type Compiled,
  type EvalContext,
  evaluate,
  evaluateAs,
  type Json,
  outOfRange,
} from './expressions.ts';
import {
  checkLength,
  type Exec,
  functionNameOf,
  type LocalInvokeContext,
  NOT_TRUNCATED,
  noop,
  overPayloadLimit,
  PAYLOAD_LIMIT_BYTES,
  type Phase,
  retryOnReload,
  TERMINAL,
  type Thread,
} from './model.ts';
import { EnginePersistence } from './persistence.ts';

/**
 * A random UUID as a flat string: `randomUUID()` builds its result by concatenation (a tree of a dozen
 * string pieces), and the request id is kept in the task's result in the history. Converting it to a
 * number (NaN) makes V8 flatten it in place, so the pieces are freed (the "flatstr" trick).
 */
function flatRandomUUID(): string {
  const id = randomUUID();
  Number(id);
  return id;
}

const NO_TIMEOUTS = { timeoutSec: undefined, heartbeatSec: undefined } as const;

/** Tasks, callbacks and timers (see engine.ts for the rooms). */
export abstract class EngineTasks extends EnginePersistence {
  protected makeToken(arn: string, seq: number): string {
    return Buffer.from(JSON.stringify({ a: arn, s: seq, n: randomBytes(6).toString('hex') })).toString(
      'base64url',
    );
  }

  protected parseToken(token: unknown): { arn: string; seq: number } {
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
  protected async taskFor(token: string): Promise<{ ex: Exec; thread: Thread }> {
    const { arn } = this.parseToken(token);
    await this.afterResume(arn);
    const ex = this.live.get(arn);
    if (!ex) {
      const stored = await this.store.getExecution(arn);
      if (!stored) throw new TaskDoesNotExist('Task Does Not Exist');
      throw new TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'");
    }
    for (const thread of ex.threads.values())
      if (thread.phase.k === 'task' && thread.phase.token === token) return { ex, thread };
    throw new TaskTimedOut("Task Timed Out: 'Provided task does not exist anymore'");
  }

  async sendTaskSuccess(input: { taskToken?: string; output?: string }): Promise<Record<string, never>> {
    this.parseToken(input.taskToken);
    checkLength('output', input.output, PAYLOAD_LIMIT_BYTES, 'bytes');
    let output: Json;
    try {
      output = JSON.parse(input.output ?? '') as Json;
    } catch (error) {
      throw new InvalidOutput(`Invalid Output: '${(error as Error).message}'`);
    }
    await retryOnReload(async () => {
      const probe = await this.taskFor(input.taskToken!);
      await this.enqueue(probe.ex, async () => {
        const { ex, thread } = await this.taskFor(input.taskToken!);
        const st = ex.def.states.get(thread.state) as TaskState;
        this.emitTaskOutput(ex, thread, st, 'TaskSucceeded', output);
        await this.taskResult(ex, thread, st, output);
        await this.drive(ex);
      });
    });
    return {};
  }

  async sendTaskFailure(input: {
    taskToken?: string;
    error?: string;
    cause?: string;
  }): Promise<Record<string, never>> {
    this.parseToken(input.taskToken);
    // SendTaskFailure: error at most 256 characters, cause at most 32,768 (API reference).
    checkLength('error', input.error, 256, 'chars');
    checkLength('cause', input.cause, 32_768, 'chars');
    await retryOnReload(async () => {
      const probe = await this.taskFor(input.taskToken!);
      await this.enqueue(probe.ex, async () => {
        const { ex, thread } = await this.taskFor(input.taskToken!);
        const st = ex.def.states.get(thread.state) as TaskState;
        const error = input.error ?? '';
        const cause = input.cause ?? '';
        this.emit(ex, thread, 'TaskFailed', { resourceType: 'lambda', resource: st.resource, error, cause });
        await this.stateFailed(ex, thread, st, error, cause);
        await this.drive(ex);
      });
    });
    return {};
  }

  async sendTaskHeartbeat(input: { taskToken?: string }): Promise<Record<string, never>> {
    this.parseToken(input.taskToken);
    await retryOnReload(async () => {
      const probe = await this.taskFor(input.taskToken!);
      await this.enqueue(probe.ex, async () => {
        const { ex, thread } = await this.taskFor(input.taskToken!);
        const phase = thread.phase as Phase & { k: 'task' };
        if (phase.heartbeatMs !== undefined) {
          phase.heartbeatAt = this.clock.now() + phase.heartbeatMs;
          ex.dirty = true;
          await this.drive(ex);
        }
      });
    });
    return {};
  }

  /** Makes in-memory side effects (function calls, timers) match the committed snapshot. */
  protected reconcile(ex: Exec): void {
    if (this.closed || ex.broken) return;
    // Calls first; the timers' bookkeeping only when some timer is wanted or armed (most transitions
    // of a busy execution have none, and this runs after every commit).
    let timed = ex.rec.timeoutAt !== undefined || ex.timers.size > 0;
    for (const t of ex.threads.values()) {
      const p = t.phase;
      if (p.k === 'wait' || p.k === 'retry') timed = true;
      else if (p.k === 'task') {
        if (p.timeoutAt !== undefined || p.heartbeatAt !== undefined) timed = true;
        if (!p.submitted && !ex.launched.has(p.seq)) {
          ex.launched.add(p.seq);
          this.invoke(ex, t.id, p).catch(noop); // failures are logged by the execution's queue
        }
      }
    }
    // forget calls of tasks that have ended (the set would otherwise grow with every task)
    for (const seq of ex.launched) {
      let current = false;
      for (const t of ex.threads.values())
        if (t.phase.k === 'task' && t.phase.seq === seq) {
          current = true;
          break;
        }
      if (!current) ex.launched.delete(seq);
    }
    if (timed) this.reconcileTimers(ex);
  }

  /** Arms the timers the committed snapshot wants (Wait, retry, task and heartbeat timeouts, the execution's) and aborts the others. */
  protected reconcileTimers(ex: Exec): void {
    const wanted = new Map<string, { at: number; fire: () => Promise<void> }>();
    if (ex.rec.timeoutAt !== undefined)
      wanted.set(`x:${ex.rec.timeoutAt}`, { at: ex.rec.timeoutAt, fire: () => this.executionTimedOut(ex) });
    for (const t of ex.threads.values()) {
      const p = t.phase;
      if (p.k === 'wait' || p.k === 'retry') {
        wanted.set(`${t.id}:${p.k}:${p.due}`, {
          at: p.due,
          fire: () => this.timerFired(ex, t.id, p.k, p.due),
        });
      } else if (p.k === 'task') {
        if (p.timeoutAt !== undefined)
          wanted.set(`${t.id}:to:${p.seq}:${p.timeoutAt}`, {
            at: p.timeoutAt,
            fire: () => this.taskTimedOut(ex, t.id, p.seq, 'States.Timeout'),
          });
        if (p.heartbeatAt !== undefined)
          wanted.set(`${t.id}:hb:${p.seq}:${p.heartbeatAt}`, {
            at: p.heartbeatAt,
            fire: () => this.taskTimedOut(ex, t.id, p.seq, 'States.HeartbeatTimeout'),
          });
      }
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
      this.clock.sleepUntil(at, controller.signal).then(() => {
        ex.timers.delete(key);
        void this.enqueue(ex, fire);
      }, noop);
    }
  }

  protected async scheduleTask(ex: Exec, t: Thread, st: TaskState): Promise<void> {
    const seq = ex.seq++;
    const token =
      st.resource === 'invoke.waitForTaskToken' ? this.makeToken(ex.rec.executionArn, seq) : undefined;
    const ctx = this.ctx(ex, t, st, token ? { token } : {});
    if (st.resource === 'function') {
      await this.schedulePlainFunction(ex, t, st, seq, ctx);
      return;
    }
    const evaluated = st.args ? evaluate(st.args, ctx, 'Arguments') : {};
    const args = evaluated instanceof Promise ? await evaluated : evaluated;
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
    const { timeoutSec, heartbeatSec } =
      st.timeout || st.heartbeat ? await this.taskTimeouts(st, ctx) : NO_TIMEOUTS;
    const now = this.clock.now();
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
    this.emit(ex, t, 'TaskScheduled', {
      resourceType: 'lambda',
      resource: st.resource,
      region: this.region,
      parametersValue: args,
      ...(timeoutSec !== undefined ? { timeoutInSeconds: timeoutSec } : {}),
      ...(heartbeatSec !== undefined ? { heartbeatInSeconds: heartbeatSec } : {}),
    });
    this.emit(ex, t, 'TaskStarted', { resourceType: 'lambda', resource: st.resource });
  }

  /** TimeoutSeconds and HeartbeatSeconds of a Task (numbers or expressions giving positive integers). */
  protected async taskTimeouts(
    st: TaskState,
    ctx: EvalContext,
  ): Promise<{ timeoutSec: number | undefined; heartbeatSec: number | undefined }> {
    const seconds = async (c: Compiled | undefined, field: string) => {
      if (!c) return undefined;
      const v = (await evaluateAs(c, ctx, field, 'integer')) as number;
      if (v < 1) throw outOfRange(c, field, v, '1 or more');
      return v;
    };
    return {
      timeoutSec: await seconds(st.timeout, 'TimeoutSeconds'),
      heartbeatSec: await seconds(st.heartbeat, 'HeartbeatSeconds'),
    };
  }

  /**
   * A Task whose Resource is a Lambda function ARN: the event is `Arguments` (the state input when
   * absent), the history has LambdaFunctionScheduled/Started/Succeeded/Failed/TimedOut events and the
   * result is what the function returned (https://docs.aws.amazon.com/step-functions/latest/dg/
   * state-task.html, "Task state resource"; event types in the API reference's HistoryEvent).
   */
  protected async schedulePlainFunction(ex: Exec, t: Thread, st: TaskState, seq: number, ctx: EvalContext) {
    const args = st.args ? await evaluate(st.args, ctx, 'Arguments') : t.input;
    const { timeoutSec, heartbeatSec } = await this.taskTimeouts(st, ctx);
    const now = this.clock.now();
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
    this.emit(ex, t, 'LambdaFunctionScheduled', {
      resource: st.functionArn,
      inputValue: args,
      inputDetails: NOT_TRUNCATED,
      ...(timeoutSec !== undefined ? { timeoutInSeconds: timeoutSec } : {}),
    });
    this.emit(ex, t, 'LambdaFunctionStarted');
  }

  protected async invoke(ex: Exec, threadId: number, p: Phase & { k: 'task' }): Promise<void> {
    const name = functionNameOf(p.fn);
    const fn = this.functions(name);
    const requestId = flatRandomUUID();
    let outcome: { ok: true; payload: Json } | { ok: false; error: string; cause: string };
    if (!fn) {
      outcome = {
        ok: false,
        error: 'Lambda.ResourceNotFoundException',
        cause: `Function not found: arn:aws:lambda:${this.region}:${this.accountId}:function:${name} (Service: Lambda, Status Code: 404, Request ID: ${requestId})`,
      };
    } else {
      const deadline = p.timeoutAt ?? this.clock.now() + 900_000;
      const context: LocalInvokeContext = {
        functionName: name,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:${this.region}:${this.accountId}:function:${name}`,
        memoryLimitInMB: '128',
        awsRequestId: requestId,
        logGroupName: `/aws/lambda/${name}`,
        logStreamName: 'local',
        callbackWaitsForEmptyEventLoop: false,
        getRemainingTimeInMillis: () => Math.max(0, deadline - this.clock.now()),
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
    if (this.closed) return;
    await this.enqueue(ex, async () => {
      const t = ex.threads.get(threadId);
      if (t?.phase.k !== 'task' || t.phase.seq !== p.seq) return; // timed out, aborted or superseded
      const st = ex.def.states.get(t.state) as TaskState;
      if (p.plain) {
        if (outcome.ok) {
          this.emit(ex, t, 'LambdaFunctionSucceeded', {
            outputValue: outcome.payload,
            outputDetails: NOT_TRUNCATED,
          });
          await this.taskResult(ex, t, st, outcome.payload);
        } else {
          this.emit(ex, t, 'LambdaFunctionFailed', { error: outcome.error, cause: outcome.cause });
          await this.stateFailed(ex, t, st, outcome.error, outcome.cause);
        }
      } else if (!outcome.ok) {
        this.emit(ex, t, 'TaskFailed', {
          resourceType: 'lambda',
          resource: st.resource,
          error: outcome.error,
          cause: outcome.cause,
        });
        await this.stateFailed(ex, t, st, outcome.error, outcome.cause);
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
          this.emitTaskOutput(ex, t, st, 'TaskSubmitted', result);
        } else {
          this.emitTaskOutput(ex, t, st, 'TaskSucceeded', result);
          const work = this.taskResult(ex, t, st, result);
          if (work) await work;
        }
      }
      await this.drive(ex);
    });
  }

  protected emitTaskOutput(
    ex: Exec,
    t: Thread,
    st: TaskState,
    type: 'TaskSubmitted' | 'TaskSucceeded',
    output: Json,
  ): void {
    this.emit(ex, t, type, {
      resourceType: 'lambda',
      resource: st.resource,
      outputValue: output,
      outputDetails: NOT_TRUNCATED,
    });
  }

  /**
   * Leaves a Task, Map or Parallel state with its result; an Output/Assign evaluation error fails the
   * state. Synchronous when no expression needs jsonata, else the promise of the rest.
   */
  protected taskResult(
    ex: Exec,
    t: Thread,
    st: TaskState | MapState | ParallelState,
    result: Json,
  ): void | Promise<void> {
    let work: void | Promise<void>;
    try {
      work = this.exit(ex, t, st, this.ctx(ex, t, st, { result }), result, st.output, st.assign);
    } catch (error) {
      return this.taskResultFailed(ex, t, st, error);
    }
    if (work) return work.catch((error: unknown) => this.taskResultFailed(ex, t, st, error));
  }

  protected async taskResultFailed(
    ex: Exec,
    t: Thread,
    st: TaskState | MapState | ParallelState,
    error: unknown,
  ): Promise<void> {
    if (!(error instanceof StatesError)) throw error;
    const cause = this.failureCause(ex, t, st, error);
    await this.stateFailed(ex, t, st, error.error, cause);
  }

  protected async taskTimedOut(ex: Exec, threadId: number, seq: number, error: string): Promise<void> {
    const t = ex.threads.get(threadId);
    if (t?.phase.k !== 'task' || t.phase.seq !== seq) return;
    if (error === 'States.HeartbeatTimeout' && (t.phase.heartbeatAt ?? 0) > this.clock.now()) return;
    const st = ex.def.states.get(t.state) as TaskState;
    const cause =
      error === 'States.Timeout' ? 'The task timed out.' : 'The task did not send a heartbeat in time.';
    if (t.phase.plain) this.emit(ex, t, 'LambdaFunctionTimedOut', { error, cause });
    else this.emit(ex, t, 'TaskTimedOut', { resourceType: 'lambda', resource: st.resource, error, cause });
    await this.stateFailed(ex, t, st, error, cause);
    await this.drive(ex);
  }

  protected async timerFired(ex: Exec, threadId: number, kind: 'wait' | 'retry', due: number): Promise<void> {
    const t = ex.threads.get(threadId);
    if (!t || t.phase.k !== kind || t.phase.due !== due) return;
    if (kind === 'retry') t.phase = { k: 'exec' };
    ex.ready.push(t.id);
    await this.drive(ex);
  }

  protected async executionTimedOut(ex: Exec): Promise<void> {
    if (TERMINAL.has(ex.rec.status)) return;
    this.closeExecution(ex, 'TIMED_OUT', 'ExecutionTimedOut', {
      error: 'States.Timeout',
      cause: 'The execution timed out (TimeoutSeconds).',
    });
    await this.commit(ex);
  }
}
