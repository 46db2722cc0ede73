/**
 * Errors of the local Step Functions service.
 *
 * - `SfnApiError` subclasses are the API's exceptions: their `name` is the AWS error code the JSON 1.0
 *   protocol sends as `__type`, so `@aws-sdk/client-sfn` raises the same exception classes as against AWS.
 * - `StatesError` is an error inside an execution (a state failed with an error name and a cause), the
 *   thing that Retry and Catch match on.
 */

export class SfnApiError extends Error {
  override name = 'SfnApiError';
  readonly statusCode: number = 400;
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}

function apiError(code: string, statusCode = 400) {
  return class extends SfnApiError {
    override name = code;
    override readonly statusCode = statusCode;
  };
}

export class ValidationException extends apiError('ValidationException') {}
export class InvalidDefinition extends apiError('InvalidDefinition') {}
export class InvalidArn extends apiError('InvalidArn') {}
export class InvalidName extends apiError('InvalidName') {}
export class InvalidExecutionInput extends apiError('InvalidExecutionInput') {}
export class InvalidOutput extends apiError('InvalidOutput') {}
export class InvalidToken extends apiError('InvalidToken') {}
export class StateMachineDoesNotExist extends apiError('StateMachineDoesNotExist') {}
export class StateMachineAlreadyExists extends apiError('StateMachineAlreadyExists') {}
export class StateMachineDeleting extends apiError('StateMachineDeleting') {}
export class ExecutionDoesNotExist extends apiError('ExecutionDoesNotExist') {}
export class ExecutionAlreadyExists extends apiError('ExecutionAlreadyExists') {}
export class TaskDoesNotExist extends apiError('TaskDoesNotExist') {}
export class TaskTimedOut extends apiError('TaskTimedOut') {}
export class UnknownOperation extends apiError('UnknownOperationException') {}
export class SerializationException extends apiError('SerializationException') {}
export class InternalFailure extends apiError('InternalFailure', 500) {}

/** A state's error: `error` is the error name (e.g. `States.Timeout`, `Lambda.ResourceNotFoundException`). */
export class StatesError extends Error {
  override name = 'StatesError';
  /** For expression errors: the field whose expression failed (EvaluationFailed's `location`). */
  location: string | undefined;
  constructor(
    readonly error: string,
    readonly causeText: string,
    options?: ErrorOptions,
  ) {
    super(`${error}: ${causeText}`, options);
  }
}

/** The store refused a conditional write: someone else wrote this item first. */
export class ConcurrentWriteError extends Error {
  override name = 'ConcurrentWriteError';
}

/** The service was given options it cannot work with. */
export class StepFunctionsConfigError extends Error {
  override name = 'StepFunctionsConfigError';
}
