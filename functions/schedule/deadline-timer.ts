/**
 * DeadlineTimer: invoked by a one-time schedule (EventBridge Scheduler `at()` on AWS, the local stack's
 * scheduler locally) made when an investigation was dispatched at a level. `{ action: 'WARN', requestId,
 * deadline }` warns the station one working day before that deadline, once (use-cases/deadlines.ts).
 * A timer for a request that closed, moved on to another deadline, or no longer exists does nothing.
 */
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { warnIfDue } from '../use-cases/deadlines.ts';
import { RequestNotFoundError } from '../use-cases/errors.ts';

export const DeadlineTimerInputSchema = z.object({
  action: z.literal('WARN'),
  requestId: z.string().check(z.minLength(1), z.maxLength(100)),
  deadline: z.iso.datetime(),
});

export async function deadlineTimer(deps: Deps, input: z.output<typeof DeadlineTimerInputSchema>) {
  try {
    const result = await warnIfDue(deps, input.requestId, input.deadline);
    deps.logger.info('deadline timer', { ...input, result });
    return { requestId: input.requestId, result };
  } catch (error) {
    if (error instanceof RequestNotFoundError) return { requestId: input.requestId, result: 'gone' as const };
    throw error;
  }
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, DeadlineTimerInputSchema, (input) => deadlineTimer(deps, input));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
