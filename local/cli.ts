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
 *   inbox DEPT                         what a demo department received
 *   clock [advance PT36H | set ISO]    show or move the test clock (npm start -- --test-clock)
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { components } from '#shared/openapi/api-types.ts';
import { demoScenarios } from '#shared/registry/demo-scenarios.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';

export class CliError extends Error {
  override name = 'CliError';
}

const HELP = `Usage: npm run certflow -- [--data-dir DIR] <command>

  submit FILE.json | --scenario ID        submit a request
  scenarios                               list the demo scenarios
  status REQUEST_ID                       status, decision, certificate
  history REQUEST_ID                      the audit trail of a request
  queue STATION                           a station's open investigations (e.g. CC-YHL)
  finding REQUEST_ID CONFIRMED|REFUTED [--note TEXT]
                                          record an officer's finding
  webhook DEPT REQUEST_ID CONFIRMED|REFUTED [--note TEXT]
                                          send a department's signed finding (Standard Webhooks)
  inbox DEPT                              what a demo department received
  clock [advance PT36H | set ISO-TIME]    show or move the test clock
`;

interface Context {
  api: string;
  officerToken: string;
  departments: Record<string, { secret: string }>;
  out: (line: string) => void;
}

async function loadContext(dataDir: string, out: (line: string) => void): Promise<Context> {
  try {
    const endpoints = JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8')) as { api: string };
    const creds = JSON.parse(await readFile(join(dataDir, 'demo-credentials.json'), 'utf8')) as {
      officerToken: string;
      departments: Record<string, { secret: string }>;
    };
    return { api: endpoints.api, officerToken: creds.officerToken, departments: creds.departments, out };
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

export async function run(argv: readonly string[], out: (line: string) => void = console.log): Promise<void> {
  const args = [...argv];
  let dataDir = process.env.CERTFLOW_DATA_DIR || '.certflow';
  const d = args.indexOf('--data-dir');
  if (d >= 0) {
    dataDir = args[d + 1] ?? dataDir;
    args.splice(d, 2);
  }
  const [command, ...rest] = args;
  if (!command || command === 'help' || command === '--help') {
    out(HELP);
    return;
  }
  if (command === 'scenarios') {
    for (const s of demoScenarios) out(`${s.id.padEnd(34)} ${s.expected.outcome.padEnd(32)} ${s.title}`);
    return;
  }
  const ctx = await loadContext(dataDir, out);
  switch (command) {
    case 'submit': {
      let body: unknown;
      if (rest[0] === '--scenario') {
        body = demoScenarios.find((s) => s.id === rest[1])?.body;
        if (!body) throw new CliError(`no scenario ${rest[1] ?? ''} (see: npm run certflow -- scenarios)`);
      } else if (rest[0]) {
        try {
          body = JSON.parse(await readFile(rest[0], 'utf8'));
        } catch (cause) {
          throw new CliError(`cannot read JSON from ${rest[0]}`, { cause });
        }
      } else throw new CliError('submit needs FILE.json or --scenario ID');
      const accepted = bodyOf<Accepted>(await http(ctx, 'POST', '/v1/requests', body), 202);
      out(`accepted: ${accepted.requestId}`);
      out(`access token: ${accepted.accessToken}`);
      out(`status: npm run certflow -- status ${accepted.requestId}`);
      return;
    }
    case 'status':
    case 'history': {
      if (!rest[0]) throw new CliError(`${command} needs REQUEST_ID`);
      const v = bodyOf<RequestView>(
        await http(ctx, 'GET', `/v1/requests/${encodeURIComponent(rest[0])}`),
        200,
      );
      if (command === 'status') {
        out(
          `${v.requestId}  ${v.proof}  ${v.status}${v.escalationLevel ? `  (escalated to level ${v.escalationLevel})` : ''}`,
        );
        if (v.decision)
          out(
            `decision: ${v.decision.outcome} (${v.decision.ruleId})\n  ${v.decision.reason.zh}\n  ${v.decision.reason.en}`,
          );
        if (v.deadline)
          out(`station ${v.station}, deadline ${v.deadline}${v.deadlineProvisional ? ' (provisional)' : ''}`);
        if (v.certificate)
          out(
            `certificate ${v.certificate.number}, code ${v.certificate.verificationCode}, verify: ${ctx.api}${v.certificate.links.verify}`,
          );
      } else {
        for (const e of v.history)
          out(`${e.at}  ${e.type.padEnd(22)} ${(e.actor ?? '').padEnd(26)} ${JSON.stringify(e.detail)}`);
      }
      return;
    }
    case 'queue': {
      if (!rest[0]) throw new CliError('queue needs STATION (e.g. CC-YHL)');
      const queue = bodyOf<StationQueue>(
        await http(ctx, 'GET', `/v1/stations/${encodeURIComponent(rest[0])}/queue`),
        200,
      );
      if (queue.items.length === 0) out(`no open investigations at ${rest[0]}`);
      for (const i of queue.items) {
        out(
          `${i.requestId}  ${i.proof.padEnd(18)} ${i.status.padEnd(13)} deadline ${i.deadline}${i.overdue ? ' OVERDUE' : ''}${i.escalationLevel ? ` L${i.escalationLevel}` : ''}  ${i.subject.name}`,
        );
      }
      return;
    }
    case 'finding': {
      const [requestId, outcome] = rest;
      if (!requestId || (outcome !== 'CONFIRMED' && outcome !== 'REFUTED')) {
        throw new CliError('finding needs REQUEST_ID and CONFIRMED or REFUTED');
      }
      const n = rest.indexOf('--note');
      const note = n >= 0 ? rest[n + 1] : undefined;
      const answer = await http(ctx, 'POST', `/v1/requests/${encodeURIComponent(requestId)}/findings`, {
        outcome,
        facts: {},
        ...(note ? { note } : {}),
      });
      if (answer.status !== 202) fail(answer);
      out(`finding accepted: ${requestId} ${outcome}`);
      return;
    }
    case 'webhook': {
      const [department, requestId, outcome] = rest;
      const secret = department ? ctx.departments[department]?.secret : undefined;
      if (!department || !secret)
        throw new CliError(`webhook needs a demo department: ${Object.keys(ctx.departments).join(', ')}`);
      if (!requestId || (outcome !== 'CONFIRMED' && outcome !== 'REFUTED')) {
        throw new CliError('webhook needs DEPT REQUEST_ID CONFIRMED|REFUTED');
      }
      const n = rest.indexOf('--note');
      const note = n >= 0 ? rest[n + 1] : undefined;
      const body = JSON.stringify({ requestId, outcome, facts: {}, ...(note ? { note } : {}) });
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
      out(`signed finding accepted from ${department}: ${requestId} ${outcome}`);
      return;
    }
    case 'inbox': {
      const inbox = bodyOf<Inbox>(
        await http(ctx, 'GET', `/_local/departments/${encodeURIComponent(rest[0] ?? '')}/inbox`),
        200,
      );
      for (const m of inbox.messages)
        out(`${m.receivedAt}  ${m.webhookId.padEnd(40)} ${m.type}${m.verified ? '' : ' (NOT VERIFIED)'}`);
      if (inbox.messages.length === 0) out('(empty)');
      return;
    }
    case 'clock': {
      const [verb, value] = rest;
      const answer =
        verb === 'advance' || verb === 'set'
          ? await http(ctx, 'POST', '/_local/clock', { [verb]: value })
          : await http(ctx, 'GET', '/_local/clock');
      if (answer.status === 404) throw new CliError('the test clock is off (npm start -- --test-clock)');
      out(`clock: ${bodyOf<ClockAnswer>(answer, 200).now}`);
      return;
    }
    default:
      throw new CliError(`unknown command ${command}\n\n${HELP}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`certflow: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
