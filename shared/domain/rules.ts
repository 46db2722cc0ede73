/**
 * The rule check: a pure function from a validated intake request, the policy and the registry to a
 * decision. It follows DOMAIN.md's decision order (revised 2026-11-30: who may ask comes before what is
 * answered); the first rule that matches decides:
 *
 *   0. the kind is not in the policy's catalogue            → DECLINED_NO_LEGAL_BASIS (R0-kind-not-in-catalogue)
 *   1. treatment PROVABLE_BY_HUKOU                           → DECLINED_PROVABLE_BY_HUKOU (R1)
 *   2. treatment NOT_POLICE_INFORMATION                      → DECLINED_NOT_POLICE_INFORMATION (R2), heldBy
 *   3. treatment NO_LEGAL_BASIS; an UNLISTED kind demanded below provincial level (the notice's fourth
 *      一律) or with no law cited; an EXCHANGE-only kind asked by a body that gets no exchange answer
 *                                                            → DECLINED_NO_LEGAL_BASIS (R3-…)
 *   4. the applicant is not entitled (kind, per purpose)     → DECLINED_APPLICANT_NOT_ENTITLED (R4)
 *   5. the booklet shows it: the claimed relation is a member's registered relation to the head, or the
 *      change/cancellation is on the booklet's pages          → DECLINED_PROVABLE_BY_HUKOU (R5-…)
 *   6. askedBy connected (and named in `exchangeFor` where the kind has one), the kind has an exchange
 *      question and the registry holds the fact               → ANSWERED_BY_EXCHANGE (R6), with the answer;
 *      then, in versions with 告知承诺制, the asking body accepts a commitment → COMMITMENT_ACCEPTED
 *   7. the registry supports the kind                         → ISSUE_ON_THE_SPOT (R7), with the facts (a
 *      written notice instead of a certificate where the version says so and a record exists)
 *   8. otherwise, and "other cases required by law"           → INVESTIGATE (R8), deadline N working days
 *
 * Sources: Jilin joint notice (in force 2016-01-01), principles 1–3 and the fourth 一律; opinion
 * 公通字〔2016〕21号 (in force 2016-09-01) for the booklet's pages, the kept kinds and who applies; the 2021
 * criminal-record rules and 国办发〔2020〕42号 in later versions. Rule ids, texts and every list consulted are
 * policy data; only this order is code. The function never throws for a validated request; it reads no
 * clock (acceptedAt is given) and does no I/O.
 */
import { defaultCalendar, type WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { investigationDeadline } from '#shared/domain/deadline.ts';
import { answerFromRegistry, EXCHANGE_SOURCE, nameMatches, provenKinship } from '#shared/domain/exchange.ts';
import { maskIdNumber } from '#shared/domain/id-number.ts';
import type { ApplicantKind, Bilingual, Decision, Outcome, Relation } from '#shared/domain/types.ts';
import {
  type ApplicantRule,
  BELOW_PROVINCE,
  bodyOf,
  type CatalogueKind,
  isConnected,
  type KindDecisionTexts,
  type Policy,
  PolicyError,
  type RuleKey,
  type RuleWording,
  render,
  type SelfApplicant,
} from '#shared/policy/policy.ts';
import { decisionTexts } from '#shared/policy/texts.ts';
import type { Incident, PopulationRegistry, RelationToHead } from '#shared/registry/registry.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';

export interface RuleContext {
  policy: Policy;
  registry: PopulationRegistry;
  /** When the request was accepted (the investigation deadline counts from its Beijing day). */
  acceptedAt: Date;
  /** Working-day calendar (default: chinese-days data only). */
  calendar?: WorkingDayCalendar;
}

const APPLICANT_NAMES: Record<ApplicantKind, Bilingual> = {
  SELF: { zh: '本人', en: 'the person concerned' },
  AGENT: { zh: '持委托书的代理人', en: 'an agent with a power of attorney' },
  UNIT: { zh: '持介绍信的单位', en: 'the unit with a letter of introduction' },
};

function joinBilingual(items: Bilingual[]): Bilingual {
  return { zh: items.map((i) => i.zh).join('或'), en: items.map((i) => i.en).join(' or ') };
}

function bodyName(policy: Policy, code: string | undefined, fallback?: string): Bilingual {
  if (code === undefined) return { zh: '', en: '' };
  const b = bodyOf(policy, code);
  if (code === 'OTHER' && fallback) return { zh: fallback, en: fallback };
  return b?.name ?? { zh: code, en: code };
}

/** The applicant rule that applies: the purpose's, else the kind's default. */
export function applicantRuleFor(kind: CatalogueKind, purposeCode: string): ApplicantRule | undefined {
  return kind.applicants?.byPurpose?.[purposeCode] ?? kind.applicants?.default;
}

/** The clause behind the applicant rule that applies (`applicantRuleFor`), if it names one. */
function applicantBasis(
  kind: CatalogueKind,
  texts: KindDecisionTexts | undefined,
  purposeCode: string,
): Bilingual | undefined {
  return kind.applicants?.byPurpose?.[purposeCode] !== undefined
    ? texts?.applicants?.byPurpose?.[purposeCode]
    : texts?.applicants?.default;
}

/**
 * Whether the applicant may apply under the rule: the applicant kind is allowed, and a SELF applicant is
 * one of the people `selfMustBe` names (SUBJECT, RELATED_PERSON, KIN_OF_SUBJECT: a registry kinship link to
 * the subject; CASE_PARTY: a party of the subject's incident of the kind). Opinion 公通字〔2016〕21号 on who
 * applies: the person, a close relative or an agent with a power of attorney, a unit with a letter.
 */
export function applicantEntitled(
  rule: ApplicantRule,
  request: IntakeRequest,
  registry?: PopulationRegistry,
  kind?: CatalogueKind,
): boolean {
  if (!rule.allowed.includes(request.applicant.kind)) return false;
  if (request.applicant.kind === 'SELF' && rule.selfMustBe !== undefined) {
    const who = request.applicant.idNumber;
    const isOne: Record<SelfApplicant, () => boolean> = {
      SUBJECT: () => who === request.subject.idNumber,
      RELATED_PERSON: () => who === request.relatedPerson?.idNumber,
      KIN_OF_SUBJECT: () => registry?.kinship(who, request.subject.idNumber) !== undefined,
      CASE_PARTY: () =>
        registry !== undefined &&
        kind !== undefined &&
        incidentsFor(kind, request, registry).some((x) => x.parties?.includes(who) === true),
    };
    return rule.selfMustBe.some((s) => isOne[s]());
  }
  return true;
}

/** The incidents of the kind for the subject; those on the event's date first. */
function incidentsFor(kind: CatalogueKind, request: IntakeRequest, registry: PopulationRegistry): Incident[] {
  if (kind.incidentKind === undefined) return [];
  const all = registry.incidents(request.subject.idNumber, kind.incidentKind);
  const date = request.event?.date;
  return [...all.filter((x) => x.date === date), ...all.filter((x) => x.date !== date)];
}

/**
 * The competent station: the kind's station rule (HUKOU: the subject's household station; AREA: where the
 * person is — the registry's residence, else the household station — except for the purposes in
 * `hukouStationFor`, e.g. marriage registration, where it is the household station (公通字〔2016〕21号);
 * HUKOU_OR_RESIDENCE: the residence station, else the household station (2021 criminal-record rules);
 * INCIDENT: the station of the matching incident, else the subject's household station), then the policy's
 * fallbacks in order (related person's household, applicant's household, the registry's first station).
 */
export function competentStation(
  kind: CatalogueKind | undefined,
  request: IntakeRequest,
  policy: Policy,
  registry: PopulationRegistry,
): string | undefined {
  if (kind?.station === 'INCIDENT') {
    const incident = incidentsFor(kind, request, registry)[0];
    if (incident) return incident.station;
  }
  const whereabouts =
    kind?.station === 'HUKOU_OR_RESIDENCE' ||
    (kind?.station === 'AREA' && kind.hukouStationFor?.includes(request.purpose.code) !== true);
  if (whereabouts) {
    const residence = registry.residence(request.subject.idNumber)?.station;
    if (residence) return residence;
  }
  const own = registry.person(request.subject.idNumber)?.station;
  if (own) return own;
  for (const fallback of policy.stationFallback) {
    if (fallback === 'RELATED_PERSON_HUKOU' && request.relatedPerson) {
      const s = registry.person(request.relatedPerson.idNumber)?.station;
      if (s) return s;
    }
    if (fallback === 'APPLICANT_HUKOU' && request.applicant.idNumber) {
      const s = registry.person(request.applicant.idNumber)?.station;
      if (s) return s;
    }
    if (fallback === 'REGISTRY_FIRST') {
      const s = registry.stations()[0]?.code;
      if (s) return s;
    }
  }
  return undefined;
}

/** The relation of `relatedPerson` to the subject that the booklet's member pages record, if any. */
const FROM_HEAD: Partial<Record<RelationToHead, Relation | 'PARENT' | 'CHILD' | 'SIBLING'>> = {
  SPOUSE: 'SPOUSE',
  SON: 'SON',
  DAUGHTER: 'DAUGHTER',
  FATHER: 'FATHER',
  MOTHER: 'MOTHER',
  GRANDPARENT: 'GRANDPARENT',
  GRANDCHILD: 'GRANDCHILD',
  SIBLING: 'SIBLING',
};
/** "The subject is the head's X" → the head is the subject's (by the head's gender). */
const TO_HEAD: Partial<
  Record<RelationToHead, 'PARENT' | 'CHILD' | 'SPOUSE' | 'GRANDPARENT' | 'GRANDCHILD' | 'SIBLING'>
> = {
  SPOUSE: 'SPOUSE',
  SON: 'PARENT',
  DAUGHTER: 'PARENT',
  FATHER: 'CHILD',
  MOTHER: 'CHILD',
  GRANDCHILD: 'GRANDPARENT',
  GRANDPARENT: 'GRANDCHILD',
  SIBLING: 'SIBLING',
};
const BY_GENDER: Record<'PARENT' | 'CHILD' | 'SIBLING', Record<'M' | 'F', Relation>> = {
  PARENT: { M: 'FATHER', F: 'MOTHER' },
  CHILD: { M: 'SON', F: 'DAUGHTER' },
  SIBLING: { M: 'BROTHER', F: 'SISTER' },
};

/**
 * Rule 5 for kinship: the relation the booklet shows between the subject and the related person — only
 * where both are in one household and one of them is its head (MPS 2016: the booklet shows each member's
 * relation to the head). Returns the relation "related is the subject's …", or undefined (two children of
 * the head, a member registered as OTHER, two households: the booklet does not show it).
 */
export function bookletRelation(
  registry: PopulationRegistry,
  subjectId: string,
  relatedId: string,
): Relation | undefined {
  if (!registry.sameHousehold(subjectId, relatedId)) return undefined;
  const subject = registry.person(subjectId);
  const related = registry.person(relatedId);
  if (subject === undefined || related === undefined) return undefined;
  const gendered = (r: Relation | 'PARENT' | 'CHILD' | 'SIBLING' | undefined, g: 'M' | 'F') =>
    r === 'PARENT' || r === 'CHILD' || r === 'SIBLING' ? BY_GENDER[r][g] : r;
  if (subject.relationToHead === 'HEAD') return gendered(FROM_HEAD[related.relationToHead], related.gender);
  if (related.relationToHead === 'HEAD') return gendered(TO_HEAD[subject.relationToHead], related.gender);
  return undefined;
}

/**
 * Rule 5 for item changes and cancellations: the booklet's change or cancellation pages show every change
 * of the kind on record (`shownInBooklet`), so the booklet proves it (公通字〔2016〕21号: migration, address
 * change, item change or correction and cancellation shown in the booklet are not certified).
 */
export function bookletShowsChange(kind: CatalogueKind, registry: PopulationRegistry, id: string): boolean {
  const all = (xs: { shownInBooklet?: boolean }[]) =>
    xs.length > 0 && xs.every((x) => x.shownInBooklet === true);
  switch (kind.registryCheck) {
    case 'NAME_CHANGE':
      return all(registry.nameChanges(id));
    case 'GENDER_CHANGE':
      return all(registry.genderChanges(id));
    case 'CANCELLATION': {
      const c = registry.cancellation(id);
      return c !== undefined && all([c]);
    }
    default:
      return false;
  }
}

/** Rule 7: the registry facts that support issuing on the spot, or undefined. */
export function registrySupport(
  kind: CatalogueKind,
  request: IntakeRequest,
  registry: PopulationRegistry,
): Record<string, unknown> | undefined {
  const id = request.subject.idNumber;
  const person = registry.person(id);
  if (!nameMatches(registry, id, request.subject.name)) return undefined;
  const subject = { subjectName: request.subject.name, subjectIdNumber: maskIdNumber(id) };
  switch (kind.registryCheck) {
    case 'NAME_CHANGE': {
      const changes = registry.nameChanges(id);
      if (person === undefined || changes.length === 0) return undefined;
      return {
        ...subject,
        currentName: person.name,
        changes: changes.map(({ from, to, changedOn }) => ({ from, to, changedOn })),
      };
    }
    case 'GENDER_CHANGE': {
      const changes = registry.genderChanges(id);
      if (person === undefined || changes.length === 0) return undefined;
      return {
        ...subject,
        currentGender: person.gender,
        changes: changes.map(({ from, to, changedOn }) => ({ from, to, changedOn })),
      };
    }
    case 'CANCELLATION': {
      const c = registry.cancellation(id);
      if (c === undefined) return undefined;
      return { ...subject, reason: c.reason, cancelledOn: c.cancelledOn };
    }
    case 'KINSHIP_LINK': {
      const related = request.relatedPerson;
      if (related === undefined || !nameMatches(registry, related.idNumber, related.name)) return undefined;
      const links = provenKinship(registry, id, related.idNumber, related.relation);
      if (links === undefined) return undefined;
      return {
        ...subject,
        relatedName: related.name,
        relatedIdNumber: maskIdNumber(related.idNumber),
        relation: related.relation,
        via: links.map((l) => l.relation),
      };
    }
    case 'CRIMINAL_RECORD': {
      const r = registry.criminalRecord(id);
      if (person === undefined || r === undefined) return undefined;
      return {
        ...subject,
        hasRecord: r.hasRecord,
        ...(kind.writtenNoticeWhereRecord === true && r.hasRecord ? { document: 'WRITTEN_NOTICE' } : {}),
      };
    }
    case 'INCIDENT_CONCLUDED': {
      const x = incidentsFor(kind, request, registry)[0];
      if (x === undefined || !x.concluded || (request.event !== undefined && x.date !== request.event.date)) {
        return undefined;
      }
      return { ...subject, incidentId: x.incidentId, incidentKind: x.kind, date: x.date, station: x.station };
    }
    case 'ON_RECORD': {
      if (person === undefined || registry.cancellation(id) !== undefined) return undefined;
      return {
        ...subject,
        gender: person.gender,
        birthDate: person.birthDate,
        ethnicity: person.ethnicity,
        address: person.address,
        purpose: request.purpose.code,
        ...(kind.validity !== undefined ? { validityDays: kind.validity.days } : {}),
      };
    }
    case 'ALIVE':
    case 'HUKOU_PLACE':
    case 'DEATH':
    case 'NONE':
    case undefined:
      return undefined;
  }
}

function beijingDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Applies DOMAIN.md's decision order. See the module comment. */
export function checkRules(request: IntakeRequest, ctx: RuleContext): Decision {
  const { policy, registry } = ctx;
  const texts = decisionTexts(policy);
  const kind = policy.kinds.find((k) => k.code === request.proof);
  const kindTexts: KindDecisionTexts | undefined = texts.kinds[request.proof];
  const station = competentStation(kind, request, policy, registry);
  const stationRecord = station ? registry.station(station) : undefined;
  const askedBy = bodyName(policy, request.askedBy, request.askedByName);
  const purpose = policy.purposes.find((p) => p.code === request.purpose.code)?.name ?? {
    zh: request.purpose.code,
    en: request.purpose.code,
  };
  const vars: Record<string, Bilingual | string> = {
    kind: kind?.name ?? { zh: request.proof, en: request.proof },
    askedBy,
    purpose,
    provenBy: kind?.provenBy ?? { zh: '', en: '' },
    heldBy: bodyName(policy, kind?.heldBy),
    station: stationRecord
      ? { zh: stationRecord.name, en: `${stationRecord.name} (${stationRecord.code})` }
      : { zh: '派出所', en: 'the police station' },
  };

  const decide = (
    outcome: Outcome,
    key: RuleKey,
    extra: Partial<Decision> = {},
    more: Record<string, Bilingual | string> = {},
  ): Decision => {
    // Optional keys are only asked for where the policy has them (checked above and by parsePolicy).
    const id = (policy.rules[key] as { id: string }).id;
    const rule = texts.rules[key] as RuleWording;
    const all = { ...vars, ...more };
    const decision: Decision = {
      outcome,
      ruleId: id,
      policyVersion: policy.policyVersion,
      proof: request.proof,
      basis: rule.basis ?? kindTexts?.basis ?? texts.source,
      reason: render(rule.reason, all),
      guidance: render(rule.guidance, all),
      ...(kind?.heldBy !== undefined ? { heldBy: kind.heldBy } : {}),
      ...(station !== undefined ? { station } : {}),
      ...extra,
    };
    return decision;
  };

  // 0. Not in the catalogue (intake rejects these; the check stays total for other callers).
  if (kind === undefined) return decide('DECLINED_NO_LEGAL_BASIS', 'NOT_IN_CATALOGUE');
  // 1.–2. Principles 1 and 3 of the notice: provable by booklet or ID card; not police information.
  if (kind.treatment === 'PROVABLE_BY_HUKOU')
    return decide('DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU');
  if (kind.treatment === 'NOT_POLICE_INFORMATION') {
    return decide('DECLINED_NOT_POLICE_INFORMATION', 'NOT_POLICE_INFORMATION');
  }
  // 3. Principle 2 (no legal basis) and the fourth 一律 (what a body below the province demands on its own).
  if (kind.treatment === 'NO_LEGAL_BASIS') return decide('DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS');
  if (kind.treatment === 'UNLISTED') {
    const level = request.askedByLevel;
    return level === undefined || BELOW_PROVINCE.includes(level)
      ? decide('DECLINED_NO_LEGAL_BASIS', 'UNLISTED_BELOW_PROVINCE')
      : decide('DECLINED_NO_LEGAL_BASIS', 'UNLISTED_NO_LAW_CITED');
  }
  // The exchange the asking body is connected to for this kind, if any.
  const exchange =
    isConnected(policy, request.askedBy) &&
    (kind.exchangeFor === undefined || kind.exchangeFor.includes(request.askedBy))
      ? kind.exchange
      : undefined;
  if (kind.treatment === 'EXCHANGE' && exchange === undefined) {
    return decide('DECLINED_NO_LEGAL_BASIS', 'EXCHANGE_ONLY_NOT_CONNECTED');
  }
  // 4. Who may ask comes before what is answered: the applicant must be entitled.
  const applicantRule = applicantRuleFor(kind, request.purpose.code);
  if (applicantRule !== undefined && !applicantEntitled(applicantRule, request, registry, kind)) {
    const self = applicantRule.selfMustBe?.includes('RELATED_PERSON')
      ? { zh: '证明对象或关系人本人', en: 'the subject or the related person in person' }
      : applicantRule.selfMustBe?.some((x) => x === 'KIN_OF_SUBJECT' || x === 'CASE_PARTY')
        ? { zh: '本人、近亲属或案（事）件当事人', en: 'the person, a close relative or a party of the case' }
        : applicantRule.selfMustBe
          ? { zh: '证明对象本人', en: 'the subject in person' }
          : APPLICANT_NAMES.SELF;
    const allowedText = joinBilingual(
      applicantRule.allowed.map((a) => (a === 'SELF' ? self : APPLICANT_NAMES[a])),
    );
    const basis = applicantBasis(kind, kindTexts, request.purpose.code) ?? kindTexts?.basis ?? texts.source;
    return decide(
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'APPLICANT_NOT_ENTITLED',
      { basis },
      { allowed: allowedText, basis },
    );
  }
  // 5. The booklet shows it: a relation to the head of household (Ms Huang), a change or cancellation page.
  if (kind.bookletShows === 'RELATION_TO_HEAD' && request.relatedPerson !== undefined) {
    const shown = bookletRelation(registry, request.subject.idNumber, request.relatedPerson.idNumber);
    if (shown !== undefined && shown === request.relatedPerson.relation) {
      return decide('DECLINED_PROVABLE_BY_HUKOU', 'BOOKLET_SHOWS_RELATION_TO_HEAD');
    }
  }
  if (
    kind.bookletShows === 'CHANGE_PAGE' &&
    nameMatches(registry, request.subject.idNumber, request.subject.name) &&
    bookletShowsChange(kind, registry, request.subject.idNumber)
  ) {
    return decide('DECLINED_PROVABLE_BY_HUKOU', 'BOOKLET_SHOWS_CHANGE');
  }
  // 6. Information exchange with a connected asking body.
  if (exchange !== undefined) {
    const r = answerFromRegistry(
      registry,
      exchange.question,
      { idNumber: request.subject.idNumber, name: request.subject.name },
      request.relatedPerson
        ? {
            idNumber: request.relatedPerson.idNumber,
            name: request.relatedPerson.name,
            relation: request.relatedPerson.relation,
          }
        : undefined,
    );
    // An exchange-only kind is always answered to a connected body: the answer says what the registry
    // knows (not on record, name does not match, death registered…). Other kinds fall through to issuing.
    if (r.holds || kind.treatment === 'EXCHANGE') {
      return decide('ANSWERED_BY_EXCHANGE', 'ANSWERED_BY_EXCHANGE', {
        exchange: {
          department: request.askedBy,
          question: exchange.question,
          answer: r.answer,
          source: EXCHANGE_SOURCE,
        },
      });
    }
  }
  //    告知承诺制: the asking body accepts the applicant's signed commitment instead of a certificate.
  if (kind.commitment?.acceptedBy.includes(request.askedBy) && policy.rules.COMMITMENT_ACCEPTED) {
    const commitment = kindTexts?.commitment;
    if (commitment === undefined) {
      throw new PolicyError([{ path: `kinds.${kind.code}.commitment.text`, message: 'is missing' }]);
    }
    return decide('COMMITMENT_ACCEPTED', 'COMMITMENT_ACCEPTED', {
      commitment: {
        department: request.askedBy,
        text: render(commitment, vars),
        subject: maskIdNumber(request.subject.idNumber),
        checkable: true,
      },
    });
  }
  // 7. Issue on the spot when the registry suffices (a written notice where a record exists, 2021 rules).
  const facts = registrySupport(kind, request, registry);
  if (facts !== undefined) {
    const notice = facts.document === 'WRITTEN_NOTICE' && policy.rules.WRITTEN_NOTICE_RECORD_EXISTS;
    return decide('ISSUE_ON_THE_SPOT', notice ? 'WRITTEN_NOTICE_RECORD_EXISTS' : 'ISSUE_ON_THE_SPOT', {
      facts,
    });
  }
  // 8. Investigate within N working days of acceptance; "other cases required by law" always do.
  const investigation = investigationDeadline(policy, ctx.acceptedAt, ctx.calendar ?? defaultCalendar, kind);
  const deadlineDay = beijingDay(new Date(investigation.deadline));
  return decide(
    'INVESTIGATE',
    kind.registryCheck === 'NONE' ? 'OTHER_CASE_REQUIRED_BY_LAW' : 'INVESTIGATE',
    { investigation },
    {
      workingDays: String(investigation.workingDays),
      legalBasis: request.legalBasis ?? '',
      deadline: {
        zh: `${investigation.provisional ? '暂定' : ''}北京时间${deadlineDay}`,
        en: `${deadlineDay}, Beijing time${investigation.provisional ? ', provisional' : ''}`,
      },
    },
  );
}
