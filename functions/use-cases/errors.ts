/**
 * The errors of the use cases: one base class, `name` set, `cause` passed through. A use case never
 * throws an HTTP error; the HTTP edge (edge/http.ts) maps these to problems in one place, a workflow step
 * lets them fail the step (the state machine decides what is retried).
 */
import type { Bilingual } from '#shared/domain/types.ts';

export class UseCaseError extends Error {
  override name = 'UseCaseError';
}

/** Something the caller named does not exist, or the caller may not see it (HTTP: 404). */
export class NotFoundError extends UseCaseError {
  override name = 'NotFoundError';
}

/**
 * The state does not allow the action — a finding for a request or complaint not waiting, a second
 * rating, a change id reused with other facts, other feedback on an answered record (HTTP: 409 with `text`).
 */
export class StateConflictError extends UseCaseError {
  override name = 'StateConflictError';
  constructor(
    message: string,
    /** The message the caller is shown. */
    readonly text: Bilingual,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The request does not exist (HTTP: 404; a step: not retried). */
export class RequestNotFoundError extends NotFoundError {
  override name = 'RequestNotFoundError';
}

/** A finding came for a request that is not waiting for one (HTTP: 409). */
export class RequestNotWaitingError extends StateConflictError {
  override name = 'RequestNotWaitingError';
  constructor(message = 'request not waiting for a finding', options?: { cause?: unknown }) {
    super(
      message,
      { zh: '该请求当前不在等待调查结果', en: 'this request is not waiting for a finding' },
      options,
    );
  }
}

/** The request may not be assigned now (it is closed): HTTP 409. */
export class NotAssignableError extends StateConflictError {
  override name = 'NotAssignableError';
  constructor(message = 'request closed', options?: { cause?: unknown }) {
    super(
      message,
      { zh: '该请求已办结，不能再分派', en: 'this request is closed and can no longer be assigned' },
      options,
    );
  }
}

/** Only the officer the request is assigned to may reveal: HTTP 403. */
export class NotInvestigatingOfficerError extends UseCaseError {
  override name = 'NotInvestigatingOfficerError';
  readonly text: Bilingual = {
    zh: '只有承办该请求的民警可以查看完整身份信息，请先认领',
    en: 'only the officer investigating this request may see full ID numbers: claim it first',
  };
}

/** The exchange record does not exist or is not the caller's (HTTP: 404). */
export class ExchangeRecordNotFoundError extends NotFoundError {
  override name = 'ExchangeRecordNotFoundError';
}

/** The complaint does not exist, or the caller may not see it (HTTP: 404; a step: not retried). */
export class ComplaintNotFoundError extends NotFoundError {
  override name = 'ComplaintNotFoundError';
}

/** The request has no poor-rating review, or the caller may not see it (HTTP: 404). */
export class ReviewNotFoundError extends NotFoundError {
  override name = 'ReviewNotFoundError';
}

/** The review was closed already (HTTP: 409). */
export class ReviewClosedError extends StateConflictError {
  override name = 'ReviewClosedError';
  constructor(message = 'review closed already', options?: { cause?: unknown }) {
    super(message, { zh: '该差评回访已经办结', en: 'this review was closed already' }, options);
  }
}

/** A field names something that does not exist (an unknown request or station): HTTP 400 naming it. */
export class UnknownReferenceError extends UseCaseError {
  override name = 'UnknownReferenceError';
  constructor(
    readonly path: string,
    readonly text: Bilingual,
  ) {
    super(`${path}: ${text.en}`);
  }
}

/** Too many tries from one address or for one phone (HTTP: 429 with Retry-After). */
export class RateLimitedError extends UseCaseError {
  override name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`rate limited; retry after ${retryAfterSeconds} s`);
  }
}

/** A citizen sign-in that failed — wrong, expired or used code, or an unknown pair: one answer (HTTP: 401). */
export class SignInFailedError extends UseCaseError {
  override name = 'SignInFailedError';
  readonly text: Bilingual = {
    zh: '验证码不正确或已失效，请重新获取',
    en: 'The code is wrong or no longer valid; ask for a new one',
  };
}

/** No valid citizen session (HTTP: 401). */
export class NotSignedInError extends UseCaseError {
  override name = 'NotSignedInError';
}
