/**
 * `npm run certflow` (local/cli.ts) on node:util parseArgs (strict, shared/cli.ts): help and version on
 * every command, --json, exit 2 for usage errors and 1 for expected failures (one line, no stack trace),
 * against a running local stack.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '#local/cli.ts';
import type { LocalStack } from '#local/stack.ts';
import { EXIT } from '#shared/cli.ts';
import { runScript } from '#tests/helpers/cli-process.ts';
import { startTestStack, waitFinal } from './helpers.ts';

let stack: LocalStack;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'certflow-cli-'));
  stack = await startTestStack({ dataDir: dir });
});
afterAll(async () => {
  await stack?.end();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await run(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('certflow CLI', () => {
  it('submits a scenario and reads its status, as text and as --json', async () => {
    const submitted = await cli('--data-dir', dir, '--json', 'submit', '--scenario', 'name-change');
    expect(submitted.code).toBe(EXIT.ok);
    const { requestId, accessToken } = JSON.parse(submitted.out) as {
      requestId: string;
      accessToken: string;
    };
    await waitFinal(stack, requestId, accessToken);
    const text = await cli('--data-dir', dir, 'status', requestId);
    expect(text).toMatchObject({ code: EXIT.ok, err: '' });
    expect(text.out).toMatch(new RegExp(`^${requestId}  NAME_CHANGE  ISSUED`));
    const json = await cli('status', requestId, '--json', '--data-dir', dir);
    expect(JSON.parse(json.out)).toMatchObject({ requestId, status: 'ISSUED' });
  });

  it('a refused call is exit 1 with the API problem on one line', async () => {
    const unknown = await cli('--data-dir', dir, 'status', '01UNKNOWN');
    expect(unknown.code).toBe(EXIT.failed);
    expect(unknown.err).toMatch(/^certflow: 404/);
    const noStack = await cli('--data-dir', join(dir, 'nothing-here'), 'status', 'X');
    expect(noStack).toMatchObject({
      code: EXIT.failed,
      err: expect.stringMatching(/no running certflow found/),
    });
  });

  it.each([
    [['launch'], /unknown command: launch/],
    [['--frobnicate', 'status', 'X'], /Unknown option '--frobnicate'/],
    [['status'], /status takes REQUEST_ID, got none/],
    [['status', 'A', 'B'], /status takes REQUEST_ID, got A B/],
    [['finding', 'R1', 'MAYBE'], /CONFIRMED or REFUTED/],
    [['status', 'R1', '--note', 'x'], /--note does not apply to status/],
    [['submit'], /FILE.json or --scenario/],
    [['clock', 'rewind', 'P1D'], /clock takes advance/],
    [[], /no command given/],
  ])('%j is a usage error: exit 2, the message and the usage line', async (argv, message) => {
    const result = await cli('--data-dir', dir, ...argv);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err).toMatch(message);
    expect(result.err).toMatch(/usage: npm run certflow --|see: npm run certflow -- --help/);
    expect(result.out).toBe('');
  });

  it('--help and --version on every command; scenarios needs no stack', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(EXIT.ok);
    expect(help.out).toMatch(/^Usage: npm run certflow -- \[options\] <command>/);
    expect(help.out).toContain('webhook DEPT REQUEST_ID CONFIRMED|REFUTED');
    const one = await cli('finding', '--help');
    expect(one.out).toMatch(
      /^Usage: npm run certflow -- \[options\] finding REQUEST_ID CONFIRMED\|REFUTED \[--note TEXT\]/,
    );
    expect((await cli('queue', 'CC-YHL', '--version')).out).toBe(version);
    const scenarios = await cli('--data-dir', join(dir, 'none'), '--json', 'scenarios');
    expect(scenarios.code).toBe(EXIT.ok);
    expect(JSON.parse(scenarios.out)).toContainEqual(expect.objectContaining({ id: 'name-change' }));
  });

  it('as a process: an unknown option exits 2 without a stack trace', async () => {
    const result = await runScript('local/cli.ts', ['--bogus']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/^certflow: Unknown option '--bogus'/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});
