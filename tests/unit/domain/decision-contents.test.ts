/**
 * What a decision contains: the facts a certificate issued on the spot states, per kind of registry check;
 * the checks of both people's names; incidents on several dates; and the texts filled into each rule's
 * reason (who may apply instead, the purpose's name, the asking body's own name, the station, the deadline).
 *
 * The policy is the shipped one with rule texts that print their placeholders, so each test reads exactly
 * which value went into which text. The registry is built per test with only the records it needs.
 */
import { describe, expect, it } from 'vitest';
import { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { investigationDeadline } from '#shared/domain/deadline.ts';
import { maskIdNumber } from '#shared/domain/id-number.ts';
import {
  applicantEntitled,
  bookletRelation,
  bookletShowsChange,
  checkRules,
  competentStation,
} from '#shared/domain/rules.ts';
import type { Bilingual, Decision } from '#shared/domain/types.ts';
import { bundledPolicyFile } from '#shared/policy/bundled.ts';
import {
  type CatalogueKind,
  defaultPolicy,
  type Policy,
  type PolicyFile,
  type PolicyFileKind,
  type PolicyTexts,
  type RuleKey,
  splitPolicy,
} from '#shared/policy/policy.ts';
import type { InMemoryRegistry } from '#shared/registry/registry.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';
import { type RequestChoice, request } from '#tests/helpers/domain-requests.ts';
import { type SmallPerson, type SmallRegistryData, smallRegistry } from '#tests/helpers/small-registry.ts';

const TEMPLATES: Partial<Record<RuleKey, string>> = {
  PROVABLE_BY_HUKOU: '{kind}/{provenBy}/{heldBy}',
  NOT_POLICE_INFORMATION: '{kind}/{heldBy}/{provenBy}',
  ANSWERED_BY_EXCHANGE: '{kind}/{askedBy}',
  APPLICANT_NOT_ENTITLED: '{kind}/{allowed}/{purpose}/{askedBy}/{basis}',
  ISSUE_ON_THE_SPOT: '{kind}/{station}',
  INVESTIGATE: '{kind}/{station}/{workingDays}/{deadline}',
};
/** The default policy as a policy file (data and texts in one), carrying the texts split from it. */
type TextPolicy = PolicyFile & { texts: PolicyTexts };
const defaultFile = bundledPolicyFile(defaultPolicy.policyVersion);
const withTexts = (file: PolicyFile): TextPolicy => ({ ...file, texts: splitPolicy(file).texts });
const textPolicy = (over: Partial<PolicyFile> = {}): TextPolicy =>
  withTexts({
    ...defaultFile,
    rules: Object.fromEntries(
      Object.entries(defaultFile.rules).map(([key, r]) => {
        const t = TEMPLATES[key as RuleKey] ?? '{kind}';
        return [
          key,
          {
            ...r,
            reason: { zh: `理由:${t}`, en: `reason:${t}` },
            guidance: { zh: `指引:${t}`, en: `guide:${t}` },
          },
        ];
      }),
    ) as PolicyFile['rules'],
    ...over,
  });
/** Every kind on the standard path: the service's investigation days, a certificate whatever the record says. */
const standardKinds = defaultFile.kinds.map(
  ({ investigationWorkingDays: _d, writtenNoticeWhereRecord: _n, ...k }) => k,
);
const policy = textPolicy({ kinds: standardKinds });
const kind = (code: string, over: Partial<PolicyFileKind> = {}): PolicyFileKind => {
  const k = standardKinds.find((x) => x.code === code);
  if (!k) throw new Error(`no kind ${code}`);
  return { ...k, ...over };
};
const withKinds = (...kinds: PolicyFileKind[]): TextPolicy =>
  textPolicy({ kinds: standardKinds.map((k) => kinds.find((x) => x.code === k.code) ?? k) });
const bodyName = (code: string) => defaultPolicy.bodies.find((b) => b.code === code)?.name as Bilingual;
const purposeName = (code: string) => defaultPolicy.purposes.find((p) => p.code === code)?.name as Bilingual;

const acceptedAt = new Date('2026-11-27T10:00:00+08:00'); // Friday; 5 working days end Friday 4 December

type World = { registry: InMemoryRegistry; id: Record<string, string> };
function world(
  people: Record<string, SmallPerson>,
  records?: (id: Record<string, string>) => SmallRegistryData,
): World {
  return smallRegistry(people, records, ['stranger']);
}
const person = (w: World, key: string, name: string) => ({ name, idNumber: w.id[key] as string });
function decide(
  w: World,
  c: RequestChoice,
  p: Policy = policy,
  req?: (r: IntakeRequest) => IntakeRequest,
): Decision {
  const r = request(c, p);
  return checkRules(req ? req(r) : r, { policy: p, registry: w.registry, acceptedAt });
}

const PEOPLE: Record<string, SmallPerson> = {
  zhang: { name: '张伟', gender: 'M', household: 'H1', birthDate: '1985-03-04' },
  chen: { name: '陈思远', gender: 'F', household: 'H2' },
  father: { name: '王建国', gender: 'M', household: 'H3' },
  son: { name: '王磊', gender: 'M', household: 'H4' },
  gone: { name: '周杰', gender: 'M', household: 'H5' },
  flagged: { name: '李强', gender: 'M', household: 'H6' },
};
const w = world(PEOPLE, (i) => ({
  nameChanges: [
    { idNumber: i.chen as string, from: '陈红', to: '陈思远', changedOn: '2010-03-02' },
    { idNumber: i.stranger as string, from: '甲', to: '乙', changedOn: '2011-01-01' },
  ],
  genderChanges: [
    { idNumber: i.chen as string, from: 'M', to: 'F', changedOn: '2015-06-07' },
    { idNumber: i.stranger as string, from: 'M', to: 'F', changedOn: '2016-01-01' },
  ],
  cancellations: [{ idNumber: i.gone as string, reason: 'EMIGRATION', cancelledOn: '2019-07-01' }],
  kinship: [{ a: i.father as string, b: i.son as string, relation: 'PARENT_CHILD' }],
  criminalRecords: [
    { idNumber: i.zhang as string, hasRecord: false },
    { idNumber: i.flagged as string, hasRecord: true },
    { idNumber: i.stranger as string, hasRecord: false },
  ],
  incidents: [
    {
      incidentId: 'X-1',
      kind: 'UNNATURAL_DEATH',
      station: 'S-H1',
      date: '2025-01-10',
      subjectIdNumber: i.zhang as string,
      concluded: true,
    },
    {
      incidentId: 'X-2',
      kind: 'UNNATURAL_DEATH',
      station: 'S-H2',
      date: '2025-06-20',
      subjectIdNumber: i.zhang as string,
      concluded: true,
    },
    {
      incidentId: 'X-3',
      kind: 'TRAFFICKED_CHILD',
      station: 'S-H3',
      date: '2025-03-03',
      subjectIdNumber: i.zhang as string,
      concluded: true,
    },
    {
      incidentId: 'X-4',
      kind: 'UNNATURAL_DEATH',
      station: 'S-H4',
      date: '2025-03-03',
      subjectIdNumber: i.chen as string,
      concluded: false,
    },
    {
      incidentId: 'X-5',
      kind: 'UNNATURAL_DEATH',
      station: 'S-H5',
      date: '2025-01-10',
      subjectIdNumber: i.chen as string,
      concluded: true,
    },
  ],
}));
const P = {
  zhang: person(w, 'zhang', '张伟'),
  chen: person(w, 'chen', '陈思远'),
  father: person(w, 'father', '王建国'),
  son: person(w, 'son', '王磊'),
  gone: person(w, 'gone', '周杰'),
  flagged: person(w, 'flagged', '李强'),
  stranger: person(w, 'stranger', '乙'),
};
const masked = (p: { idNumber: string }) => maskIdNumber(p.idNumber);

describe('the facts a certificate issued on the spot states, per registry check', () => {
  it.each([
    {
      check: 'NAME_CHANGE',
      c: { proof: 'NAME_CHANGE', subject: P.chen },
      facts: { currentName: '陈思远', changes: [{ from: '陈红', to: '陈思远', changedOn: '2010-03-02' }] },
    },
    {
      check: 'NAME_CHANGE by the former name',
      c: { proof: 'NAME_CHANGE', subject: { ...P.chen, name: '陈红' }, applicantPerson: P.chen },
      facts: {
        subjectName: '陈红',
        currentName: '陈思远',
        changes: [{ from: '陈红', to: '陈思远', changedOn: '2010-03-02' }],
      },
    },
    {
      check: 'GENDER_CHANGE',
      c: { proof: 'GENDER_CHANGE', subject: P.chen },
      facts: { currentGender: 'F', changes: [{ from: 'M', to: 'F', changedOn: '2015-06-07' }] },
    },
    {
      check: 'CANCELLATION',
      c: { proof: 'HUKOU_CANCELLATION', subject: P.gone },
      facts: { reason: 'EMIGRATION', cancelledOn: '2019-07-01' },
    },
    {
      check: 'KINSHIP_LINK',
      c: { proof: 'KINSHIP', subject: P.son, related: { ...P.father, relation: 'FATHER' } },
      facts: {
        relatedName: '王建国',
        relatedIdNumber: masked(P.father),
        relation: 'FATHER',
        via: ['PARENT_CHILD'],
      },
    },
    {
      check: 'CRIMINAL_RECORD (none)',
      c: { proof: 'CRIMINAL_RECORD', subject: P.zhang },
      facts: { hasRecord: false },
    },
    {
      check: 'CRIMINAL_RECORD (a record)',
      c: { proof: 'CRIMINAL_RECORD', subject: P.flagged },
      facts: { hasRecord: true },
    },
    {
      check: 'INCIDENT_CONCLUDED',
      c: { proof: 'UNNATURAL_DEATH', subject: P.zhang, event: { date: '2025-01-10' } },
      facts: { incidentId: 'X-1', incidentKind: 'UNNATURAL_DEATH', date: '2025-01-10', station: 'S-H1' },
    },
  ])('$check', ({ c, facts }) => {
    const d = decide(w, c);
    expect(d.outcome).toBe('ISSUE_ON_THE_SPOT');
    const subject = (c as RequestChoice).subject as { name: string; idNumber: string };
    expect(d.facts).toEqual({ subjectName: subject.name, subjectIdNumber: masked(subject), ...facts });
  });

  it('ON_RECORD: the person’s registered details and the purpose, with the validity where the kind has one', () => {
    const onRecord = kind('TEMPORARY_IDENTITY', {
      registryCheck: 'ON_RECORD',
      validity: { days: 30, basis: { zh: '依据', en: 'basis' } },
    });
    const d = decide(
      w,
      { proof: 'TEMPORARY_IDENTITY', subject: P.zhang, purpose: 'TRAVEL' },
      withKinds(onRecord),
    );
    expect(d.outcome).toBe('ISSUE_ON_THE_SPOT');
    expect(d.facts).toEqual({
      subjectName: '张伟',
      subjectIdNumber: masked(P.zhang),
      gender: 'M',
      birthDate: '1985-03-04',
      ethnicity: '汉族',
      address: 'H1 Road 1',
      purpose: 'TRAVEL',
      validityDays: 30,
    });
    const { validity: _, ...noValidity } = onRecord;
    const without = decide(
      w,
      { proof: 'TEMPORARY_IDENTITY', subject: P.zhang, purpose: 'TRAVEL' },
      withKinds(noValidity),
    );
    expect(without.facts).not.toHaveProperty('validityDays');
    expect(without.facts).toMatchObject({ purpose: 'TRAVEL' });
  });
});

describe('what the registry does not support goes to an investigation', () => {
  const onRecord = kind('TEMPORARY_IDENTITY', { registryCheck: 'ON_RECORD' });
  it.each([
    {
      why: 'the subject’s name is another',
      c: { proof: 'NAME_CHANGE', subject: { ...P.chen, name: '陈某' }, applicantPerson: P.chen },
    },
    { why: 'no name change', c: { proof: 'NAME_CHANGE', subject: P.zhang } },
    { why: 'a name change of someone not on record', c: { proof: 'NAME_CHANGE', subject: P.stranger } },
    { why: 'no gender change', c: { proof: 'GENDER_CHANGE', subject: P.zhang } },
    { why: 'a gender change of someone not on record', c: { proof: 'GENDER_CHANGE', subject: P.stranger } },
    { why: 'no cancellation', c: { proof: 'HUKOU_CANCELLATION', subject: P.zhang } },
    {
      why: 'a cancellation under another name',
      c: { proof: 'HUKOU_CANCELLATION', subject: { ...P.gone, name: '周某' }, applicantPerson: P.gone },
    },
    {
      why: 'the related person’s name is another (a kinship certificate for a wrong name)',
      c: { proof: 'KINSHIP', subject: P.son, related: { ...P.father, name: '王某', relation: 'FATHER' } },
    },
    {
      why: 'the claimed relation the wrong way round',
      c: { proof: 'KINSHIP', subject: P.son, related: { ...P.father, relation: 'SON' } },
    },
    {
      why: 'no link at all',
      c: { proof: 'KINSHIP', subject: P.son, related: { ...P.zhang, relation: 'BROTHER' } },
    },
    { why: 'no criminal-record entry', c: { proof: 'CRIMINAL_RECORD', subject: P.chen } },
    {
      why: 'a criminal-record entry of someone not on record',
      c: { proof: 'CRIMINAL_RECORD', subject: P.stranger },
    },
    {
      why: 'the incident on that date is not concluded',
      c: { proof: 'UNNATURAL_DEATH', subject: P.chen, event: { date: '2025-03-03' } },
    },
    {
      why: 'no incident of that kind on that date',
      c: { proof: 'UNNATURAL_DEATH', subject: P.zhang, event: { date: '2025-03-03' } },
    },
    {
      why: 'no incident of that kind at all',
      c: { proof: 'ABANDONED_INFANT', subject: P.zhang, event: { date: '2025-01-10' } },
    },
  ])('$why', ({ c }) => {
    const d = decide(w, c as RequestChoice);
    expect(d.outcome).toBe('INVESTIGATE');
    expect(d).not.toHaveProperty('facts');
  });

  it.each([
    { why: 'a cancelled hukou', subject: P.gone },
    { why: 'not on record', subject: P.stranger },
  ])('ON_RECORD: $why', ({ subject }) => {
    const d = decide(w, { proof: 'TEMPORARY_IDENTITY', subject, purpose: 'TRAVEL' }, withKinds(onRecord));
    expect(d.outcome).toBe('INVESTIGATE');
  });

  it('a kinship check without a related person is not issued (and not declined as one household)', () => {
    const noRelated = kind('NAME_CHANGE', { registryCheck: 'KINSHIP_LINK' });
    expect(decide(w, { proof: 'NAME_CHANGE', subject: P.chen }, withKinds(noRelated)).outcome).toBe(
      'INVESTIGATE',
    );
  });

  it('a kind without applicant rules lets anyone apply', () => {
    const { applicants: _, ...open } = kind('CRIMINAL_RECORD');
    const d = decide(
      w,
      { proof: 'CRIMINAL_RECORD', subject: P.zhang, applicant: 'UNIT', purpose: 'STUDY_ABROAD' },
      withKinds(open),
    );
    expect(d.outcome).toBe('ISSUE_ON_THE_SPOT');
  });

  it('a kind without a registry check, or with ALIVE, is never issued on the spot', () => {
    for (const registryCheck of [undefined, 'ALIVE' as const]) {
      const k = { ...kind('CRIMINAL_RECORD'), registryCheck };
      if (registryCheck === undefined) delete k.registryCheck;
      expect(decide(w, { proof: 'CRIMINAL_RECORD', subject: P.zhang }, withKinds(k)).outcome).toBe(
        'INVESTIGATE',
      );
    }
  });
});

describe('incidents on several dates', () => {
  it.each([
    { date: '2025-01-10', outcome: 'ISSUE_ON_THE_SPOT', incident: 'X-1', station: 'S-H1' },
    { date: '2025-06-20', outcome: 'ISSUE_ON_THE_SPOT', incident: 'X-2', station: 'S-H2' },
    // no incident on the event's date: investigated at the station of the first incident of the kind
    { date: '2025-02-01', outcome: 'INVESTIGATE', incident: undefined, station: 'S-H1' },
  ])('an event on $date → $outcome ($incident), station $station', ({ date, outcome, incident, station }) => {
    const d = decide(w, { proof: 'UNNATURAL_DEATH', subject: P.zhang, event: { date } });
    expect({ outcome: d.outcome, incident: d.facts?.incidentId, station: d.station }).toEqual({
      outcome,
      incident,
      station,
    });
  });

  it('the concluded incident of another date does not stand in for an open one on the event’s date', () => {
    const d = decide(w, { proof: 'UNNATURAL_DEATH', subject: P.chen, event: { date: '2025-03-03' } });
    expect({ outcome: d.outcome, station: d.station }).toEqual({ outcome: 'INVESTIGATE', station: 'S-H4' });
  });

  it('a kind that asks for no event date takes the first incident of its kind', () => {
    const noEvent = kind('UNNATURAL_DEATH', { needs: { relatedPerson: false, event: false } });
    const d = decide(w, { proof: 'UNNATURAL_DEATH', subject: P.zhang }, withKinds(noEvent));
    expect(d.facts).toMatchObject({ incidentId: 'X-1' });
    const open = decide(w, { proof: 'UNNATURAL_DEATH', subject: P.chen }, withKinds(noEvent));
    expect(open.outcome).toBe('INVESTIGATE'); // X-4, the first, is open
  });

  it('the station of an incident kind without an incident is the subject’s own', () => {
    const d = decide(w, { proof: 'ABANDONED_INFANT', subject: P.chen, event: { date: '2025-01-10' } });
    expect(d.station).toBe('S-H2');
  });
});

describe('the texts of an "applicant not entitled" decision', () => {
  const agent = (p: { name: string; idNumber: string }) => ({
    applicant: 'AGENT' as const,
    applicantPerson: p,
  });
  it.each([
    {
      rule: 'the subject in person or an agent (name change), asked by a unit',
      c: {
        proof: 'NAME_CHANGE',
        subject: P.chen,
        applicant: 'UNIT' as const,
        purpose: 'PENSION',
        askedBy: 'HOUSING',
      },
      allowed: {
        zh: '证明对象本人或持委托书的代理人',
        en: 'the subject in person or an agent with a power of attorney',
      },
      purpose: 'PENSION',
      askedBy: bodyName('HOUSING'),
    },
    {
      rule: 'either person of a kinship, or an agent, asked by someone else in person',
      c: {
        proof: 'KINSHIP',
        subject: P.son,
        related: { ...P.father, relation: 'FATHER' },
        applicantPerson: P.zhang,
        purpose: 'INHERITANCE',
        askedBy: 'OTHER',
        askedByName: '某公证处',
      },
      allowed: {
        zh: '证明对象或关系人本人或持委托书的代理人',
        en: 'the subject or the related person in person or an agent with a power of attorney',
      },
      purpose: 'INHERITANCE',
      askedBy: { zh: '某公证处', en: '某公证处' },
    },
    {
      rule: 'only the employer’s unit for an employment check',
      c: { proof: 'CRIMINAL_RECORD', subject: P.zhang, purpose: 'EMPLOYMENT', askedBy: 'EMPLOYER' },
      allowed: { zh: '持介绍信的单位', en: 'the unit with a letter of introduction' },
      purpose: 'EMPLOYMENT',
      askedBy: bodyName('EMPLOYER'),
    },
    {
      rule: 'the person in person, where no one is named (temporary identity without selfMustBe)',
      c: { proof: 'TEMPORARY_IDENTITY', subject: P.zhang, purpose: 'TRAVEL', ...agent(P.chen) },
      allowed: { zh: '本人', en: 'the person concerned' },
      purpose: 'TRAVEL',
      askedBy: bodyName('BANK'),
      kinds: [kind('TEMPORARY_IDENTITY', { applicants: { default: { allowed: ['SELF'] } } })],
    },
    {
      rule: 'an agent or a unit, never in person',
      c: { proof: 'HUKOU_CANCELLATION', subject: P.gone, purpose: 'OTHER' },
      allowed: {
        zh: '持委托书的代理人或持介绍信的单位',
        en: 'an agent with a power of attorney or the unit with a letter of introduction',
      },
      purpose: 'OTHER',
      askedBy: bodyName('BANK'),
      kinds: [kind('HUKOU_CANCELLATION', { applicants: { default: { allowed: ['AGENT', 'UNIT'] } } })],
    },
  ])('$rule', ({ c, allowed, purpose, askedBy, kinds }) => {
    const p = kinds ? withKinds(...kinds) : policy;
    const d = decide(w, c as RequestChoice, p);
    const k = p.kinds.find((x) => x.code === c.proof) as PolicyFileKind;
    const rule = k.applicants?.byPurpose?.[purpose] ?? k.applicants?.default;
    const basis = rule?.basis ?? k.basis;
    const name = purposeName(purpose);
    expect(d.outcome).toBe('DECLINED_APPLICANT_NOT_ENTITLED');
    expect(d.basis).toEqual(basis);
    expect(d.reason).toEqual({
      zh: `理由:${k.name.zh}/${allowed.zh}/${name.zh}/${askedBy.zh}/${basis.zh}`,
      en: `reason:${k.name.en}/${allowed.en}/${name.en}/${askedBy.en}/${basis.en}`,
    });
    expect(d.guidance.en).toBe(`guide:${k.name.en}/${allowed.en}/${name.en}/${askedBy.en}/${basis.en}`);
  });

  it('a purpose the policy does not name, and an asking body it does not list, appear as their codes', () => {
    const d = decide(w, { proof: 'NAME_CHANGE', subject: P.chen, applicant: 'UNIT' }, policy, (r) => ({
      ...r,
      purpose: { ...r.purpose, code: 'UNLISTED' as IntakeRequest['purpose']['code'] },
      askedBy: 'NOBODY' as IntakeRequest['askedBy'],
    }));
    expect(d.reason.en).toContain('/UNLISTED/NOBODY/');
    expect(d.reason.zh).toContain('/UNLISTED/NOBODY/');
  });

  it('a listed asking body is named by the policy even when the request also gives a name', () => {
    const d = decide(
      w,
      { proof: 'NAME_CHANGE', subject: P.chen, applicant: 'UNIT', askedBy: 'HOUSING' },
      policy,
      (r) => ({
        ...r,
        askedByName: '某住房公积金中心',
      }),
    );
    expect(d.reason.en).toContain(`/${bodyName('HOUSING').en}/`);
  });

  it.each([
    { who: 'the subject', applicant: P.son, entitled: true },
    { who: 'the related person', applicant: P.father, entitled: true },
    { who: 'a third person', applicant: P.zhang, entitled: false },
  ])('in person for a kinship certificate: $who → entitled: $entitled', ({ applicant, entitled }) => {
    const d = decide(w, {
      proof: 'KINSHIP',
      subject: P.son,
      related: { ...P.father, relation: 'FATHER' },
      applicantPerson: applicant,
    });
    expect(d.outcome === 'DECLINED_APPLICANT_NOT_ENTITLED').toBe(!entitled);
  });

  it('in person where the related person may apply but the request names none: only the subject', () => {
    const either = kind('NAME_CHANGE', {
      applicants: { default: { allowed: ['SELF', 'AGENT'], selfMustBe: ['SUBJECT', 'RELATED_PERSON'] } },
    });
    const p = withKinds(either);
    expect(decide(w, { proof: 'NAME_CHANGE', subject: P.chen, applicantPerson: P.zhang }, p).outcome).toBe(
      'DECLINED_APPLICANT_NOT_ENTITLED',
    );
    expect(decide(w, { proof: 'NAME_CHANGE', subject: P.chen }, p).outcome).toBe('ISSUE_ON_THE_SPOT');
  });

  it.each([
    { who: 'the subject', applicant: P.chen, entitled: true },
    { who: 'someone else', applicant: P.zhang, entitled: false },
  ])('in person for a name change: $who → entitled: $entitled', ({ applicant, entitled }) => {
    const d = decide(w, { proof: 'NAME_CHANGE', subject: P.chen, applicantPerson: applicant });
    expect(d.outcome === 'DECLINED_APPLICANT_NOT_ENTITLED').toBe(!entitled);
  });
});

describe('the texts of the other decisions', () => {
  it('issued on the spot: the kind and the station by name (and code in English)', () => {
    const d = decide(w, { proof: 'CRIMINAL_RECORD', subject: P.zhang });
    const k = kind('CRIMINAL_RECORD');
    expect(d.reason).toEqual({
      zh: `理由:${k.name.zh}/H1 station`,
      en: `reason:${k.name.en}/H1 station (S-H1)`,
    });
    expect(d.station).toBe('S-H1');
  });

  it('without any station: "the police station", and no station in the decision', () => {
    const p = { ...policy, stationFallback: [] };
    const d = decide(w, { proof: 'CRIMINAL_RECORD', subject: P.stranger }, p);
    expect(d.reason.en).toBe(
      `reason:${kind('CRIMINAL_RECORD').name.en}/the police station/5/2026-12-04, Beijing time`,
    );
    expect(d.reason.zh).toBe(`理由:${kind('CRIMINAL_RECORD').name.zh}/派出所/5/北京时间2026-12-04`);
    expect(d).not.toHaveProperty('station');
  });

  it('an investigation names the working days and the deadline, provisional where the data ends', () => {
    const late = checkRules(request({ proof: 'CRIMINAL_RECORD', subject: P.chen }, policy), {
      policy,
      registry: w.registry,
      acceptedAt: new Date('2026-12-29T10:00:00+08:00'), // 5 working days run into 2027, a year without data (1 January off by statute)
      calendar: new WorkingDayCalendar(),
    });
    expect(late.reason.en).toBe(
      `reason:${kind('CRIMINAL_RECORD').name.en}/H2 station (S-H2)/5/2027-01-06, Beijing time, provisional`,
    );
    expect(late.reason.zh).toBe(
      `理由:${kind('CRIMINAL_RECORD').name.zh}/H2 station/5/暂定北京时间2027-01-06`,
    );
    expect(late.investigation).toMatchObject({ provisional: true, workingDays: 5 });
  });

  it('not police information: the body that holds it, by name, and its code in the decision', () => {
    const k = defaultPolicy.kinds.find(
      (x) => x.treatment === 'NOT_POLICE_INFORMATION' && x.heldBy !== undefined,
    ) as CatalogueKind;
    const d = decide(w, { proof: k.code, subject: P.zhang });
    const held = bodyName(k.heldBy as string);
    const by = k.provenBy ?? { zh: '', en: '' }; // a kind not provable by a document has nothing to name
    expect(d.reason).toEqual({
      zh: `理由:${k.name.zh}/${held.zh}/${by.zh}`,
      en: `reason:${k.name.en}/${held.en}/${by.en}`,
    });
    expect(d.heldBy).toBe(k.heldBy);
  });

  it('provable by the booklet: what proves it', () => {
    const k = defaultPolicy.kinds.find(
      (x) => x.treatment === 'PROVABLE_BY_HUKOU' && x.provenBy !== undefined,
    ) as CatalogueKind;
    const d = decide(w, { proof: k.code, subject: P.zhang });
    const by = k.provenBy as Bilingual;
    // no holder to name: the placeholder is filled with nothing
    expect(d.reason).toEqual({ zh: `理由:${k.name.zh}/${by.zh}/`, en: `reason:${k.name.en}/${by.en}/` });
  });

  it('the basis: the rule’s own, else the kind’s, else the policy’s source', () => {
    const base = kind('CRIMINAL_RECORD');
    const ruleBasis = { zh: '规则依据', en: 'the rule’s basis' };
    const withRuleBasis = textPolicy({
      rules: { ...policy.rules, ISSUE_ON_THE_SPOT: { ...policy.rules.ISSUE_ON_THE_SPOT, basis: ruleBasis } },
    });
    expect(decide(w, { proof: 'CRIMINAL_RECORD', subject: P.zhang }, withRuleBasis).basis).toEqual(ruleBasis);
    expect(decide(w, { proof: 'CRIMINAL_RECORD', subject: P.zhang }).basis).toEqual(base.basis);
    const { basis: _, ...notInCatalogue } = policy.rules.NOT_IN_CATALOGUE;
    const noRuleBasis = textPolicy({ rules: { ...policy.rules, NOT_IN_CATALOGUE: notInCatalogue } });
    const notAKind = (r: IntakeRequest) => ({ ...r, proof: 'NOT_A_KIND' as IntakeRequest['proof'] });
    const noKind = decide(w, { proof: 'CRIMINAL_RECORD', subject: P.zhang }, noRuleBasis, notAKind);
    expect(noKind).toMatchObject({
      outcome: 'DECLINED_NO_LEGAL_BASIS',
      basis: defaultFile.source,
      proof: 'NOT_A_KIND',
    });
    expect(noKind.reason.en).toBe('reason:NOT_A_KIND');
  });
});

describe('an answer by information exchange', () => {
  it('carries the department, the question, the registry’s answer and the source', () => {
    const d = decide(w, {
      proof: 'NAME_CHANGE',
      subject: P.chen,
      askedBy: 'NOTARY',
      purpose: 'NOTARIZATION',
    });
    expect(d.outcome).toBe('ANSWERED_BY_EXCHANGE');
    expect(d.exchange).toEqual({
      department: 'NOTARY',
      question: 'NAME_HISTORY',
      answer: {
        subject: masked(P.chen),
        onRecord: true,
        nameMatches: true,
        currentName: '陈思远',
        changes: [{ from: '陈红', to: '陈思远', changedOn: '2010-03-02' }],
      },
      source: 'population-registry',
    });
    expect(d.reason.en).toBe(`reason:${kind('NAME_CHANGE').name.en}/${bodyName('NOTARY').en}`);
  });

  it('passes the related person and the claim to the registry', () => {
    const d = decide(w, {
      proof: 'KINSHIP',
      subject: P.son,
      related: { ...P.father, relation: 'FATHER' },
      askedBy: 'NOTARY',
    });
    expect(d.exchange?.answer).toMatchObject({
      relatedPerson: masked(P.father),
      claimedRelation: 'FATHER',
      related: true,
    });
  });

  it('a fact the registry does not hold is not answered: the request goes on to issuing or investigation', () => {
    const d = decide(w, { proof: 'NAME_CHANGE', subject: P.zhang, askedBy: 'NOTARY' });
    expect(d.outcome).toBe('INVESTIGATE');
    expect(d).not.toHaveProperty('exchange');
  });
});

describe('the competent station and its fallbacks', () => {
  const base = request({ proof: 'CRIMINAL_RECORD', subject: P.stranger, related: undefined }, policy);
  const withRelated = (r: IntakeRequest, related?: { idNumber: string }) =>
    ({
      ...r,
      ...(related ? { relatedPerson: { name: '某', relation: 'FATHER', ...related } } : {}),
    }) as IntakeRequest;
  const applicantId = (r: IntakeRequest, idNumber?: string) =>
    ({ ...r, applicant: { ...r.applicant, idNumber } }) as IntakeRequest;
  const k = kind('CRIMINAL_RECORD');
  it.each([
    {
      case: 'the subject’s own',
      r: request({ proof: 'CRIMINAL_RECORD', subject: P.chen }, policy),
      order: undefined,
      station: 'S-H2',
    },
    {
      case: 'the related person’s',
      r: withRelated(applicantId(base, P.stranger.idNumber), P.father),
      order: undefined,
      station: 'S-H3',
    },
    { case: 'the applicant’s', r: applicantId(base, P.son.idNumber), order: undefined, station: 'S-H4' },
    {
      case: 'related before applicant',
      r: withRelated(applicantId(base, P.son.idNumber), P.father),
      order: undefined,
      station: 'S-H3',
    },
    {
      case: 'applicant before related when the policy says so',
      r: withRelated(applicantId(base, P.son.idNumber), P.father),
      order: ['APPLICANT_HUKOU', 'RELATED_PERSON_HUKOU'] as Policy['stationFallback'],
      station: 'S-H4',
    },
    {
      case: 'the registry’s first when no one is on record',
      r: applicantId(base, undefined),
      order: undefined,
      station: 'S-H1',
    },
    {
      case: 'nothing when the policy has no fallback that finds one',
      r: withRelated(applicantId(base, P.stranger.idNumber), P.stranger),
      order: ['RELATED_PERSON_HUKOU', 'APPLICANT_HUKOU'] as Policy['stationFallback'],
      station: undefined,
    },
  ])('$case', ({ r, order, station }) => {
    const p = order ? { ...policy, stationFallback: order } : policy;
    expect(competentStation(k, r, p, w.registry)).toBe(station);
  });

  it('a kind whose station is the incident’s but that names no incident kind: the subject’s station', () => {
    const noIncidentKind = { ...k, station: 'INCIDENT' as const };
    expect(
      competentStation(
        noIncidentKind,
        request({ proof: 'CRIMINAL_RECORD', subject: P.chen }, policy),
        policy,
        w.registry,
      ),
    ).toBe('S-H2');
  });

  it('a fallback the policy does not list is not used, and an empty registry has no first station', () => {
    const r = withRelated(applicantId(base, P.son.idNumber), P.stranger);
    const relatedThenFirst = {
      ...policy,
      stationFallback: ['RELATED_PERSON_HUKOU', 'REGISTRY_FIRST'],
    } as Policy;
    expect(competentStation(k, r, relatedThenFirst, w.registry)).toBe('S-H1');
    const noStations = new Proxy(w.registry, {
      get: (target, key) => {
        if (key === 'stations') return () => [];
        const v = Reflect.get(target, key, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const firstThenApplicant = {
      ...policy,
      stationFallback: ['REGISTRY_FIRST', 'APPLICANT_HUKOU'],
    } as Policy;
    expect(competentStation(k, r, firstThenApplicant, noStations)).toBe('S-H4');
  });

  it('no kind: the subject’s station', () => {
    expect(
      competentStation(
        undefined,
        request({ proof: 'CRIMINAL_RECORD', subject: P.chen }, policy),
        policy,
        w.registry,
      ),
    ).toBe('S-H2');
  });
});

describe('the investigation deadline', () => {
  it.each([
    { warn: 1, warnAt: '2026-12-03T15:59:59.999Z' },
    { warn: 2, warnAt: '2026-12-02T15:59:59.999Z' },
    { warn: 0, warnAt: '2026-12-04T15:59:59.999Z' }, // no warning day: the deadline itself
  ])('warned $warn working days before', ({ warn, warnAt }) => {
    const p = {
      ...policy,
      service: {
        ...policy.service,
        investigationWorkingDays: 5,
        warnWorkingDaysBefore: warn,
        escalationIntervalWorkingDays: 3,
      },
    };
    expect(investigationDeadline(p, acceptedAt)).toEqual({
      acceptedAt: '2026-11-27T02:00:00.000Z',
      deadline: '2026-12-04T15:59:59.999Z',
      warnAt,
      workingDays: 5,
      escalationIntervalWorkingDays: 3,
      provisional: false,
    });
  });
});

describe('rule 5: the relation the booklet’s member pages show (MPS 2016: relation to the head)', () => {
  type Rel = NonNullable<SmallPerson['relationToHead']>;
  /** A household of a head and one member; "related is the subject's …". */
  const pair = (head: 'M' | 'F', member: Rel, memberGender: 'M' | 'F') =>
    smallRegistry({
      head: { name: '户主', gender: head, household: 'HX', relationToHead: 'HEAD' },
      member: { name: '成员', gender: memberGender, household: 'HX', relationToHead: member },
    });
  it.each([
    // the subject is the head: the member page says what the related person is to the head
    { member: 'SPOUSE', g: 'F', shown: 'SPOUSE' },
    { member: 'SON', g: 'M', shown: 'SON' },
    { member: 'DAUGHTER', g: 'F', shown: 'DAUGHTER' },
    { member: 'FATHER', g: 'M', shown: 'FATHER' },
    { member: 'MOTHER', g: 'F', shown: 'MOTHER' },
    { member: 'GRANDPARENT', g: 'F', shown: 'GRANDPARENT' },
    { member: 'GRANDCHILD', g: 'M', shown: 'GRANDCHILD' },
    { member: 'SIBLING', g: 'M', shown: 'BROTHER' },
    { member: 'SIBLING', g: 'F', shown: 'SISTER' },
    { member: 'OTHER', g: 'M', shown: undefined },
  ] as const)('subject the head, related the head’s $member ($g) → $shown', ({ member, g, shown }) => {
    const w = pair('M', member, g);
    expect(bookletRelation(w.registry, w.id.head as string, w.id.member as string)).toBe(shown);
  });

  it.each([
    // the related person is the head: turned round, gendered by the head
    { member: 'SPOUSE', head: 'M', shown: 'SPOUSE' },
    { member: 'SON', head: 'M', shown: 'FATHER' },
    { member: 'SON', head: 'F', shown: 'MOTHER' },
    { member: 'DAUGHTER', head: 'F', shown: 'MOTHER' },
    { member: 'FATHER', head: 'M', shown: 'SON' },
    { member: 'MOTHER', head: 'F', shown: 'DAUGHTER' },
    { member: 'GRANDCHILD', head: 'M', shown: 'GRANDPARENT' },
    { member: 'GRANDPARENT', head: 'F', shown: 'GRANDCHILD' },
    { member: 'SIBLING', head: 'M', shown: 'BROTHER' },
    { member: 'SIBLING', head: 'F', shown: 'SISTER' },
    { member: 'OTHER', head: 'F', shown: undefined },
  ] as const)('subject the head’s $member, related the head ($head) → $shown', ({ member, head, shown }) => {
    const w = pair(head, member, 'M');
    expect(bookletRelation(w.registry, w.id.member as string, w.id.head as string)).toBe(shown);
  });

  it('two members neither of whom is the head: the booklet does not show their relation', () => {
    const w = smallRegistry({
      head: { name: '户主', gender: 'M', household: 'HX', relationToHead: 'HEAD' },
      a: { name: '甲', gender: 'M', household: 'HX', relationToHead: 'SON' },
      b: { name: '乙', gender: 'F', household: 'HX', relationToHead: 'DAUGHTER' },
    });
    expect(bookletRelation(w.registry, w.id.a as string, w.id.b as string)).toBeUndefined();
    expect(bookletRelation(w.registry, w.id.b as string, w.id.a as string)).toBeUndefined();
  });

  it('two households: a head and a son of another booklet are not shown related', () => {
    const w = smallRegistry({
      head: { name: '户主', gender: 'M', household: 'H1', relationToHead: 'HEAD' },
      head2: { name: '户主二', gender: 'M', household: 'H2', relationToHead: 'HEAD' },
      son: { name: '儿子', gender: 'M', household: 'H2', relationToHead: 'SON' },
    });
    expect(bookletRelation(w.registry, w.id.head as string, w.id.son as string)).toBeUndefined();
    expect(bookletRelation(w.registry, w.id.son as string, w.id.head as string)).toBeUndefined();
    expect(bookletRelation(w.registry, w.id.head2 as string, w.id.son as string)).toBe('SON');
  });
});

describe('rule 5: the booklet’s change and cancellation pages (公通字〔2016〕21号)', () => {
  const changeKind = (code: string) => kind(code);
  const shown = (v: boolean | undefined) => (v === undefined ? {} : { shownInBooklet: v });
  it.each([
    { code: 'NAME_CHANGE', records: [], proves: false },
    { code: 'NAME_CHANGE', records: [true], proves: true },
    { code: 'NAME_CHANGE', records: [true, true], proves: true },
    { code: 'NAME_CHANGE', records: [true, false], proves: false },
    { code: 'NAME_CHANGE', records: [false, true], proves: false },
    { code: 'NAME_CHANGE', records: [undefined], proves: false },
    { code: 'GENDER_CHANGE', records: [], proves: false },
    { code: 'GENDER_CHANGE', records: [true], proves: true },
    { code: 'GENDER_CHANGE', records: [true, false], proves: false },
    { code: 'GENDER_CHANGE', records: [false], proves: false },
    { code: 'HUKOU_CANCELLATION', records: [], proves: false },
    { code: 'HUKOU_CANCELLATION', records: [true], proves: true },
    { code: 'HUKOU_CANCELLATION', records: [false], proves: false },
    { code: 'HUKOU_CANCELLATION', records: [undefined], proves: false },
  ] as const)(
    '$code with records shown $records → proven by the booklet: $proves',
    ({ code, records, proves }) => {
      const w = smallRegistry({ p: { name: '某人', gender: 'F' } }, (i) => {
        const id = i.p as string;
        const list = [...records];
        return {
          nameChanges:
            code === 'NAME_CHANGE'
              ? list.map((v, n) => ({
                  idNumber: id,
                  from: `旧${n}`,
                  to: '某人',
                  changedOn: `201${n}-01-01`,
                  ...shown(v),
                }))
              : [],
          genderChanges:
            code === 'GENDER_CHANGE'
              ? list.map((v, n) => ({
                  idNumber: id,
                  from: 'M',
                  to: 'F',
                  changedOn: `201${n}-01-01`,
                  ...shown(v),
                }))
              : [],
          cancellations:
            code === 'HUKOU_CANCELLATION'
              ? list.map((v) => ({
                  idNumber: id,
                  reason: 'EMIGRATION' as const,
                  cancelledOn: '2019-07-01',
                  ...shown(v),
                }))
              : [],
        };
      });
      expect(bookletShowsChange(changeKind(code), w.registry, w.id.p as string)).toBe(proves);
    },
  );

  it.each(['NAME_CHANGE', 'GENDER_CHANGE', 'HUKOU_CANCELLATION'])(
    'each page proves only its own kind: every change shown, %s asked',
    (code) => {
      const w = smallRegistry({ p: { name: '某人', gender: 'F' } }, (i) => ({
        nameChanges:
          code === 'NAME_CHANGE'
            ? []
            : [
                {
                  idNumber: i.p as string,
                  from: '旧',
                  to: '某人',
                  changedOn: '2010-01-01',
                  shownInBooklet: true,
                },
              ],
        genderChanges:
          code === 'GENDER_CHANGE'
            ? []
            : [
                {
                  idNumber: i.p as string,
                  from: 'M',
                  to: 'F',
                  changedOn: '2011-01-01',
                  shownInBooklet: true,
                },
              ],
        cancellations:
          code === 'HUKOU_CANCELLATION'
            ? []
            : [{ idNumber: i.p as string, reason: 'DEATH', cancelledOn: '2019-07-01', shownInBooklet: true }],
      }));
      expect(bookletShowsChange(changeKind(code), w.registry, w.id.p as string)).toBe(false);
    },
  );

  it.each(['KINSHIP', 'CRIMINAL_RECORD', 'UNNATURAL_DEATH'])(
    'a kind without change pages (%s) is never proven by them',
    (code) => {
      const w = smallRegistry({ p: { name: '某人', gender: 'F' } }, (i) => ({
        nameChanges: [
          { idNumber: i.p as string, from: '旧', to: '某人', changedOn: '2010-01-01', shownInBooklet: true },
        ],
        genderChanges: [
          { idNumber: i.p as string, from: 'M', to: 'F', changedOn: '2011-01-01', shownInBooklet: true },
        ],
        cancellations: [
          { idNumber: i.p as string, reason: 'DEATH', cancelledOn: '2019-07-01', shownInBooklet: true },
        ],
      }));
      expect(bookletShowsChange(changeKind(code), w.registry, w.id.p as string)).toBe(false);
    },
  );
});

describe('rule 5 in the decision: the booklet declines only what it shows, for the named person', () => {
  const home = world(
    {
      head: { name: '黄丽', gender: 'F', household: 'HH', relationToHead: 'HEAD' },
      son: { name: '黄小明', gender: 'M', household: 'HH', relationToHead: 'SON' },
      away: { name: '黄小红', gender: 'F', household: 'HA' },
      renamed: { name: '新名', gender: 'M', household: 'HR' },
    },
    (i) => ({
      kinship: [
        { a: i.head as string, b: i.son as string, relation: 'PARENT_CHILD' },
        { a: i.head as string, b: i.away as string, relation: 'PARENT_CHILD' },
      ],
      nameChanges: [
        {
          idNumber: i.renamed as string,
          from: '旧名',
          to: '新名',
          changedOn: '2012-01-01',
          shownInBooklet: true,
        },
      ],
    }),
  );
  const H = {
    head: person(home, 'head', '黄丽'),
    son: person(home, 'son', '黄小明'),
    away: person(home, 'away', '黄小红'),
    renamed: person(home, 'renamed', '新名'),
  };
  const noBooklet = withKinds(
    kind('KINSHIP', { bookletShows: undefined }),
    kind('NAME_CHANGE', { bookletShows: undefined }),
  );
  it.each([
    {
      case: 'son in her booklet, claimed SON',
      related: { ...H.son, relation: 'SON' },
      p: policy,
      rule: 'BOOKLET_SHOWS_RELATION_TO_HEAD',
    },
    {
      case: 'son in her booklet, claimed BROTHER',
      related: { ...H.son, relation: 'BROTHER' },
      p: policy,
      rule: undefined,
    },
    {
      case: 'daughter in another booklet, claimed DAUGHTER',
      related: { ...H.away, relation: 'DAUGHTER' },
      p: policy,
      rule: undefined,
    },
    {
      case: 'a kind whose proof is not the member page',
      related: { ...H.son, relation: 'SON' },
      p: noBooklet,
      rule: undefined,
    },
  ])('KINSHIP: $case → booklet rule $rule', ({ related, p, rule }) => {
    const d = decide(home, { proof: 'KINSHIP', subject: H.head, related }, p);
    const id = rule === undefined ? undefined : p.rules[rule as RuleKey]?.id;
    expect(d.outcome === 'DECLINED_PROVABLE_BY_HUKOU' ? d.ruleId : undefined).toBe(id);
  });

  it('a member-page kind asked without a related person is not declined by the booklet', () => {
    const alone = withKinds(kind('KINSHIP', { needs: { relatedPerson: false, event: false } }));
    const d = decide(home, { proof: 'KINSHIP', subject: H.head }, alone);
    expect(d.outcome).not.toBe('DECLINED_PROVABLE_BY_HUKOU');
  });

  it.each([
    { case: 'the name on record, the change on the change page', name: '新名', p: policy, booklet: true },
    { case: 'a name that is not the record’s', name: '别名', p: policy, booklet: false },
    { case: 'a kind whose proof is not the change page', name: '新名', p: noBooklet, booklet: false },
  ])('NAME_CHANGE: $case → declined as shown in the booklet: $booklet', ({ name, p, booklet }) => {
    const d = decide(home, { proof: 'NAME_CHANGE', subject: { ...H.renamed, name } }, p);
    expect(d.outcome === 'DECLINED_PROVABLE_BY_HUKOU' && d.ruleId === p.rules.BOOKLET_SHOWS_CHANGE?.id).toBe(
      booklet,
    );
  });
});

describe('rule 6: who may apply in person (公通字〔2016〕21号)', () => {
  const cw = world(
    {
      subject: { name: '死者', gender: 'M' },
      kin: { name: '亲属', gender: 'F' },
      party: { name: '报案人', gender: 'M' },
      other: { name: '他案当事人', gender: 'F' },
    },
    (i) => ({
      kinship: [{ a: i.kin as string, b: i.subject as string, relation: 'SPOUSE' }],
      incidents: [
        {
          incidentId: 'C-0',
          kind: 'UNNATURAL_DEATH',
          station: 'S-H-subject',
          date: '2024-02-02',
          subjectIdNumber: i.subject as string,
          concluded: true,
        },
        {
          incidentId: 'C-1',
          kind: 'UNNATURAL_DEATH',
          station: 'S-H-subject',
          date: '2025-01-10',
          subjectIdNumber: i.subject as string,
          concluded: true,
          parties: [i.party as string],
        },
        {
          incidentId: 'C-2',
          kind: 'TRAFFICKED_CHILD',
          station: 'S-H-subject',
          date: '2025-01-10',
          subjectIdNumber: i.subject as string,
          concluded: true,
          parties: [i.other as string],
        },
      ],
    }),
  );
  const who = {
    subject: person(cw, 'subject', '死者'),
    kin: person(cw, 'kin', '亲属'),
    party: person(cw, 'party', '报案人'),
    other: person(cw, 'other', '他案当事人'),
  };
  const deathKind = kind('UNNATURAL_DEATH');
  const asking = (applicant: keyof typeof who, as: 'SELF' | 'AGENT' = 'SELF') =>
    request({
      proof: 'UNNATURAL_DEATH',
      subject: who.subject,
      applicant: as,
      applicantPerson: who[applicant],
      event: { date: '2025-01-10' },
    });
  it.each([
    { must: 'SUBJECT', entitled: ['subject'] },
    { must: 'KIN_OF_SUBJECT', entitled: ['kin'] },
    { must: 'CASE_PARTY', entitled: ['party'] },
  ] as const)('selfMustBe $must: only $entitled may apply in person', ({ must, entitled }) => {
    const rule = { allowed: ['SELF' as const], selfMustBe: [must] };
    const got = (Object.keys(who) as (keyof typeof who)[]).filter((a) =>
      applicantEntitled(rule, asking(a), cw.registry, deathKind),
    );
    expect(got).toEqual(entitled);
  });

  it.each([
    { must: 'KIN_OF_SUBJECT', applicant: 'kin', registry: false, kindGiven: true },
    { must: 'CASE_PARTY', applicant: 'party', registry: false, kindGiven: true },
    { must: 'CASE_PARTY', applicant: 'party', registry: true, kindGiven: false },
  ] as const)(
    '$must without the registry ($registry) or the kind ($kindGiven): $applicant cannot be shown entitled',
    ({ must, applicant, registry, kindGiven }) => {
      const rule = { allowed: ['SELF' as const], selfMustBe: [must] };
      expect(
        applicantEntitled(
          rule,
          asking(applicant),
          registry ? cw.registry : undefined,
          kindGiven ? deathKind : undefined,
        ),
      ).toBe(false);
    },
  );

  it('the kind of applicant comes first; selfMustBe binds a SELF applicant only', () => {
    const rule = { allowed: ['SELF' as const], selfMustBe: ['SUBJECT' as const] };
    expect(applicantEntitled(rule, asking('subject', 'AGENT'), cw.registry, deathKind)).toBe(false);
    const agents = { allowed: ['AGENT' as const], selfMustBe: ['SUBJECT' as const] };
    expect(applicantEntitled(agents, asking('kin', 'AGENT'), cw.registry, deathKind)).toBe(true);
  });
});

describe('rule 6 in the decision: only a connected body gets an exchange answer', () => {
  it.each([
    { askedBy: 'NOTARY', outcome: 'ANSWERED_BY_EXCHANGE' },
    { askedBy: 'CIVIL_AFFAIRS', outcome: 'ANSWERED_BY_EXCHANGE' },
    { askedBy: 'BANK', outcome: 'ISSUE_ON_THE_SPOT' },
    { askedBy: 'HEALTH', outcome: 'ISSUE_ON_THE_SPOT' },
  ])('a name change on record asked by $askedBy → $outcome', ({ askedBy, outcome }) => {
    const d = decide(w, { proof: 'NAME_CHANGE', subject: P.chen, askedBy });
    expect(d.outcome).toBe(outcome);
    expect(d.exchange?.question).toBe(outcome === 'ANSWERED_BY_EXCHANGE' ? 'NAME_HISTORY' : undefined);
  });
});

describe('the legal basis cited for "another case required by law"', () => {
  const lawPolicy = textPolicy({
    kinds: standardKinds,
    rules: {
      ...policy.rules,
      OTHER_CASE_REQUIRED_BY_LAW: {
        ...(policy.rules.OTHER_CASE_REQUIRED_BY_LAW as NonNullable<
          PolicyFile['rules']['OTHER_CASE_REQUIRED_BY_LAW']
        >),
        reason: { zh: '依据[{legalBasis}]', en: 'under [{legalBasis}]' },
      },
    },
  });
  it('an investigation that cites no law fills in nothing', () => {
    const p = textPolicy({
      kinds: standardKinds,
      rules: {
        ...policy.rules,
        INVESTIGATE: {
          ...policy.rules.INVESTIGATE,
          reason: { zh: '依据[{legalBasis}]', en: 'under [{legalBasis}]' },
        },
      },
    });
    const d = decide(w, { proof: 'UNNATURAL_DEATH', subject: P.chen, event: { date: '2025-03-03' } }, p);
    expect(d.outcome).toBe('INVESTIGATE');
    expect(d.reason).toEqual({ zh: '依据[]', en: 'under []' });
  });

  it('fills in the law the asking body cites', () => {
    const d = decide(
      w,
      { proof: 'OTHER_BY_LAW', askedBy: 'COURT', legalBasis: '民事诉讼法第六十七条' },
      lawPolicy,
    );
    expect(d.reason).toEqual({ zh: '依据[民事诉讼法第六十七条]', en: 'under [民事诉讼法第六十七条]' });
  });
});
