/**
 * `npm run certflow -- <command>`: the local stack from a terminal. Reads `DIR/endpoints.json` and
 * `DIR/demo-credentials.json` of a running `npm start` (DIR: `--data-dir`, env CERTFLOW_DATA_DIR,
 * default `.certflow`) and acts as the demo officer.
 *
 *   submit FILE.json | --scenario ID   submit a request (a JSON body, or one of the demo scenarios)
 *   scenarios                          list the demo scenarios and their expected outcomes
 *   status REQUEST_ID                  status, decision and certificate
 *   history REQUEST_ID                 the audit trail
 *   queue STATION                      a station's open investigations, by deadline
 *   finding REQUEST_ID CONFIRMED|REFUTED [--note TEXT]   record an officer's finding
 *   webhook DEPT REQUEST_ID CONFIRMED|REFUTED [--note TEXT]   a department's signed finding
 *   signed DEPT GET|POST PATH [JSON]   any call signed by a demo department (e.g. /v1/exchange/subscriptions)
 *   inbox DEPT                         what a demo department received
 *   clock [advance PT36H | set ISO]    show or move the test clock (npm start -- --test-clock)
 *
 * Parsed by `node:util` `parseArgs` in strict mode (shared/cli.ts): `--help` and `--version` on every
 * command, `--json` prints the API's answer as JSON, an unknown command or option is a usage error
 * (exit 2), a refused call or a stack that is not running is one line on stderr (exit 1).
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import {
  type CliSpec,
  CommandError,
  type CommandInput,
  type CommandResult,
  type CommandSpec,
  runCli,
  UsageError,
} from '#shared/cli.ts';
import type { components } from '#shared/openapi/api-types.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';

/** An expected failure (exit 1, its message only). */
export class CliError extends CommandError {
  override name = 'CliError';
}

interface Context {
  api: string;
  officerToken: string;
  departments: Record<string, { secret: string }>;
}

async function loadContext(dataDir: string): Promise<Context> {
  try {
    const endpoints = JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8')) as { api: string };
    const creds = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as {
      officerToken: string;
      departments: Record<string, { secret: string }>;
    };
    return { api: endpoints.api, officerToken: creds.officerToken, departments: creds.departments };
  } catch (cause) {
    throw new CliError(`no running certflow found in ${dataDir} (start it with npm start)`, { cause });
  }
}

/** The API's answers: the types generated from the OpenAPI document (`npm run openapi`). */
type Accepted = components['schemas']['Accepted'];
type RequestView = components['schemas']['RequestView'];
type StationQueue = components['schemas']['StationQueue'];

/** What the local-only `/_local` routes answer (docs/api.md; not part of the OpenAPI document). */
interface Inbox {
  readonly messages: readonly {
    readonly receivedAt: string;
    readonly webhookId: string;
    readonly type: string;
    readonly verified: boolean;
  }[];
}

interface ClockAnswer {
  readonly now: string;
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

async function http(ctx: Context, method: string, path: string, body?: unknown): Promise<Answer> {
  let response: Response;
  try {
    response = await fetch(`${ctx.api}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${ctx.officerToken}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (cause) {
    throw new CliError(`certflow does not answer at ${ctx.api} (is npm start running?)`, { cause });
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: response.status, body: parsed };
}

function fail(answer: Answer): never {
  const b: { title?: unknown; detail?: unknown; errors?: unknown } =
    typeof answer.body === 'object' && answer.body !== null ? answer.body : {};
  const errors = Array.isArray(b.errors)
    ? b.errors
        .map((e: { path?: unknown; message?: unknown }) => `\n  ${String(e.path)}: ${String(e.message)}`)
        .join('')
    : '';
  throw new CliError(`${answer.status} ${b.title ?? ''}${b.detail ? ` — ${String(b.detail)}` : ''}${errors}`);
}

/** The answer's body, read as the API documents it, when the status is the expected one; else fails. */
function bodyOf<T>(answer: Answer, status: number): T {
  if (answer.status !== status) fail(answer);
  return answer.body as T;
}

const outcome = (value: string | undefined): 'CONFIRMED' | 'REFUTED' => {
  if (value !== 'CONFIRMED' && value !== 'REFUTED')
    throw new UsageError(`the outcome is CONFIRMED or REFUTED, got ${JSON.stringify(value ?? '')}`);
  return value;
};
const note = (values: CommandInput['values']) =>
  typeof values.note === 'string' ? { note: values.note } : {};
const done = (lines: string[], json: unknown): CommandResult => ({ lines, json });

async function submitBody(file: string | undefined, scenario: string | undefined): Promise<unknown> {
  if ((file === undefined) === (scenario === undefined))
    throw new UsageError('submit takes FILE.json or --scenario ID (one of them)');
  if (scenario !== undefined) {
    const body = demoScenarios.find((s) => s.id === scenario)?.body;
    if (!body) throw new CliError(`no scenario ${scenario} (see: npm run certflow -- scenarios)`);
    return body;
  }
  try {
    return JSON.parse(await readFile(file!, 'utf8'));
  } catch (cause) {
    throw new CliError(`cannot read JSON from ${file}`, { cause });
  }
}

function statusLines(ctx: Context, v: RequestView): string[] {
  const lines = [
    `${v.requestId}  ${v.proof}  ${v.status}${v.escalationLevel ? `  (escalated to level ${v.escalationLevel})` : ''}`,
  ];
  if (v.decision)
    lines.push(
      `decision: ${v.decision.outcome} (${v.decision.ruleId})\n  ${v.decision.reason.zh}\n  ${v.decision.reason.en}`,
    );
  if (v.deadline)
    lines.push(
      `station ${v.station}, deadline ${v.deadline}${v.deadlineProvisional ? ' (provisional)' : ''}`,
    );
  if (v.certificate)
    lines.push(
      `certificate ${v.certificate.number}, code ${v.certificate.verificationCode}, verify: ${ctx.api}${v.certificate.links.verify}`,
    );
  return lines;
}

async function view(ctx: Context, requestId: string): Promise<RequestView> {
  return bodyOf<RequestView>(await http(ctx, 'GET', `/v1/requests/${encodeURIComponent(requestId)}`), 200);
}

const commands: readonly CommandSpec<() => Promise<Context>>[] = [
  {
    words: ['submit'],
    args: ['[FILE.json]'],
    options: ['scenario'],
    summary: 'submit a request (a JSON body, or one of the demo scenarios)',
    async run(stack, { args: [file], values }) {
      const body = await submitBody(file, typeof values.scenario === 'string' ? values.scenario : undefined);
      const accepted = bodyOf<Accepted>(await http(await stack(), 'POST', '/v1/requests', body), 202);
      return done(
        [
          `accepted: ${accepted.requestId}`,
          `access token: ${accepted.accessToken}`,
          `status: npm run certflow -- status ${accepted.requestId}`,
        ],
        accepted,
      );
    },
  },
  {
    words: ['scenarios'],
    args: [],
    options: [],
    summary: 'list the demo scenarios and their expected outcomes',
    async run() {
      return done(
        demoScenarios.map((s) => `${s.id.padEnd(34)} ${s.expected.outcome.padEnd(32)} ${s.title}`),
        demoScenarios.map((s) => ({ id: s.id, outcome: s.expected.outcome, title: s.title })),
      );
    },
  },
  {
    words: ['status'],
    args: ['REQUEST_ID'],
    options: [],
    summary: 'status, decision and certificate',
    async run(stack, { args: [id] }) {
      const ctx = await stack();
      const v = await view(ctx, id!);
      return done(statusLines(ctx, v), v);
    },
  },
  {
    words: ['history'],
    args: ['REQUEST_ID'],
    options: [],
    summary: 'the audit trail of a request',
    async run(stack, { args: [id] }) {
      const v = await view(await stack(), id!);
      return done(
        v.history.map(
          (e) => `${e.at}  ${e.type.padEnd(22)} ${(e.actor ?? '').padEnd(26)} ${JSON.stringify(e.detail)}`,
        ),
        v.history,
      );
    },
  },
  {
    words: ['queue'],
    args: ['STATION'],
    options: [],
    summary: "a station's open investigations, by deadline (e.g. CC-YHL)",
    async run(stack, { args: [station] }) {
      const queue = bodyOf<StationQueue>(
        await http(await stack(), 'GET', `/v1/stations/${encodeURIComponent(station!)}/queue`),
        200,
      );
      const lines = queue.items.map(
        (i) =>
          `${i.requestId}  ${i.proof.padEnd(18)} ${i.status.padEnd(13)} deadline ${i.deadline}${i.overdue ? ' OVERDUE' : ''}${i.escalationLevel ? ` L${i.escalationLevel}` : ''}  ${i.subject.name}`,
      );
      return done(lines.length ? lines : [`no open investigations at ${station}`], queue);
    },
  },
  {
    words: ['finding'],
    args: ['REQUEST_ID', 'CONFIRMED|REFUTED'],
    options: ['note'],
    summary: "record an officer's finding",
    async run(stack, { args: [requestId, result], values }) {
      const chosen = outcome(result);
      const answer = await http(
        await stack(),
        'POST',
        `/v1/requests/${encodeURIComponent(requestId!)}/findings`,
        {
          outcome: chosen,
          facts: {},
          ...note(values),
        },
      );
      if (answer.status !== 202) fail(answer);
      return done([`finding accepted: ${requestId} ${chosen}`], answer.body);
    },
  },
  {
    words: ['webhook'],
    args: ['DEPT', 'REQUEST_ID', 'CONFIRMED|REFUTED'],
    options: ['note'],
    summary: "send a department's signed finding (Standard Webhooks)",
    async run(stack, { args: [department, requestId, result], values }) {
      const chosen = outcome(result);
      const ctx = await stack();
      const secret = ctx.departments[department!]?.secret;
      if (!secret)
        throw new CliError(`webhook needs a demo department: ${Object.keys(ctx.departments).join(', ')}`);
      const body = JSON.stringify({ requestId, outcome: chosen, facts: {}, ...note(values) });
      // Sign with the stack's clock (the test clock may be ahead of this machine's).
      const clock = await http(ctx, 'GET', '/_local/clock');
      const now = clock.status === 200 ? Date.parse((clock.body as ClockAnswer).now) : Date.now();
      const headers = signedHeaders([secret], `msg_${randomUUID()}`, Math.floor(now / 1000), body);
      const response = await fetch(`${ctx.api}/v1/webhooks/${department}/findings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      const answer = { status: response.status, body: await response.json().catch(() => undefined) };
      if (answer.status !== 202) fail(answer);
      return done([`signed finding accepted from ${department}: ${requestId} ${chosen}`], answer.body);
    },
  },
  {
    words: ['signed'],
    args: ['DEPT', 'GET|POST', 'PATH', '[JSON]'],
    options: [],
    summary: 'any call signed by a demo department (Standard Webhooks), e.g. /v1/exchange/subscriptions',
    async run(stack, { args: [department, method, path, json] }) {
      if (method !== 'GET' && method !== 'POST')
        throw new UsageError(`signed takes GET or POST, got ${method}`);
      if (!path?.startsWith('/')) throw new UsageError(`signed needs a path starting with /, got ${path}`);
      const ctx = await stack();
      const secret = ctx.departments[department!]?.secret;
      if (!secret)
        throw new CliError(`signed needs a demo department: ${Object.keys(ctx.departments).join(', ')}`);
      const body = method === 'POST' ? (json ?? '{}') : '';
      const clock = await http(ctx, 'GET', '/_local/clock');
      const now = clock.status === 200 ? Date.parse((clock.body as ClockAnswer).now) : Date.now();
      const headers = signedHeaders([secret], `msg_${randomUUID()}`, Math.floor(now / 1000), body);
      const response = await fetch(`${ctx.api}${path}`, {
        method,
        headers: { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(method === 'POST' ? { body } : {}),
      });
      const answer = { status: response.status, body: await response.json().catch(() => undefined) };
      if (answer.status >= 300) fail(answer);
      return done([JSON.stringify(answer.body, null, 2)], answer.body);
    },
  },
  {
    words: ['inbox'],
    args: ['DEPT'],
    options: [],
    summary: 'what a demo department received',
    async run(stack, { args: [department] }) {
      const inbox = bodyOf<Inbox>(
        await http(await stack(), 'GET', `/_local/departments/${encodeURIComponent(department!)}/inbox`),
        200,
      );
      const lines = inbox.messages.map(
        (m) => `${m.receivedAt}  ${m.webhookId.padEnd(40)} ${m.type}${m.verified ? '' : ' (NOT VERIFIED)'}`,
      );
      return done(lines.length ? lines : ['(empty)'], inbox);
    },
  },
  {
    words: ['clock'],
    args: ['[advance|set]', '[PT36H|ISO-TIME]'],
    options: [],
    summary: 'show or move the test clock (npm start -- --test-clock)',
    async run(stack, { args: [verb, value] }) {
      if (verb !== undefined && verb !== 'advance' && verb !== 'set')
        throw new UsageError(`clock takes advance DURATION or set ISO-TIME, got ${verb}`);
      if (verb !== undefined && value === undefined) throw new UsageError(`clock ${verb} needs a value`);
      const ctx = await stack();
      const answer = verb
        ? await http(ctx, 'POST', '/_local/clock', { [verb]: value })
        : await http(ctx, 'GET', '/_local/clock');
      if (answer.status === 404) throw new CliError('the test clock is off (npm start -- --test-clock)');
      const now = bodyOf<ClockAnswer>(answer, 200);
      return done([`clock: ${now.now}`], now);
    },
  },
];

export const certflowCli: CliSpec<() => Promise<Context>> = {
  name: 'certflow',
  invocation: 'npm run certflow --',
  description:
    'The local stack from a terminal: reads DIR/endpoints.json and DIR/demo-credentials.json of a running `npm start` and acts as the demo officer.',
  globalOptions: {
    'data-dir': {
      type: 'string',
      value: 'DIR',
      help: "the running stack's data dir (env CERTFLOW_DATA_DIR, default .certflow)",
    },
  },
  commandOptions: {
    scenario: { type: 'string', value: 'ID', help: 'a demo scenario (see: scenarios)' },
    note: { type: 'string', value: 'TEXT', help: "the finding's note" },
  },
  commands,
  // The stack is read only by the commands that talk to it (scenarios works without one).
  context: (values) => {
    const dataDir =
      (typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined) ??
      (process.env.CERTFLOW_DATA_DIR || '.certflow');
    let loaded: Promise<Context> | undefined;
    return () => {
      loaded ??= loadContext(dataDir);
      return loaded;
    };
  },
};

/** Runs the CLI on `argv`; resolves to the exit code (0 done, 1 failed, 2 usage error). */
export function run(
  argv: readonly string[],
  io?: { out: (text: string) => void; err: (text: string) => void },
): Promise<number> {
  return runCli(certflowCli, argv, io);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  process.exitCode = await run(process.argv.slice(2));
}
