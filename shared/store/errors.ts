/** Typed errors of the store. Use cases map them; handlers never see a DynamoDB error name. */

/** The item changed since it was read (optimistic version check failed) or is not in an allowed status. */
export class VersionConflictError extends Error {
  override name = 'VersionConflictError';
  constructor(
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`store: ${key} changed concurrently or is not in the expected state`, options);
  }
}

/** DynamoDB throttled or was unreachable: worth retrying (the workflow retries on this name). */
export class TransientStoreError extends Error {
  override name = 'TransientStoreError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

const TRANSIENT = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'TimeoutError',
  'ECONNREFUSED',
  'ECONNRESET',
]);

export function isConditionalCheckFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

/** Rethrows AWS errors as store errors: transient ones as TransientStoreError, the rest unchanged. */
export function mapAwsError(error: unknown, what: string): never {
  const e = error as { name?: string; code?: string; $retryable?: unknown } | undefined;
  if (e && (TRANSIENT.has(e.name ?? '') || TRANSIENT.has(e.code ?? '') || e.$retryable)) {
    throw new TransientStoreError(`store: ${what} failed transiently (${e.name ?? e.code})`, {
      cause: error,
    });
  }
  throw error;
}

/** A change would move a request's status backwards (the domain's rule, `nextRequest`). */
export { StatusRegressionError } from '#shared/domain/request.ts';
