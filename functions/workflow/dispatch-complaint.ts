/** Workflow step DispatchComplaint (AwaitFinding's callee): keeps the task token on the complaint. */
import { z } from 'zod';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { dispatchComplaint } from '../use-cases/complaints.ts';

export const DispatchComplaintInputSchema = z.object({
  complaintId: z.string().min(1).max(100),
  taskToken: z.string().min(1).max(2048),
});

export function createHandler(deps: Deps) {
  return stepHandler(deps, DispatchComplaintInputSchema, ({ complaintId, taskToken }) =>
    dispatchComplaint(deps, complaintId, taskToken),
  );
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
