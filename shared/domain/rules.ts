/**
 * The rule check: a pure function from a validated intake request, the policy and the registry to a
 * decision. It follows DOMAIN.md's decision order exactly; the first rule that matches decides:
 *
 *   0. the kind is not in the policy's catalogue           → DECLINED_NO_LEGAL_BASIS   (R0-not-in-catalogue)
 *   1. treatment PROVABLE_BY_HUKOU                          → DECLINED_PROVABLE_BY_HUKOU (R1)
 *   2. treatment NOT_POLICE_INFORMATION                     → DECLINED_NOT_POLICE_INFORMATION (R2), heldBy
 *   3. treatment NO_LEGAL_BASIS                             → DECLINED_NO_LEGAL_BASIS (R3)
 *   4. a kinship kind, both people in one household         → DECLINED_PROVABLE_BY_HUKOU (R4)
 *   5. askedBy connected, the kind has an exchange question and the registry holds the fact
 *                                                           → ANSWERED_BY_EXCHANGE (R5), with the answer;
 *      an EXCHANGE-only kind not answered (askedBy not connected) → DECLINED_NO_LEGAL_BASIS (R5-exchange-only…)
 *   6. the applicant is not entitled (kind, per purpose)    → DECLINED_APPLICANT_NOT_ENTITLED (R6)
 *   7. the registry supports the kind                       → ISSUE_ON_THE_SPOT (R7), with the facts
 *   8. otherwise                                            → INVESTIGATE (R8), deadline N working days
 *
 * Rule ids, texts and every list consulted are policy data; only this order is code. The function never
 * throws for a validated request; it reads no clock (acceptedAt is given) and does no I/O.
 */
import { defaultCalendar, type WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { investigationDeadline } from '#shared/domain/deadline.ts';
import { answerFromRegistry, EXCHANGE_SOURCE, nameMatches, provenKinship } from '#shared/domain/exchange.ts';
import { maskIdNumber } from '#shared/domain/id-number.ts';
import type { ApplicantKind, Bilingual, Decision, Outcome } from '#shared/domain/types.ts';
import {
  type ApplicantRule,
  bodyOf,
  type CatalogueKind,
  isConnected,
  type Policy,
  type RuleKey,
  render,
} from '#shared/policy/policy.ts';
import type { Incident, PopulationRegistry } from '#shared/registry/registry.ts';
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

/** Whether the applicant may apply under the rule (kind allowed; a SELF applicant is who `selfMustBe` says). */
export function applicantEntitled(rule: ApplicantRule, request: IntakeRequest): boolean {
  if (!rule.allowed.includes(request.applicant.kind)) return false;
  if (request.applicant.kind === 'SELF' && rule.selfMustBe !== undefined) {
    const who = request.applicant.idNumber;
    return rule.selfMustBe.some((s) =>
      s === 'SUBJECT' ? who === request.subject.idNumber : who === request.relatedPerson?.idNumber,
    );
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
 * The competent station: the kind's station rule (HUKOU and AREA: the subject's household station;
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
      return { ...subject, hasRecord: r.hasRecord };
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
        ...(kind.validityDays !== undefined ? { validityDays: kind.validityDays } : {}),
      };
    }
    case 'ALIVE':
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
  const kind = policy.kinds.find((k) => k.code === request.proof);
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
    const rule = policy.rules[key];
    const all = { ...vars, ...more };
    const decision: Decision = {
      outcome,
      ruleId: rule.id,
      policyVersion: policy.policyVersion,
      proof: request.proof,
      basis: rule.basis ?? kind?.basis ?? policy.source,
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
  // 1.–3. The three principles.
  if (kind.treatment === 'PROVABLE_BY_HUKOU')
    return decide('DECLINED_PROVABLE_BY_HUKOU', 'PROVABLE_BY_HUKOU');
  if (kind.treatment === 'NOT_POLICE_INFORMATION') {
    return decide('DECLINED_NOT_POLICE_INFORMATION', 'NOT_POLICE_INFORMATION');
  }
  if (kind.treatment === 'NO_LEGAL_BASIS') return decide('DECLINED_NO_LEGAL_BASIS', 'NO_LEGAL_BASIS');
  // 4. Kinship within one household: the hukou booklet shows it (Ms Huang's case).
  if (
    kind.registryCheck === 'KINSHIP_LINK' &&
    request.relatedPerson !== undefined &&
    registry.sameHousehold(request.subject.idNumber, request.relatedPerson.idNumber)
  ) {
    return decide('DECLINED_PROVABLE_BY_HUKOU', 'KINSHIP_ONE_HOUSEHOLD');
  }
  // 5. Information exchange with a connected asking body.
  if (kind.exchange !== undefined && isConnected(policy, request.askedBy)) {
    const r = answerFromRegistry(
      registry,
      kind.exchange.question,
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
          question: kind.exchange.question,
          answer: r.answer,
          source: EXCHANGE_SOURCE,
        },
      });
    }
  }
  if (kind.treatment === 'EXCHANGE') return decide('DECLINED_NO_LEGAL_BASIS', 'EXCHANGE_ONLY_NOT_CONNECTED');
  // 6. The applicant must be entitled.
  const applicantRule = applicantRuleFor(kind, request.purpose.code);
  if (applicantRule !== undefined && !applicantEntitled(applicantRule, request)) {
    const self = applicantRule.selfMustBe?.includes('RELATED_PERSON')
      ? { zh: '证明对象或关系人本人', en: 'the subject or the related person in person' }
      : applicantRule.selfMustBe
        ? { zh: '证明对象本人', en: 'the subject in person' }
        : APPLICANT_NAMES.SELF;
    const allowedText = joinBilingual(
      applicantRule.allowed.map((a) => (a === 'SELF' ? self : APPLICANT_NAMES[a])),
    );
    const basis = applicantRule.basis ?? kind.basis;
    return decide(
      'DECLINED_APPLICANT_NOT_ENTITLED',
      'APPLICANT_NOT_ENTITLED',
      { basis },
      { allowed: allowedText, basis },
    );
  }
  // 7. Issue on the spot when the registry suffices.
  const facts = registrySupport(kind, request, registry);
  if (facts !== undefined) return decide('ISSUE_ON_THE_SPOT', 'ISSUE_ON_THE_SPOT', { facts });
  // 8. Investigate within N working days of acceptance.
  const investigation = investigationDeadline(policy, ctx.acceptedAt, ctx.calendar ?? defaultCalendar);
  const deadlineDay = beijingDay(new Date(investigation.deadline));
  return decide(
    'INVESTIGATE',
    'INVESTIGATE',
    { investigation },
    {
      workingDays: String(investigation.workingDays),
      deadline: {
        zh: `${investigation.provisional ? '暂定' : ''}北京时间${deadlineDay}`,
        en: `${deadlineDay}, Beijing time${investigation.provisional ? ', provisional' : ''}`,
      },
    },
  );
}
