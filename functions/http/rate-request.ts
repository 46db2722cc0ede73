/**
 * POST /v1/requests/{requestId}/rating — the applicant rates a closed request once (好差评): 1–5 and a
 * short text, with the request's access token (staff tokens cannot rate).
 *
 * Primary course:
 *  1. Validate the body (score 1–5, text ≤ the policy's limit); the request must be the token's (else 404).
 *  2. The request must be closed (a final status), else 409; a second rating is a 409 (one conditional
 *     write: put-if-absent on the rating item). Nothing is stored on any 4xx.
 *  3. A score at or below the policy's threshold opens a review for the supervisor (GET /v1/reviews).
 *     The rating carries the station and the officer who reported the finding: their figures.
 */
import { hashesEqual, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { opensReview, type RatingRecord } from '#shared/domain/complaint.ts';
import { isFinal } from '#shared/domain/request.ts';
import { notFound, unauthorized } from '#shared/http/problem.ts';
import { RatingSchema } from '#shared/schemas/complaint.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { bearerToken } from '../edge/auth.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { StateConflictError } from '../use-cases/errors.ts';
import { nowIso } from '../use-cases/requests.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    // 1.
    const token = bearerToken(event);
    if (token === undefined) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
    const { value } = jsonBody(event);
    const body = validate(RatingSchema, value);
    const requestId = event.pathParameters?.requestId ?? '';
    const request = /^[0-9A-Za-z_-]{1,100}$/.test(requestId)
      ? await deps.store.getRequest(requestId)
      : undefined;
    if (!request || !hashesEqual(sha256Hex(token), request.accessTokenHash)) throw new HttpError(notFound());
    // 2.
    if (!isFinal(request.status))
      throw new StateConflictError(`request ${requestId} is not closed`, {
        zh: '请求办结后才能评价',
        en: 'a request can be rated once it is closed',
      });
    const review = opensReview(deps.accountabilityPolicy, body.score);
    const rating: RatingRecord = {
      requestId,
      score: body.score,
      text: body.text ?? '',
      at: nowIso(deps),
      ...(request.station ? { station: request.station } : {}),
      ...(request.finding?.by.startsWith('officer:') ? { officer: request.finding.by } : {}),
      ...(review ? { review: 'OPEN' as const } : {}),
    };
    if (!(await deps.accountability.putRating(rating)))
      throw new StateConflictError(`request ${requestId} was rated already`, {
        zh: '该请求已经评价过',
        en: 'this request has been rated already',
      });
    // 3.
    deps.metrics.addMetric('RequestRated', 'Count', 1);
    if (review) deps.metrics.addMetric('PoorRatingReview', 'Count', 1);
    return json(201, {
      requestId,
      score: rating.score,
      review: review ? 'OPEN' : 'NONE',
      links: { request: `/v1/requests/${requestId}` },
    });
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
