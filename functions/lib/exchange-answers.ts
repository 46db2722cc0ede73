/**
 * Answers to ad-hoc verification questions (临时信息核查) from the population registry. An adapter in
 * functions/ because the domain's rule check answers exchange only inside a decision; the answers say
 * only what was asked (yes/no and the relation), never another person's data.
 */
import type { ExchangeQuestion } from '#shared/domain/types.ts';
import type { PopulationRegistry } from '#shared/registry/registry.ts';

export function answerQuestion(
  registry: PopulationRegistry,
  question: ExchangeQuestion,
  subjectId: string,
  relatedId: string | undefined,
): Record<string, unknown> {
  const person = registry.person(subjectId);
  const onRecord = person !== undefined;
  switch (question) {
    case 'HOUSEHOLD_RELATION': {
      const same = relatedId !== undefined && registry.sameHousehold(subjectId, relatedId);
      const related = relatedId !== undefined ? registry.person(relatedId) : undefined;
      return {
        onRecord,
        sameHousehold: same,
        ...(same && person && related
          ? { subjectRelationToHead: person.relationToHead, relatedRelationToHead: related.relationToHead }
          : {}),
      };
    }
    case 'KINSHIP': {
      const link = relatedId !== undefined ? registry.kinship(subjectId, relatedId) : undefined;
      const same = relatedId !== undefined && registry.sameHousehold(subjectId, relatedId);
      return {
        onRecord,
        related: link !== undefined || same,
        ...(link ? { relation: link.relation } : {}),
        sameHousehold: same,
      };
    }
    case 'HUKOU_STATUS': {
      const cancellation = registry.cancellation(subjectId);
      return {
        onRecord,
        status: !onRecord ? 'NOT_ON_RECORD' : cancellation ? 'CANCELLED' : 'ACTIVE',
        ...(cancellation
          ? { cancellation: { reason: cancellation.reason, cancelledOn: cancellation.cancelledOn } }
          : {}),
        ...(person ? { station: person.station } : {}),
      };
    }
    case 'ALIVE': {
      const cancellation = registry.cancellation(subjectId);
      const dead = cancellation?.reason === 'DEATH';
      return {
        onRecord,
        alive: onRecord ? !dead : null,
        ...(dead ? { deathRecordedOn: cancellation.cancelledOn } : {}),
      };
    }
    case 'NAME_HISTORY':
      return {
        onRecord,
        currentName: person?.name ?? null,
        changes: registry
          .nameChanges(subjectId)
          .map((c) => ({ from: c.from, to: c.to, changedOn: c.changedOn })),
      };
  }
}
