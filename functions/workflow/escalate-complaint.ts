/** Workflow step EscalateComplaint (the wait timed out): the next supervisor level and deadline. */
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { escalateComplaint } from '../use-cases/complaints.ts';

export const EscalateComplaintInputSchema = z.object({
  complaintId: z.string().check(z.minLength(1), z.maxLength(100)),
});

export function createHandler(deps: Deps) {
  return stepHandler(deps, EscalateComplaintInputSchema, async ({ complaintId }) => {
    const { answer, escalatedTo } = await escalateComplaint(deps, complaintId);
    if (escalatedTo !== undefined) {
      // Alarmable like the requests' SupervisorAlarm, by level.
      deps.metrics.addDimension('level', String(escalatedTo));
      deps.metrics.addMetric('ComplaintEscalated', 'Count', 1);
    }
    return answer;
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
