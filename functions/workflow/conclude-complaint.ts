/**
 * Workflow step ConcludeComplaint: applies the supervisor's finding (UPHELD / NOT_UPHELD) and, when
 * upheld, the accountability record on the officer or body.
 */
import { COMPLAINT_OUTCOMES } from '#shared/domain/complaint.ts';
import * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { concludeComplaint } from '../use-cases/complaints.ts';

export const ConcludeComplaintInputSchema = z.object({
  complaintId: z.string().check(z.minLength(1), z.maxLength(100)),
  finding: z.optional(
    z.object({
      outcome: z.enum(COMPLAINT_OUTCOMES),
      note: z.string(),
      by: z.string(),
      at: z.string(),
      officer: z.optional(z.string()),
    }),
  ),
});

export function createHandler(deps: Deps) {
  return stepHandler(deps, ConcludeComplaintInputSchema, ({ complaintId, finding }) =>
    concludeComplaint(deps, complaintId, finding),
  );
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
