/**
 * Workflow step DispatchInvestigation (called by the waitForTaskToken task AwaitFinding): hands the
 * investigation to the competent station by storing the task token on the request, which puts it in
 * the station's queue. A finding later ends the wait with SendTaskSuccess on this token.
 *
 * Primary course:
 *  1. Load the request; a request that is no longer open keeps no token (its finding is in).
 *  2. Store the token (conditional write), with a DISPATCHED event the first time for each level.
 *  3. Schedule the warning of this level's deadline (a one-time schedule, idempotent by name): the
 *     deadline itself is the AwaitFinding task's timeout, so no sweeper has to heartbeat or poll it.
 */
import { isOpen } from '#shared/domain/request.ts';
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { scheduleWarning } from '../use-cases/deadlines.ts';
import { changeRequest } from '../use-cases/requests.ts';

export const DispatchInputSchema = z.object({
  requestId: z.string().check(z.minLength(1), z.maxLength(100)),
  taskToken: z.string().check(z.minLength(1)),
});

export async function dispatchStep(deps: Deps, input: z.output<typeof DispatchInputSchema>) {
  const updated = await changeRequest(deps, input.requestId, (current) => {
    if (!isOpen(current.status)) return undefined;
    if (current.taskToken === input.taskToken) return undefined;
    const firstForLevel = !(
      current.lastEvent.type === 'DISPATCHED' || current.lastEvent.type === 'REDISPATCHED'
    );
    return {
      changes: { taskToken: input.taskToken },
      event: {
        type: firstForLevel ? 'DISPATCHED' : 'REDISPATCHED',
        actor: 'system',
        detail: { station: current.station, level: current.escalationLevel, deadline: current.deadline },
      },
    };
  });
  // 3.
  await scheduleWarning(deps, updated);
  return { requestId: input.requestId, status: updated.status };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, DispatchInputSchema, (input) => dispatchStep(deps, input));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
