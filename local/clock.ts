/**
 * The one clock of the local stack. With `--test-clock` an AdjustableClock whose reached time is kept in
 * `DIR/clock.json` (on every change, every few seconds and at shutdown), so a restart goes on from the
 * time it had reached; otherwise the system clock.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AdjustableClock, type Clock, systemClock } from '#shared/clock.ts';

export interface LocalClock {
  clock: Clock;
  /** The adjustable clock when `--test-clock`, else undefined. */
  adjustable: AdjustableClock | undefined;
  end(): Promise<void>;
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
  if (!options.testClock) return { clock: systemClock, adjustable: undefined, end: async () => {} };
  const file = options.dataDir ? join(options.dataDir, 'clock.json') : undefined;
  const reached = (file ? await readReached(file) : undefined) ?? options.initial;
  // The reached time (or the requested start) may lie before the real time: the clock goes on from it.
  const clock = new AdjustableClock(reached !== undefined ? reached - Date.now() : 0);
  if (!file) return { clock, adjustable: clock, end: async () => {} };
  await mkdir(options.dataDir!, { recursive: true });
  let writing = Promise.resolve();
  const save = () => {
    writing = writing
      .then(async () => {
        const tmp = `${file}.tmp`;
        await writeFile(
          tmp,
          JSON.stringify({ reached: clock.now(), at: new Date(clock.now()).toISOString() }),
        );
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
