/**
 * Closing a poor-rating review (差评回访). A rating at or below the policy's threshold opened a review
 * (rate-request.ts); a supervisor acting for the rated request's station closes it with an outcome
 * (`RECTIFIED` or `NO_FAULT`, shared/domain/complaint.ts REVIEW_OUTCOMES) and a remark.
 *
 * Primary course:
 *  1. Read the rating; no rating, no review, or a station the supervisor does not act for → ReviewNotFoundError.
 *  2. A review closed already → ReviewClosedError.
 *  3. One conditional write closes it (OPEN → CLOSED, out of the open-review list); a race lost to another
 *     close → ReviewClosedError.
 */
import type { ReviewClosure, ReviewOutcome } from '#shared/domain/complaint.ts';
import type { Principal } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { ReviewClosedError, ReviewNotFoundError } from './errors.ts';
import { nowIso } from './requests.ts';

/**
 * Closes the review of `requestId`'s rating. `actsFor(principal, station)` decides whose reviews the
 * supervisor may close; `by` is the actor as the audit names it (`supervisor:{name}`). Returns the closed
 * rating (score, text, station, officer, closure); throws ReviewNotFoundError (404) or ReviewClosedError (409).
 */
export async function closeReview(
  deps: Deps,
  requestId: string,
  input: { outcome: ReviewOutcome; remark: string },
  who: { principal: Principal; by: string; actsFor: (p: Principal, station: string) => boolean },
) {
  // 1.
  const rating = await deps.accountability.getRating(requestId);
  if (!rating?.review || !who.actsFor(who.principal, rating.station ?? '*'))
    throw new ReviewNotFoundError(`no review for ${requestId}`);
  // 2.
  if (rating.review === 'CLOSED') throw new ReviewClosedError();
  // 3.
  const closure: ReviewClosure = {
    outcome: input.outcome,
    remark: input.remark,
    by: who.by,
    at: nowIso(deps),
  };
  const closed = await deps.accountability.closeReview(requestId, closure);
  if (!closed) throw new ReviewClosedError('review closed meanwhile');
  deps.metrics.addMetric('PoorRatingReviewClosed', 'Count', 1);
  return closed;
}
