/** The citizen keys, codes and sessions, the data tracker's purpose rule and the abolished-demand report. */
import { describe, expect, it } from 'vitest';
import {
  citizenKey,
  newOneTimeCode,
  oneTimeCodeHash,
  phoneKey,
  signCitizenSession,
  verifyCitizenSession,
} from '#shared/certificates/ids-and-codes.ts';
import {
  abolishedDemandReport,
  beijingMonth,
  dataTrackerEntry,
  isAbolishedDemand,
  previousMonth,
  purposeOf,
} from '#shared/domain/citizen.ts';
import { signInCodeSms } from '#shared/domain/notifications.ts';
import { defaultPolicy } from '#shared/policy/policy.ts';

const SECRET = 'x'.repeat(32);
const ID = '22010219790303101X';

describe('citizen keys, codes and sessions', () => {
  it('keys a person and a phone by HMAC: stable, secret-bound, never the number in clear', () => {
    const key = citizenKey(SECRET, ID);
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(citizenKey(SECRET, ID.toLowerCase())).toBe(key);
    expect(citizenKey('y'.repeat(32), ID)).not.toBe(key);
    expect(key).not.toContain('220102');
    expect(phoneKey(SECRET, '139-0000-0001')).toBe(phoneKey(SECRET, '13900000001'));
    expect(oneTimeCodeHash(SECRET, key, 'p', '123456')).not.toBe(oneTimeCodeHash(SECRET, key, 'p', '123457'));
  });

  it('makes 6-digit codes, leading zeros kept', () => {
    expect(newOneTimeCode(Buffer.from([0, 0, 0, 7]))).toBe('000007');
    expect(newOneTimeCode(Buffer.from([255, 255, 255, 255]))).toMatch(/^\d{6}$/);
  });

  it('signs sessions that expire and cannot be altered', () => {
    const session = { citizen: citizenKey(SECRET, ID), phone: phoneKey(SECRET, '13900000001'), exp: 1_000 };
    const token = signCitizenSession(SECRET, session);
    expect(token.length).toBeLessThanOrEqual(200);
    expect(verifyCitizenSession(SECRET, token, 999_000)).toEqual(session);
    expect(verifyCitizenSession(SECRET, token, 1_000_000)).toBeUndefined();
    expect(verifyCitizenSession('y'.repeat(32), token, 0)).toBeUndefined();
    const other = phoneKey(SECRET, '13900000002');
    expect(verifyCitizenSession(SECRET, token.replace(session.phone, other), 0)).toBeUndefined();
    expect(verifyCitizenSession(SECRET, token.replace('.1000.', '.9999.'), 0)).toBeUndefined();
    expect(verifyCitizenSession(SECRET, 'cts_garbage', 0)).toBeUndefined();
  });

  it('sends the sign-in code in the asked language, to mobiles only', () => {
    expect(signInCodeSms(defaultPolicy, '13900000001', 'en', '042424')).toMatchObject({
      to: '+8613900000001',
      key: 'recoveryCode',
      locale: 'en',
      text: expect.stringContaining('042424'),
    });
    expect(signInCodeSms(defaultPolicy, '0431-88880000', 'zh', '042424')).toBeUndefined();
  });
});

describe('the data tracker', () => {
  it('names a legal purpose by code or name, and shows any other (or OTHER, or none) as no legal purpose', () => {
    expect(purposeOf(defaultPolicy, 'PENSION')).toMatchObject({ legal: true, name: { zh: '领取养老金' } });
    expect(purposeOf(defaultPolicy, '领取养老金')).toMatchObject({ legal: true });
    expect(purposeOf(defaultPolicy, 'OTHER')).toMatchObject({ legal: false, given: 'OTHER' });
    expect(purposeOf(defaultPolicy, '随便问问')).toMatchObject({
      legal: false,
      name: { en: 'no legal purpose stated' },
    });
    expect(purposeOf(defaultPolicy, undefined)).toEqual({
      legal: false,
      name: { zh: '未载明法定用途', en: 'no legal purpose stated' },
    });
  });

  it('says which body asked, under which rule', () => {
    const entry = dataTrackerEntry(defaultPolicy, {
      exchangeId: 'x_1',
      department: 'NOTARY',
      origin: 'REQUEST',
      mechanism: 'RESULT_FEEDBACK',
      question: 'KINSHIP',
      answer: { related: true },
      answeredAt: '2026-11-23T02:00:00.000Z',
      purpose: 'STUDY_ABROAD',
      requestId: 'R1',
      ruleId: 'jilin-2016/R5',
    });
    expect(entry).toMatchObject({
      body: { code: 'NOTARY', name: { zh: '公证机构' } },
      questionName: { zh: '亲属关系', en: 'a family relation' },
      rule: {
        id: 'jilin-2016/R5',
        mechanism: 'RESULT_FEEDBACK',
        mechanismName: { en: expect.stringMatching(/result feedback/) },
      },
      purpose: { legal: true },
      requestId: 'R1',
    });
  });
});

describe('the abolished-demand tracker', () => {
  it('counts declines as abolished or provable by the booklet, nothing else', () => {
    expect(isAbolishedDemand('DECLINED_NO_LEGAL_BASIS')).toBe(true);
    expect(isAbolishedDemand('DECLINED_PROVABLE_BY_HUKOU')).toBe(true);
    expect(isAbolishedDemand('DECLINED_NOT_POLICE_INFORMATION')).toBe(false);
    expect(isAbolishedDemand('ISSUE_ON_THE_SPOT')).toBe(false);
    expect(isAbolishedDemand(undefined)).toBe(false);
  });

  it('counts by the Beijing month; the report names the bodies, most demands first', () => {
    expect(beijingMonth(Date.parse('2026-11-30T16:30:00Z'))).toBe('2026-12');
    expect(beijingMonth(Date.parse('2026-11-30T15:59:59Z'))).toBe('2026-11');
    expect(previousMonth('2027-01')).toBe('2026-12');
    expect(previousMonth('2026-11')).toBe('2026-10');
    const at = '2026-11-23T02:00:00.000Z';
    const report = abolishedDemandReport(defaultPolicy, '2026-11', [
      { body: 'HOUSING', kind: 'NOT_LISTED', declined: 1, upheldComplaints: 0, lastAt: at },
      { body: 'BANK', kind: 'IDENTITY', declined: 2, upheldComplaints: 1, lastAt: at },
      { body: 'OTHER', kind: 'IDENTITY', declined: 1, upheldComplaints: 0, lastAt: at },
    ]);
    expect(report.bodies.map((b) => [b.body, b.total])).toEqual([
      ['BANK', 3],
      ['HOUSING', 1],
      ['OTHER', 1],
    ]);
    expect(report.lines[0]).toMatchObject({ bodyName: { zh: '银行' }, total: 3 });
    expect(report.bodies.find((b) => b.body === 'OTHER')?.name.en).toMatch(/not published/);
  });
});
