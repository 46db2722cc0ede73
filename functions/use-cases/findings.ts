/**
 * Submitting an investigation finding (officer or department): resumes the waiting workflow.
 *
 * Primary course:
 *  1. The request must be waiting (INVESTIGATING / ESCALATED with a task token), else
 *     RequestNotWaitingError (HTTP 409); an unknown request is RequestNotFoundError (404).
 *  2. Store it as the request's pending finding (FINDING_RECEIVED event), then send it to the waiting
 *     task; the workflow's Decide step records it, with who reported it, and issues or refuses.
 *  3. If the token was just replaced (an escalation re-dispatches), read the request again and retry a
 *     few times; the finding is already stored, so the workflow applies it anyway.
 */
import { isOpen } from '#shared/domain/request.ts';
import type { FindingRecord, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { RequestNotFoundError, RequestNotWaitingError } from './errors.ts';
import { changeRequest, nowIso } from './requests.ts';

export function isWaiting(request: RequestRecord): boolean {
  return isOpen(request.status) && request.taskToken !== undefined;
}

/**
 * Records `finding` on a waiting request, then resumes its workflow; resolves once the finding is stored
 * (the 202): `{ requestId, outcome, reportedBy }`.
 *
 * Errors: RequestNotFoundError (404), RequestNotWaitingError (409: not waiting, or another finding is
 * already in). The finding is written first (`pendingFinding` + a FINDING_RECEIVED event, one conditional
 * write), so a workflow that fails or loses its token afterwards still applies it (CheckRules, Escalate
 * and RecoverWorkflow route a request with a pending finding to Decide; the sweeper restarts a stopped one).
 */
export async function submitFinding(
  deps: Deps,
  requestId: string,
  finding: Omit<FindingRecord, 'at'>,
  options: { retryDelayMs?: number; firstRead?: RequestRecord } = {},
): Promise<{ requestId: string; outcome: string; reportedBy: string }> {
  let request = options.firstRead ?? (await deps.store.getRequest(requestId));
  if (!request) throw new RequestNotFoundError(`request ${requestId} does not exist`);
  const full: FindingRecord = { ...finding, at: nowIso(deps) };
  // 1. Between two tokens (escalating / re-dispatching): wait briefly.
  for (let attempt = 0; !isWaiting(request) && attempt < 4; attempt += 1) {
    if (!isOpen(request.status)) break;
    await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 150));
    request = (await deps.store.getRequest(requestId))!;
  }
  // 2. Store it: the 202 from here on is backed by the request's own record.
  const stored = await changeRequest(
    deps,
    requestId,
    (current) =>
      !isWaiting(current) || current.pendingFinding
        ? undefined
        : {
            changes: { pendingFinding: full },
            event: {
              type: 'FINDING_RECEIVED',
              actor: full.by,
              detail: {
                outcome: full.outcome,
                reportedBy: full.by,
                ...(full.note ? { note: full.note } : {}),
              },
            },
          },
    request,
  );
  if (stored.pendingFinding !== full)
    throw new RequestNotWaitingError(`request ${requestId} is not waiting for a finding`);
  deps.metrics.addMetric('FindingAccepted', 'Count', 1);
  deps.logger.info('finding accepted', { requestId, outcome: finding.outcome, by: finding.by });
  // 3. Resume the workflow. A token replaced meanwhile (an escalation) is read again; if none can be
  //    reached the stored finding is applied by the workflow's next step or by the repair.
  let token = stored.taskToken;
  for (let attempt = 0; token !== undefined && attempt < 4; attempt += 1) {
    try {
      if ((await deps.workflow.sendFinding(token, full)) === 'done') break;
    } catch (error) {
      deps.logger.warn('finding stored, workflow not resumed yet', {
        requestId,
        error: (error as Error).name,
      });
      break;
    }
    await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 150));
    const again = await deps.store.getRequest(requestId);
    token = again?.taskToken !== token ? again?.taskToken : undefined;
  }
  return { requestId, outcome: finding.outcome, reportedBy: finding.by };
}
