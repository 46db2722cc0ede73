/**
 * The workflow as the use cases see it (a port, beside the store port): start a request's execution,
 * keep a waiting task alive, resume it with a finding, ask whether an execution still runs.
 * `SfnWorkflow` (sfn-workflow.ts) implements it over `@aws-sdk/client-sfn`: Step Functions on AWS, the
 * local Step Functions service in the local stack. Tests use the in-memory double of tests/helpers.
 */

/** What a task token call found: `gone` when the wait is over (timed out, unknown or invalid token). */
export type TaskAnswer = 'done' | 'gone';

export interface CertflowWorkflow {
  /**
   * Starts the certificate-request workflow for `requestId` as execution `executionName`. True when it
   * runs (started now, or an execution of that name already existed); throws on any other failure.
   */
  start(requestId: string, executionName: string): Promise<true>;
  /** SendTaskHeartbeat on a waiting task's token. */
  heartbeat(taskToken: string): Promise<TaskAnswer>;
  /** SendTaskSuccess: the finding (any JSON value) becomes the waiting task's output. */
  sendFinding(taskToken: string, finding: unknown): Promise<TaskAnswer>;
  /** Is the execution `executionName` running? False when it ended or never existed. */
  isRunning(executionName: string): Promise<boolean>;
}
