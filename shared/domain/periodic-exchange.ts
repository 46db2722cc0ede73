/**
 * Periodic exchange by subscription (定期交换): a connected body registers the people it serves (its own
 * caseload, by ID number — never a bulk copy of the registry, which the 2021 hukou rules forbid) and the
 * kinds of registry change it wants; each scheduled run sends it the changes about those people since the
 * batch it last acknowledged. Pure: what a change is, which subscription wants it, the message a batch is,
 * and the exchange record each delivered fact becomes (masked subject, like every exchange record).
 */
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { EXCHANGE_SOURCE } from '#shared/domain/exchange.ts';
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import type { ExchangeQuestion } from '#shared/domain/types.ts';
import type { ExchangeRecord, FeedEntry, RegistryChangeRecord } from '#shared/store/model.ts';

/**
 * The registry changes a body may subscribe to (the notice: death and hukou cancellation, name and gender
 * change, migration). `HUKOU_CANCELLED` is a cancellation for any reason but death (emigration, enlistment…).
 */
export const REGISTRY_CHANGE_TYPES = [
  'DEATH',
  'HUKOU_CANCELLED',
  'NAME_CHANGED',
  'GENDER_CHANGED',
  'MIGRATED',
] as const;
export type RegistryChangeType = (typeof REGISTRY_CHANGE_TYPES)[number];

/**
 * The ad-hoc question whose remit a change type falls under: a body may subscribe to a change only if it
 * may ask the matching question (`mayAskExchange`, the policy's `exchangeFor`) — periodic exchange never
 * widens what a body may learn. A gender change is part of the identity record, like a name change.
 */
export const CHANGE_QUESTION: Readonly<Record<RegistryChangeType, ExchangeQuestion>> = {
  DEATH: 'ALIVE',
  HUKOU_CANCELLED: 'HUKOU_STATUS',
  MIGRATED: 'HUKOU_STATUS',
  NAME_CHANGED: 'NAME_HISTORY',
  GENDER_CHANGED: 'NAME_HISTORY',
};

/** The message type of a batch, as delivered to the subscriber's endpoint (Standard Webhooks). */
export const CHANGES_MESSAGE_TYPE = 'certflow.exchange.changes';

/** Changes in one delivered message at most (certflow's default; a run sends several when more wait). */
export const MAX_BATCH_CHANGES = 500;

/**
 * Failed deliveries of one batch before it is dead-lettered (certflow's default): the first run's attempt
 * and the retries of the next two runs. A dead-lettered batch is kept (`/_local/departments/CODE/dead-letters`,
 * the dead-letter items on AWS) and the subscriber's cursor moves past it, so one dead endpoint does not
 * hold its later changes back for ever.
 */
export const MAX_BATCH_ATTEMPTS = 3;

/** The people one subscription request may register or remove (a 64 KiB body holds about 2,500). */
export const MAX_PEOPLE_PER_CALL = 1000;

/** Does a subscription to `changeTypes` want a change of `type`? */
export function wants(changeTypes: readonly string[], type: string): boolean {
  return changeTypes.includes(type);
}

/**
 * The position of a change in a subscriber's feed: `{recordedAt}#{changeId}` — ISO times sort in time
 * order, the change id breaks ties. The cursor is the last acknowledged position.
 */
export function feedPosition(change: Pick<RegistryChangeRecord, 'recordedAt' | 'changeId'>): string {
  return `${change.recordedAt}#${change.changeId}`;
}

/** The exchange record id of change `changeId` delivered to `department`: one record per pair, ever. */
export function periodicExchangeId(department: string, changeId: string): string {
  return `p_${department}_${changeId}`;
}

/**
 * The stable id of the message carrying the feed entries `first`..`last` to `department` (its
 * `webhook-id`): a retry of the same batch carries the same id, so the receiver can de-duplicate.
 */
export function batchId(department: string, first: string, last: string): string {
  return `xb_${sha256Hex(`${department}\n${first}\n${last}`).slice(0, 32)}`;
}

/** What the subscriber learns of one change (it registered this person, so the ID number is in full). */
export function changeFact(entry: FeedEntry) {
  return {
    changeId: entry.changeId,
    exchangeId: periodicExchangeId(entry.department, entry.changeId),
    type: entry.type,
    idNumber: entry.idNumber,
    ...(entry.name ? { name: entry.name } : {}),
    effectiveOn: entry.effectiveOn,
    station: entry.station,
    details: entry.details,
  };
}

/** The data of the batch message `certflow.exchange.changes`. */
export function batchMessage(department: string, id: string, entries: readonly FeedEntry[]) {
  return {
    department,
    batchId: id,
    count: entries.length,
    changes: entries.map(changeFact),
    acknowledge: 'answer 2xx to acknowledge; anything else is retried, then dead-lettered',
  };
}

/**
 * The exchange record of one delivered change (mechanism PERIODIC_EXCHANGE): the subject masked as on
 * every exchange record, the change as the answer, the batch as the reference.
 */
export function periodicExchangeRecord(entry: FeedEntry, deliveredAt: string, batch: string): ExchangeRecord {
  const names = (v: unknown) => (typeof v === 'string' ? maskName(v) : v);
  const details = { ...entry.details };
  if (entry.type === 'NAME_CHANGED') {
    details.from = names(details.from);
    details.to = names(details.to);
  }
  return {
    exchangeId: periodicExchangeId(entry.department, entry.changeId),
    department: entry.department,
    origin: 'SUBSCRIPTION',
    mechanism: 'PERIODIC_EXCHANGE',
    question: entry.type,
    subject: {
      ...(entry.name ? { name: maskName(entry.name) } : {}),
      idNumber: maskIdNumber(entry.idNumber),
    },
    answer: {
      subject: maskIdNumber(entry.idNumber),
      change: entry.type,
      effectiveOn: entry.effectiveOn,
      changeId: entry.changeId,
      ...details,
    },
    source: EXCHANGE_SOURCE,
    answeredAt: deliveredAt,
    reference: batch,
    station: entry.station,
  };
}

/** What a failed delivery of a batch leads to: another try at the next run, or the dead letter. */
export function afterFailedDelivery(attemptsSoFar: number): 'RETRY' | 'DEAD_LETTER' {
  return attemptsSoFar + 1 >= MAX_BATCH_ATTEMPTS ? 'DEAD_LETTER' : 'RETRY';
}
