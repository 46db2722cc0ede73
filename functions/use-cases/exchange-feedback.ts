/** Result feedback (结果反馈) the other way: the receiving body reports what it did with an answer. */
import type { ExchangeFeedback, RegistryCheck } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { ExchangeRecordNotFoundError, StateConflictError } from './errors.ts';

/** The id of the check a dispute of exchange record `exchangeId` opens (one per record). */
export const checkIdFor = (exchangeId: string) => `chk_${exchangeId}`;

/**
 * Keeps `department`'s feedback on its exchange record `exchangeId`.
 *  1. Read the record (it must be the department's, else not found); store the feedback (first one wins).
 *  2. The same feedback again is a replay; other feedback after the first is an StateConflictError.
 *  3. A dispute opens a check at the subject's registration station (its queue shows it); an answer
 *     without a known station opens none (`check` absent).
 */
export async function giveFeedback(
  deps: Deps,
  department: string,
  exchangeId: string,
  given: { outcome: 'ACCEPTED' | 'DISPUTED'; reason?: string | undefined },
) {
  const at = new Date(deps.clock.now()).toISOString();
  const record = await deps.store.getExchangeRecord(exchangeId);
  if (!record || record.department !== department) throw new ExchangeRecordNotFoundError(exchangeId);
  const station = record.station;
  const opensCheck = given.outcome === 'DISPUTED' && station !== undefined;
  const feedback: ExchangeFeedback = {
    outcome: given.outcome,
    ...(given.reason ? { reason: given.reason } : {}),
    at,
    ...(opensCheck ? { checkId: checkIdFor(exchangeId) } : {}),
  };
  // 1.
  const stored = await deps.exchange.putFeedback(exchangeId, department, feedback);
  if (!stored?.feedback) throw new ExchangeRecordNotFoundError(exchangeId);
  // 2.
  const kept = stored.feedback;
  if (kept.outcome !== feedback.outcome || (kept.reason ?? '') !== (feedback.reason ?? '')) {
    throw new StateConflictError(`exchange record ${exchangeId} has other feedback`, {
      zh: '该交换记录已有不同的反馈',
      en: 'this exchange record already has other feedback',
    });
  }
  // 3.
  let check: RegistryCheck | undefined;
  if (kept.checkId && stored.station) {
    check = await deps.exchange.putCheck({
      checkId: kept.checkId,
      exchangeId,
      station: stored.station,
      department,
      question: stored.question,
      subject: stored.subject,
      reason: kept.reason ?? '',
      openedAt: kept.at,
      status: 'OPEN',
    });
  }
  return { exchangeId, feedback: kept, ...(check ? { check } : {}) };
}
