/** Workflow step EscalateComplaint (the wait timed out): the next supervisor level and deadline. */
import { z } from 'zod';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { escalateComplaint } from '../use-cases/complaints.ts';

export const EscalateComplaintInputSchema = z.object({ complaintId: z.string().min(1).max(100) });

export function createHandler(deps: Deps) {
  return stepHandler(deps, EscalateComplaintInputSchema, ({ complaintId }) =>
    escalateComplaint(deps, complaintId),
  );
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
