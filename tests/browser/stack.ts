/**
 * The stack the browser tests run against: the real local stack, started in-process (in-memory data,
 * test clock, port 0, no intake rate limit). `CERTFLOW_BROWSER_STACK=http://127.0.0.1:4000` with
 * `CERTFLOW_BROWSER_CREDENTIALS=.certflow/demo-credentials.json` runs them against a stack already
 * running (`npm start`) instead.
 */
import { readFile } from 'node:fs/promises';
import { startLocalStack } from '#local/stack.ts';

export interface BrowserStack {
  readonly baseUrl: string;
  readonly officerToken: string;
  readonly supervisorToken: string;
  stop(): Promise<void>;
}

export async function startStack(): Promise<BrowserStack> {
  const external = process.env.CERTFLOW_BROWSER_STACK;
  if (external) {
    const file = process.env.CERTFLOW_BROWSER_CREDENTIALS ?? '.certflow/demo-credentials.json';
    const credentials = JSON.parse(await readFile(file, 'utf8')) as {
      officerToken: string;
      supervisorToken: string;
    };
    return { baseUrl: external, ...credentials, stop: async () => undefined };
  }
  const stack = await startLocalStack({
    port: 0,
    inMemory: true,
    testClock: true,
    rateLimit: 0,
    logLevel: 'SILENT',
  });
  return {
    baseUrl: stack.url,
    officerToken: stack.credentials.officerToken,
    supervisorToken: stack.credentials.supervisorToken,
    stop: () => stack.end(),
  };
}
