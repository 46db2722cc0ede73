/**
 * The stack's own routes on the gateway, beside the API: `GET /healthz` (200 once the API routes are up,
 * 503 before), and under `/_local/`: the test clock (`GET`/`POST /_local/clock`, only with
 * `--test-clock`), `POST /_local/sweep` (fire the due one-time schedules, then run the deadline sweeper now),
 * `POST /_local/exchange/run` (run the periodic-exchange batch now), the demo department inboxes
 * (`POST`/`GET /_local/departments/CODE/inbox`) and their dead letters
 * (`GET /_local/departments/CODE/dead-letters`), the SMS outbox (`GET /_local/notifications`,
 * `?to=+86…`, `?requestId=…`), the deadline-escalation alarms (`GET /_local/alarms`: each alarm's state and
 * the transitions that fired, local/alarms.ts), and `GET /auth-config.json`, the staff pages' sign-in configuration
 * `{ issuer, clientId, scope }` (web/src/lib/oidc.ts; on AWS the same file is deployed). Anything else
 * under `/_local/` is a 404 problem; other
 * paths are not ours (undefined: the gateway goes on to the API and the web pages).
 */

import type { Clock } from '#shared/clock.ts';
import { notFound, PROBLEM_CONTENT_TYPE, type Problem, problem } from '#shared/http/problem.ts';
import type { DeadLetterRecord } from '#shared/store/model.ts';
import type { LocalAlarms } from '../alarms.ts';
import { clockRoute, type LocalClock } from '../clock.ts';
import type { Inboxes } from '../departments.ts';
import type { LocalRoute } from '../gateway.ts';
import type { Outbox } from '../outbox.ts';
import type { Scheduler } from '../scheduler.ts';
import type { HttpResponse } from './response.ts';

export interface LocalRouterDeps {
  readonly clock: Clock;
  /** The test clock (`--test-clock`: adjustable, kept in the data dir); without it `/_local/clock` is a 404. */
  readonly testClock?: LocalClock;
  /** How many requests are open (the test clock goes back only while none is). */
  readonly openRequests: () => Promise<number>;
  /** Are the API routes up (`/healthz`)? */
  readonly ready: () => boolean;
  /** Resolved per request: the stack starts the gateway before these exist. */
  readonly scheduler: () => Scheduler | undefined;
  readonly inboxes: () => Inboxes | undefined;
  /** The SMS outbox (`GET /_local/notifications`). */
  readonly outbox: Outbox;
  /** The deadline-escalation alarms (`GET /_local/alarms`); absent: a 404. */
  readonly alarms?: LocalAlarms;
  readonly listDeadLetters: (department: string) => Promise<DeadLetterRecord[]>;
  /** The pages' OpenID configuration (the local provider), once it has started. */
  readonly authConfig?: () => { issuer: string; clientId: string; scope: string } | undefined;
}

/** The `/healthz` and `/_local/…` routes (see the module comment) as the gateway's `local` option. */
export function createLocalRouter(deps: LocalRouterDeps): LocalRoute {
  return async (method, path, query, headers, body) => {
    if (path === '/healthz') {
      return deps.ready()
        ? jsonResponse(200, { status: 'ok', now: new Date(deps.clock.now()).toISOString() })
        : jsonResponse(503, { status: 'starting' });
    }
    if (path === '/auth-config.json' && (method === 'GET' || method === 'HEAD')) {
      const config = deps.authConfig?.();
      return config ? jsonResponse(200, config) : undefined;
    }
    if (!path.startsWith('/_local/')) return undefined;
    if (path === '/_local/clock') {
      if (!deps.testClock) return problemResponse(notFound());
      if (method === 'GET') return jsonResponse(200, { now: new Date(deps.clock.now()).toISOString() });
      if (method !== 'POST') return problemResponse(problem(405), { allow: 'GET, POST' });
      const answer = await clockRoute(deps.testClock, body, deps.openRequests);
      return jsonResponse(
        answer.status,
        answer.body,
        answer.status === 200 ? {} : { 'content-type': PROBLEM_CONTENT_TYPE },
      );
    }
    if (path === '/_local/notifications' && method === 'GET') {
      const to = query.get('to') ?? undefined;
      const requestId = query.get('requestId') ?? undefined;
      return jsonResponse(200, {
        messages: deps.outbox.list({
          ...(typeof to === 'string' ? { to } : {}),
          ...(typeof requestId === 'string' ? { requestId } : {}),
        }),
      });
    }
    if (path === '/_local/alarms' && method === 'GET' && deps.alarms) {
      return jsonResponse(200, await deps.alarms.view());
    }
    const scheduler = deps.scheduler();
    if (path === '/_local/sweep' && method === 'POST' && scheduler) {
      // What is due now: the one-time schedules (deadline warnings), then the reconciliation sweep.
      await scheduler.drainDue();
      return jsonResponse(200, await scheduler.runNow('DeadlineSweeper'));
    }
    if (path === '/_local/exchange/run' && method === 'POST' && scheduler) {
      return jsonResponse(200, await scheduler.runNow('ExchangeBatch'));
    }
    const inboxes = deps.inboxes();
    const inbox = /^\/_local\/departments\/([A-Z_]+)\/inbox$/.exec(path);
    if (inbox && inboxes) {
      const code = inbox[1]!;
      if (method === 'POST') {
        const r = await inboxes.receive(code, headers, body.toString('utf8'));
        return jsonResponse(r.status, r.body);
      }
      const list = inboxes.list(code);
      return list ? jsonResponse(200, { department: code, messages: list }) : problemResponse(notFound());
    }
    const dead = /^\/_local\/departments\/([A-Z_]+)\/dead-letters$/.exec(path);
    if (dead)
      return jsonResponse(200, { department: dead[1], deadLetters: await deps.listDeadLetters(dead[1]!) });
    return problemResponse(notFound());
  };
}

/** A 4xx of the local routes: the API's problem+json (shared/http/problem.ts), in Chinese and English. */
function problemResponse(p: Problem, headers: Record<string, string> = {}): HttpResponse {
  return jsonResponse(p.status, p, { 'content-type': PROBLEM_CONTENT_TYPE, ...headers });
}

function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
    body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
  };
}
