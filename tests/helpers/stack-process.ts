/**
 * `npm start` as a child process on a data dir (test clock, no web pages, no rate limit, silent logs),
 * for the kill -9 drills: resolves once DIR/endpoints.json names an API whose /healthz answers (at most
 * 60 s). The child's stderr is forwarded and kept (`stderr()`: a restarted stack must log no race).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

export async function startStackProcess(
  dir: string,
): Promise<{ api: string; proc: ChildProcess; stderr: () => string }> {
  rmSync(join(dir, 'endpoints.json'), { force: true });
  const proc = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'local/main.ts',
      '--port',
      '0',
      '--data-dir',
      dir,
      '--test-clock',
      '--rate-limit',
      '0',
      '--no-web',
      '--log-level',
      'SILENT',
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  proc.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    process.stderr.write(chunk);
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (existsSync(join(dir, 'endpoints.json'))) {
      const { api } = JSON.parse(readFileSync(join(dir, 'endpoints.json'), 'utf8')) as { api: string };
      const ok = await fetch(`${api}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) return { api, proc, stderr: () => stderr };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the stack did not start');
}
