/** Helpers of the end-to-end tests: a local stack in-process (dynalite in memory, test clock) and HTTP. */
import { randomUUID } from 'node:crypto';
import { type DemoScenario, demoScenarios } from '#local/demo/demo-scenarios.ts';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#local/stack.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';

/** Monday 23 November 2026, 10:00 Beijing time: deadlines fall on known working days. */
export const MONDAY_MORNING = '2026-11-23T02:00:00.000Z';

export function startTestStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  return startLocalStack({
    port: 0,
    inMemory: true,
    testClock: true,
    clockStart: MONDAY_MORNING,
    web: false,
    logLevel: 'SILENT',
    rateLimit: 0,
    ...options,
  });
}

export function scenario(id: string): DemoScenario {
  const s = demoScenarios.find((x) => x.id === id);
  if (!s) throw new RangeError(`no demo scenario ${id}`);
  return s;
}

// biome-ignore lint/suspicious/noExplicitAny: e2e tests read JSON bodies loosely; each test asserts the fields it needs.
export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

// biome-ignore lint/suspicious/noExplicitAny: e2e tests read JSON bodies loosely; each test asserts the fields it needs.
export async function call<T = any>(
  stack: LocalStack,
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  const response = await fetch(`${stack.url}${path}`, {
    method,
    headers,
    ...(body !== undefined ? { body } : {}),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, headers: response.headers, body: parsed as T };
}

export async function submit(stack: LocalStack, body: unknown, headers: Record<string, string> = {}) {
  const answer = await call(stack, 'POST', '/v1/requests', { body, headers });
  if (answer.status !== 202)
    throw new Error(`intake answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body as { requestId: string; accessToken: string; status: string };
}

export function getRequest(stack: LocalStack, requestId: string, token: string) {
  return call(stack, 'GET', `/v1/requests/${requestId}`, { token });
}

/** Polls the status until `done(view)` holds (the workflow runs asynchronously). */
export async function waitFor(
  stack: LocalStack,
  requestId: string,
  token: string,
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read JSON bodies loosely; each test asserts the fields it needs.
  done: (view: any) => boolean,
  what = 'condition',
  timeoutMs = 15_000,
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read JSON bodies loosely; each test asserts the fields it needs.
): Promise<any> {
  const until = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < until) {
    const answer = await getRequest(stack, requestId, token);
    last = answer.body;
    if (answer.status === 200 && done(last)) return last;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`timed out waiting for ${what}; last view: ${JSON.stringify(last)}`);
}

export const FINAL = ['DECLINED', 'ANSWERED_BY_EXCHANGE', 'ISSUED', 'REFUSED'];

export function waitFinal(stack: LocalStack, requestId: string, token: string) {
  return waitFor(stack, requestId, token, (v) => FINAL.includes(v.status), 'a final status');
}

/** Waits until the request waits for a finding (its task token is held). */
export async function waitWaiting(stack: LocalStack, requestId: string) {
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    const r = await stack.deps.store.getRequest(requestId);
    if (r?.taskToken && (r.status === 'INVESTIGATING' || r.status === 'ESCALATED')) return r;
    await new Promise((res) => setTimeout(res, 40));
  }
  throw new Error(`request ${requestId} never waited for a finding`);
}

/** Files a demo scenario's request (an investigation by default) and waits until it waits for a finding. */
export async function investigation(stack: LocalStack, scenarioId = 'kinship-investigate') {
  const { requestId, accessToken } = await submit(stack, scenario(scenarioId).body);
  await waitWaiting(stack, requestId);
  return { requestId, accessToken };
}

/** A department's signed POST (Standard Webhooks) with the stack's clock. */
export function signedPost(
  stack: LocalStack,
  department: string,
  path: string,
  body: unknown,
  options: { id?: string; timestamp?: number; secret?: string } = {},
) {
  const raw = JSON.stringify(body);
  const secret = options.secret ?? stack.credentials.departments[department]!.secret;
  const timestamp = options.timestamp ?? Math.floor(stack.clock.now() / 1000);
  return call(stack, 'POST', path, {
    raw,
    headers: {
      'content-type': 'application/json',
      ...signedHeaders([secret], options.id ?? `msg_${randomUUID()}`, timestamp, raw),
    },
  });
}

export function signedGet(stack: LocalStack, department: string, path: string) {
  const secret = stack.credentials.departments[department]!.secret;
  return call(stack, 'GET', path, {
    headers: signedHeaders([secret], `msg_${randomUUID()}`, Math.floor(stack.clock.now() / 1000), ''),
  });
}

export async function advanceClock(stack: LocalStack, duration: string) {
  const answer = await call(stack, 'POST', '/_local/clock', { body: { advance: duration } });
  if (answer.status !== 200) throw new Error(`clock answered ${answer.status}`);
  return answer.body as { now: string };
}

/** Polls a complaint (GET /v1/complaints/{id} with `token`) until `done(view)` holds. */
export async function waitComplaint(
  s: LocalStack,
  complaintId: string,
  token: string,
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read JSON bodies loosely; each test asserts the fields it needs.
  done: (view: any) => boolean,
  what: string,
  // biome-ignore lint/suspicious/noExplicitAny: e2e tests read JSON bodies loosely; each test asserts the fields it needs.
): Promise<any> {
  const until = Date.now() + 15_000;
  let last: unknown;
  while (Date.now() < until) {
    const answer = await call(s, 'GET', `/v1/complaints/${complaintId}`, { token });
    last = answer.body;
    if (answer.status === 200 && done(last)) return last;
    await new Promise((r) => setTimeout(r, 40));
  }
  throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
}
