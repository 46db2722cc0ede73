/**
 * GET /v1/complaints/{complaintId} — a complaint's status, assignment, deadline, finding and history.
 * With the complaint's access token (the complainant) the contact is masked and staff names are left out;
 * a supervisor acting for its station sees it whole (edge/complaint-access.ts). Else 404.
 */
import { complaintView } from '#shared/domain/complaint.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { COMPLAINT_ID, requireComplaintAccess } from '../edge/complaint-access.ts';
import { httpHandler, json } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const complaintId = event.pathParameters?.complaintId ?? '';
    const complaint = COMPLAINT_ID.test(complaintId)
      ? await deps.accountability.getComplaint(complaintId)
      : undefined;
    const access = await requireComplaintAccess(deps, event, complaint);
    const supervisor = access.kind === 'supervisor';
    return json(200, {
      ...complaintView(complaint!, { full: supervisor, staff: supervisor }),
      links: { self: `/v1/complaints/${complaintId}` },
    });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
