/**
 * Issuing a certificate (on the spot, or after a CONFIRMED finding).
 *
 * Primary course:
 *  1. Load the request; an ISSUED request is done (idempotent).
 *  2. Put the certificate item in the kind's uniform form (use-cases/documents.ts: number with the issue
 *     day, derived from the request, so a retry finds the same one; the code's hash, never the code).
 *  3. Move the request to ISSUED with the certificate reference and its event (conditional write).
 */

import { isFinal, onTime } from '#shared/domain/request.ts';
import type { FindingRecord, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { storeCertificate } from './documents.ts';
import { notifyApplicant } from './notify.ts';
import { changeRequest, loadRequest, nowIso } from './requests.ts';

export async function issueCertificate(
  deps: Deps,
  requestId: string,
  options: { actor: string; finding?: FindingRecord },
): Promise<RequestRecord> {
  // 1.
  const request = await loadRequest(deps, requestId);
  if (isFinal(request.status)) return request;
  // 2.
  const at = nowIso(deps);
  const certificate = await storeCertificate(deps, request, at, options.finding?.facts);
  const number = certificate.number;
  // 3.
  const updated = await changeRequest(
    deps,
    requestId,
    (current) => {
      if (isFinal(current.status)) return undefined;
      const wasOnTime = onTime(current, at);
      return {
        changes: {
          status: 'ISSUED',
          certificate,
          ...(options.finding ? { finding: options.finding } : {}),
          ...(wasOnTime !== undefined ? { onTime: wasOnTime } : {}),
          taskToken: undefined,
        },
        event: {
          type: 'ISSUED',
          actor: options.actor,
          detail: {
            certificateNumber: number,
            ...(options.finding ? { finding: 'CONFIRMED', reportedBy: options.finding.by } : {}),
            ...(options.finding?.note ? { note: options.finding.note } : {}),
          },
        },
      };
    },
    request,
  );
  deps.metrics.addMetric('CertificateIssued', 'Count', 1);
  if (updated.version > request.version && updated.status === 'ISSUED')
    await notifyApplicant(deps, updated, 'issued', { reference: certificate.number });
  return updated;
}
