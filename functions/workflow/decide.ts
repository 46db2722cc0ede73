/**
 * Workflow step Decide: ends an investigation with the finding that resumed the workflow.
 *
 * Primary course:
 *  1. CONFIRMED → issue the certificate (use-cases/issue.ts), recording who reported the finding.
 *  2. REFUTED → store the written reply (书面告知: the note as the reason, the kind's basis, how to appeal)
 *     and move the request to REFUSED with it.
 */
import { isFinal, onTime } from '#shared/domain/request.ts';
import { policyInForce } from '#shared/policy/policy.ts';
import { decisionTexts, noticeTexts } from '#shared/policy/texts.ts';
import * as z from '#shared/schemas/zod.ts';
import type { FindingRecord } from '#shared/store/model.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { storeWrittenReply } from '../use-cases/documents.ts';
import { issueCertificate } from '../use-cases/issue.ts';
import { notifyApplicant } from '../use-cases/notify.ts';
import { changeRequest, loadRequest, nowIso } from '../use-cases/requests.ts';

export const FindingSchema = z.object({
  outcome: z.enum(['CONFIRMED', 'REFUTED']),
  by: z.string().check(z.minLength(1)),
  at: z.string().check(z.minLength(1)),
  note: z.optional(z.string()),
  facts: z.optional(z.record(z.string(), z.unknown())),
});

export const DecideInputSchema = z.object({
  requestId: z.string().check(z.minLength(1), z.maxLength(100)),
  finding: FindingSchema,
});

export async function decideStep(deps: Deps, requestId: string, finding: FindingRecord) {
  if (finding.outcome === 'CONFIRMED') {
    const issued = await issueCertificate(deps, requestId, { actor: finding.by, finding });
    return { requestId, status: issued.status };
  }
  const at = nowIso(deps);
  const request = await loadRequest(deps, requestId);
  const policy = policyInForce(deps.policies, new Date(request.acceptedAt));
  const appeal = noticeTexts(deps.policy).notices.appeal;
  const note = finding.note ?? '';
  const writtenReply = isFinal(request.status)
    ? undefined
    : await storeWrittenReply(deps, request, at, {
        reason: { zh: note, en: note },
        basis: decisionTexts(policy).kinds[request.proof]?.basis ?? appeal,
      });
  const refused = await changeRequest(deps, requestId, (current) => {
    if (isFinal(current.status)) return undefined;
    const wasOnTime = onTime(current, at);
    return {
      changes: {
        status: 'REFUSED',
        finding,
        ...(writtenReply ? { writtenReply } : {}),
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
          appeal,
          ...(writtenReply ? { writtenReply: writtenReply.number } : {}),
        },
      },
    };
  });
  deps.metrics.addMetric('RequestRefused', 'Count', 1);
  if (refused.version > request.version && refused.status === 'REFUSED' && writtenReply)
    await notifyApplicant(deps, refused, 'refused', { reference: writtenReply.number });
  return { requestId, status: refused.status };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, DecideInputSchema, ({ requestId, finding }) =>
    decideStep(deps, requestId, finding),
  );
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
