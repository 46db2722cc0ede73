/**
 * Issue 10 — the rules as the sources say. One table row per fault, each citing the source line it follows:
 *   [DOMAIN]  ../shared/design/DOMAIN.md, "Decision order (the rule check) — revised 2026-11-30"
 *   [JL]      Jilin joint notice of 11 provincial bodies (signed October 2015, in force 2016-01-01) and its
 *             releases (seed report; press release 2015-10-21; Siping report)
 *   [MPS]     opinion 公通字〔2016〕21号 (in force 2016-09-01), as applied by Ningxia and Hunan
 *   [CR2021]  the 2021 criminal-record rules; [CN2020] 国办发〔2020〕42号 (告知承诺制)
 *   [LAW2024] 《全国年节及纪念日放假办法》 as revised in 2024
 * Every clock is pinned: decisions take `acceptedAt`, intake takes `now`.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { beijingDate } from '#shared/domain/beijing-day.ts';
import { defaultCalendar, statutoryHolidays, WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { buildIdNumber } from '#shared/domain/id-number.ts';
import { checkRules } from '#shared/domain/rules.ts';
import type { Decision, Outcome } from '#shared/domain/types.ts';
import { catalogueView } from '#shared/policy/catalogue.ts';
import {
  defaultPolicies,
  jilin2016Policy,
  jilin2021Policy,
  mayAskExchange,
  type Policy,
  policyInForce,
  type RuleKey,
} from '#shared/policy/policy.ts';
import { catalogueTexts, decisionTexts } from '#shared/policy/texts.ts';
import {
  demoRegistryPath,
  type InMemoryRegistry,
  loadRegistryFile,
  parseRegistry,
  type RegistryError,
} from '#shared/registry/registry.ts';
import { makeIntakeRequestSchema } from '#shared/schemas/intake.ts';
import { type RequestChoice, request, requestBody } from '#tests/helpers/domain-requests.ts';

let registry: InMemoryRegistry;
beforeAll(async () => {
  registry = await loadRegistryFile(demoRegistryPath);
});

const in2016 = new Date('2020-06-10T10:00:00+08:00'); // jilin-2016 in force
const in2021 = new Date('2026-11-27T10:00:00+08:00'); // jilin-2021 in force
const decide = (c: RequestChoice, policy: Policy = jilin2016Policy, acceptedAt = in2016): Decision =>
  checkRules(request(c, policy), { policy, registry, acceptedAt });
const id = (key: RuleKey, policy: Policy = jilin2016Policy) => policy.rules[key]?.id;

type Row = [source: string, choice: RequestChoice, outcome: Outcome, rule: RuleKey, station?: string];

describe('faults of issue 10, each against its source (jilin-2016, corrected)', () => {
  const rows: Row[] = [
    // Exchange before entitlement.
    [
      '[DOMAIN] rule 4 before rule 6: an unrelated applicant, kinship, connected notary',
      {
        proof: 'KINSHIP',
        subject: P.wangFang,
        related: { ...P.wangJianguo, relation: 'FATHER' },
        askedBy: 'NOTARY',
        applicantPerson: P.zhaoLei,
      },
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'APPLICANT_NOT_ENTITLED',
    ],
    [
      '[DOMAIN] rule 4: the same with a bank gives the same outcome',
      {
        proof: 'KINSHIP',
        subject: P.wangFang,
        related: { ...P.wangJianguo, relation: 'FATHER' },
        askedBy: 'BANK',
        applicantPerson: P.zhaoLei,
      },
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'APPLICANT_NOT_ENTITLED',
    ],
    [
      '[DOMAIN] rule 4: an unrelated applicant, name history, connected court',
      { proof: 'NAME_CHANGE', subject: P.chenSiyuan, askedBy: 'COURT', applicantPerson: P.zhaoLei },
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'APPLICANT_NOT_ENTITLED',
    ],
    [
      '[DOMAIN] rule 4: a stranger asks whether someone is alive, connected pension office',
      { proof: 'ALIVE', subject: P.wangJianguo, askedBy: 'HUMAN_RESOURCES', applicantPerson: P.zhaoLei },
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'APPLICANT_NOT_ENTITLED',
    ],
    // One household is not "the booklet proves it".
    [
      '[MPS] booklet shows the relation to the head: head mother, member daughter (Ms Huang)',
      {
        proof: 'KINSHIP',
        subject: P.huangXiaoyu,
        related: { ...P.huangLi, relation: 'MOTHER' },
        applicantPerson: P.huangLi,
      },
      'DECLINED_PROVABLE_BY_HUKOU',
      'BOOKLET_SHOWS_RELATION_TO_HEAD',
      'CC-YHL',
    ],
    [
      '[MPS] the same from the head’s side: the daughter is the head’s DAUGHTER',
      {
        proof: 'KINSHIP',
        subject: P.huangLi,
        related: { ...P.huangXiaoyu, relation: 'DAUGHTER' },
      },
      'DECLINED_PROVABLE_BY_HUKOU',
      'BOOKLET_SHOWS_RELATION_TO_HEAD',
    ],
    [
      '[MPS] one household but a relation the booklet does not record (SISTER): goes on',
      {
        proof: 'KINSHIP',
        subject: P.huangXiaoyu,
        related: { ...P.huangLi, relation: 'SISTER' },
        applicantPerson: P.huangLi,
      },
      'INVESTIGATE',
      'INVESTIGATE',
    ],
    [
      '[MPS] head and a member registered as OTHER, FATHER claimed: not shown, investigated',
      {
        proof: 'KINSHIP',
        subject: P.zhouJie,
        related: { ...P.sunQiang, relation: 'FATHER' },
      },
      'INVESTIGATE',
      'INVESTIGATE',
      'JL-DSL',
    ],
    [
      '[DOMAIN] rule 5: two children of the head are not "shown"; the registry link proves it',
      {
        proof: 'KINSHIP',
        subject: P.zhangXiaoming,
        related: { ...P.zhangXiaohong, relation: 'SISTER' },
      },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
      'CC-YHL',
    ],
    // No "the booklet shows it" branch for item changes and cancellations.
    [
      '[MPS] an item change on the booklet’s change page is not certified',
      { proof: 'NAME_CHANGE', subject: P.xuMing },
      'DECLINED_PROVABLE_BY_HUKOU',
      'BOOKLET_SHOWS_CHANGE',
      'CC-GLL',
    ],
    [
      '[MPS] a change the booklet does not show is issued from the change log',
      { proof: 'NAME_CHANGE', subject: P.chenSiyuan },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
    ],
    // Temporary identity: where the person is; marriage registration: the hukou station.
    [
      '[MPS] temporary identity for a hotel: the station where the person is (管辖地)',
      { proof: 'TEMPORARY_IDENTITY', subject: P.wangLei, purpose: 'HOTEL' },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
      'CC-GLL',
    ],
    [
      '[MPS] temporary identity for marriage registration: the hukou station',
      { proof: 'TEMPORARY_IDENTITY', subject: P.wangLei, purpose: 'MARRIAGE_REGISTRATION' },
      'ISSUE_ON_THE_SPOT',
      'ISSUE_ON_THE_SPOT',
      'JL-DSL',
    ],
    // Missing kinds and classes.
    [
      '[MPS] other cases required by law: the asking body cites the law; investigation',
      { proof: 'OTHER_BY_LAW', askedBy: 'COURT', legalBasis: '民事诉讼法第六十七条' },
      'INVESTIGATE',
      'OTHER_CASE_REQUIRED_BY_LAW',
    ],
    [
      '[MPS] the ID-provable former name',
      { proof: 'FORMER_NAME' },
      'DECLINED_PROVABLE_BY_HUKOU',
      'PROVABLE_BY_HUKOU',
    ],
    [
      '[MPS] the ID-provable birthplace',
      { proof: 'BIRTHPLACE' },
      'DECLINED_PROVABLE_BY_HUKOU',
      'PROVABLE_BY_HUKOU',
    ],
    [
      '[JL] place of hukou by exchange (named example)',
      { proof: 'HUKOU_PLACE', subject: P.wangLei, askedBy: 'COURT' },
      'ANSWERED_BY_EXCHANGE',
      'ANSWERED_BY_EXCHANGE',
    ],
    [
      '[JL] death by exchange (named example), asked for by a relative',
      { proof: 'DEATH', subject: P.liXiuying, askedBy: 'CIVIL_AFFAIRS', applicantPerson: P.wangJianguo },
      'ANSWERED_BY_EXCHANGE',
      'ANSWERED_BY_EXCHANGE',
    ],
    [
      '[JL] an exchange-only kind asked by a body that is not connected: rule 3',
      { proof: 'HUKOU_PLACE', subject: P.wangLei, askedBy: 'BANK' },
      'DECLINED_NO_LEGAL_BASIS',
      'EXCHANGE_ONLY_NOT_CONNECTED',
    ],
    [
      '[JL] courts get criminal-record checks by exchange (Siping report)',
      { proof: 'CRIMINAL_RECORD', subject: P.zhangWei, askedBy: 'COURT' },
      'ANSWERED_BY_EXCHANGE',
      'ANSWERED_BY_EXCHANGE',
    ],
    [
      '[JL] mental illness: named among the 19 abolished',
      { proof: 'MENTAL_ILLNESS' },
      'DECLINED_NO_LEGAL_BASIS',
      'NO_LEGAL_BASIS',
    ],
    // The fourth rule: not in the catalogue, below provincial level.
    [
      '[JL] fourth 一律: a county body demands a certificate not in the catalogue',
      { proof: 'NOT_LISTED', askedBy: 'HOUSING', askedByLevel: 'COUNTY' },
      'DECLINED_NO_LEGAL_BASIS',
      'UNLISTED_BELOW_PROVINCE',
    ],
    [
      '[JL] fourth 一律: a city body',
      { proof: 'NOT_LISTED', askedBy: 'EDUCATION', askedByLevel: 'CITY' },
      'DECLINED_NO_LEGAL_BASIS',
      'UNLISTED_BELOW_PROVINCE',
    ],
    [
      '[JL] principle 2: a provincial body citing no law',
      { proof: 'NOT_LISTED', askedBy: 'HOUSING', askedByLevel: 'PROVINCIAL' },
      'DECLINED_NO_LEGAL_BASIS',
      'UNLISTED_NO_LAW_CITED',
    ],
  ];

  it.each(rows)('%s', (_source, choice, outcome, key, station) => {
    const d = decide(choice);
    expect(d.outcome).toBe(outcome);
    expect(d.ruleId).toBe(id(key));
    expect(d.policyVersion).toBe('jilin-2016');
    if (station) expect(d.station).toBe(station);
    if (!['ANSWERED_BY_EXCHANGE'].includes(outcome)) expect(d.exchange).toBeUndefined();
  });

  it('[JL] criminal records by ad-hoc exchange only for courts; other questions for any connected body', () => {
    expect(mayAskExchange(jilin2016Policy, 'COURT', 'CRIMINAL_RECORD')).toBe(true);
    expect(mayAskExchange(jilin2016Policy, 'NOTARY', 'CRIMINAL_RECORD')).toBe(false);
    expect(mayAskExchange(jilin2016Policy, 'NOTARY', 'KINSHIP')).toBe(true);
    expect(mayAskExchange(jilin2016Policy, 'NOTARY', 'HOUSEHOLD_RELATION')).toBe(true);
  });

  it('[MPS] a temporary identity states its purpose; no validity period that no source gives', () => {
    const d = decide({ proof: 'TEMPORARY_IDENTITY', subject: P.huangLi, purpose: 'TRAVEL' });
    expect(d.facts).toMatchObject({ purpose: 'TRAVEL' });
    expect(d.facts).not.toHaveProperty('validityDays');
  });

  it('[MPS] "other cases required by law" needs the cited law at intake (400 without it)', () => {
    const schema = makeIntakeRequestSchema(jilin2016Policy);
    const r = schema.safeParse(requestBody({ proof: 'OTHER_BY_LAW' }));
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('legalBasis');
  });

  it('[JL] a certificate not in the catalogue needs the asking body’s level (400 without it)', () => {
    const schema = makeIntakeRequestSchema(jilin2016Policy);
    const r = schema.safeParse(requestBody({ proof: 'NOT_LISTED' }));
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('askedByLevel');
  });
});

describe('the registry format grows what the rules need', () => {
  it('residences name a known station once per person; relation to head takes the new values', () => {
    const data = structuredClone(registry.data) as unknown as Record<string, unknown[]>;
    data.residences = [
      { idNumber: P.wangLei.idNumber, station: 'NOWHERE', since: '2020-01-01' },
      { idNumber: P.wangLei.idNumber, station: 'CC-GLL', since: '2020-01-01' },
    ];
    const errors = (() => {
      try {
        parseRegistry(data);
        return [];
      } catch (e) {
        return (e as RegistryError).errors.map((x) => x.path);
      }
    })();
    expect(errors).toEqual(['residences.0.station', 'residences.1.idNumber']);
    expect(registry.nameChanges(P.xuMing.idNumber)[0]?.shownInBooklet).toBe(true);
    expect(registry.residence(P.wangLei.idNumber)?.station).toBe('CC-GLL');
  });
});

describe('provenance of the catalogue [JL] [MPS]', () => {
  const sourceNamed =
    /吉林省公安厅等11家单位联合通知|公通字〔2016〕21号|犯罪记录查询|国办发〔2020〕42号|certflow的规则/;

  it.each(
    defaultPolicies.flatMap((p) => p.kinds.map((k) => [`${p.policyVersion} ${k.code}`, k, p] as const)),
  )('%s: the basis names its source and marks a summary or reconstruction', (_name, k, policy) => {
    const { basis } = decisionTexts(policy).kinds[k.code]!;
    expect(basis.zh).toMatch(sourceNamed);
    expect(basis.zh).toMatch(/〔certflow|certflow的规则/);
    expect(basis.en).toMatch(/certflow/);
    expect(k.provenance).toBeDefined();
  });

  it('accounts for the 51 kinds as 9 kept, 11 stopped, 12 by exchange and 19 abolished', () => {
    const review = catalogueTexts(jilin2016Policy).review!;
    expect(review).toMatchObject({ reviewed: 51, kept: 9, stopped: 11, exchange: 12, abolished: 19 });
    expect(review.kept + review.stopped + review.exchange + review.abolished).toBe(review.reviewed);
    const kept = jilin2016Policy.kinds.filter((k) => k.review === 'KEPT').map((k) => k.code);
    expect(kept).toHaveLength(9);
    // Jilin names two of its 9; the others follow the national list, marked as such.
    for (const code of ['NAME_CHANGE', 'GENDER_CHANGE']) {
      expect(jilin2016Policy.kinds.find((k) => k.code === code)?.provenance).toBe('JILIN');
    }
    expect(jilin2016Policy.kinds.find((k) => k.code === 'KINSHIP')?.provenance).toBe('NATIONAL');
    // The named abolished examples are there; invented ones are marked illustrative.
    for (const code of ['MENTAL_ILLNESS', 'LOST_MOBILE_PHONE', 'POVERTY']) {
      expect(jilin2016Policy.kinds.find((k) => k.code === code)?.provenance).toBe('JILIN');
    }
    expect(jilin2016Policy.kinds.find((k) => k.code === 'GOOD_CONDUCT')?.provenance).toBe('ILLUSTRATIVE');
    const exchanged = jilin2016Policy.kinds.filter((k) => k.review === 'EXCHANGE').map((k) => k.code);
    expect(exchanged.sort()).toEqual(['ALIVE', 'DEATH', 'HUKOU_PLACE']);
  });
});

describe('policy versions with effective dates [CR2021] [CN2020]', () => {
  it('a request is decided under the version in force on its Beijing acceptance day', () => {
    expect(policyInForce(defaultPolicies, new Date('2021-12-30T15:59:59+00:00')).policyVersion).toBe(
      'jilin-2016',
    );
    // 2021-12-30T16:00Z is already 31 December in Beijing.
    expect(policyInForce(defaultPolicies, new Date('2021-12-30T16:00:00Z')).policyVersion).toBe('jilin-2021');
    expect(policyInForce(defaultPolicies, new Date('2010-01-01T00:00:00Z')).policyVersion).toBe('jilin-2016');
  });

  it('re-issues every rule id under the later version, and the decision cites it', () => {
    for (const r of Object.values(jilin2021Policy.rules)) expect(r?.id).toMatch(/^jilin-2021\//);
    const d = decide({ proof: 'IDENTITY' }, jilin2021Policy, in2021);
    expect(d).toMatchObject({
      policyVersion: 'jilin-2021',
      ruleId: 'jilin-2021/R1-provable-by-hukou-or-id-card',
    });
  });

  it('[CR2021] a record exists: a written notice instead of a certificate (2016: a certificate)', () => {
    const c: RequestChoice = {
      proof: 'CRIMINAL_RECORD',
      subject: P.liuYang,
      purpose: 'GO_ABROAD',
      askedBy: 'OTHER',
      askedByName: '使馆',
    };
    const later = decide(c, jilin2021Policy, in2021);
    expect(later.ruleId).toBe(id('WRITTEN_NOTICE_RECORD_EXISTS', jilin2021Policy));
    expect(later.facts).toMatchObject({ hasRecord: true, document: 'WRITTEN_NOTICE' });
    const before = decide(c);
    expect(before.ruleId).toBe(id('ISSUE_ON_THE_SPOT'));
    expect(before.facts).not.toHaveProperty('document');
    // No record: a certificate in both versions.
    expect(decide({ ...c, subject: P.zhangWei }, jilin2021Policy, in2021).ruleId).toBe(
      id('ISSUE_ON_THE_SPOT', jilin2021Policy),
    );
  });

  it('[CR2021] the residence station and 3 working days (2016: the hukou station, 5)', () => {
    const c: RequestChoice = {
      proof: 'CRIMINAL_RECORD',
      subject: P.wangLei,
      purpose: 'GO_ABROAD',
      askedBy: 'OTHER',
      askedByName: '使馆',
    };
    const later = decide(c, jilin2021Policy, new Date('2026-11-23T10:00:00+08:00')); // Monday
    expect(later).toMatchObject({ outcome: 'INVESTIGATE', station: 'CC-GLL' });
    expect(later.investigation).toMatchObject({ workingDays: 3, deadline: '2026-11-26T15:59:59.999Z' });
    const before = decide(c, jilin2016Policy, new Date('2020-06-08T10:00:00+08:00')); // Monday
    expect(before).toMatchObject({ outcome: 'INVESTIGATE', station: 'JL-DSL' });
    expect(before.investigation).toMatchObject({ workingDays: 5, deadline: '2020-06-15T15:59:59.999Z' });
  });

  it('[CN2020] a body that accepts a signed commitment gets a commitment record, no certificate', () => {
    const c: RequestChoice = { proof: 'CRIMINAL_RECORD', subject: P.zhangWei, askedBy: 'HUMAN_RESOURCES' };
    const d = decide(c, jilin2021Policy, in2021);
    expect(d.outcome).toBe('COMMITMENT_ACCEPTED');
    expect(d.commitment).toMatchObject({ department: 'HUMAN_RESOURCES', checkable: true });
    expect(d.commitment?.subject).not.toContain(P.zhangWei.idNumber);
    expect(d.facts).toBeUndefined();
    expect(decide(c).outcome).toBe('ISSUE_ON_THE_SPOT'); // jilin-2016 has no such path
    // A body that does not accept commitments still gets the certificate.
    expect(decide({ ...c, askedBy: 'NOTARY' }, jilin2021Policy, in2021).outcome).toBe('ISSUE_ON_THE_SPOT');
  });

  it('GET /v1/catalogue shows the versions with their dates and which is in force', () => {
    const view = catalogueView(policyInForce(defaultPolicies, in2021), defaultPolicies);
    expect(view.policyVersion).toBe('jilin-2021');
    expect(view.versions).toEqual([
      expect.objectContaining({ policyVersion: 'jilin-2016', effectiveFrom: '2016-01-01', inForce: false }),
      expect.objectContaining({ policyVersion: 'jilin-2021', effectiveFrom: '2021-12-31', inForce: true }),
    ]);
  });
});

describe('property: a stranger never gets anything but a decline [DOMAIN]', () => {
  it('no outcome other than a decline reaches a department for an applicant who is not entitled', () => {
    const people = Object.values(P);
    fc.assert(
      fc.property(
        fc.constantFrom(...defaultPolicies),
        fc.constantFrom(...jilin2021Policy.kinds.map((k) => k.code)),
        fc.constantFrom(...people),
        fc.constantFrom(...people),
        fc.constantFrom(...people),
        fc.constantFrom('FATHER', 'MOTHER', 'SON', 'DAUGHTER', 'SPOUSE', 'BROTHER', 'SISTER', 'OTHER'),
        fc.constantFrom('NOTARY', 'COURT', 'CIVIL_AFFAIRS', 'HUMAN_RESOURCES', 'BANK', 'EMPLOYER'),
        fc.constantFrom('OTHER', 'GO_ABROAD', 'EMPLOYMENT', 'HOTEL', 'INHERITANCE', 'LITIGATION'),
        (policy, proof, subject, related, stranger, relation, askedBy, purpose) => {
          const kind = policy.kinds.find((k) => k.code === proof);
          fc.pre(kind !== undefined);
          // A stranger (independent of the rule code): neither person of the request, no registry kinship
          // with the subject, and no party of any incident of the subject.
          fc.pre(stranger.idNumber !== subject.idNumber && related.idNumber !== subject.idNumber);
          fc.pre(!kind!.needs.relatedPerson || stranger.idNumber !== related.idNumber);
          fc.pre(registry.kinship(stranger.idNumber, subject.idNumber) === undefined);
          fc.pre(!registry.incidents(subject.idNumber).some((x) => x.parties?.includes(stranger.idNumber)));
          const choice: RequestChoice = {
            proof,
            subject,
            askedBy,
            purpose,
            applicantPerson: stranger,
            ...(kind!.needs.relatedPerson ? { related: { ...related, relation } } : {}),
            ...(kind!.needs.event ? { event: { date: '2026-08-10' } } : {}),
            ...(kind!.needs.askedByLevel ? { askedByLevel: 'CITY' } : {}),
            ...(kind!.needs.legalBasis ? { legalBasis: '某法第一条' } : {}),
          };
          const at = new Date(`${policy.effectiveFrom}T10:00:00+08:00`);
          const d = decide(choice, policy, at);
          expect(d.outcome).toMatch(/^DECLINED_/);
          expect(d.exchange).toBeUndefined();
          expect(d.commitment).toBeUndefined();
          expect(d.facts).toBeUndefined();
          expect(d.investigation).toBeUndefined();
        },
      ),
      { numRuns: 600 },
    );
  });
});

describe('the calendar beyond the published data [LAW2024]', () => {
  const bj = (s: string) => new Date(`${s}+08:00`);

  it('accepted 2026-12-28: 1 January 2027 is not counted; provisional', () => {
    const r = defaultCalendar.workingDaysAfter(bj('2026-12-28T10:00:00'), 5);
    expect(beijingDate(r.deadline)).toBe('2027-01-05'); // 29, 30, 31, (1 Jan off), 4, 5
    expect(r.provisional).toBe(true);
    expect(defaultCalendar.isWorkingDay('2027-01-01')).toBe(false);
  });

  it('Spring Festival 2027 (lunar, computed): eve to the 3rd day are days off', () => {
    const days = statutoryHolidays(2027);
    for (const d of ['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'])
      expect(days.get(d)).toBe('春节');
    // Accepted Wednesday 3 February: Thu 4, (Fri 5 eve, weekend, Mon 8 off), Tue 9 … Fri 12.
    const r = defaultCalendar.workingDaysAfter(bj('2027-02-03T10:00:00'), 5);
    expect(beijingDate(r.deadline)).toBe('2027-02-12');
    expect(r.provisional).toBe(true);
  });

  it('a lunar holiday far beyond the data: Mid-Autumn 2030 (Thursday 12 September)', () => {
    expect(statutoryHolidays(2030).get('2030-09-12')).toBe('中秋节');
    const r = defaultCalendar.workingDaysAfter(bj('2030-09-11T10:00:00'), 1);
    expect(beijingDate(r.deadline)).toBe('2030-09-13');
  });

  it('the law’s 13 days are days off in the published schedules of 2025 and 2026 (cross-check)', () => {
    for (const year of [2025, 2026]) {
      const days = statutoryHolidays(year);
      expect(days.size).toBe(13);
      for (const d of days.keys()) expect(defaultCalendar.isWorkingDay(d), d).toBe(false);
    }
  });

  it('published or supplied data wins over the computed days', () => {
    const calendar = new WorkingDayCalendar([
      { years: [2027], holidays: {}, workdays: { '2027-01-01': 'sample: worked' } },
    ]);
    expect(calendar.isWorkingDay('2027-01-01')).toBe(true);
    expect(calendar.workingDaysAfter(bj('2026-12-28T10:00:00'), 5).provisional).toBe(false);
  });
});

describe('future birth dates at intake (the stack’s clock)', () => {
  const now = new Date('2026-11-30T12:00:00+08:00');
  const schema = makeIntakeRequestSchema(jilin2016Policy, { now: () => now });
  const born = (birthDate: string) => ({
    name: '测试',
    idNumber: buildIdNumber({ region: '220104', birthDate, sequence: 101 }),
  });

  it.each(['2099-01-01', '2026-12-15'])('an ID number born %s is rejected', (birthDate) => {
    const body = { ...requestBody({ proof: 'IDENTITY' }), subject: born(birthDate) };
    const r = schema.safeParse(body);
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toContain('subject.idNumber');
  });

  it('the applicant’s ID number too; today and earlier pass', () => {
    const body = requestBody({ proof: 'IDENTITY' });
    const applicant = { ...(body.applicant as object), idNumber: born('2027-01-01').idNumber };
    expect(schema.safeParse({ ...body, applicant }).success).toBe(false);
    expect(schema.safeParse({ ...body, subject: born('2026-11-30') }).success).toBe(true);
  });
});
