/**
 * Issue 11, the process rows of the bad-input table, against real processes: SIGTERM to `npm start`
 * stops the whole stack; a second start on the same data dir says "data dir in use by pid N" and exits
 * 2; a port in use is named as asked, with a hint to use --port; a data dir last run with --test-clock
 * (its clock ahead of real time) is refused without the flag, saying how to go on.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const dirs: string[] = [];
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'certflow-process-'));
  dirs.push(dir);
  return dir;
}

const BASE = ['--no-web', '--log-level', 'SILENT', '--rate-limit', '0'];

function run(command: string, args: string[]) {
  const proc = spawn(command, args, { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  proc.stderr!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { proc, output: () => out, exited };
}

function node(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', 'local/main.ts', ...args]);
}

async function ready(dir: string): Promise<{ api: string; dynamodb: string; stepfunctions: string }> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (existsSync(join(dir, 'endpoints.json'))) {
      const endpoints = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8'));
      if (
        await fetch(`${endpoints.api}/healthz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return endpoints;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the stack did not start');
}

async function refused(url: string): Promise<boolean> {
  return fetch(url).then(
    () => false,
    () => true,
  );
}

describe('npm start as a process', () => {
  it('SIGTERM to npm stops the whole stack; a second start on its data dir exits 2 naming the pid', async () => {
    const dir = tempDir();
    const npm = run('npm', ['start', '--', '--port', '0', '--data-dir', dir, ...BASE]);
    const endpoints = await ready(dir);
    const pid = Number(readFileSync(join(dir, 'certflow.pid'), 'utf8').trim());
    expect(pid).toBeGreaterThan(0);
    // The banner names every endpoint of endpoints.json (README: "prints the AWS-compatible endpoints").
    const all = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as Record<string, string>;
    for (let i = 0; i < 100 && !npm.output().includes('Ctrl-C stops'); i += 1)
      await new Promise((r) => setTimeout(r, 100));
    for (const url of Object.values(all)) expect(npm.output()).toContain(url);
    // A second stack on the same data dir: one clear line, exit 2.
    const second = node(['--port', '0', '--data-dir', dir, ...BASE]);
    const { code } = await second.exited;
    expect(code).toBe(2);
    expect(second.output()).toContain(`data dir ${dir} in use by pid ${pid}`);
    expect(second.output()).not.toMatch(/at .*dynalite|Error: /);
    // SIGTERM to npm: everything stops and lets go of its ports and of the data dir.
    npm.proc.kill('SIGTERM');
    await npm.exited;
    const until = Date.now() + 20_000;
    while (Date.now() < until && !(await refused(`${endpoints.api}/healthz`)))
      await new Promise((r) => setTimeout(r, 100));
    expect(await refused(`${endpoints.api}/healthz`)).toBe(true);
    expect(await refused(endpoints.dynamodb)).toBe(true);
    expect(await refused(endpoints.stepfunctions)).toBe(true);
    expect(existsSync(join(dir, 'certflow.pid'))).toBe(false);
  });

  it('a port in use is named as asked, with a hint to use --port', async () => {
    // Hold a port and ask for the one just below it: the stack needs port, port+1 and port+2.
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const held = (server.address() as { port: number }).port;
    try {
      const asked = held - 1;
      const stack = node(['--port', String(asked), '--in-memory', ...BASE]);
      const { code } = await stack.exited;
      expect(code).toBe(2);
      expect(stack.output()).toContain(`port ${asked}`);
      expect(stack.output()).toContain('--port');
    } finally {
      server.close();
    }
  });

  it('a data dir last run with --test-clock ahead of real time is refused without the flag', async () => {
    const dir = tempDir();
    const first = node(['--port', '0', '--data-dir', dir, '--test-clock', ...BASE]);
    const { api } = await ready(dir);
    const set = await fetch(`${api}/_local/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advance: 'P400D' }),
    });
    expect(set.status).toBe(200);
    first.proc.kill('SIGTERM');
    await first.exited;
    const second = node(['--port', '0', '--data-dir', dir, ...BASE]);
    const { code } = await second.exited;
    expect(code).toBe(2);
    expect(second.output()).toContain('was last run with --test-clock');
    expect(second.output()).toContain('Start with --test-clock to go on');
  });
});
