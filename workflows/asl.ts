/**
 * The parts both state machines (certificate-request.ts, complaint.ts) build their Lambda steps from:
 * the partition placeholder, the transient errors and their retrier, and the `lambda:invoke` task.
 */

/** The placeholder of the ARN partition in the definition (`arn:${Partition}:states:::lambda:invoke`). */
export const PARTITION_PLACEHOLDER = 'Partition';
/** The partition the local runtime substitutes (the one its engine knows). */
export const LOCAL_PARTITION = 'aws';

/**
 * Errors a step may throw that are worth retrying: the Lambda service errors AWS recommends retrying for
 * the `lambda:invoke` integration (Step Functions Developer Guide, "Handling transient Lambda service
 * exceptions": ServiceException, AWSLambdaException, SdkClientException, plus `Lambda.Unknown`, what an
 * out-of-memory or timed-out invocation surfaces as, and ClientExecutionTimeoutException), throttling,
 * and our transient store errors.
 */
export const TRANSIENT_ERRORS = [
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.Unknown',
  'Lambda.TooManyRequestsException',
  'TransientStoreError',
  'VersionConflictError',
];

/**
 * Up to 1 s, 2 s, 4 s, 8 s, 10 s (capped), each with full jitter: retries of many executions failing at
 * once (a throttled table, a Lambda burst at midnight when a day's deadlines fall due) spread out instead
 * of returning together.
 */
export const retryTransient = {
  ErrorEquals: TRANSIENT_ERRORS,
  IntervalSeconds: 1,
  MaxAttempts: 5,
  BackoffRate: 2,
  MaxDelaySeconds: 10,
  JitterStrategy: 'FULL',
};

/** `${Name}`: a placeholder that CDK / the local stack replace with a function ARN or name. */
export function placeholder(name: string): string {
  return `\${${name}}`;
}

/** A `lambda:invoke` task of the function whose ARN placeholder is `name`, its output the function's return. */
export function lambdaInvoke(name: string, payload: Record<string, string>) {
  return {
    Type: 'Task',
    Resource: `arn:${placeholder(PARTITION_PLACEHOLDER)}:states:::lambda:invoke`,
    Arguments: { FunctionName: placeholder(name), Payload: payload },
    Output: '{% $states.result.Payload %}',
  };
}
