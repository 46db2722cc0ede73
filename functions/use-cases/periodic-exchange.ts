/**
 * Periodic exchange by subscription (定期交换): subscribe a body's caseload, take in the registry's
 * changes, and the scheduled batch that sends each subscriber its changes since the last acknowledged one.
 * Domain rules: shared/domain/periodic-exchange.ts; store: the ExchangeFeedStore port.
 */
import { eachLimited } from '#shared/concurrency.ts';
import type { DepartmentConfig } from '#shared/config/departments.ts';
import { dockingRoute } from '#shared/domain/docking.ts';
import {
  afterFailedDelivery,
  batchId,
  batchMessage,
  CHANGES_MESSAGE_TYPE,
  feedPosition,
  MAX_BATCH_CHANGES,
  periodicExchangeRecord,
  wants,
} from '#shared/domain/periodic-exchange.ts';
import { isConnected } from '#shared/policy/policy.ts';
import type { RegistryChange, SubscriptionBody } from '#shared/schemas/exchange.ts';
import type { FeedEntry, RegistryChangeRecord, SubscriptionRecord } from '#shared/store/model.ts';
import { deliverSigned } from '#shared/webhooks/delivery.ts';
import type { Deps } from '../deps.ts';
import { fileUnderSubjects } from './citizens.ts';
import { StateConflictError } from './errors.ts';

/**
 * A change is sent at the first run at least this long after it entered the feeds (ms): a change taken
 * in while a run reads the feed may be written with a position just below what the run acknowledges, and
 * would be skipped without it. An intake finishes well within it (its timeout is 30 s).
 */
export const SETTLE_MS = 60_000;

/** Batches sent to one subscriber in one run at most (the rest wait for the next run). */
export const MAX_BATCHES_PER_RUN = 20;

/** Subscribers served at once in one run. */
const SUBSCRIBERS_AT_ONCE = 4;

/** The subscription as the API shows it (GET and POST /v1/exchange/subscriptions). */
export function subscriptionView(s: SubscriptionRecord) {
  return {
    department: s.department,
    changeTypes: s.changeTypes,
    people: s.people,
    createdAt: s.createdAt,
    updatedAt: s.updatedAt,
    ...(s.lastAcknowledgedAt ? { lastAcknowledgedAt: s.lastAcknowledgedAt } : {}),
    ...(s.lastBatchId ? { lastBatchId: s.lastBatchId } : {}),
    pendingAttempts: s.attempts,
    ...(s.lastError ? { lastError: s.lastError } : {}),
    delivered: s.delivered,
    deadLettered: s.deadLettered,
  };
}

/**
 * Subscribes `department` (or changes its change types) and registers / removes people of its caseload.
 *  1. Create or update the subscription item (change types).
 *  2. Register the people given (one per-person index item each, put-if-absent), remove those to remove.
 *  3. Answer the subscription with how many were added and removed.
 */
export async function subscribe(deps: Deps, department: string, body: SubscriptionBody) {
  const at = new Date(deps.clock.now()).toISOString();
  // 1.
  await deps.exchange.putSubscription(department, body.changeTypes, at);
  // 2.
  const added = body.people ? await deps.exchange.addPeople(department, body.people, at) : 0;
  const removed = body.remove ? await deps.exchange.removePeople(department, body.remove) : 0;
  // 3.
  const stored = await deps.exchange.getSubscription(department);
  return { subscription: subscriptionView(stored!), added, removed };
}

function sameFacts(a: RegistryChangeRecord, b: RegistryChangeRecord): boolean {
  const facts = (c: RegistryChangeRecord) =>
    JSON.stringify([c.type, c.idNumber, c.name ?? null, c.effectiveOn, c.station, c.details]);
  return facts(a) === facts(b);
}

/** The details a change carries, by type (the schema checked that each has what its type needs). */
export function changeDetails(change: RegistryChange): Record<string, unknown> {
  switch (change.type) {
    case 'HUKOU_CANCELLED':
      return { reason: change.reason };
    case 'NAME_CHANGED':
    case 'GENDER_CHANGED':
      return { from: change.from, to: change.to };
    case 'MIGRATED':
      return { fromStation: change.station, toRegion: change.toRegion };
    default:
      return {};
  }
}

/**
 * Takes in one registry change (the registry's change feed), idempotent by `changeId`.
 *  1. Keep the change if its id is new; the same id with other facts is an StateConflictError.
 *  2. A change already fanned out is a replay: answer as before.
 *  3. Find its subscribers by the per-person index (key lookups, no Scan), keep those whose subscription
 *     wants this type, and put it in each one's feed at `{now}#{changeId}`.
 *  4. Mark it fanned out.
 */
export async function recordChange(deps: Deps, change: RegistryChange, actor: string) {
  const now = new Date(deps.clock.now()).toISOString();
  const record: RegistryChangeRecord = {
    changeId: change.changeId,
    type: change.type,
    idNumber: change.idNumber,
    ...(change.name ? { name: change.name } : {}),
    effectiveOn: change.effectiveOn,
    station: change.station,
    details: changeDetails(change),
    recordedAt: now,
    recordedBy: actor,
  };
  // 1.
  const { created, stored } = await deps.exchange.putChange(record);
  if (!created && !sameFacts(stored, record)) {
    throw new StateConflictError(`change ${record.changeId} was used for another change`, {
      zh: '该变动编号已用于另一项变动',
      en: 'this changeId was used for another change',
    });
  }
  // 2.
  if (!created && stored.fannedOutAt !== undefined) {
    return { change: stored, replayed: true, subscribers: stored.subscribers ?? 0 };
  }
  // 3.
  const departments = await deps.exchange.subscribersOf(stored.idNumber);
  const entries: FeedEntry[] = [];
  for (const department of departments) {
    const subscription = await deps.exchange.getSubscription(department);
    if (!subscription || !wants(subscription.changeTypes, stored.type)) continue;
    const { fannedOutAt: _f, subscribers: _s, ...facts } = stored;
    entries.push({
      ...facts,
      department,
      position: feedPosition({ recordedAt: now, changeId: stored.changeId }),
    });
  }
  await deps.exchange.putFeedEntries(entries);
  // 4.
  await deps.exchange.markFannedOut(stored.changeId, now, entries.length);
  deps.metrics.addMetric('RegistryChangeRecorded', 'Count', 1);
  return {
    change: { ...stored, fannedOutAt: now, subscribers: entries.length },
    replayed: !created,
    subscribers: entries.length,
  };
}

export interface BatchReport {
  subscribers: number;
  batches: number;
  delivered: number;
  failed: number;
  deadLettered: number;
  /** Exchange records kept (put-if-absent: a re-delivery after a crash finds its records). */
  recorded: number;
}

/**
 * One scheduled run of periodic exchange. For each subscription:
 *  1. Read its feed after the cursor (the last acknowledged position), up to MAX_BATCH_CHANGES entries
 *     that have settled (SETTLE_MS).
 *  2. Send them as one signed message (`certflow.exchange.changes`, webhook-id from the batch's first and
 *     last positions: a retry is the same message).
 *  3. A 2xx acknowledges: each change becomes an exchange record (put-if-absent by `p_{dept}_{changeId}`,
 *     so a re-delivery after a crash records nothing twice), filed under the person it is about (the
 *     data tracker, "who asked about me"), then the cursor moves past the batch
 *     (conditional on the cursor read). Then the next batch, up to MAX_BATCHES_PER_RUN.
 *  4. Anything else counts a failed attempt; the next run retries; after MAX_BATCH_ATTEMPTS the batch is
 *     a dead letter and the cursor moves past it.
 * `departmentOf` answers a body's configuration (endpoint, secrets); a body without an endpoint waits.
 */
export async function runExchangeBatch(
  deps: Deps,
  departmentOf: (code: string) => Promise<DepartmentConfig | undefined>,
): Promise<BatchReport> {
  const report: BatchReport = {
    subscribers: 0,
    batches: 0,
    delivered: 0,
    failed: 0,
    deadLettered: 0,
    recorded: 0,
  };
  const subscriptions = await deps.exchange.listSubscriptions();
  report.subscribers = subscriptions.length;
  await eachLimited(subscriptions, SUBSCRIBERS_AT_ONCE, async (subscription) => {
    try {
      await serveSubscriber(deps, departmentOf, subscription, report);
    } catch (error) {
      report.failed += 1;
      deps.logger.error('exchange batch: subscriber failed, will retry on the next run', {
        department: subscription.department,
        error: error as Error,
      });
    }
  });
  deps.metrics.addMetric('ExchangeChangesDelivered', 'Count', report.delivered);
  deps.logger.info('exchange batch done', { ...report });
  return report;
}

async function serveSubscriber(
  deps: Deps,
  departmentOf: (code: string) => Promise<DepartmentConfig | undefined>,
  subscription: SubscriptionRecord,
  report: BatchReport,
): Promise<void> {
  const { department } = subscription;
  const config = await departmentOf(department);
  if (!config?.endpoint || !config.connected || config.secrets.length === 0) return;
  if (!isConnected(deps.policy, department)) return;
  let cursor = subscription.cursor;
  let attempts = subscription.attempts;
  let pending = subscription.pendingBatch;
  for (let n = 0; n < MAX_BATCHES_PER_RUN; n += 1) {
    // 1.
    const settled = new Date(deps.clock.now() - SETTLE_MS).toISOString();
    const entries = (await deps.exchange.readFeed(department, cursor, MAX_BATCH_CHANGES)).filter(
      (e) => e.position.slice(0, settled.length) <= settled,
    );
    if (entries.length === 0) return;
    const first = entries[0]!.position;
    const last = entries.at(-1)!.position;
    const id = batchId(department, first, last);
    const data = batchMessage(department, id, entries);
    // A batch keeps the time it was first sent: its records' answeredAt (and index keys) are then the same
    // on a re-delivery after a crash (dynalite writes index entries before items; a kill -9 between them
    // must not leave a second entry for one record).
    let at = pending?.first === first ? pending.at : undefined;
    if (at === undefined) {
      at = new Date(deps.clock.now()).toISOString();
      await deps.exchange.markPending(department, cursor, { first, at });
    }
    report.batches += 1;
    // 2.
    try {
      await deliverSigned({
        endpoint: config.endpoint,
        secrets: config.secrets,
        message: { id, type: CHANGES_MESSAGE_TYPE, data },
        clock: deps.clock,
        fetch: deps.fetch,
      });
    } catch (error) {
      // 4.
      report.failed += 1;
      const message = (error as Error).message;
      if (afterFailedDelivery(attempts) === 'RETRY') {
        await deps.exchange.recordFailure(department, cursor, message, at);
        return;
      }
      await deps.store.putDeadLetter({
        messageId: id,
        department,
        type: CHANGES_MESSAGE_TYPE,
        attempts: attempts + 1,
        lastError: message,
        at,
        payload: { type: CHANGES_MESSAGE_TYPE, data: { ...data, changes: entries.map((e) => e.changeId) } },
      });
      await deps.exchange.advanceCursor(department, cursor, last, {
        at,
        batchId: id,
        deadLettered: entries.length,
      });
      report.deadLettered += entries.length;
      deps.metrics.addMetric('DeliveryDeadLettered', 'Count', 1);
      return;
    }
    // 3. (A body docked level by level gets each fact from the organ at its level over the subject's
    //    region: the record keeps that route, as a query's does.)
    const registry = config.level ? await deps.registry() : undefined;
    await eachLimited(entries, 16, async (entry) => {
      const record = periodicExchangeRecord(entry, at, id);
      if (config.level && registry) {
        const station = registry.station(entry.station);
        record.route = dockingRoute(
          { level: config.level, ...config.region },
          station ? { city: station.city, county: station.county } : undefined,
          at,
        );
      }
      const stored = await deps.store.putExchangeRecord(record);
      // The data tracker: filed under the person the change is about ("who asked about me"), as an
      // ad-hoc query's record is (idempotent: the same answeredAt on a re-delivery, the same key).
      await fileUnderSubjects(deps, stored, [entry.idNumber]);
      report.recorded += 1;
    });
    const moved = await deps.exchange.advanceCursor(department, cursor, last, {
      at,
      batchId: id,
      delivered: entries.length,
    });
    report.delivered += entries.length;
    if (!moved) return;
    cursor = last;
    attempts = 0;
    pending = undefined;
  }
}
