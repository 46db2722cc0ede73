/**
 * POST /v1/complaints/{complaintId}/findings — a supervisor acting for the complaint's station records
 * UPHELD or NOT_UPHELD (with the officer held responsible); the waiting complaint workflow concludes it
 * (use-cases/complaints.ts). 202 when accepted; 409 when the complaint is not waiting for a finding.
 */
import { notFound } from '#shared/http/problem.ts';
import { ComplaintFindingSchema } from '#shared/schemas/complaint.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actorOf, actsFor, requireSupervisor } from '../edge/auth.ts';
import { COMPLAINT_ID } from '../edge/complaint-access.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { submitComplaintFinding } from '../use-cases/complaints.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireSupervisor(deps, event);
    const { value } = jsonBody(event);
    const body = validate(ComplaintFindingSchema, value);
    const complaintId = event.pathParameters?.complaintId ?? '';
    const complaint = COMPLAINT_ID.test(complaintId)
      ? await deps.accountability.getComplaint(complaintId)
      : undefined;
    if (!complaint || !actsFor(principal, complaint.station ?? '*')) throw new HttpError(notFound());
    await submitComplaintFinding(deps, complaintId, {
      outcome: body.outcome,
      note: body.note,
      by: actorOf(principal),
      ...(body.officer ? { officer: body.officer } : {}),
    });
    return json(202, {
      complaintId,
      outcome: body.outcome,
      status: 'ACCEPTED',
      links: { complaint: `/v1/complaints/${complaintId}` },
    });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
