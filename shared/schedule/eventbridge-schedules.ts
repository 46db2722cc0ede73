/**
 * One-time schedules on EventBridge Scheduler: `CreateSchedule` with `at(yyyy-mm-ddThh:mm:ss)` in UTC,
 * the schedule's flexible window (`FLEXIBLE` with `MaximumWindowInMinutes`, else `OFF`), `ActionAfterCompletion: DELETE` (the schedule deletes itself after its one
 * invocation, so the account's schedule quota holds only the pending ones), target the DeadlineTimer
 * function through the scheduler's role. A name that exists (`ConflictException`) means a retry of the
 * same step: nothing to do.
 *
 * Source: EventBridge Scheduler User Guide, "Schedule types" (one-time `at()` expressions), "Deleting
 * a schedule" (automatic deletion after completion) and "Configuring flexible time windows" (the target is
 * invoked within the window after the scheduled time).
 */
import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { MAX_FLEXIBLE_WINDOW_MINUTES, type OneTimeSchedule, type OneTimeSchedules } from './port.ts';

// Also the client class, for functions/deps.ts's dynamic import of this module: a dynamic import of the
// package itself would keep every command, schema and error class of the service in the bundle (esbuild
// keeps a materialised namespace whole; bench/PERF-NOTES.md round 4).
export { SchedulerClient };

/** Where the schedules go and what they invoke (CDK sets the environment, `config.ts` reads it). */
export interface EventBridgeSchedulesConfig {
  /** `CERTFLOW_SCHEDULE_GROUP`: the schedule group (its name). */
  group: string;
  /** `CERTFLOW_SCHEDULE_TARGET_ARN`: the DeadlineTimer function's ARN. */
  targetArn: string;
  /** `CERTFLOW_SCHEDULE_ROLE_ARN`: the role EventBridge Scheduler assumes to invoke it. */
  roleArn: string;
}

/** The earliest a schedule is put (EventBridge needs a moment in the future). */
export const MIN_LEAD_MS = 60_000;

/** `at(2026-11-27T15:59:59)`: EventBridge Scheduler's one-time expression, second precision, UTC. */
export function atExpression(epochMs: number): string {
  return `at(${new Date(epochMs).toISOString().slice(0, 19)})`;
}

export class EventBridgeSchedules implements OneTimeSchedules {
  readonly #client: SchedulerClient;
  readonly #config: EventBridgeSchedulesConfig;
  readonly #now: () => number;

  constructor(client: SchedulerClient, config: EventBridgeSchedulesConfig, now: () => number = Date.now) {
    this.#client = client;
    this.#config = config;
    this.#now = now;
  }

  async scheduleOnce(schedule: OneTimeSchedule): Promise<void> {
    const at = Math.max(schedule.at, this.#now() + MIN_LEAD_MS);
    try {
      await this.#client.send(
        new CreateScheduleCommand({
          Name: schedule.name,
          GroupName: this.#config.group,
          ScheduleExpression: atExpression(at),
          ScheduleExpressionTimezone: 'UTC',
          FlexibleTimeWindow: schedule.flexibleWindowMinutes
            ? {
                Mode: 'FLEXIBLE',
                MaximumWindowInMinutes: Math.min(
                  Math.max(1, Math.floor(schedule.flexibleWindowMinutes)),
                  MAX_FLEXIBLE_WINDOW_MINUTES,
                ),
              }
            : { Mode: 'OFF' },
          ActionAfterCompletion: 'DELETE',
          Target: {
            Arn: this.#config.targetArn,
            RoleArn: this.#config.roleArn,
            Input: JSON.stringify(schedule.payload),
            // The timer is idempotent; EventBridge retries a failed invocation for up to a day.
            RetryPolicy: { MaximumRetryAttempts: 185, MaximumEventAgeInSeconds: 86_400 },
          },
        }),
      );
    } catch (error) {
      if (error instanceof ConflictException || (error as Error).name === 'ConflictException') return;
      throw error;
    }
  }
}
