/**
 * The one clock of the local stack. With `--test-clock` an AdjustableClock whose reached time is kept in
 * `DIR/clock.json` (on every change, every few seconds and at shutdown), so a restart goes on from the
 * time it had reached; otherwise the system clock.
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AdjustableClock, type Clock, systemClock } from '#shared/clock.ts';
import { conflict, problem, say } from '#shared/http/problem.ts';

export interface LocalClock {
  clock: Clock;
  /** The adjustable clock when `--test-clock`, else undefined. */
  adjustable: AdjustableClock | undefined;
  /** Resolves once the clock's current time is on disk (DIR/clock.json); at once without a data dir. */
  persist(): Promise<void>;
  end(): Promise<void>;
}

/** A data dir last run with `--test-clock`, whose clock is ahead of real time, started without it. */
export class TestClockDataDirError extends Error {
  override name = 'TestClockDataDirError';
}

async function readReached(file: string): Promise<number | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as { reached?: unknown };
    return typeof value.reached === 'number' && Number.isFinite(value.reached) ? value.reached : undefined;
  } catch {
    return undefined;
  }
}

export async function start(options: {
  testClock: boolean;
  dataDir?: string;
  initial?: number;
}): Promise<LocalClock> {
  const file = options.dataDir ? join(options.dataDir, 'clock.json') : undefined;
  if (!options.testClock) {
    // Time may not jump back silently: a data dir whose test clock ran ahead needs --test-clock.
    const reached = file ? await readReached(file) : undefined;
    if (reached !== undefined && reached > Date.now() + 60_000) {
      throw new TestClockDataDirError(
        `the data dir ${options.dataDir} was last run with --test-clock and its clock reached ` +
          `${new Date(reached).toISOString()}, ahead of real time: without --test-clock time would jump back. ` +
          'Start with --test-clock to go on from there, or use another --data-dir ' +
          `(or delete ${file} to go back to real time).`,
      );
    }
    return { clock: systemClock, adjustable: undefined, persist: async () => {}, end: async () => {} };
  }
  const reached = (file ? await readReached(file) : undefined) ?? options.initial;
  // The reached time (or the requested start) may lie before the real time: the clock goes on from it.
  const clock = new AdjustableClock(reached !== undefined ? reached - Date.now() : 0);
  if (!file) return { clock, adjustable: clock, persist: async () => {}, end: async () => {} };
  await mkdir(options.dataDir!, { recursive: true });
  let writing = Promise.resolve();
  const save = () => {
    writing = writing
      .then(async () => {
        const tmp = `${file}.tmp`;
        const handle = await open(tmp, 'w');
        try {
          await handle.writeFile(
            JSON.stringify({ reached: clock.now(), at: new Date(clock.now()).toISOString() }),
          );
          await handle.sync();
        } finally {
          await handle.close();
        }
        await rename(tmp, file);
      })
      .catch(() => undefined);
    return writing;
  };
  const unsubscribe = clock.onChange(() => void save());
  const timer = setInterval(() => void save(), 5_000);
  timer.unref();
  await save();
  return {
    clock,
    adjustable: clock,
    persist: save,
    async end() {
      unsubscribe();
      clearInterval(timer);
      await save();
    },
  };
}

/** Parses an ISO 8601 duration (`PT36H`, `P1DT2H`, `P2W`, `PT90S`) into milliseconds; undefined if not one. */
export function parseDuration(text: string): number | undefined {
  const m =
    /^P(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text,
    );
  if (!m || text === 'P' || text.endsWith('T')) return undefined;
  const [, w, d, h, min, s] = m.map((v) => (v === undefined ? 0 : Number(v)));
  return ((((w! * 7 + d!) * 24 + h!) * 60 + min!) * 60 + s!) * 1000;
}

/** The latest time the test clock may be set or advanced to (the calendar and deadlines stay meaningful). */
export const CLOCK_MAX = Date.parse('2100-01-01T00:00:00Z');
/** The earliest. */
export const CLOCK_MIN = Date.parse('2000-01-01T00:00:00Z');

export interface ClockAnswer {
  status: 200 | 400 | 409;
  body: Record<string, unknown>;
}

/**
 * `POST /_local/clock` with `{ "set": "<ISO time>" }` or `{ "advance": "<ISO 8601 duration>" }`:
 * 200 `{ now }` once the new time is on disk (a kill -9 right after the answer keeps it); 400 for a body,
 * time or duration that is not one, or a result outside 2000–2100 (nothing changes); `set` to an earlier
 * time is allowed while `openRequests()` says no request is open, else 409 naming how many are.
 */
export async function clockRoute(
  local: LocalClock,
  body: Buffer,
  openRequests: () => Promise<number>,
): Promise<ClockAnswer> {
  const clock = local.adjustable!;
  const bad = (zh: string, en: string): ClockAnswer => ({
    status: 400,
    body: problem(400, { errors: [{ path: '', message: say({ zh, en }) }] }),
  });
  let value: { set?: unknown; advance?: unknown };
  try {
    value = JSON.parse(body.toString('utf8')) as typeof value;
  } catch {
    return bad('请求体须为JSON', 'body must be JSON: { "set": "<ISO time>" } or { "advance": "PT36H" }');
  }
  let target: number;
  if (typeof value?.set === 'string') {
    target = Date.parse(value.set);
    if (!Number.isFinite(target)) return bad('set须为ISO 8601时间', 'set must be an ISO 8601 time');
  } else if (typeof value?.advance === 'string') {
    const ms = parseDuration(value.advance);
    if (ms === undefined)
      return bad('advance须为ISO 8601时长', 'advance must be an ISO 8601 duration such as PT36H');
    target = clock.now() + ms;
  } else {
    return bad('须给出set或advance', 'give "set" (ISO time) or "advance" (ISO 8601 duration)');
  }
  if (!(target >= CLOCK_MIN && target <= CLOCK_MAX)) {
    return bad('时间须在2000年至2100年之间', 'the clock must stay between 2000-01-01 and 2100-01-01');
  }
  if (target < clock.now()) {
    const open = await openRequests();
    if (open > 0) {
      return {
        status: 409,
        body: conflict({
          zh: `时钟不能倒退：有${open}个未结束的请求`,
          en: `the clock may not go backwards while ${open} request(s) are open`,
        }),
      };
    }
    clock.set(target, { backwards: true });
  } else if (typeof value.set === 'string') {
    clock.set(target);
  } else {
    clock.advance(target - clock.now());
  }
  await local.persist();
  return { status: 200, body: { now: new Date(clock.now()).toISOString() } };
}
