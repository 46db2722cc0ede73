/**
 * What both command-line tools (`npm run certflow`, local/cli.ts; `npm run admin`, infra/admin.ts) share:
 * `node:util` `parseArgs` in strict mode over one table of commands, `--help` and `--version` on every
 * command, `--json` output, and the exit codes of the usual convention (BSD sysexits' spirit, as git and
 * npm use them): 0 done, 1 the command failed (an expected error: one line, no stack trace), 2 a usage
 * error (unknown command or option, missing argument: the message and the usage line).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** The command line is wrong (exit 2). */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** An expected failure of a command (exit 1, its message only). */
export class CommandError extends Error {
  override name = 'CommandError';
}

/** One option (never `multiple`): a flag or a value, with its help line and value name. */
export interface OptionSpec {
  readonly type: 'string' | 'boolean';
  readonly short?: string;
  readonly help: string;
  readonly value?: string;
}

export interface CommandSpec<Ctx> {
  /** Words that name it, e.g. `['department', 'add']`. */
  readonly words: readonly string[];
  /** Positional arguments after the words, e.g. `CODE`; `[X]` optional. */
  readonly args: readonly string[];
  readonly summary: string;
  /** Names of the options it takes (besides the global ones). */
  readonly options: readonly string[];
  run(ctx: Ctx, input: CommandInput): Promise<CommandResult>;
}

export interface CommandInput {
  readonly args: readonly string[];
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

/** What a command prints: `lines` for people, `json` with `--json`. */
export interface CommandResult {
  readonly lines: readonly string[];
  readonly json: unknown;
}

export interface CliSpec<Ctx> {
  /** Its name in messages, e.g. `admin`. */
  readonly name: string;
  /** How it is run, e.g. `npm run admin --`. */
  readonly invocation: string;
  readonly description: string;
  /** Options every command takes (`--help`, `--version`, `--json` are added). */
  readonly globalOptions: Readonly<Record<string, OptionSpec>>;
  /** Options of some commands. */
  readonly commandOptions: Readonly<Record<string, OptionSpec>>;
  readonly commands: readonly CommandSpec<Ctx>[];
  /** The context of a command, from the global options (may throw CommandError / UsageError). */
  context(values: Readonly<Record<string, string | boolean | undefined>>): Promise<Ctx> | Ctx;
  /** Errors the tool expects (printed as one line, exit 1), besides CommandError. */
  readonly expected?: (error: unknown) => boolean;
  /** Releases what `context` opened. */
  close?(ctx: Ctx): void;
}

const BUILT_IN: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  version: { type: 'boolean', short: 'v', help: 'print the version' },
  json: { type: 'boolean', help: 'print JSON instead of text' },
};

/** certflow's version (package.json). */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function optionLines(options: Readonly<Record<string, OptionSpec>>, names: readonly string[]): string[] {
  return names.map((name) => {
    const o = options[name]!;
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}`;
    return `  ${flag.padEnd(34)} ${o.help}`;
  });
}

function usageOf<Ctx>(spec: CliSpec<Ctx>, command: CommandSpec<Ctx>): string {
  const options = command.options.map((n) => {
    const o = spec.commandOptions[n]!;
    return `[--${n}${o.type === 'string' ? ` ${o.value ?? 'VALUE'}` : ''}]`;
  });
  return [spec.invocation, '[options]', ...command.words, ...command.args, ...options].join(' ');
}

/** The help text: all commands, or one command's usage and options. */
export function helpText<Ctx>(spec: CliSpec<Ctx>, command?: CommandSpec<Ctx>): string {
  const global = { ...spec.globalOptions, ...BUILT_IN };
  if (command) {
    return [
      `Usage: ${usageOf(spec, command)}`,
      '',
      command.summary,
      ...(command.options.length
        ? ['', 'Options:', ...optionLines(spec.commandOptions, command.options)]
        : []),
      '',
      'Global options:',
      ...optionLines(global, Object.keys(global)),
    ].join('\n');
  }
  const line = (c: CommandSpec<Ctx>) => usageOf(spec, c).replace(`${spec.invocation} [options] `, '');
  const width = Math.max(...spec.commands.map((c) => line(c).length)) + 2;
  return [
    `Usage: ${spec.invocation} [options] <command>`,
    '',
    spec.description,
    '',
    'Commands:',
    ...spec.commands.map((c) => `  ${line(c).padEnd(width)} ${c.summary}`),
    '',
    'Options:',
    ...optionLines(global, Object.keys(global)),
    `\n'${spec.invocation} <command> --help' shows a command's own options.`,
  ].join('\n');
}

function parse<Ctx>(spec: CliSpec<Ctx>, argv: readonly string[]) {
  try {
    return parseArgs({
      args: [...argv],
      options: { ...spec.globalOptions, ...spec.commandOptions, ...BUILT_IN },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    // node:util throws TypeErrors with ERR_PARSE_ARGS_* codes for unknown options and missing values.
    if ((error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS_'))
      throw new UsageError((error as Error).message);
    throw error;
  }
}

/** The command the positionals name (longest match) and the rest of them. */
function findCommand<Ctx>(spec: CliSpec<Ctx>, positionals: readonly string[]) {
  const matches = spec.commands.filter((c) => c.words.every((w, i) => positionals[i] === w));
  const command = matches.sort((a, b) => b.words.length - a.words.length)[0];
  return command ? { command, rest: positionals.slice(command.words.length) } : undefined;
}

function checkArity<Ctx>(command: CommandSpec<Ctx>, rest: readonly string[]): void {
  const required = command.args.filter((a) => !a.startsWith('[')).length;
  if (rest.length < required || rest.length > command.args.length) {
    throw new UsageError(
      `${command.words.join(' ')} takes ${command.args.join(' ') || 'no arguments'}, got ${rest.length ? rest.join(' ') : 'none'}`,
    );
  }
}

/**
 * Runs the tool on `argv`; resolves to the exit code (never throws for expected errors). `out` gets
 * results, `err` errors and usage.
 */
export async function runCli<Ctx>(
  spec: CliSpec<Ctx>,
  argv: readonly string[],
  io: { out: (text: string) => void; err: (text: string) => void } = {
    out: (t) => console.log(t),
    err: (t) => console.error(t),
  },
): Promise<number> {
  let command: CommandSpec<Ctx> | undefined;
  try {
    const { values, positionals } = parse(spec, argv);
    if (values.version) {
      io.out(values.json ? JSON.stringify({ version: packageVersion() }) : packageVersion());
      return EXIT.ok;
    }
    if (positionals.length === 0 || (positionals[0] === 'help' && positionals.length === 1)) {
      if (values.help || positionals[0] === 'help') {
        io.out(helpText(spec));
        return EXIT.ok;
      }
      throw new UsageError('no command given');
    }
    const found = findCommand(spec, positionals[0] === 'help' ? positionals.slice(1) : positionals);
    if (!found) throw new UsageError(`unknown command: ${positionals.join(' ')}`);
    command = found.command;
    if (values.help || positionals[0] === 'help') {
      io.out(helpText(spec, command));
      return EXIT.ok;
    }
    checkArity(command, found.rest);
    for (const name of Object.keys(values)) {
      if (name in spec.commandOptions && !command.options.includes(name))
        throw new UsageError(`--${name} does not apply to ${command.words.join(' ')}`);
    }
    const ctx = await spec.context(values);
    try {
      const result = await command.run(ctx, { args: found.rest, values });
      io.out(values.json ? JSON.stringify(result.json, null, 2) : result.lines.join('\n'));
    } finally {
      spec.close?.(ctx);
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${spec.name}: ${error.message}`);
      io.err(command ? `usage: ${usageOf(spec, command)}` : `see: ${spec.invocation} --help`);
      return EXIT.usage;
    }
    if (error instanceof CommandError || spec.expected?.(error)) {
      io.err(`${spec.name}: ${(error as Error).message}`);
      return EXIT.failed;
    }
    throw error;
  }
}
