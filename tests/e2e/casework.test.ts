/**
 * The officer console's routes and the supervisors' report against the local stack, signed in through the
 * local OpenID provider: search (number, reference, name, ID number by keyed hash), filters, claim and
 * assign (audited), reveal (only the investigating officer, reason required, audited), the done list, and
 * GET /v1/supervision (401 / 403 / 200 with overdue and escalated lists).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import type { components } from '#shared/openapi/api-types.ts';
import { signInWithPassword } from '#tests/helpers/oidc-sign-in.ts';
import { advanceClock, call, investigation, scenario, startTestStack, submit, waitFinal } from './helpers.ts';

let stack: LocalStack;
let officer: string;
let supervisor: string;
let request: { requestId: string; accessToken: string };

async function accessToken(username: 'demo-officer' | 'demo-supervisor'): Promise<string> {
  const password =
    username === 'demo-officer' ? stack.credentials.officerPassword : stack.credentials.supervisorPassword;
  const result = await signInWithPassword(stack.url, stack.endpoints.oidc, username, password);
  if (result.status !== 'signed-in') throw new Error(`sign-in refused: ${result.code}`);
  return result.accessToken;
}

beforeAll(async () => {
  stack = await startTestStack();
  officer = await accessToken('demo-officer');
  supervisor = await accessToken('demo-supervisor');
  request = await investigation(stack);
}, 60_000);
afterAll(async () => {
  await stack?.end();
});

const search = (q: string, token = officer) =>
  call(stack, 'POST', '/v1/requests/search', { token, body: { q } });

describe('search', () => {
  it('finds the request by number, by its 8-character reference, by name and by ID number', async () => {
    const body = scenario('kinship-investigate').body as {
      subject: { name: string; idNumber: string };
      relatedPerson: { name: string };
    };
    for (const q of [
      request.requestId,
      request.requestId.slice(-8).toLowerCase(),
      body.subject.name,
      body.relatedPerson.name,
      body.subject.idNumber,
    ]) {
      const answer = await search(q);
      expect(answer.status, q).toBe(200);
      expect(
        answer.body.items.map((r: { requestId: string }) => r.requestId),
        q,
      ).toContain(request.requestId);
      // Rows tell requests apart, masked.
      const row = answer.body.items.find((r: { requestId: string }) => r.requestId === request.requestId);
      expect(row).toMatchObject({
        proof: 'KINSHIP',
        reference: request.requestId.slice(-8),
        status: 'INVESTIGATING',
      });
      expect(row.subject.idNumber).toMatch(/\*/);
      expect(JSON.stringify(row)).not.toContain(body.subject.idNumber);
    }
    expect((await search('无此人')).body.items).toEqual([]);
  });

  it('stores no name or ID number in clear as a search term', async () => {
    const { subject } = scenario('kinship-investigate').body as {
      subject: { idNumber: string; name: string };
    };
    const keys = (await import('#functions/use-cases/search.ts')).searchKeysOf(
      stack.deps.config.tokenSecret,
      request.requestId,
      (await stack.deps.store.getRequest(request.requestId))!.input,
    );
    expect(keys.join(' ')).not.toContain(subject.idNumber);
    expect(keys.join(' ')).not.toContain(subject.name);
    expect(await stack.deps.store.findBySearchKey(keys[1]!)).toContain(request.requestId);
  });

  it('is staff-only and checks an ID number before looking it up', async () => {
    expect((await call(stack, 'POST', '/v1/requests/search', { body: { q: 'x' } })).status).toBe(401);
    expect((await search('x', request.accessToken)).status).toBe(401);
    const bad = await search('220104198007151088');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/problem\+json/);
    expect(bad.body.errors[0].path).toBe('q');
  });
});

describe('claim, assign, reveal', () => {
  const reveal = (token: string, body: unknown) =>
    call(stack, 'POST', `/v1/requests/${request.requestId}/reveal`, { token, body });
  const history = async () =>
    (await call(stack, 'GET', `/v1/requests/${request.requestId}`, { token: supervisor })).body.history as {
      type: string;
      actor?: string;
      detail: Record<string, unknown>;
    }[];

  it('refuses a reveal before the officer claims the request (403), and without a reason (400)', async () => {
    const answer = await reveal(officer, { reason: '核对户籍档案' });
    expect(answer.status).toBe(403);
    expect(answer.body.detail).toMatch(/claim it first/);
    expect((await reveal(officer, {})).status).toBe(400);
    expect((await history()).some((e) => e.type === 'PERSONAL_DATA_REVEALED')).toBe(false);
  });

  it('a supervisor assigns to an officer, the officer claims; each is an ASSIGNED event', async () => {
    const assign = await call(stack, 'POST', `/v1/requests/${request.requestId}/assignee`, {
      token: supervisor,
      body: { officer: 'li.wei' },
    });
    expect(assign.status).toBe(200);
    expect(assign.body.assignee).toBe('li.wei');
    expect(
      (
        await call(stack, 'POST', `/v1/requests/${request.requestId}/assignee`, {
          token: supervisor,
          body: {},
        })
      ).status,
    ).toBe(403);
    const claim = await call(stack, 'POST', `/v1/requests/${request.requestId}/assignee`, {
      token: officer,
      body: {},
    });
    expect(claim.status).toBe(200);
    expect(claim.body.assignee).toBe('demo-officer');
    const assigned = (await history()).filter((e) => e.type === 'ASSIGNED');
    expect(assigned.map((e) => [e.actor, e.detail.assignee, e.detail.previous])).toEqual([
      ['supervisor:demo-supervisor', 'li.wei', undefined],
      ['officer:demo-officer', 'demo-officer', 'li.wei'],
    ]);
  });

  it('filters the queue by assignee, status, kind and overdue', async () => {
    const queue = (query: string) =>
      call(stack, 'GET', `/v1/stations/CC-YHL/queue?${query}`, { token: officer });
    const ids = async (query: string) =>
      (await queue(query)).body.items.map((r: { requestId: string }) => r.requestId);
    expect(await ids('assignee=me')).toEqual([request.requestId]);
    expect(await ids('assignee=none')).not.toContain(request.requestId);
    expect(await ids('status=INVESTIGATING&proof=KINSHIP')).toContain(request.requestId);
    expect(await ids('proof=NAME_CHANGE')).not.toContain(request.requestId);
    expect(await ids('overdue=true')).not.toContain(request.requestId);
    expect((await queue('status=NOPE')).status).toBe(400);
  });

  it('the assignee reveals full ID numbers and registry records; the reveal is audited with who and why', async () => {
    const answer = await reveal(officer, { reason: '核对亲属关系 / checking the kinship' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const body = scenario('kinship-investigate').body as { subject: { idNumber: string } };
    const subject = answer.body.people.find((p: { role: string }) => p.role === 'subject');
    expect(subject.idNumber).toBe(body.subject.idNumber);
    // The Zhao siblings are not on the registry (that is why it is investigated): no record to show.
    expect(subject).not.toHaveProperty('registry');
    const event = (await history()).find((e) => e.type === 'PERSONAL_DATA_REVEALED');
    expect(event).toMatchObject({
      actor: 'officer:demo-officer',
      detail: {
        reason: '核对亲属关系 / checking the kinship',
        people: ['subject', 'relatedPerson', 'applicant'],
      },
    });
    // The citizen's view carries no staff event actor.
    const own = await call(stack, 'GET', `/v1/requests/${request.requestId}`, { token: request.accessToken });
    expect(JSON.stringify(own.body)).not.toContain('demo-officer');
  });

  it("shows the registry record of a person on record (the household's address and station)", async () => {
    const other = await investigation(stack, 'criminal-record-investigate');
    await call(stack, 'POST', `/v1/requests/${other.requestId}/assignee`, { token: officer, body: {} });
    const answer = await call(stack, 'POST', `/v1/requests/${other.requestId}/reveal`, {
      token: officer,
      body: { reason: '核查前科 / record check' },
    });
    expect(answer.status).toBe(200);
    const subject = answer.body.people.find((p: { role: string }) => p.role === 'subject');
    expect(subject.registry).toMatchObject({ station: 'CC-YHL', name: subject.name });
    expect(subject.registry.address).toEqual(expect.any(String));
  });

  it('a supervisor is not the investigating officer: 403', async () => {
    expect((await reveal(supervisor, { reason: '抽查 / spot check' })).status).toBe(403);
  });
});

describe('supervision', () => {
  it('needs a supervisor: 401 without a token, 403 for an officer, 400 for a bad range', async () => {
    expect((await call(stack, 'GET', '/v1/supervision?from=2026-11-01&to=2026-11-30')).status).toBe(401);
    expect(
      (await call(stack, 'GET', '/v1/supervision?from=2026-11-01&to=2026-11-30', { token: officer })).status,
    ).toBe(403);
    expect(
      (await call(stack, 'GET', '/v1/supervision?from=2026-11-30&to=2026-11-01', { token: supervisor }))
        .status,
    ).toBe(400);
  });

  it('lists the overdue and escalated request after the deadline, per station and per officer', async () => {
    await advanceClock(stack, 'P8D');
    const until = Date.now() + 15_000;
    let report = {} as components['schemas']['Supervision'];
    while (Date.now() < until) {
      report = (
        await call(stack, 'GET', '/v1/supervision?from=2026-11-01&to=2026-12-31', { token: supervisor })
      ).body;
      if (report.escalated?.some((r: { requestId: string }) => r.requestId === request.requestId)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(report.overdue.map((r: { requestId: string }) => r.requestId)).toContain(request.requestId);
    expect(report.escalated.map((r: { requestId: string }) => r.requestId)).toContain(request.requestId);
    const station = report.stations.find((s: { station: string }) => s.station === 'CC-YHL');
    expect(station).toMatchObject({ open: 2, overdue: 2, escalated: 2 });
    expect(report.officers).toContainEqual({ officer: 'demo-officer', open: 2, overdue: 2, finished: 0 });
  });

  it('after CONFIRMED the request is in the done list and finished in the report', async () => {
    const finding = await call(stack, 'POST', `/v1/requests/${request.requestId}/findings`, {
      token: officer,
      body: { outcome: 'CONFIRMED', facts: { checked: '户籍档案' }, note: '核实属实' },
    });
    expect(finding.status).toBe(202);
    const view = await waitFinal(stack, request.requestId, request.accessToken);
    expect(view.status).toBe('ISSUED');
    const done = await call(stack, 'GET', '/v1/stations/CC-YHL/queue?view=done', { token: officer });
    expect(done.body.items[0]).toMatchObject({
      requestId: request.requestId,
      status: 'ISSUED',
      assignee: 'demo-officer',
    });
    const report = (
      await call(stack, 'GET', '/v1/supervision?from=2026-11-01&to=2026-12-31&station=CC-YHL', {
        token: supervisor,
      })
    ).body;
    expect(report.stations[0]).toMatchObject({ station: 'CC-YHL', finished: 1, open: 1 });
    expect(report.officers).toContainEqual({ officer: 'demo-officer', open: 1, overdue: 1, finished: 1 });
    // A closed request is not assigned again.
    expect(
      (await call(stack, 'POST', `/v1/requests/${request.requestId}/assignee`, { token: officer, body: {} }))
        .status,
    ).toBe(409);
  });
});

it('files on-the-spot requests for search too', async () => {
  const { requestId, accessToken } = await submit(stack, scenario('name-change').body);
  // Staff see a request once the rule check named its station (as GET /v1/requests/{id}).
  await waitFinal(stack, requestId, accessToken);
  const found = await call(stack, 'POST', '/v1/requests/search', { token: officer, body: { q: requestId } });
  expect(found.body.items.map((r: { requestId: string }) => r.requestId)).toEqual([requestId]);
});

it('the deadline-escalation alarm fired locally, as CDK would alarm (GET /_local/alarms)', async () => {
  // The investigation above passed its deadline and was escalated: the Escalations alarm fired.
  const answer = await call(stack, 'GET', '/_local/alarms');
  expect(answer.status).toBe(200);
  expect(answer.body.alarms.map((a: { id: string }) => a.id)).toEqual(['OverdueRequests', 'Escalations']);
  expect(answer.body.transitions).toContainEqual(
    expect.objectContaining({
      alarm: 'Escalations',
      metricName: 'SupervisorAlarm',
      state: 'ALARM',
      threshold: 1,
    }),
  );
});
