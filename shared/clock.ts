/**
 * One clock for the whole system: timers, retries, timeouts, schedules, deadlines and the webhook
 * freshness window all read it. On AWS it is the system clock; locally `--test-clock` gives an
 * AdjustableClock that tests can set and advance and that otherwise runs on at real speed.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves once `now() >= at`; rejects with the signal's reason if aborted first. */
  sleepUntil(at: number, signal?: AbortSignal): Promise<void>;
}

/** Node's timers cannot wait longer than this in one go. */
const MAX_TIMER_MS = 2_147_483_647;

export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    return sleepUntil(this, at, signal);
  }
}

interface Waiter {
  at: number;
  resolve: () => void;
  timer: NodeJS.Timeout | undefined;
}

/**
 * Real time plus an offset. `set` and `advance` move the offset; every pending `sleepUntil` is
 * re-evaluated at once, so a timer whose moment has been passed fires immediately.
 */
export class AdjustableClock implements Clock {
  #offsetMs: number;
  readonly #waiters = new Set<Waiter>();
  readonly #listeners = new Set<(now: number) => void>();

  constructor(offsetMs = 0) {
    this.#offsetMs = offsetMs;
  }

  get offsetMs(): number {
    return this.#offsetMs;
  }

  now(): number {
    return Date.now() + this.#offsetMs;
  }

  /**
   * Sets the clock to `epochMs`; it runs on at real speed from there. Time may not go backwards unless
   * `backwards` (the local stack allows it while no request is open). RangeError otherwise.
   */
  set(epochMs: number, options: { backwards?: boolean } = {}): void {
    if (!Number.isFinite(epochMs)) throw new RangeError('clock: time must be a finite number');
    if (epochMs < this.now() && !options.backwards) throw new RangeError('clock: time may not go backwards');
    this.#offsetMs = epochMs - Date.now();
    this.#changed();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('clock: advance needs a non-negative duration');
    this.#offsetMs += ms;
    this.#changed();
  }

  /** Called after every set/advance with the new time; returns an unsubscribe function. */
  onChange(listener: (now: number) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  sleepUntil(at: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (at <= this.now()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        at,
        timer: undefined,
        resolve: () => {
          clearTimeout(waiter.timer);
          this.#waiters.delete(waiter);
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        clearTimeout(waiter.timer);
        this.#waiters.delete(waiter);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
      this.#arm(waiter);
    });
  }

  #arm(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    const remaining = waiter.at - this.now();
    if (remaining <= 0) {
      waiter.resolve();
      return;
    }
    waiter.timer = setTimeout(() => this.#arm(waiter), Math.min(remaining, MAX_TIMER_MS));
  }

  #changed(): void {
    for (const waiter of [...this.#waiters]) this.#arm(waiter);
    const now = this.now();
    for (const listener of this.#listeners) listener(now);
  }
}

function sleepUntil(clock: Clock, at: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const tick = () => {
      const remaining = at - clock.now();
      if (remaining <= 0) {
        signal?.removeEventListener('abort', onAbort);
        resolve();
        return;
      }
      timer = setTimeout(tick, Math.min(remaining, MAX_TIMER_MS));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    tick();
  });
}

export const systemClock: Clock = new SystemClock();
