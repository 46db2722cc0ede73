/**
 * The scheduler of the local stack, on the stack's clock (so advancing the test clock past a moment
 * fires what was due at once), like EventBridge:
 * - recurring jobs: scheduled functions (the deadline sweeper) every `everyMinutes`, one run at a time
 *   per function; a failed run is logged and the next tick tries again;
 * - one-time schedules (`once`, the `OneTimeSchedules` port of shared/schedule/port.ts): invoke a
 *   function with a payload at a moment, once, then forget the schedule (EventBridge Scheduler's `at()`
 *   with ActionAfterCompletion DELETE); a flexible window fires at `at + spreadOffsetMs(name, window)`
 *   (deterministic, spread evenly over the window); a name that exists is a no-op; a failed invocation is tried
 *   again a minute later, up to 5 times (EventBridge's retry policy). With a `file` the pending ones are
 *   kept there (written a moment after each change and at the end), so a restart keeps them.
 * Pending one-time schedules sit in a min-heap by time: the loop sleeps until the earliest only, so
 * 100,000 pending schedules cost no work until they are due.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { Clock } from '#shared/clock.ts';
import { type OneTimeSchedule, type OneTimeSchedules, spreadOffsetMs } from '#shared/schedule/port.ts';

export interface Scheduler extends OneTimeSchedules {
  /** Runs the function now (the `/_local/sweep` route and tests); resolves with its result. */
  runNow(name: string): Promise<unknown>;
  /** Fires every one-time schedule due now and waits for them (and for those already firing). */
  drainDue(): Promise<number>;
  /** Counts, for benches and the `/_local` routes. */
  stats(): { pending: number; created: number; fired: number; failed: number };
  end(): Promise<void>;
}

interface Pending extends OneTimeSchedule {
  attempts: number;
}

const RETRY_MS = 60_000;
const MAX_ATTEMPTS = 5;

/** A binary min-heap of timed items by `at` (then name, so the order is stable). */
export class TimerHeap<T extends { at: number; name: string }> {
  readonly items: T[] = [];
  #less(a: T, b: T) {
    return a.at < b.at || (a.at === b.at && a.name < b.name);
  }
  get size(): number {
    return this.items.length;
  }
  push(item: T) {
    const h = this.items;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  peek(): T | undefined {
    return this.items[0];
  }
  pop(): T | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

export async function start(options: {
  clock: Clock;
  jobs: { name: string; everyMinutes: number }[];
  invoke: (name: string, event?: unknown) => Promise<unknown>;
  onError?: (name: string, error: unknown) => void;
  /** Run each job once right after start (repairs what a crash left). */
  runAtStart?: boolean;
  /** The function one-time schedules invoke (with their payload as the event). */
  onceTarget?: string;
  /** Keep pending one-time schedules in this JSON file across restarts. */
  file?: string;
}): Promise<Scheduler> {
  const controller = new AbortController();
  const running = new Map<string, Promise<unknown>>();
  const run = (name: string): Promise<unknown> => {
    const current = running.get(name);
    if (current) return current.then(() => run(name));
    const p = options.invoke(name).finally(() => running.delete(name));
    running.set(name, p);
    return p;
  };

  // --- one-time schedules ---
  const pending = new Map<string, Pending>();
  const heap = new TimerHeap<Pending>();
  const firing = new Set<Promise<void>>();
  const counts = { created: 0, fired: 0, failed: 0 };
  let wake = new AbortController();
  let saving: Promise<void> = Promise.resolve();
  let saveTimer: NodeJS.Timeout | undefined;
  const save = () => {
    if (!options.file) return Promise.resolve();
    const file = options.file;
    saving = saving
      .then(async () => {
        await writeFile(`${file}.tmp`, JSON.stringify([...pending.values()]));
        await rename(`${file}.tmp`, file);
      })
      .catch((error) => options.onError?.('scheduler.save', error));
    return saving;
  };
  const saveSoon = () => {
    if (!options.file || saveTimer) return;
    saveTimer = setTimeout(() => {
      saveTimer = undefined;
      void save();
    }, 200);
  };
  const add = (item: Pending) => {
    pending.set(item.name, item);
    const before = heap.peek();
    heap.push(item);
    if (!before || item.at < before.at) wake.abort();
    saveSoon();
  };
  if (options.file) {
    try {
      const saved = JSON.parse(await readFile(options.file, 'utf8')) as Pending[];
      for (const item of saved) add(item);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.('scheduler.load', error);
    }
  }
  const fire = (item: Pending) => {
    const target = options.onceTarget;
    if (!target) return;
    const p = options
      .invoke(target, item.payload)
      .then(
        () => {
          counts.fired += 1;
        },
        (error: unknown) => {
          counts.failed += 1;
          options.onError?.(`${target} (${item.name})`, error);
          if (item.attempts + 1 < MAX_ATTEMPTS)
            add({ ...item, attempts: item.attempts + 1, at: options.clock.now() + RETRY_MS });
        },
      )
      .finally(() => {
        firing.delete(p);
      });
    firing.add(p);
  };
  /** Takes every due schedule off the heap and fires it; returns how many. */
  const fireDue = () => {
    let n = 0;
    const now = options.clock.now();
    for (let top = heap.peek(); top && top.at <= now; top = heap.peek()) {
      heap.pop();
      // A stale heap entry (the schedule was re-added) is skipped: the map holds the live one.
      if (pending.get(top.name) !== top) continue;
      pending.delete(top.name);
      fire(top);
      n += 1;
    }
    if (n > 0) saveSoon();
    return n;
  };
  const onceLoop = (async () => {
    while (!controller.signal.aborted) {
      fireDue();
      const next = heap.peek();
      wake = new AbortController();
      const signal = AbortSignal.any([controller.signal, wake.signal]);
      try {
        // Without a pending schedule: sleep until woken (an hour at a time).
        await options.clock.sleepUntil(next?.at ?? options.clock.now() + 3_600_000, signal);
      } catch {
        if (controller.signal.aborted) return;
      }
    }
  })();

  const loops = options.jobs.map(async (job) => {
    const period = job.everyMinutes * 60_000;
    if (options.runAtStart) await run(job.name).catch((e) => options.onError?.(job.name, e));
    while (!controller.signal.aborted) {
      const next = (Math.floor(options.clock.now() / period) + 1) * period;
      try {
        await options.clock.sleepUntil(next, controller.signal);
      } catch {
        return;
      }
      await run(job.name).catch((e) => options.onError?.(job.name, e));
    }
  });
  return {
    runNow: run,
    async scheduleOnce(schedule) {
      if (pending.has(schedule.name)) return;
      counts.created += 1;
      // A flexible window fires at a moment within it, as EventBridge Scheduler: here a deterministic one.
      add({
        ...schedule,
        at: schedule.at + spreadOffsetMs(schedule.name, schedule.flexibleWindowMinutes),
        attempts: 0,
      });
    },
    async drainDue() {
      const n = fireDue();
      while (firing.size > 0) await Promise.allSettled([...firing]);
      return n;
    },
    stats: () => ({ pending: pending.size, ...counts }),
    async end() {
      controller.abort();
      clearTimeout(saveTimer);
      await Promise.allSettled([...loops, onceLoop, ...running.values(), ...firing]);
      await save();
    },
  };
}
