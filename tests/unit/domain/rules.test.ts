import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { checkRules, type RuleContext } from '#shared/domain/rules.ts';
import { ASKED_BY_CODES, type Decision, type Outcome } from '#shared/domain/types.ts';
import {
  jilin2016Policy as defaultPolicy,
  jilin2021Policy,
  type Policy,
  parsePolicy,
  type RuleKey,
} from '#shared/policy/policy.ts';
import { demoRegistryPath, type InMemoryRegistry, loadRegistryFile } from '#shared/registry/registry.ts';
import { type IntakeRequest, intakeRequestSchema } from '#shared/schemas/intake.ts';
import { type RequestChoice, request } from '#tests/helpers/domain-requests.ts';

let registry: InMemoryRegistry;
beforeAll(async () => {
  registry = await loadRegistryFile(demoRegistryPath);
});

const acceptedAt = new Date('2026-11-27T10:00:00+08:00'); // a Friday
const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  policy: defaultPolicy,
  registry,
  acceptedAt,
  ...over,
});
const rule = (key: RuleKey, policy: Policy = defaultPolicy) => policy.rules[key].id;
const decide = (c: RequestChoice, over: Partial<RuleContext> = {}) =>
  checkRules(request(c, over.policy), ctx(over));
const allIdNumbers = Object.values(P).map((p) => p.idNumber);

describe('every catalogue kind through the rule check', () => {
  const cases: [string, RequestChoice, Outcome, RuleKey, string?][] = [
    // principle 1: provable by hukou booklet or ID card
    ['IDENTITY', { proof: 'IDENTITY' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['NAME', { proof: 'NAME' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['GENDER', { proof: 'GENDER' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['BIRTH_DATE', { proof: 'BIRTH_DATE' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['ETHNICITY', { proof: 'ETHNICITY' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['ADDRESS', { proof: 'ADDRESS' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    [
      'HOUSEHOLD_RELATION',
      { proof: 'HOUSEHOLD_RELATION' },
      'DECLINED_PROVABLE_BY_HUKOU',
      'PROVABLE_BY_HUKOU',
    ],
    ['ID_NUMBER', { proof: 'ID_NUMBER' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['NATIVE_PLACE', { proof: 'NATIVE_PLACE' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    // issue 10, missing kinds: the ID-provable former name and birthplace (MPS 2016, ID-provable matters)
    ['FORMER_NAME', { proof: 'FORMER_NAME' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    ['BIRTHPLACE', { proof: 'BIRTHPLACE' }, 'DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU'],
    // Jilin 2015: the named abolished examples; the fourth 一律 for kinds not in the catalogue
    ['MENTAL_ILLNESS', { proof: 'MENTAL_ILLNESS' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    ['LOST_MOBILE_PHONE', { proof: 'LOST_MOBILE_PHONE' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    ['POVERTY', { proof: 'POVERTY' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    [
      'NOT_LISTED',
      { proof: 'NOT_LISTED', askedByLevel: 'COUNTY' },
      'DECLINED_NO_LEGAL_BASIS',
      'UNLISTED_BELOW_PROVINCE',
    ],
    // Jilin 2015: place of hukou and death by exchange (the connected default NOTARY is set below)
    [
      'HUKOU_PLACE',
      { proof: 'HUKOU_PLACE', askedBy: 'COURT' },
      'ANSWERED_BY_EXCHANGE',
      'ANSWERED_BY_EXCHANGE',
    ],
    [
      'DEATH',
      { proof: 'DEATH', askedBy: 'CIVIL_AFFAIRS', subject: P.liXiuying, applicantPerson: P.wangJianguo },
      'ANSWERED_BY_EXCHANGE',
      'ANSWERED_BY_EXCHANGE',
    ],
    // MPS 2016: other cases required by law (the asking body cites the law) → investigation
    [
      'OTHER_BY_LAW',
      { proof: 'OTHER_BY_LAW', askedBy: 'COURT', legalBasis: '民事诉讼法第六十七条' },
      'INVESTIGATE',
      'OTHER_CASE_REQUIRED_BY_LAW',
    ],
    // principle 3: not police information, naming the holder
    [
      'MARITAL_STATUS',
      { proof: 'MARITAL_STATUS' },
      'DECLINED_NOT_POLICE_INFORMATION',
      'NOT_POLICE_INFORMATION',
      'CIVIL_AFFAIRS',
    ],
    [
      'EDUCATION',
      { proof: 'EDUCATION' },
      'DECLINED_NOT_POLICE_INFORMATION',
      'NOT_POLICE_INFORMATION',
      'EDUCATION',
    ],
    ['INCOME', { proof: 'INCOME' }, 'DECLINED_NOT_POLICE_INFORMATION', 'NOT_POLICE_INFORMATION', 'TAX'],
    [
      'PROPERTY',
      { proof: 'PROPERTY' },
      'DECLINED_NOT_POLICE_INFORMATION',
      'NOT_POLICE_INFORMATION',
      'REAL_ESTATE_REGISTRY',
    ],
    [
      'SOCIAL_INSURANCE',
      { proof: 'SOCIAL_INSURANCE' },
      'DECLINED_NOT_POLICE_INFORMATION',
      'NOT_POLICE_INFORMATION',
      'HUMAN_RESOURCES',
    ],
    [
      'BIRTH_MEDICAL',
      { proof: 'BIRTH_MEDICAL' },
      'DECLINED_NOT_POLICE_INFORMATION',
      'NOT_POLICE_INFORMATION',
      'HEALTH',
    ],
    // principle 2: no legal basis
    ['GOOD_CONDUCT', { proof: 'GOOD_CONDUCT' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    ['RESIDENCE_FOR_SCHOOL', { proof: 'RESIDENCE_FOR_SCHOOL' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    ['NO_DISPUTE', { proof: 'NO_DISPUTE' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    ['LIVING_ALONE', { proof: 'LIVING_ALONE' }, 'DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS'],
    // exchange only
    [
      'ALIVE',
      { proof: 'ALIVE', subject: P.wangJianguo, askedBy: 'HUMAN_RESOURCES' },
      'ANSWERED_BY_EXCHANGE',
      'ANSWERED_BY_EXCHANGE',
    ],
    // the nine issuable kinds, registry sufficient
    [
      'NAME_CHANGE',
      { proof: 'NAME_CHANGE', subject: P.chenSiyuan },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
      'POLICE',
    ],
    [
      'GENDER_CHANGE',
      { proof: 'GENDER_CHANGE', subject: P.linXiao },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
      'POLICE',
    ],
    [
      'HUKOU_CANCELLATION',
      { proof: 'HUKOU_CANCELLATION', subject: P.zhouJie },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
    [
      'KINSHIP',
      { proof: 'KINSHIP', subject: P.wangLei, related: { ...P.wangFang, relation: 'SISTER' } },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
    [
      'CRIMINAL_RECORD',
      { proof: 'CRIMINAL_RECORD', subject: P.zhangWei },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
    [
      'UNNATURAL_DEATH',
      {
        proof: 'UNNATURAL_DEATH',
        subject: P.sunQiang,
        applicantPerson: P.zhouJie,
        event: { date: '2026-08-10' },
      },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
    [
      'ABANDONED_INFANT',
      { proof: 'ABANDONED_INFANT', subject: P.jiAnan, applicant: 'UNIT', event: { date: '2025-03-02' } },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
    [
      'TRAFFICKED_CHILD',
      { proof: 'TRAFFICKED_CHILD', subject: P.maXiaojun, applicant: 'UNIT', event: { date: '2026-10-20' } },
      'INVESTIGATE',
      'INVESTIGATE',
    ],
    [
      'TEMPORARY_IDENTITY',
      { proof: 'TEMPORARY_IDENTITY', subject: P.linXiao },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
  ];

  it('covers every kind of the default catalogue', () => {
    expect(cases.map((c) => c[0]).sort()).toEqual(defaultPolicy.kinds.map((k) => k.code).sort());
  });

  it.each(cases)('%s → %s', (_code, choice, outcome, key, heldBy) => {
    const d = decide(choice);
    expect(d.outcome).toBe(outcome);
    expect(d.ruleId).toBe(rule(key));
    expect(d.policyVersion).toBe('jilin-2016');
    expect(d.proof).toBe(choice.proof);
    if (heldBy) expect(d.heldBy).toBe(heldBy);
    for (const text of [d.reason, d.guidance, d.basis]) {
      expect(text.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(text.en).toMatch(/[a-z]/);
      expect(`${text.zh}${text.en}`).not.toMatch(/\{\w+\}/); // every placeholder filled
    }
    expect(d.station).toMatch(/^(CC-YHL|CC-GLL|JL-DSL)$/);
  });
});

describe("Ms Huang's case (DOMAIN.md worked example)", () => {
  const huang: RequestChoice = {
    proof: 'KINSHIP',
    subject: P.huangXiaoyu,
    related: { ...P.huangLi, relation: 'MOTHER' },
    askedBy: 'NOTARY',
    purpose: 'STUDY_ABROAD',
    applicantPerson: P.huangLi,
  };

  it('declines: the hukou booklet shows mother and daughter, and the notary may verify by exchange', () => {
    const d = decide(huang);
    expect(d).toMatchObject({
      outcome: 'DECLINED_PROVABLE_BY_HUKOU',
      ruleId: rule('BOOKLET_SHOWS_RELATION_TO_HEAD'),
      policyVersion: 'jilin-2016',
      station: 'CC-YHL',
    });
    expect(d.reason.zh).toContain('同一户口簿');
    expect(d.guidance.zh).toContain('公证机构');
    expect(d.guidance.en).toContain('the notary office');
    expect(d.basis.zh).toContain('公通字〔2016〕21号');
    expect(d.exchange).toBeUndefined();
    expect(d.investigation).toBeUndefined();
  });

  it('rule 4 comes before exchange (the notary is connected) and holds either way round', () => {
    expect(
      decide({ ...huang, subject: P.huangLi, related: { ...P.huangXiaoyu, relation: 'DAUGHTER' } }).ruleId,
    ).toBe(rule('BOOKLET_SHOWS_RELATION_TO_HEAD'));
    expect(decide({ ...huang, askedBy: 'BANK' }).ruleId).toBe(rule('BOOKLET_SHOWS_RELATION_TO_HEAD'));
  });
});

describe('rule 5: information exchange', () => {
  const kinship = (askedBy: string): RequestChoice => ({
    proof: 'KINSHIP',
    subject: P.wangFang,
    related: { ...P.wangJianguo, relation: 'FATHER' },
    askedBy,
    ...(askedBy === 'OTHER' ? { askedByName: '某单位' } : {}),
  });
  const connected = ['NOTARY', 'COURT', 'PROCURATORATE', 'EDUCATION', 'CIVIL_AFFAIRS', 'HUMAN_RESOURCES'];
  const unconnected = ASKED_BY_CODES.filter((c) => !connected.includes(c));

  it.each(connected)('%s (connected) gets the answer by exchange, the citizen no certificate', (askedBy) => {
    const d = decide(kinship(askedBy));
    expect(d.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(d.ruleId).toBe(rule('ANSWERED_BY_EXCHANGE'));
    expect(d.exchange).toMatchObject({
      department: askedBy,
      question: 'KINSHIP',
      source: 'population-registry',
      answer: { related: true, via: ['PARENT_CHILD'], sameHousehold: false },
    });
  });

  it.each(unconnected)('%s (not connected) gets no exchange: the station issues on the spot', (askedBy) => {
    const d = decide(kinship(askedBy));
    expect(d.outcome).toBe('ISSUE_ON_THE_SPOT');
    expect(d.exchange).toBeUndefined();
    expect(d.facts).toMatchObject({ relation: 'FATHER', via: ['PARENT_CHILD'] });
  });

  it('a connected body gets no exchange when the registry does not hold the fact (investigation instead)', () => {
    // 王建国 is male: the registry cannot hold "he is her MOTHER".
    const d = decide({ ...kinship('NOTARY'), related: { ...P.wangJianguo, relation: 'MOTHER' } });
    expect(d.outcome).toBe('INVESTIGATE');
    // reversed direction: she is not his parent
    expect(decide({ ...kinship('NOTARY'), related: { ...P.wangJianguo, relation: 'SON' } }).outcome).toBe(
      'INVESTIGATE',
    );
  });

  it('answers never carry a full ID number', () => {
    const d = decide(kinship('NOTARY'));
    const text = JSON.stringify(d);
    for (const id of allIdNumbers) expect(text).not.toContain(id);
    expect(d.exchange?.answer.subject).toMatch(/^220104\*{8}\d{3}[\dX]$/);
  });

  it('ALIVE (exchange-only) asked by a connected body is answered from the registry', () => {
    const alive = decide({
      proof: 'ALIVE',
      subject: P.wangJianguo,
      askedBy: 'HUMAN_RESOURCES',
      purpose: 'PENSION',
    });
    expect(alive.exchange?.answer).toMatchObject({ onRecord: true, deathRegistered: false });
    const dead = decide({
      proof: 'ALIVE',
      subject: P.liXiuying,
      askedBy: 'HUMAN_RESOURCES',
      purpose: 'PENSION',
    });
    expect(dead.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(dead.exchange?.answer).toMatchObject({ deathRegistered: true, deathRegisteredOn: '2025-12-03' });
    const emigrated = decide({ proof: 'ALIVE', subject: P.zhouJie, askedBy: 'CIVIL_AFFAIRS' });
    expect(emigrated.exchange?.answer).toMatchObject({
      deathRegistered: false,
      hukouCancelled: 'EMIGRATION',
    });
    const unknown = decide({ proof: 'ALIVE', subject: P.zhaoLei, askedBy: 'COURT' });
    expect(unknown.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(unknown.exchange?.answer).toMatchObject({ onRecord: false, deathRegistered: false });
  });

  it('ALIVE for a name the registry does not know under that ID number is answered as such', () => {
    const d = decide({
      proof: 'ALIVE',
      subject: { ...P.wangJianguo, name: '王建军' },
      askedBy: 'HUMAN_RESOURCES',
    });
    expect(d.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(d.exchange?.answer).toMatchObject({ onRecord: true, nameMatches: false });
  });

  it.each(unconnected)(
    'ALIVE asked by %s (not connected) is declined under rule 3, no legal basis',
    (askedBy) => {
      const d = decide({
        proof: 'ALIVE',
        subject: P.wangJianguo,
        askedBy,
        ...(askedBy === 'OTHER' ? { askedByName: 'X' } : {}),
      });
      expect(d.outcome).toBe('DECLINED_NO_LEGAL_BASIS');
      expect(d.ruleId).toBe(rule('EXCHANGE_ONLY_NOT_CONNECTED'));
      expect(d.exchange).toBeUndefined();
    },
  );

  it('the three principles come before exchange: IDENTITY asked by a connected notary is still declined', () => {
    expect(decide({ proof: 'IDENTITY', askedBy: 'NOTARY' }).outcome).toBe('DECLINED_PROVABLE_BY_HUKOU');
    expect(decide({ proof: 'MARITAL_STATUS', askedBy: 'CIVIL_AFFAIRS' }).outcome).toBe(
      'DECLINED_NOT_POLICE_INFORMATION',
    );
  });

  it('name history, hukou status and (for courts) criminal records are exchanged; gender changes are not', () => {
    expect(
      decide({ proof: 'NAME_CHANGE', subject: P.chenSiyuan, askedBy: 'COURT' }).exchange?.answer,
    ).toMatchObject({
      currentName: '陈思远',
      changes: [{ from: '陈狗蛋', to: '陈思远', changedOn: '2008-03-15' }],
    });
    expect(
      decide({ proof: 'HUKOU_CANCELLATION', subject: P.liXiuying, askedBy: 'COURT' }).exchange?.answer,
    ).toMatchObject({
      status: 'CANCELLED',
      reason: 'DEATH',
    });
    expect(decide({ proof: 'GENDER_CHANGE', subject: P.linXiao, askedBy: 'COURT' }).outcome).toBe(
      'ISSUE_ON_THE_SPOT',
    );
    // Issue 10 (Siping report: courts get criminal-record checks by exchange); was ISSUE_ON_THE_SPOT.
    const court = decide({ proof: 'CRIMINAL_RECORD', subject: P.zhangWei, askedBy: 'COURT' });
    expect(court.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(court.exchange?.answer).toMatchObject({ hasRecord: false });
    // Only courts (exchangeFor): a connected notary does not get criminal records by exchange.
    expect(decide({ proof: 'CRIMINAL_RECORD', subject: P.zhangWei, askedBy: 'NOTARY' }).outcome).toBe(
      'ISSUE_ON_THE_SPOT',
    );
  });
});

describe('rule 6: applicant rules for criminal-record checks', () => {
  const cr = (
    purpose: string,
    applicant: 'SELF' | 'AGENT' | 'UNIT',
    applicantPerson = P.zhangWei,
  ): RequestChoice => ({
    proof: 'CRIMINAL_RECORD',
    subject: P.zhangWei,
    purpose,
    applicant,
    applicantPerson,
    askedBy: 'EMPLOYER',
  });
  it.each([
    ['EMPLOYMENT', 'SELF', false],
    ['EMPLOYMENT', 'AGENT', false],
    ['EMPLOYMENT', 'UNIT', true],
    ['SCHOOL_ADMISSION', 'SELF', false],
    ['SCHOOL_ADMISSION', 'UNIT', true],
    ['GO_ABROAD', 'SELF', true],
    ['GO_ABROAD', 'AGENT', true],
    ['GO_ABROAD', 'UNIT', false],
    ['STUDY_ABROAD', 'SELF', true],
    ['STUDY_ABROAD', 'UNIT', false],
    ['OTHER', 'SELF', true],
    ['OTHER', 'UNIT', true],
  ] as const)('purpose %s, applicant %s → entitled: %s', (purpose, applicant, entitled) => {
    const d = decide(cr(purpose, applicant));
    if (entitled) {
      expect(d.outcome).toBe('ISSUE_ON_THE_SPOT');
      expect(d.facts).toMatchObject({ hasRecord: false });
    } else {
      expect(d.outcome).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
      expect(d.ruleId).toBe(rule('APPLICANT_NOT_ENTITLED'));
    }
  });

  it('cites the clause and says who applies instead', () => {
    const d = decide(cr('EMPLOYMENT', 'SELF'));
    expect(d.reason.zh).toContain('持介绍信的单位');
    expect(d.reason.en).toContain('the unit with a letter of introduction');
    expect(d.basis.zh).toContain('介绍信');
    expect(d.guidance.zh).toContain(d.basis.zh);
    expect(d.guidance.zh).toMatch(/^请由持介绍信的单位提出申请/);
    expect(d.guidance.en).toContain('Please have the unit with a letter of introduction apply');
  });

  it('a SELF applicant must be the subject', () => {
    const d = decide(cr('GO_ABROAD', 'SELF', P.wangFang));
    expect(d.outcome).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
    expect(d.reason.zh).toContain('证明对象本人');
    expect(decide(cr('GO_ABROAD', 'AGENT', P.wangFang)).outcome).toBe('ISSUE_ON_THE_SPOT');
  });

  it('kinship: the subject or the related person may apply as SELF, a third person only as agent', () => {
    const base: RequestChoice = {
      proof: 'KINSHIP',
      subject: P.wangLei,
      related: { ...P.wangFang, relation: 'SISTER' },
    };
    expect(decide({ ...base, applicantPerson: P.wangFang }).outcome).toBe('ISSUE_ON_THE_SPOT');
    expect(decide({ ...base, applicantPerson: P.zhangWei }).outcome).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
    expect(decide({ ...base, applicant: 'AGENT', applicantPerson: P.zhangWei }).outcome).toBe(
      'ISSUE_ON_THE_SPOT',
    );
  });

  it('temporary identity is for the person only', () => {
    expect(
      decide({
        proof: 'TEMPORARY_IDENTITY',
        subject: P.linXiao,
        applicant: 'AGENT',
        applicantPerson: P.huangLi,
      }).outcome,
    ).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
  });

  it('the applicant check (rule 4) comes before the exchange answer (rule 6): issue 10', () => {
    // Was ANSWERED_BY_EXCHANGE: an unrelated applicant made the registry disclose a kinship to a court.
    const d = decide({
      proof: 'KINSHIP',
      subject: P.wangFang,
      related: { ...P.wangJianguo, relation: 'FATHER' },
      askedBy: 'COURT',
      applicantPerson: P.zhangWei,
    });
    expect(d.outcome).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
    expect(d.exchange).toBeUndefined();
  });
});

describe('rule 7 and 8: on the spot, or investigate', () => {
  it('a former name is accepted as the subject name; a name the registry never had is investigated', () => {
    expect(decide({ proof: 'NAME_CHANGE', subject: { ...P.chenSiyuan, name: '陈狗蛋' } }).outcome).toBe(
      'ISSUE_ON_THE_SPOT',
    );
    expect(decide({ proof: 'TEMPORARY_IDENTITY', subject: { ...P.linXiao, name: '林小小' } }).outcome).toBe(
      'INVESTIGATE',
    );
  });

  it.each([
    ['no name change on record', { proof: 'NAME_CHANGE', subject: P.zhangWei }, 'CC-YHL'],
    ['no gender change on record', { proof: 'GENDER_CHANGE', subject: P.zhangWei }, 'CC-YHL'],
    ['hukou not cancelled', { proof: 'HUKOU_CANCELLATION', subject: P.wangJianguo }, 'CC-GLL'],
    ['no criminal-record entry', { proof: 'CRIMINAL_RECORD', subject: P.wangFang }, 'CC-YHL'],
    [
      'a cancelled hukou gets no temporary identity',
      { proof: 'TEMPORARY_IDENTITY', subject: P.zhouJie },
      'JL-DSL',
    ],
    [
      'incident not concluded: at the incident station, not the hukou station',
      {
        proof: 'UNNATURAL_DEATH',
        subject: P.qianWeidong,
        event: { date: '2026-11-02' },
        applicantPerson: P.huangLi,
      },
      'CC-YHL',
    ],
    [
      'incident on another date than the event',
      {
        proof: 'UNNATURAL_DEATH',
        subject: P.sunQiang,
        event: { date: '2026-08-11' },
        applicantPerson: P.zhouJie,
      },
      'JL-DSL',
    ],
    [
      'no incident at all: hukou station',
      { proof: 'ABANDONED_INFANT', subject: P.huangXiaoyu, event: { date: '2026-01-01' } },
      'CC-YHL',
    ],
    [
      'people not on record: the registry fallback station',
      {
        proof: 'KINSHIP',
        subject: P.zhaoLei,
        related: { ...P.zhaoMin, relation: 'SISTER' },
        applicantPerson: P.zhaoMin,
      },
      'CC-YHL',
    ],
  ] as [string, RequestChoice, string][])('%s → INVESTIGATE at %s', (_t, choice, station) => {
    const d = decide(choice);
    expect(d.outcome).toBe('INVESTIGATE');
    expect(d.ruleId).toBe(rule('INVESTIGATE'));
    expect(d.station).toBe(station);
  });

  it('a person not on record gets the related person’s, then the applicant’s household station', () => {
    const withRelated = decide({
      proof: 'KINSHIP',
      subject: P.zhaoLei,
      related: { ...P.wangLei, relation: 'BROTHER' },
      applicant: 'AGENT',
      applicantPerson: P.huangLi,
    });
    expect(withRelated.station).toBe('JL-DSL');
    const withApplicant = decide({
      proof: 'TEMPORARY_IDENTITY',
      subject: P.zhaoLei,
      applicantPerson: P.zhaoLei,
    });
    expect(withApplicant.station).toBe('CC-YHL');
    const crByAgent = decide({
      proof: 'CRIMINAL_RECORD',
      subject: P.zhaoLei,
      applicant: 'AGENT',
      applicantPerson: P.liuYang,
    });
    expect(crByAgent.station).toBe('JL-DSL');
  });

  it('the investigation deadline is 5 working days, warned 1 working day before, escalating every 2', () => {
    const d = decide(
      { proof: 'CRIMINAL_RECORD', subject: P.wangFang },
      { acceptedAt: new Date('2026-09-30T10:00:00+08:00') },
    );
    expect(d.investigation).toEqual({
      acceptedAt: '2026-09-30T02:00:00.000Z',
      deadline: '2026-10-13T15:59:59.999Z',
      warnAt: '2026-10-12T15:59:59.999Z',
      workingDays: 5,
      escalationIntervalWorkingDays: 2,
      provisional: false,
    });
    expect(d.guidance.zh).toContain('2026-10-13');
    expect(d.guidance.en).toContain('2026-10-13');
    expect(d.guidance.zh).toContain('义和路派出所');
  });

  it('a deadline beyond the calendar’s data is provisional, and says so; supplied holiday data fixes it', () => {
    const late = new Date('2026-12-28T10:00:00+08:00');
    const d = decide({ proof: 'CRIMINAL_RECORD', subject: P.wangFang }, { acceptedAt: late });
    // Issue 10: was 2027-01-04 (counting 1 January); the 2024 holiday law makes 1 January a day off.
    expect(d.investigation).toMatchObject({ deadline: '2027-01-05T15:59:59.999Z', provisional: true });
    expect(d.guidance.zh).toContain('暂定');
    const calendar = new WorkingDayCalendar([
      { years: [2027], holidays: { '2027-01-01': '元旦' }, workdays: {} },
    ]);
    const fixed = decide({ proof: 'CRIMINAL_RECORD', subject: P.wangFang }, { acceptedAt: late, calendar });
    expect(fixed.investigation).toMatchObject({ deadline: '2027-01-05T15:59:59.999Z', provisional: false });
  });

  it('facts of an on-the-spot certificate carry masked ID numbers only', () => {
    const d = decide({
      proof: 'HUKOU_CANCELLATION',
      subject: P.liXiuying,
      applicantPerson: P.wangJianguo,
      applicant: 'AGENT',
    });
    expect(d.facts).toMatchObject({ subjectName: '李秀英', reason: 'DEATH', cancelledOn: '2025-12-03' });
    for (const id of allIdNumbers) expect(JSON.stringify(d)).not.toContain(id);
  });
});

describe('the demo scenarios (DEMO.md) decide as documented', () => {
  it.each(demoScenarios.map((s) => [s.id, s] as const))('%s', (_id, s) => {
    const parsed = intakeRequestSchema().safeParse(s.body);
    expect(parsed.success).toBe(true);
    // Decided under the version in force on the acceptance day (jilin-2021 in 2026).
    const d = checkRules(parsed.data as IntakeRequest, ctx({ policy: jilin2021Policy }));
    expect(d.outcome).toBe(s.expected.outcome);
    expect(d.ruleId).toBe(rule(s.expected.rule, jilin2021Policy));
    if (s.expected.station) expect(d.station).toBe(s.expected.station);
  });

  it('exercise every outcome', () => {
    const outcomes = new Set(demoScenarios.map((s) => s.expected.outcome));
    expect([...outcomes].sort()).toEqual(
      [
        'DECLINED_PROVABLE_BY_HUKOU',
        'DECLINED_NO_LEGAL_BASIS',
        'DECLINED_NOT_POLICE_INFORMATION',
        'DECLINED_APPLICANT_NOT_ENTITLED',
        'ANSWERED_BY_EXCHANGE',
        'COMMITMENT_ACCEPTED',
        'ISSUE_ON_THE_SPOT',
        'INVESTIGATE',
      ].sort(),
    );
  });
});

describe('another policy changes decisions without code changes', () => {
  const alt = parsePolicy(
    JSON.parse(readFileSync(new URL('./fixtures/alt-policy.json', import.meta.url), 'utf8')),
  );
  const kinship = (askedBy: string): RequestChoice => ({
    proof: 'KINSHIP',
    subject: P.wangFang,
    related: { ...P.wangJianguo, relation: 'FATHER' },
    askedBy,
  });

  it('uses its own connected bodies, rule ids and deadline', () => {
    expect(decide(kinship('NOTARY'), { policy: alt })).toMatchObject({
      outcome: 'ISSUE_ON_THE_SPOT',
      ruleId: 'testland-2030/I1',
      policyVersion: 'testland-2030',
    });
    expect(decide(kinship('BANK'), { policy: alt }).outcome).toBe('ANSWERED_BY_EXCHANGE');
    const inv = decide(
      { proof: 'RESIDENCE', subject: P.zhaoLei },
      { policy: alt, acceptedAt: new Date('2026-09-30T10:00:00+08:00') },
    );
    expect(inv.outcome).toBe('INVESTIGATE');
    expect(inv.investigation).toMatchObject({
      workingDays: 3,
      deadline: '2026-10-10T15:59:59.999Z' /* 8, 9, make-up Sat 10 */,
      escalationIntervalWorkingDays: 1,
    });
    expect(decide({ proof: 'RESIDENCE', subject: P.huangLi }, { policy: alt }).outcome).toBe(
      'ISSUE_ON_THE_SPOT',
    );
    expect(decide({ proof: 'MARRIAGE' }, { policy: alt })).toMatchObject({
      outcome: 'DECLINED_NOT_POLICE_INFORMATION',
      ruleId: 'testland-2030/P3',
      heldBy: 'CIVIL_AFFAIRS',
    });
  });

  it("keeps DOMAIN.md's order: Ms Huang's case is still rule 4", () => {
    const d = decide(
      {
        proof: 'KINSHIP',
        subject: P.huangXiaoyu,
        related: { ...P.huangLi, relation: 'MOTHER' },
        askedBy: 'BANK',
      },
      { policy: alt },
    );
    expect(d.ruleId).toBe('testland-2030/K1');
  });

  it('a kind outside the catalogue has no legal basis (the rule check is total)', () => {
    const req = request({ proof: 'MARITAL_STATUS' });
    const d = checkRules(req, ctx({ policy: alt }));
    expect(d).toMatchObject({ outcome: 'DECLINED_NO_LEGAL_BASIS', ruleId: 'testland-2030/Z0' });
  });
});

describe('the rule check is pure and total', () => {
  const people = Object.values(P);
  const arbitraryRequest = fc
    .record({
      proof: fc.constantFrom(...defaultPolicy.kinds.map((k) => k.code)),
      subject: fc.constantFrom(...people),
      related: fc.constantFrom(...people),
      relation: fc.constantFrom(
        'FATHER',
        'MOTHER',
        'SON',
        'DAUGHTER',
        'SPOUSE',
        'BROTHER',
        'SISTER',
        'GRANDPARENT',
        'GRANDCHILD',
        'OTHER',
      ),
      askedBy: fc.constantFrom(...ASKED_BY_CODES),
      purpose: fc.constantFrom(
        'EMPLOYMENT',
        'GO_ABROAD',
        'STUDY_ABROAD',
        'SCHOOL_ADMISSION',
        'PENSION',
        'OTHER',
      ),
      applicant: fc.constantFrom('SELF', 'AGENT', 'UNIT'),
      applicantPerson: fc.constantFrom(...people),
      date: fc.constantFrom('2026-08-10', '2026-11-02', '2025-03-02', '2026-10-20', '2026-01-01'),
      acceptedAt: fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) }),
    })
    .filter((r) => r.subject.idNumber !== r.related.idNumber)
    .map((r) => {
      const kind = defaultPolicy.kinds.find((k) => k.code === r.proof)!;
      const choice: RequestChoice = {
        proof: r.proof,
        subject: r.subject,
        askedBy: r.askedBy,
        ...(r.askedBy === 'OTHER' ? { askedByName: '某单位' } : {}),
        purpose: r.purpose,
        applicant: r.applicant as 'SELF' | 'AGENT' | 'UNIT',
        applicantPerson: r.applicantPerson,
        ...(kind.needs.relatedPerson ? { related: { ...r.related, relation: r.relation } } : {}),
        ...(kind.needs.event ? { event: { date: r.date } } : {}),
        ...(kind.needs.askedByLevel ? { askedByLevel: 'CITY' } : {}),
        ...(kind.needs.legalBasis ? { legalBasis: '某法第一条' } : {}),
      };
      return { req: request(choice), acceptedAt: new Date(r.acceptedAt) };
    });

  const ruleIds = new Set(Object.values(defaultPolicy.rules).map((r) => r.id));
  const outcomeFor: Record<string, Outcome[]> = {
    PROVABLE_BY_HUKOU: ['DECLINED_PROVABLE_BY_HUKOU'],
    NOT_POLICE_INFORMATION: ['DECLINED_NOT_POLICE_INFORMATION'],
    NO_LEGAL_BASIS: ['DECLINED_NO_LEGAL_BASIS'],
    EXCHANGE: ['ANSWERED_BY_EXCHANGE', 'DECLINED_NO_LEGAL_BASIS', 'DECLINED_APPLICANT_NOT_ENTITLED'],
    UNLISTED: ['DECLINED_NO_LEGAL_BASIS'],
    ISSUABLE: [
      'DECLINED_PROVABLE_BY_HUKOU',
      'ANSWERED_BY_EXCHANGE',
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'ISSUE_ON_THE_SPOT',
      'INVESTIGATE',
    ],
  };

  it('never throws, always cites a policy rule, keeps outcomes within the treatment, leaks no ID number', () => {
    fc.assert(
      fc.property(arbitraryRequest, ({ req, acceptedAt }) => {
        const frozen = structuredClone(req);
        const d: Decision = checkRules(req, ctx({ acceptedAt }));
        expect(req).toEqual(frozen); // the request is not mutated
        expect(ruleIds.has(d.ruleId)).toBe(true);
        const treatment = defaultPolicy.kinds.find((k) => k.code === req.proof)!.treatment;
        expect(outcomeFor[treatment]).toContain(d.outcome);
        expect(d.investigation !== undefined).toBe(d.outcome === 'INVESTIGATE');
        expect(d.exchange !== undefined).toBe(d.outcome === 'ANSWERED_BY_EXCHANGE');
        if (d.outcome === 'ANSWERED_BY_EXCHANGE') expect(d.exchange?.department).toBe(req.askedBy);
        const text = JSON.stringify(d);
        for (const id of allIdNumbers) expect(text).not.toContain(id);
        // deterministic
        expect(checkRules(req, ctx({ acceptedAt }))).toEqual(d);
      }),
      { numRuns: 400 },
    );
  });
});
