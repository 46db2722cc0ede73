/**
 * The errors of the use cases: one base class, `name` set, `cause` passed through. A use case never
 * throws an HTTP error; the HTTP edge (edge/http.ts) maps these to problems in one place, a workflow step
 * lets them fail the step (the state machine decides what is retried).
 */
import type { Bilingual } from '#shared/domain/types.ts';

export class UseCaseError extends Error {
  override name = 'UseCaseError';
}

/** The request does not exist (HTTP: 404; a step: not retried). */
export class RequestNotFoundError extends UseCaseError {
  override name = 'RequestNotFoundError';
}

/** A finding came for a request that is not waiting for one (HTTP: 409). */
export class RequestNotWaitingError extends UseCaseError {
  override name = 'RequestNotWaitingError';
  /** The message the caller is shown. */
  readonly text: Bilingual = {
    zh: '该请求当前不在等待调查结果',
    en: 'this request is not waiting for a finding',
  };
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
