/** Runs a CLI script (`tsx`) as its own Node process; resolves to its exit code and stderr. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export function runScript(
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], { env }).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
  );
}
