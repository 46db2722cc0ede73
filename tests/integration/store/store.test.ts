import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamo, start } from '#local/dynamodb.ts';
import { DynamoStore } from '#shared/store/dynamo-store.ts';
import { VersionConflictError } from '#shared/store/errors.ts';
import { EVENT_PREFIX } from '#shared/store/keys.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { request } from '#tests/helpers/domain-requests.ts';

let dynamo: LocalDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dynamo = await start();
  store = new DynamoStore(dynamo.client, dynamo.tableName);
});
afterAll(async () => {
  await dynamo.end();
});

function newRequest(id: string, overrides: Partial<RequestRecord> = {}) {
  return {
    requestId: id,
    status: 'RECEIVED' as const,
    proof: 'KINSHIP',
    input: request({ proof: 'NAME' }),
    accessTokenHash: 'h',
    acceptedAt: '2026-11-20T01:00:00.000Z',
    updatedAt: '2026-11-20T01:00:00.000Z',
    escalationLevel: 0,
    ...overrides,
  };
}

/** Stores a new request with its RECEIVED event (by the applicant) and returns it as read back. */
async function received(id: string, overrides: Partial<RequestRecord> = {}) {
  await store.createRequest(newRequest(id, overrides), { type: 'RECEIVED', actor: 'applicant' });
  return (await store.getRequest(id))!;
}

describe('requests and their audit trail', () => {
  it('creates once, and a second create with the same id is refused', async () => {
    // Prepare / Act
    const first = await store.createRequest(newRequest('r1'), { type: 'RECEIVED', actor: 'applicant' });
    const second = await store.createRequest(newRequest('r1'), { type: 'RECEIVED', actor: 'applicant' });
    // Assess
    expect([first, second]).toEqual([true, false]);
    const got = await store.getRequestWithHistory('r1');
    expect(got?.request.version).toBe(1);
    expect(got?.history.map((e) => e.type)).toEqual(['RECEIVED']);
  });

  it('moves forward with a version check and keeps every event in order', async () => {
    const v1 = await received('r2');
    const v2 = await store.updateRequest(
      v1,
      { status: 'INVESTIGATING', station: 'CC-YHL', deadline: '2026-11-27T15:59:59.999Z' },
      { type: 'INVESTIGATING', actor: 'system' },
      '2026-11-20T01:00:01.000Z',
    );
    expect(v2.version).toBe(2);
    // A writer holding the old version loses.
    await expect(
      store.updateRequest(
        v1,
        { status: 'DECLINED' },
        { type: 'DECLINED', actor: 'system' },
        '2026-11-20T01:00:02.000Z',
      ),
    ).rejects.toBeInstanceOf(VersionConflictError);
    const queue = await store.listStationQueue('CC-YHL');
    expect(queue.items.map((r) => r.requestId)).toEqual(['r2']);
    const v3 = await store.updateRequest(
      v2,
      { status: 'ISSUED', taskToken: undefined },
      { type: 'ISSUED', actor: 'officer:demo' },
      '2026-11-21T01:00:00.000Z',
    );
    expect(v3.finishedAt).toBe('2026-11-21T01:00:00.000Z');
    expect((await store.listStationQueue('CC-YHL')).items).toEqual([]);
    const history = await store.getRequestWithHistory('r2');
    expect(history?.history.map((e) => [e.seq, e.type])).toEqual([
      [1, 'RECEIVED'],
      [2, 'INVESTIGATING'],
      [3, 'ISSUED'],
    ]);
  });

  it('lists by status and deadline through the index, and counts outcomes', async () => {
    await store.createRequest(
      newRequest('r3', { status: 'RECEIVED', acceptedAt: '2026-11-19T00:00:00.000Z' }),
      {
        type: 'RECEIVED',
        actor: 'applicant',
      },
    );
    const before = await store.listByStatus('RECEIVED', { before: '2026-11-19T12:00:00.000Z' });
    expect(before.items.map((r) => r.requestId)).toEqual(['r3']);
    const issued = await store.countByStatus('ISSUED');
    expect(issued.count).toBe(1);
  });
});

describe('finished requests by day', () => {
  it('counts by day of finishedAt and outcome from `since`, one final status at a time', async () => {
    const finish = async (id: string, status: 'DECLINED' | 'ISSUED', outcome: string, at: string) => {
      const current = await received(id, { outcome });
      await store.updateRequest(current, { status }, { type: status, actor: 'system' }, at);
    };
    await finish('d1', 'DECLINED', 'DECLINED_NO_LEGAL_BASIS', '2026-11-20T10:00:00.000Z');
    await finish('d2', 'DECLINED', 'DECLINED_PROVABLE_BY_HUKOU', '2026-11-20T17:00:00.000Z');
    await finish('d3', 'DECLINED', 'DECLINED_NO_LEGAL_BASIS', '2026-11-21T01:00:00.000Z');
    await finish('d0', 'DECLINED', 'DECLINED_NO_LEGAL_BASIS', '2026-11-19T01:00:00.000Z');
    await finish('i1', 'ISSUED', 'ISSUE_ON_THE_SPOT', '2026-11-21T02:00:00.000Z');
    const day = (at: string) => at.slice(0, 10);
    expect(await store.countFinishedSince('DECLINED', '2026-11-20T00:00:00.000Z', day)).toEqual({
      '2026-11-20': { DECLINED_NO_LEGAL_BASIS: 1, DECLINED_PROVABLE_BY_HUKOU: 1 },
      '2026-11-21': { DECLINED_NO_LEGAL_BASIS: 1 },
    });
    expect(await store.countFinishedSince('ISSUED', '2026-11-21T00:00:00.000Z', day)).toMatchObject({
      '2026-11-21': { ISSUE_ON_THE_SPOT: 1 },
    });
    await expect(store.countFinishedSince('INVESTIGATING', '2026-11-20', day)).rejects.toThrow(RangeError);
  });
});

describe('edge records', () => {
  it('rate limit refuses past the limit within a window', async () => {
    const results: boolean[] = [];
    for (let i = 0; i < 4; i += 1) results.push(await store.hitRateLimit('1.2.3.4', 100, 3, 999));
    expect(results).toEqual([true, true, true, false]);
    expect(await store.hitRateLimit('1.2.3.4', 160, 3, 999)).toBe(true);
  });

  it('webhook ids are claimed once, completed, and released only while processing', async () => {
    expect(await store.claimWebhook('NOTARY', 'msg_1', 't', 1)).toEqual({ claimed: true });
    expect(await store.claimWebhook('NOTARY', 'msg_1', 't', 1)).toMatchObject({
      claimed: false,
      existing: { state: 'PROCESSING' },
    });
    await store.completeWebhook('NOTARY', 'msg_1', { statusCode: 202, body: { ok: 1 } }, 't', 1);
    await store.releaseWebhook('NOTARY', 'msg_1');
    expect(await store.claimWebhook('NOTARY', 'msg_1', 't', 1)).toMatchObject({
      claimed: false,
      existing: { state: 'DONE', response: { statusCode: 202 } },
    });
  });

  it('exchange records list newest first per department, paginated', async () => {
    for (const [id, at] of [
      ['e1', '2026-11-20T01:00:00Z'],
      ['e2', '2026-11-20T02:00:00Z'],
      ['e3', '2026-11-20T03:00:00Z'],
    ] as const) {
      await store.putExchangeRecord({
        exchangeId: id,
        department: 'NOTARY',
        origin: 'QUERY',
        mechanism: 'AD_HOC_VERIFICATION',
        question: 'ALIVE',
        subject: {},
        answer: { alive: true },
        source: 'population-registry',
        answeredAt: at,
      });
    }
    const page1 = await store.listExchangeRecords('NOTARY', { limit: 2 });
    expect(page1.items.map((r) => r.exchangeId)).toEqual(['e3', 'e2']);
    const page2 = await store.listExchangeRecords('NOTARY', { limit: 2, cursor: page1.cursor });
    expect(page2.items.map((r) => r.exchangeId)).toEqual(['e1']);
    expect((await store.listExchangeRecords('COURT')).items).toEqual([]);
  });

  it('certificates are created once by number', async () => {
    const cert = {
      number: 'JL-1',
      requestId: 'r2',
      kind: 'KINSHIP',
      issuedAt: 't',
      issuedBy: 'CC-YHL',
      subjectName: '黄*雨',
      codeHash: 'abc',
      status: 'VALID' as const,
    };
    expect(await store.putCertificate(cert)).toEqual(cert);
    expect(await store.putCertificate({ ...cert, codeHash: 'other' })).toEqual(cert);
  });
});

describe('forward-only statuses and the audit trail after a crash', () => {
  it('refuses to move a status backwards or out of a final status', async () => {
    const { StatusRegressionError } = await import('#shared/store/errors.ts');
    const v1 = await received('r9');
    const v2 = await store.updateRequest(
      v1,
      { status: 'ESCALATED' },
      { type: 'ESCALATED', actor: 'system' },
      't2',
    );
    await expect(
      store.updateRequest(v2, { status: 'INVESTIGATING' }, { type: 'INVESTIGATING', actor: 'system' }, 't3'),
    ).rejects.toBeInstanceOf(StatusRegressionError);
    const v3 = await store.updateRequest(
      v2,
      { status: 'REFUSED' },
      { type: 'REFUSED', actor: 'officer:o' },
      't3',
    );
    await expect(
      store.updateRequest(v3, { status: 'ISSUED' }, { type: 'ISSUED', actor: 'x' }, 't4'),
    ).rejects.toBeInstanceOf(StatusRegressionError);
    // A final request may still gain events (a delivery) without changing status.
    const v4 = await store.updateRequest(v3, {}, { type: 'DELIVERED', actor: 'system' }, 't4');
    expect(v4.status).toBe('REFUSED');
  });

  it('the newest event is on the request item until the next change writes it; history has every event once', async () => {
    const v1 = await received('r10');
    const v2 = await store.updateRequest(
      v1,
      { status: 'CHECKING' },
      { type: 'DECIDED', actor: 'system' },
      't2',
    );
    // Before any further change the DECIDED event exists only on the request item.
    const h2 = await store.getRequestWithHistory('r10');
    expect(h2?.history.map((e) => e.type)).toEqual(['RECEIVED', 'DECIDED']);
    await store.updateRequest(v2, { status: 'ISSUED' }, { type: 'ISSUED', actor: 'system' }, 't3');
    await store.ensureLastEvent(v2); // a retried follow-up is harmless
    const h3 = await store.getRequestWithHistory('r10');
    expect(h3?.history.map((e) => [e.seq, e.type])).toEqual([
      [1, 'RECEIVED'],
      [2, 'DECIDED'],
      [3, 'ISSUED'],
    ]);
  });

  it('a reader that sees a new version finds every earlier event: the event item is written before the request', async () => {
    const v1 = await received('r10b');
    // Reads the history each time a write of the update reaches the table, as a status poll might; the
    // event item's write is slowed down, as a busy table might.
    const seen: string[][] = [];
    let reading = false;
    dynamo.client.middlewareStack.add(
      (next) => async (args) => {
        // (the document client's input: plain values, or attribute values once marshalled)
        const sk = (args.input as { Item?: { sk?: string | { S?: string } } }).Item?.sk;
        const key = typeof sk === 'string' ? sk : sk?.S;
        if (key?.startsWith(EVENT_PREFIX)) await new Promise((r) => setTimeout(r, 50));
        const out = await next(args);
        if (reading) return out;
        reading = true;
        try {
          const h = await store.getRequestWithHistory('r10b');
          if (h && h.request.version === 2) seen.push(h.history.map((e) => e.type));
        } finally {
          reading = false;
        }
        return out;
      },
      { step: 'initialize', name: 'readAfterEachWrite', tags: ['TEST'] },
    );
    try {
      await store.updateRequest(v1, { status: 'CHECKING' }, { type: 'DECIDED', actor: 'system' }, 't2');
    } finally {
      dynamo.client.middlewareStack.remove('readAfterEachWrite');
    }
    expect(seen.length).toBeGreaterThan(0);
    for (const history of seen) expect(history).toEqual(['RECEIVED', 'DECIDED']);
  });

  it('counts finished requests by outcome and on-time flag; lists dead letters per department', async () => {
    const r = await received('r11');
    await store.updateRequest(
      r,
      { status: 'REFUSED', outcome: 'INVESTIGATE', onTime: true },
      { type: 'REFUSED', actor: 'o' },
      't',
    );
    const refused = await store.countByStatus('REFUSED');
    expect(refused).toMatchObject({ count: 2, byOutcome: { INVESTIGATE: 1, NONE: 1 }, onTime: 1 });
    const letter = {
      messageId: 'm1',
      department: 'NOTARY',
      type: 't',
      attempts: 5,
      lastError: 'e',
      payload: {},
    };
    await store.putDeadLetter({ ...letter, at: 't1' });
    await store.putDeadLetter({ ...letter, at: 't2' }); // the same message again: stored once
    expect((await store.listDeadLetters('NOTARY')).map((d) => d.messageId)).toEqual(['m1']);
  });
});
