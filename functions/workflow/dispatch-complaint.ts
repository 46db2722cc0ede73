/** Workflow step DispatchComplaint (AwaitFinding's callee): keeps the task token on the complaint. */
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { dispatchComplaint } from '../use-cases/complaints.ts';

export const DispatchComplaintInputSchema = z.object({
  complaintId: z.string().check(z.minLength(1), z.maxLength(100)),
  taskToken: z.string().check(z.minLength(1), z.maxLength(2048)),
});

export function createHandler(deps: Deps) {
  return stepHandler(deps, DispatchComplaintInputSchema, ({ complaintId, taskToken }) =>
    dispatchComplaint(deps, complaintId, taskToken),
  );
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
