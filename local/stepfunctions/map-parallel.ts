import type { MapState, ParallelState } from './definition.ts';
import { StatesError } from './errors.ts';
import { type EvalContext, evaluate, evaluateAs, type Json, outOfRange } from './expressions.ts';
import { ABORTABLE, type Exec, NOT_TRUNCATED, type Phase, stateEventType, type Thread } from './model.ts';
import { EngineTasks } from './tasks.ts';

/** Map and Parallel (see engine.ts for the rooms). */
export abstract class EngineBranches extends EngineTasks {
  protected spawn(ex: Exec, parent: Thread, slot: number, startAt: string, input: Json): Thread {
    const child: Thread = {
      id: ex.nextThread++,
      parent: parent.id,
      slot,
      state: startAt,
      input,
      vars: {},
      enteredAt: this.clock.now(),
      retries: [],
      retryCount: 0,
      phase: { k: 'run' },
      lastEventId: parent.lastEventId,
    };
    ex.threads.set(child.id, child);
    ex.ready.push(child.id);
    return child;
  }

  protected async startParallel(ex: Exec, t: Thread, st: ParallelState): Promise<void> {
    const ctx = this.ctx(ex, t, st);
    const input = st.args ? await evaluate(st.args, ctx, 'Arguments') : t.input;
    this.emit(ex, t, 'ParallelStateStarted');
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
      t.phase.children.push(this.spawn(ex, t, i, branch.startAt, input).id);
  }

  protected async startMap(ex: Exec, t: Thread, st: MapState): Promise<void> {
    const ctx = this.ctx(ex, t, st);
    const items = st.items ? await evaluateAs(st.items, ctx, 'Items', 'array') : t.input;
    if (!Array.isArray(items))
      throw new StatesError(
        'States.QueryEvaluationError',
        `Map state input must be an array but was: ${JSON.stringify(items)}`,
      );
    const maxRaw = st.maxConcurrency
      ? ((await evaluateAs(st.maxConcurrency, ctx, 'MaxConcurrency', 'integer')) as number)
      : 0;
    if (maxRaw < 0) throw outOfRange(st.maxConcurrency!, 'MaxConcurrency', maxRaw, '0 or more');
    const tolerated = await this.tolerance(st, ctx);
    this.emit(ex, t, 'MapStateStarted', { length: items.length });
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
      await this.childrenDone(ex, t, st);
      return;
    }
    await this.startMapItems(ex, t, st);
  }

  /**
   * ToleratedFailurePercentage (0-100) and ToleratedFailureCount (an integer >= 0), evaluated when the
   * Map starts (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html,
   * "Setting failure thresholds"; AWS accepts them on an inline Map too).
   */
  protected async tolerance(
    st: MapState,
    ctx: EvalContext,
  ): Promise<{ count?: number; percent?: number } | undefined> {
    if (!st.toleratedFailureCount && !st.toleratedFailurePercentage) return undefined;
    const out: { count?: number; percent?: number } = {};
    if (st.toleratedFailureCount) {
      const field = 'ToleratedFailureCount';
      const count = (await evaluateAs(st.toleratedFailureCount, ctx, field, 'integer')) as number;
      if (count < 0) throw outOfRange(st.toleratedFailureCount, field, count, '0 or more');
      out.count = count;
    }
    if (st.toleratedFailurePercentage) {
      const field = 'ToleratedFailurePercentage';
      const percent = (await evaluateAs(st.toleratedFailurePercentage, ctx, field, 'number')) as number;
      if (percent < 0 || percent > 100)
        throw outOfRange(st.toleratedFailurePercentage, field, percent, '0 to 100');
      out.percent = percent;
    }
    return out;
  }

  /**
   * Starts Map iterations up to MaxConcurrency. Synchronous when ItemSelector needs no jsonata, else
   * the promise of the rest (an item's index is taken before its ItemSelector is evaluated).
   */
  protected startMapItems(ex: Exec, t: Thread, st: MapState): void | Promise<void> {
    const p = t.phase as Phase & { k: 'children' };
    while (p.started < p.total && p.children.length < p.max) {
      const index = p.started++;
      const value = p.items![index]!;
      const ctx = this.ctx(ex, t, st, {}, { Index: index, Value: value });
      const input = st.itemSelector ? evaluate(st.itemSelector, ctx, 'ItemSelector') : value;
      if (input instanceof Promise)
        return input.then((selected) => {
          this.startMapItem(ex, t, st, p, index, selected);
          return this.startMapItems(ex, t, st);
        });
      this.startMapItem(ex, t, st, p, index, input);
    }
    if (p.started === p.total) delete p.items;
  }

  protected startMapItem(
    ex: Exec,
    t: Thread,
    st: MapState,
    p: Phase & { k: 'children' },
    index: number,
    input: Json,
  ): void {
    this.emit(ex, t, 'MapIterationStarted', { name: st.name, index });
    p.children.push(this.spawn(ex, t, index, st.processor.startAt, input).id);
  }

  protected childrenDone(ex: Exec, t: Thread, st: MapState | ParallelState): void | Promise<void> {
    const p = t.phase as Phase & { k: 'children' };
    this.emit(ex, t, st.type === 'Map' ? 'MapStateSucceeded' : 'ParallelStateSucceeded');
    const result = p.results;
    t.phase = { k: 'exec' };
    return this.taskResult(ex, t, st, result);
  }

  protected removeThreadTree(ex: Exec, id: number): void {
    const t = ex.threads.get(id);
    if (!t) return;
    if (t.phase.k === 'children') for (const child of t.phase.children) this.removeThreadTree(ex, child);
    ex.threads.delete(id);
  }

  protected finishThread(ex: Exec, t: Thread, output: Json): void {
    if (t.parent === undefined) {
      ex.threads.delete(t.id);
      this.closeExecution(
        ex,
        'SUCCEEDED',
        'ExecutionSucceeded',
        { outputValue: output, outputDetails: NOT_TRUNCATED },
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
    if (st.type === 'Map') this.emit(ex, parent, 'MapIterationSucceeded', { name: st.name, index: t.slot });
    ex.ready.push(parent.id); // the parent starts more items or finishes when it is stepped
  }

  /** A thread failed with an error nobody caught: fail its parent state, or the execution. */
  protected failThread(ex: Exec, t: Thread, error: string | undefined, cause: string | undefined): void {
    if (t.parent === undefined) {
      ex.threads.delete(t.id);
      const details = {
        ...(error !== undefined ? { error } : {}),
        ...(cause !== undefined ? { cause } : {}),
      };
      this.closeExecution(ex, 'FAILED', 'ExecutionFailed', details, undefined, error, cause);
      return;
    }
    const parent = ex.threads.get(t.parent)!;
    const st = ex.def.states.get(parent.state) as MapState | ParallelState;
    const p = parent.phase as Phase & { k: 'children' };
    if (st.type === 'Parallel') {
      // The branches are aborted, the failing one included: each running state records
      // <Type>StateAborted (as AWS's history shows), and the Parallel state fails (ParallelStateFailed
      // only if neither Retry nor Catch handles it; see #stateFailed).
      for (const child of p.children) this.abortThreadTree(ex, child);
      parent.lastEventId = Math.max(parent.lastEventId, t.lastEventId);
      p.children = [];
    } else {
      parent.lastEventId = Math.max(parent.lastEventId, t.lastEventId);
      this.removeThreadTree(ex, t.id);
      this.emit(ex, parent, 'MapIterationFailed', { name: st.name, index: t.slot });
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
        if (o) this.emit(ex, parent, 'MapIterationAborted', { name: st.name, index: o.slot });
        this.removeThreadTree(ex, other);
      }
      p.children = [];
      this.emit(ex, parent, 'MapStateFailed');
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
  protected abortThreadTree(ex: Exec, id: number): void {
    const t = ex.threads.get(id);
    if (!t) return;
    if (t.phase.k === 'children') for (const child of t.phase.children) this.abortThreadTree(ex, child);
    const st = ex.def.states.get(t.state);
    if (st && t.phase.k !== 'run' && ABORTABLE.has(st.type))
      this.emit(ex, t, stateEventType(st.type, 'Aborted'));
    ex.threads.delete(id);
  }
}
