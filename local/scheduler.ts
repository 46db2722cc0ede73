/**
 * The scheduler: invokes scheduled functions (the deadline sweeper) every `everyMinutes` on the stack's
 * clock, like an EventBridge schedule — so advancing the test clock past a tick fires it at once. One run
 * at a time per function; a failed run is logged and the next tick tries again.
 */
import type { Clock } from '#shared/clock.ts';

export interface Scheduler {
  /** Runs the function now (the `/_local/sweep` route and tests); resolves with its result. */
  runNow(name: string): Promise<unknown>;
  end(): Promise<void>;
}

export function start(options: {
  clock: Clock;
  jobs: { name: string; everyMinutes: number }[];
  invoke: (name: string) => Promise<unknown>;
  onError?: (name: string, error: unknown) => void;
  /** Run each job once right after start (repairs what a crash left). */
  runAtStart?: boolean;
}): Scheduler {
  const controller = new AbortController();
  const running = new Map<string, Promise<unknown>>();
  const run = (name: string): Promise<unknown> => {
    const current = running.get(name);
    if (current) return current.then(() => run(name));
    const p = options.invoke(name).finally(() => running.delete(name));
    running.set(name, p);
    return p;
  };
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
    async end() {
      controller.abort();
      await Promise.allSettled([...loops, ...running.values()]);
    },
  };
}
