/**
 * Options of `npm start`, each from its flag, else its environment variable, else the default, and each
 * checked before use (a bad value names the flag and the variable).
 *
 * | flag | env var | default |
 * | --- | --- | --- |
 * | `--port N` | `PORT` | 4000 |
 * | `--data-dir DIR` | `CERTFLOW_DATA_DIR` | `.certflow` |
 * | `--in-memory` | `CERTFLOW_IN_MEMORY=1` | off |
 * | `--registry FILE` | `CERTFLOW_REGISTRY` | the demo registry |
 * | `--holidays FILE` | `CERTFLOW_HOLIDAYS_FILE` | none (chinese-days' data only) |
 * | `--test-clock` | `CERTFLOW_TEST_CLOCK=1` | off |
 * | `--rate-limit N` | `CERTFLOW_RATE_LIMIT` | 120 (0 = none) |
 * | `--log-level L` | `CERTFLOW_LOG_LEVEL` | WARN |
 * | `--no-web` | `CERTFLOW_WEB=0` | pages on |
 */
import { existsSync } from 'node:fs';
import type { LocalStackOptions } from './stack.ts';

export class OptionError extends Error {
  override name = 'OptionError';
}

const FLAGS = [
  '--port',
  '--data-dir',
  '--in-memory',
  '--registry',
  '--holidays',
  '--test-clock',
  '--rate-limit',
  '--log-level',
  '--no-web',
  '--help',
];
const WITH_VALUE = new Set([
  '--port',
  '--data-dir',
  '--registry',
  '--holidays',
  '--rate-limit',
  '--log-level',
]);

export const USAGE = `Usage: npm start -- [options]

  --port N          API gateway port (env PORT, default 4000)
  --data-dir DIR    data directory (env CERTFLOW_DATA_DIR, default .certflow)
  --in-memory       keep no data on disk (env CERTFLOW_IN_MEMORY=1)
  --registry FILE   population registry file (env CERTFLOW_REGISTRY, default: the demo registry)
  --holidays FILE   holiday supplement { years, holidays, workdays } for deadlines (env CERTFLOW_HOLIDAYS_FILE)
  --test-clock      adjustable clock, POST /_local/clock (env CERTFLOW_TEST_CLOCK=1)
  --rate-limit N    intake requests a minute per client address, 0 = none (env CERTFLOW_RATE_LIMIT, default 120)
  --log-level L     DEBUG, INFO, WARN, ERROR or SILENT (env CERTFLOW_LOG_LEVEL, default WARN)
  --no-web          do not serve the web pages (env CERTFLOW_WEB=0)
`;

function parseArgs(argv: readonly string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=')
      ? (arg.split(/=(.*)/s, 2) as [string, string])
      : [arg, undefined];
    if (!FLAGS.includes(flag)) throw new OptionError(`unknown option ${arg}\n\n${USAGE}`);
    if (WITH_VALUE.has(flag)) {
      const value = inline ?? argv[i + 1];
      if (value === undefined || (inline === undefined && value.startsWith('--')))
        throw new OptionError(`${flag} needs a value`);
      if (inline === undefined) i += 1;
      out.set(flag, value);
    } else {
      out.set(flag, true);
    }
  }
  return out;
}

function bool(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === '') return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new OptionError(`${name} must be 1 or 0, got ${JSON.stringify(value)}`);
}

function whole(value: string, name: string, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) > max)
    throw new OptionError(`${name} must be a whole number from 0 to ${max}, got ${JSON.stringify(value)}`);
  return Number(value);
}

const LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;

export function resolveOptions(
  argv: readonly string[],
  env: Record<string, string | undefined> = process.env,
): LocalStackOptions & { help?: boolean } {
  const args = parseArgs(argv);
  if (args.has('--help')) return { help: true };
  const pick = (flag: string, envName: string) => {
    const v = args.get(flag);
    return typeof v === 'string'
      ? { value: v, name: flag }
      : env[envName] !== undefined && env[envName] !== ''
        ? { value: env[envName]!, name: envName }
        : undefined;
  };
  const port = pick('--port', 'PORT');
  const dataDir = pick('--data-dir', 'CERTFLOW_DATA_DIR');
  const registry = pick('--registry', 'CERTFLOW_REGISTRY');
  const holidays = pick('--holidays', 'CERTFLOW_HOLIDAYS_FILE');
  const rateLimit = pick('--rate-limit', 'CERTFLOW_RATE_LIMIT');
  const logLevel = pick('--log-level', 'CERTFLOW_LOG_LEVEL');
  if (registry && !existsSync(registry.value))
    throw new OptionError(`${registry.name}: no such file ${registry.value}`);
  if (holidays && !existsSync(holidays.value))
    throw new OptionError(`${holidays.name}: no such file ${holidays.value}`);
  const level = logLevel?.value.toUpperCase();
  if (level !== undefined && !(LEVELS as readonly string[]).includes(level)) {
    throw new OptionError(`${logLevel!.name} must be one of ${LEVELS.join(', ')}`);
  }
  return {
    port: port ? whole(port.value, port.name, 65535) : 4000,
    dataDir: dataDir?.value ?? '.certflow',
    inMemory: args.has('--in-memory') || bool(env.CERTFLOW_IN_MEMORY, 'CERTFLOW_IN_MEMORY') === true,
    ...(registry ? { registryFile: registry.value } : {}),
    ...(holidays ? { holidaysFile: holidays.value } : {}),
    testClock: args.has('--test-clock') || bool(env.CERTFLOW_TEST_CLOCK, 'CERTFLOW_TEST_CLOCK') === true,
    rateLimit: rateLimit ? whole(rateLimit.value, rateLimit.name, 1_000_000) : 120,
    logLevel: (level ?? 'WARN') as (typeof LEVELS)[number],
    web: !(args.has('--no-web') || bool(env.CERTFLOW_WEB, 'CERTFLOW_WEB') === false),
  };
}
