/**
 * Workflow step Decide: ends an investigation with the finding that resumed the workflow.
 *
 * Primary course:
 *  1. CONFIRMED → issue the certificate (use-cases/issue.ts), recording who reported the finding.
 *  2. REFUTED → move the request to REFUSED with the note as the reason and how to appeal (the policy's
 *     `notices.appeal`).
 */
import { z } from 'zod';
import { isFinal, onTime } from '#shared/domain/request.ts';
import type { FindingRecord } from '#shared/store/model.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { issueCertificate } from '../use-cases/issue.ts';
import { changeRequest, nowIso } from '../use-cases/requests.ts';

export const FindingSchema = z.object({
  outcome: z.enum(['CONFIRMED', 'REFUTED']),
  by: z.string().min(1),
  at: z.string().min(1),
  note: z.string().optional(),
  facts: z.record(z.string(), z.unknown()).optional(),
});

export const DecideInputSchema = z.object({ requestId: z.string().min(1).max(100), finding: FindingSchema });

export async function decideStep(deps: Deps, requestId: string, finding: FindingRecord) {
  if (finding.outcome === 'CONFIRMED') {
    const issued = await issueCertificate(deps, requestId, { actor: finding.by, finding });
    return { requestId, status: issued.status };
  }
  const at = nowIso(deps);
  const refused = await changeRequest(deps, requestId, (current) => {
    if (isFinal(current.status)) return undefined;
    const wasOnTime = onTime(current, at);
    return {
      changes: {
        status: 'REFUSED',
        finding,
        taskToken: undefined,
        ...(wasOnTime !== undefined ? { onTime: wasOnTime } : {}),
      },
      event: {
        type: 'REFUSED',
        actor: finding.by,
        detail: {
          finding: 'REFUTED',
          reportedBy: finding.by,
          reason: finding.note ?? '',
          appeal: deps.policy.notices.appeal,
        },
      },
    };
  });
  deps.metrics.addMetric('RequestRefused', 'Count', 1);
  return { requestId, status: refused.status };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, DecideInputSchema, ({ requestId, finding }) =>
    decideStep(deps, requestId, finding),
  );
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
