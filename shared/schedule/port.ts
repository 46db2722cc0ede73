/**
 * One-time schedules (a port): "invoke the DeadlineTimer function with this payload at this moment,
 * once". On AWS an EventBridge Scheduler `at()` schedule with `ActionAfterCompletion: DELETE`
 * (eventbridge-schedules.ts); locally the stack's scheduler on its clock (local/scheduler.ts).
 *
 * They replace the central heartbeat of the deadline sweeper: the AwaitFinding task's own timeout
 * enforces the deadline (escalation), and each deadline's warning is one schedule made when the
 * investigation is dispatched at that level. Nothing reads all open requests to find what is due.
 */

/** What a deadline timer does when it fires (functions/schedule/deadline-timer.ts). */
export interface DeadlineTimerPayload {
  /** `WARN`: warn the station one working day before `deadline` (once per deadline). */
  action: 'WARN';
  requestId: string;
  /** The deadline the timer was made for (ISO); a request whose deadline moved ignores it. */
  deadline: string;
}

export interface OneTimeSchedule {
  /**
   * Unique per purpose (`scheduleName`): creating a schedule whose name exists is a no-op, so workflow
   * steps may retry. 1–64 characters of `[0-9A-Za-z_.-]` (EventBridge Scheduler's rule).
   */
  name: string;
  /** When to fire (epoch ms); a moment in the past fires at once. */
  at: number;
  /**
   * A flexible window (minutes, 1–1440): the schedule fires at some moment in `[at, at + window]`
   * (EventBridge Scheduler's `FlexibleTimeWindow` `FLEXIBLE`; the local scheduler at `at +
   * spreadOffsetMs(name, window)`, deterministic). Absent: exactly at `at` (`OFF`).
   */
  flexibleWindowMinutes?: number;
  payload: DeadlineTimerPayload;
}

export interface OneTimeSchedules {
  /** Creates the schedule unless one of the same name exists (idempotent). */
  scheduleOnce(schedule: OneTimeSchedule): Promise<void>;
}

/**
 * The flexible window of deadline warnings (minutes): every warning of a day has the same moment (the end
 * of the last working day before the deadline, Beijing midnight), so without a window a province's
 * warnings of the day would all fire in the same second; within an hour they spread evenly. certflow's
 * default; the warning still comes a whole working day before the deadline.
 * Source for the semantics: EventBridge Scheduler User Guide, "Configuring flexible time windows".
 */
export const WARNING_WINDOW_MINUTES = 60;

/**
 * The flexible window of a deadline's warning (minutes): WARNING_WINDOW_MINUTES, cut so the window ends a
 * minute before the deadline at the latest; undefined when there is no room (then it fires exactly).
 */
export function warningWindowMinutes(warnAtMs: number, deadlineMs: number): number | undefined {
  const room = Math.floor((deadlineMs - warnAtMs) / 60_000) - 1;
  const window = Math.min(WARNING_WINDOW_MINUTES, room);
  return window >= 1 ? window : undefined;
}

/** EventBridge Scheduler's range of `MaximumWindowInMinutes`. */
export const MAX_FLEXIBLE_WINDOW_MINUTES = 1440;

/**
 * Where in its flexible window a schedule fires on the local stack (ms after `at`, in `[0, window)`): a
 * hash (FNV-1a, 32 bit) of the schedule's name, so the same schedule always fires at the same moment on
 * the test clock and different ones spread evenly over the window. 0 without a window.
 */
export function spreadOffsetMs(name: string, windowMinutes: number | undefined): number {
  if (!windowMinutes || windowMinutes <= 0) return 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
  return (h >>> 0) % (Math.min(windowMinutes, MAX_FLEXIBLE_WINDOW_MINUTES) * 60_000);
}

/** Schedules nothing (handlers that never schedule; unit tests that do not look). */
export const noSchedules: OneTimeSchedules = { scheduleOnce: async () => {} };

/**
 * The name of the warning schedule of a request's deadline at an escalation level:
 * `warn-{requestId}-L{level}`, cut to EventBridge Scheduler's 64 characters (request ids are ULID-like
 * and short, so the cut never bites in practice; a longer id keeps a hash of itself).
 */
export function warningScheduleName(requestId: string, level: number): string {
  const safe = requestId.replace(/[^0-9A-Za-z_.-]/g, '_');
  const name = `warn-${safe}-L${level}`;
  if (name.length <= 64) return name;
  let h = 0;
  for (const c of requestId) h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  return `warn-${safe.slice(0, 40)}-${(h >>> 0).toString(36)}-L${level}`;
}
