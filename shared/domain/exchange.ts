/**
 * Answers from the population registry to a connected department (信息流转): the answer of an exchange
 * record, used both by the rule check (rule 5, ANSWERED_BY_EXCHANGE) and by ad-hoc verification
 * (POST /v1/exchange/queries). Pure; answers never contain a full ID number (masked) and say only what the
 * registry holds.
 */
import { maskIdNumber } from '#shared/domain/id-number.ts';
import type { ExchangeQuestion, Relation } from '#shared/domain/types.ts';
import type { KinshipLink, PopulationRegistry } from '#shared/registry/registry.ts';

export const EXCHANGE_SOURCE = 'population-registry';

export interface ExchangeParty {
  idNumber: string;
  name?: string;
  relation?: Relation;
}

/** What the registry says about one question. `holds`: whether it holds the fact asked (rule 5). */
export interface RegistryAnswer {
  holds: boolean;
  answer: Record<string, unknown>;
}

const REQUIRED_GENDER: Partial<Record<Relation, 'M' | 'F'>> = {
  FATHER: 'M',
  MOTHER: 'F',
  SON: 'M',
  DAUGHTER: 'F',
  BROTHER: 'M',
  SISTER: 'F',
};

/**
 * The registry kinship link(s) that prove "related is the subject's <relation>", or undefined.
 * FATHER/MOTHER and SON/DAUGHTER need a PARENT_CHILD link in the right direction (a = parent), BROTHER/SISTER
 * a SIBLING link, SPOUSE a SPOUSE link; GRANDPARENT/GRANDCHILD a chain of two PARENT_CHILD links. Where the
 * related person is on record, the gender implied by the relation must match. OTHER is never proven.
 */
export function provenKinship(
  registry: PopulationRegistry,
  subject: string,
  related: string,
  relation: Relation | undefined,
): KinshipLink[] | undefined {
  const rel = relation;
  const needGender = rel ? REQUIRED_GENDER[rel] : undefined;
  const relatedPerson = registry.person(related);
  if (needGender && relatedPerson && relatedPerson.gender !== needGender) return undefined;
  const parentChild = (parent: string, child: string) => {
    const l = registry.kinship(parent, child);
    return l && l.relation === 'PARENT_CHILD' && l.a === parent && l.b === child ? l : undefined;
  };
  const symmetric = (kind: 'SIBLING' | 'SPOUSE') => {
    const l = registry.kinship(subject, related);
    return l && l.relation === kind ? l : undefined;
  };
  const one = (l: KinshipLink | undefined) => (l ? [l] : undefined);
  switch (rel) {
    case 'FATHER':
    case 'MOTHER':
      return one(parentChild(related, subject));
    case 'SON':
    case 'DAUGHTER':
      return one(parentChild(subject, related));
    case 'BROTHER':
    case 'SISTER':
      return one(symmetric('SIBLING'));
    case 'SPOUSE':
      return one(symmetric('SPOUSE'));
    case 'GRANDPARENT':
    case 'GRANDCHILD': {
      const [elder, younger] = rel === 'GRANDPARENT' ? [related, subject] : [subject, related];
      for (const l of registry.kinshipLinks(elder)) {
        if (l.relation !== 'PARENT_CHILD' || l.a !== elder) continue;
        const second = parentChild(l.b, younger);
        if (second) return [l, second];
      }
      return undefined;
    }
    case undefined: {
      const l = registry.kinship(subject, related);
      return l ? [l] : undefined;
    }
    default:
      return undefined;
  }
}

/** Whether `name` is the person's current name or one in their name history (true when not on record). */
export function nameMatches(
  registry: PopulationRegistry,
  idNumber: string,
  name: string | undefined,
): boolean {
  const p = registry.person(idNumber);
  if (p === undefined || name === undefined) return true;
  const n = name.trim();
  if (p.name === n) return true;
  return registry.nameChanges(idNumber).some((c) => c.from === n || c.to === n);
}

/** Answers one exchange question from the registry. */
export function answerFromRegistry(
  registry: PopulationRegistry,
  question: ExchangeQuestion,
  subject: ExchangeParty,
  related?: ExchangeParty,
): RegistryAnswer {
  const person = registry.person(subject.idNumber);
  const nameOk = nameMatches(registry, subject.idNumber, subject.name);
  const who = {
    subject: maskIdNumber(subject.idNumber),
    onRecord: person !== undefined,
    // Whether the name asked about is the registered (or a former) name; only when there is one to compare.
    ...(person !== undefined && subject.name !== undefined ? { nameMatches: nameOk } : {}),
  };
  switch (question) {
    case 'NAME_HISTORY': {
      const changes = registry
        .nameChanges(subject.idNumber)
        .map(({ from, to, changedOn }) => ({ from, to, changedOn }));
      return {
        holds: person !== undefined && nameOk && changes.length > 0,
        answer: { ...who, ...(person ? { currentName: person.name } : {}), changes },
      };
    }
    case 'HUKOU_STATUS': {
      const c = registry.cancellation(subject.idNumber);
      const status = person === undefined && c === undefined ? 'NOT_ON_RECORD' : c ? 'CANCELLED' : 'ACTIVE';
      return {
        holds: c !== undefined && nameOk,
        answer: {
          ...who,
          status,
          ...(c ? { reason: c.reason, cancelledOn: c.cancelledOn } : {}),
          ...(person ? { station: person.station } : {}),
        },
      };
    }
    case 'ALIVE': {
      const c = registry.cancellation(subject.idNumber);
      const death = c?.reason === 'DEATH' ? c : undefined;
      return {
        holds: nameOk,
        answer: {
          ...who,
          deathRegistered: death !== undefined,
          ...(death ? { deathRegisteredOn: death.cancelledOn } : {}),
          ...(c && !death ? { hukouCancelled: c.reason } : {}),
        },
      };
    }
    case 'KINSHIP': {
      if (related === undefined) return { holds: false, answer: { ...who, related: null } };
      const links = provenKinship(registry, subject.idNumber, related.idNumber, related.relation);
      const relatedOk = nameMatches(registry, related.idNumber, related.name);
      const sameHousehold = registry.sameHousehold(subject.idNumber, related.idNumber);
      return {
        holds: links !== undefined && nameOk && relatedOk,
        answer: {
          ...who,
          relatedPerson: maskIdNumber(related.idNumber),
          ...(related.relation ? { claimedRelation: related.relation } : {}),
          related: links !== undefined,
          ...(links ? { via: links.map((l) => l.relation) } : {}),
          sameHousehold,
        },
      };
    }
    case 'CRIMINAL_RECORD': {
      // Courts and procuratorates get criminal-record checks by exchange (Jilin, 2015: 12 kinds by exchange).
      const r = registry.criminalRecord(subject.idNumber);
      return {
        holds: person !== undefined && nameOk && r !== undefined,
        answer: { ...who, ...(r ? { hasRecord: r.hasRecord } : { checked: false }) },
      };
    }
    case 'HOUSEHOLD_RELATION': {
      if (related === undefined) return { holds: false, answer: { ...who, sameHousehold: null } };
      const other = registry.person(related.idNumber);
      const same = registry.sameHousehold(subject.idNumber, related.idNumber);
      return {
        holds: same && nameOk,
        answer: {
          ...who,
          relatedPerson: maskIdNumber(related.idNumber),
          sameHousehold: same,
          ...(same && person && other
            ? { subjectRelationToHead: person.relationToHead, relatedRelationToHead: other.relationToHead }
            : {}),
        },
      };
    }
  }
}

/** The exchange record answer of an ad-hoc verification query (POST /v1/exchange/queries). */
export function answerExchangeQuery(
  registry: PopulationRegistry,
  query: {
    question: ExchangeQuestion;
    subject: { idNumber: string; name?: string | undefined };
    relatedPerson?:
      | { idNumber: string; name?: string | undefined; relation?: Relation | undefined }
      | undefined;
  },
): { answer: Record<string, unknown>; holds: boolean; source: string } {
  const strip = <T extends object>(o: T) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  const r = answerFromRegistry(
    registry,
    query.question,
    strip({ idNumber: query.subject.idNumber, name: query.subject.name }) as ExchangeParty,
    query.relatedPerson
      ? (strip({
          idNumber: query.relatedPerson.idNumber,
          name: query.relatedPerson.name,
          relation: query.relatedPerson.relation,
        }) as ExchangeParty)
      : undefined,
  );
  return { answer: r.answer, holds: r.holds, source: EXCHANGE_SOURCE };
}
