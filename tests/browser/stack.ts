/**
 * The stack the browser tests run against: the real local stack, started in-process (in-memory data,
 * test clock, port 0, no intake rate limit). `CERTFLOW_BROWSER_STACK=http://127.0.0.1:4000` with
 * `CERTFLOW_BROWSER_CREDENTIALS=.certflow/demo-credentials.json` runs them against a stack already
 * running (`npm start`) instead.
 */
import { readFile } from 'node:fs/promises';
import { startLocalStack } from '#local/stack.ts';

/** Where the browser suite's test clock starts: Monday 2026-11-23, 10:00 Beijing time. */
export const BROWSER_CLOCK_START = '2026-11-23T02:00:00.000Z';

export interface BrowserStack {
  readonly baseUrl: string;
  readonly officerToken: string;
  readonly supervisorToken: string;
  /** Passwords of demo-officer / demo-supervisor at the local OpenID provider (the pages' sign-in). */
  readonly officerPassword: string;
  readonly supervisorPassword: string;
  /** The demo departments' webhook secrets (to sign a department's query in a test). */
  readonly departments: Record<string, { secret: string }>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<BrowserStack> {
  const external = process.env.CERTFLOW_BROWSER_STACK;
  if (external) {
    const file = process.env.CERTFLOW_BROWSER_CREDENTIALS ?? '.certflow/demo-credentials.json';
    const credentials = JSON.parse(await readFile(file, 'utf8')) as {
      officerToken: string;
      supervisorToken: string;
      officerPassword: string;
      supervisorPassword: string;
      departments: Record<string, { secret: string }>;
    };
    return { baseUrl: external, ...credentials, stop: async () => undefined };
  }
  const stack = await startLocalStack({
    port: 0,
    inMemory: true,
    testClock: true,
    // Pinned: deadlines and escalation levels count working days from acceptance, so the suite must not
    // depend on today's weekday (a Monday 10:00 Beijing, the same start as the e2e suite).
    clockStart: BROWSER_CLOCK_START,
    rateLimit: 0,
    logLevel: 'SILENT',
  });
  return {
    baseUrl: stack.url,
    officerToken: stack.credentials.officerToken,
    supervisorToken: stack.credentials.supervisorToken,
    officerPassword: stack.credentials.officerPassword,
    supervisorPassword: stack.credentials.supervisorPassword,
    departments: stack.credentials.departments,
    stop: () => stack.end(),
  };
}
