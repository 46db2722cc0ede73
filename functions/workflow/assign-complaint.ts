/** Workflow step AssignComplaint (complaint state machine): to the supervisor above the station. */
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { assignComplaint } from '../use-cases/complaints.ts';

export const ComplaintStepInputSchema = z.object({
  complaintId: z.string().check(z.minLength(1), z.maxLength(100)),
});

export function createHandler(deps: Deps) {
  return stepHandler(deps, ComplaintStepInputSchema, ({ complaintId }) => assignComplaint(deps, complaintId));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
