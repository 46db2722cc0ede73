/**
 * Complaints (投诉举报) over HTTP against the local stack: every kind filed, assigned to the supervisor
 * level above the station, found UPHELD or NOT_UPHELD by a supervisor signed in at the local OpenID
 * provider, the accountability record an upheld one makes, masking, bad input storing nothing, and the
 * public aggregate. Escalation across a holiday is in complaint-escalation.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.ts';
import { signInWithPassword } from '#tests/helpers/oidc-sign-in.ts';
import { call, investigation, startTestStack, waitComplaint } from './helpers.ts';

let stack: LocalStack;
let supervisor: string;

beforeAll(async () => {
  stack = await startTestStack();
  const result = await signInWithPassword(
    stack.url,
    stack.endpoints.oidc,
    'demo-supervisor',
    stack.credentials.supervisorPassword,
  );
  if (result.status !== 'signed-in') throw new Error('supervisor sign-in failed');
  supervisor = result.accessToken;
});
afterAll(async () => {
  await stack?.end();
});

const contact = { name: '黄小雨', phone: '13812345678' };
let phones = 0;
/** A fresh phone number per complaint (the per-phone limit is tested on its own). */
const nextPhone = () => {
  phones += 1;
  return `1390000${String(phones).padStart(4, '0')}`;
};

async function file(body: Record<string, unknown>, phone = nextPhone()) {
  const answer = await call(stack, 'POST', '/v1/complaints', {
    body: { contact: { ...contact, phone }, ...body },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body as { complaintId: string; accessToken: string; status: string };
}

const waiting = (id: string) =>
  waitComplaint(
    stack,
    id,
    supervisor,
    (v) => v.status === 'ASSIGNED' && v.deadline !== undefined,
    'ASSIGNED',
  );

function decide(id: string, body: unknown, token = supervisor) {
  return call(stack, 'POST', `/v1/complaints/${id}/findings`, { body, token });
}

const KINDS = [
  { kind: 'DUE_CERTIFICATE_REFUSED', extra: { officer: '李警官' }, outcome: 'UPHELD' },
  { kind: 'FAVOURS_ASKED', extra: { officer: '王警官' }, outcome: 'UPHELD' },
  { kind: 'OBSTRUCTION', extra: {}, outcome: 'NOT_UPHELD' },
  { kind: 'ABOLISHED_DEMAND', extra: { body: 'EMPLOYER', certificateKind: 'KINSHIP' }, outcome: 'UPHELD' },
  { kind: 'DEADLINE_MISSED', extra: {}, outcome: 'NOT_UPHELD' },
] as const;

describe('each kind of complaint, through to its finding', () => {
  it.each(KINDS)('$kind about station CC-YHL → $outcome', async ({ kind, extra, outcome }) => {
    // Prepare
    const { complaintId, accessToken, status } = await file(
      { kind, station: 'CC-YHL', text: `投诉内容：${kind} <script>alert(1)</script>`, ...extra },
      contact.phone,
    );
    expect(status).toBe('ACCEPTED');
    const assigned = await waiting(complaintId);
    // Monday 23 November 2026 + 5 working days = Monday 30 November, close of the Beijing day.
    expect(assigned).toMatchObject({
      kind,
      station: 'CC-YHL',
      assignment: { level: 1, unit: { zh: '朝阳区县级公安机关' } },
      deadline: '2026-11-30T15:59:59.999Z',
      contact,
    });
    // The complainant's own view: contact masked, the text as filed (plain text).
    const own = await call(stack, 'GET', `/v1/complaints/${complaintId}`, { token: accessToken });
    expect(own.status).toBe(200);
    expect(own.body.contact).toEqual({ name: '黄*雨', phone: '138****5678' });
    expect(own.body.text).toBe(`投诉内容：${kind} <script>alert(1)</script>`);
    // Act
    const answer = await decide(complaintId, {
      outcome,
      note: '经核查',
      ...(kind === 'DEADLINE_MISSED' ? {} : { officer: 'officer:demo-officer' }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(202);
    // Assess
    const done = await waitComplaint(stack, complaintId, accessToken, (v) => v.status === outcome, outcome);
    expect(done.finding).toMatchObject({ outcome, note: '经核查' });
    expect(done.finding.by).toBeUndefined();
    expect(done.history.map((e: { type: string }) => e.type)).toEqual([
      'ACCEPTED',
      'ASSIGNED',
      'FINDING_RECEIVED',
      outcome,
    ]);
    // A second finding is a conflict.
    expect((await decide(complaintId, { outcome: 'UPHELD', note: 'again' })).status).toBe(409);
  });

  it('upheld complaints about an officer are accountability records, visible to supervisors only', async () => {
    const records = await call(stack, 'GET', '/v1/accountability?officer=officer:demo-officer', {
      token: supervisor,
    });
    expect(records.status).toBe(200);
    // DUE_CERTIFICATE_REFUSED and FAVOURS_ASKED were upheld on the officer; ABOLISHED_DEMAND is on the body.
    expect(records.body.records.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'DUE_CERTIFICATE_REFUSED',
      'FAVOURS_ASKED',
    ]);
    const officer = await call(stack, 'GET', '/v1/accountability?officer=officer:demo-officer', {
      token: stack.credentials.officerToken,
    });
    expect(officer.status).toBe(403);
    expect((await call(stack, 'GET', '/v1/accountability?officer=x')).status).toBe(401);
    // The upheld abolished demand is on the body that demanded it.
    const body = await call(stack, 'GET', '/v1/accountability?body=EMPLOYER', { token: supervisor });
    expect(body.status).toBe(200);
    expect(body.body.records).toEqual([
      expect.objectContaining({ subject: 'BODY', body: 'EMPLOYER', kind: 'ABOLISHED_DEMAND' }),
    ]);
    expect((await call(stack, 'GET', '/v1/accountability?body=bad', { token: supervisor })).status).toBe(400);
  });

  it('the public aggregate counts received and upheld per station, with no personal data', async () => {
    const answer = await call(stack, 'GET', '/v1/transparency/accountability');
    expect(answer.status).toBe(200);
    const row = answer.body.stations.find((s: { station: string }) => s.station === 'CC-YHL');
    expect(row).toMatchObject({
      name: '义和路派出所',
      complaintsReceived: 5,
      complaintsUpheld: 3,
      complaintsOpen: 0,
    });
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain('13812345678');
    expect(text).not.toContain('黄小雨');
    expect(text).not.toContain('demo-officer');
  });

  it('the supervisor lists concluded complaints (out of the status index) in pages', async () => {
    const first = await call(stack, 'GET', '/v1/complaints?status=UPHELD&limit=2', { token: supervisor });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    expect(typeof first.body.cursor).toBe('string');
    const next = await call(
      stack,
      'GET',
      `/v1/complaints?status=UPHELD&limit=2&cursor=${encodeURIComponent(first.body.cursor)}`,
      { token: supervisor },
    );
    expect(next.status).toBe(200);
    const upheld = [...first.body.items, ...next.body.items];
    expect(upheld.map((c: { kind: string }) => c.kind).sort()).toEqual([
      'ABOLISHED_DEMAND',
      'DUE_CERTIFICATE_REFUSED',
      'FAVOURS_ASKED',
    ]);
    expect(upheld.every((c: { status: string }) => c.status === 'UPHELD')).toBe(true);
    expect(upheld[0].contact.phone).toBe('138****5678');
    const not = await call(stack, 'GET', '/v1/complaints?status=NOT_UPHELD', { token: supervisor });
    expect(not.body.items.map((c: { kind: string }) => c.kind).sort()).toEqual([
      'DEADLINE_MISSED',
      'OBSTRUCTION',
    ]);
  });
});

describe('a complaint that names a request', () => {
  it('is linked, the station known from the request', async () => {
    const { requestId } = await investigation(stack);
    const { complaintId } = await file({ kind: 'OBSTRUCTION', requestId, text: '一直让我补材料' });
    const view = await waiting(complaintId);
    expect(view).toMatchObject({ requestId, station: 'CC-YHL' });
  });
});

describe('bad input stores nothing', () => {
  it('400s name the field; an officer cannot see or decide a complaint', async () => {
    const before = await call(stack, 'GET', '/v1/complaints?status=ACCEPTED', { token: supervisor });
    const cases: [unknown, string][] = [
      [{ kind: 'NOPE', station: 'CC-YHL', text: '内容内容内容', contact }, 'kind'],
      [{ kind: 'OBSTRUCTION', text: '内容内容内容', contact }, 'station'],
      [{ kind: 'OBSTRUCTION', station: 'XX-NONE', text: '内容内容内容', contact }, 'station'],
      [{ kind: 'OBSTRUCTION', requestId: 'NOPE', text: '内容内容内容', contact }, 'requestId'],
      [{ kind: 'ABOLISHED_DEMAND', station: 'CC-YHL', text: '内容内容内容', contact }, 'body'],
      [
        {
          kind: 'OBSTRUCTION',
          station: 'CC-YHL',
          text: '内容内容内容',
          contact: { ...contact, phone: '12' },
        },
        'contact.phone',
      ],
      [{ kind: 'OBSTRUCTION', station: 'CC-YHL', text: '内容\u202e内容内容', contact }, 'text'],
      [{ kind: 'OBSTRUCTION', station: 'CC-YHL', text: '内容内容内容', contact, extra: 1 }, ''],
    ];
    for (const [body, path] of cases) {
      const answer = await call(stack, 'POST', '/v1/complaints', { body });
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      if (path) expect(answer.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    }
    const after = await call(stack, 'GET', '/v1/complaints?status=ACCEPTED', { token: supervisor });
    expect(after.body.items.length).toBe(before.body.items.length);
    const waitingList = await call(stack, 'GET', '/v1/complaints', { token: stack.credentials.officerToken });
    expect(waitingList.status).toBe(403);
  });

  it('a sixth complaint from one phone in a day is a 429 with Retry-After, and is not stored', async () => {
    // contact.phone filed the five complaints of the kinds above (accountability.json: 5 a day).
    const before = await call(stack, 'GET', '/v1/complaints?status=ACCEPTED', { token: supervisor });
    const answer = await call(stack, 'POST', '/v1/complaints', {
      body: { kind: 'OBSTRUCTION', station: 'CC-YHL', text: '再投诉一次看看', contact },
    });
    expect(answer.status).toBe(429);
    expect(Number(answer.headers.get('retry-after'))).toBeGreaterThan(0);
    const after = await call(stack, 'GET', '/v1/complaints?status=ACCEPTED', { token: supervisor });
    const all = await call(stack, 'GET', '/v1/complaints', { token: supervisor });
    expect(after.body.items.length).toBe(before.body.items.length);
    expect(all.body.items.some((c: { text: string }) => c.text === '再投诉一次看看')).toBe(false);
    // Another phone may still file.
    await file({ kind: 'OBSTRUCTION', station: 'CC-YHL', text: '换个号码投诉' });
  });
});
