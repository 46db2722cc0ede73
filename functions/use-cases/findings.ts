/**
 * Submitting an investigation finding (officer or department): resumes the waiting workflow.
 *
 * Primary course:
 *  1. The request must be waiting (INVESTIGATING / ESCALATED with a task token), else
 *     RequestNotWaitingError (HTTP 409); an unknown request is RequestNotFoundError (404).
 *  2. SendTaskSuccess with the finding as the task's output; the workflow's Decide step records it,
 *     with who reported it, and issues or refuses.
 *  3. If the token was just replaced (an escalation re-dispatches), read the request again and retry
 *     a few times; a wait that is over is RequestNotWaitingError.
 */
import { isOpen } from '#shared/domain/request.ts';
import type { FindingRecord, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { RequestNotFoundError, RequestNotWaitingError } from './errors.ts';
import { nowIso } from './requests.ts';

export function isWaiting(request: RequestRecord): boolean {
  return isOpen(request.status) && request.taskToken !== undefined;
}

export async function submitFinding(
  deps: Deps,
  requestId: string,
  finding: Omit<FindingRecord, 'at'>,
  options: { retryDelayMs?: number; firstRead?: RequestRecord } = {},
): Promise<{ requestId: string; outcome: string; reportedBy: string }> {
  let request = options.firstRead ?? (await deps.store.getRequest(requestId));
  if (!request) throw new RequestNotFoundError(`request ${requestId} does not exist`);
  const full: FindingRecord = { ...finding, at: nowIso(deps) };
  for (let attempt = 0; attempt < 4; attempt += 1) {
    // 1.
    if (!isWaiting(request)) {
      if (isOpen(request.status)) {
        // Between two tokens (escalating / re-dispatching): wait briefly.
        await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 150));
        request = (await deps.store.getRequest(requestId))!;
        continue;
      }
      throw new RequestNotWaitingError(`request ${requestId} is not waiting for a finding`);
    }
    // 2.
    if ((await deps.workflow.sendFinding(request.taskToken!, full)) === 'done') {
      deps.metrics.addMetric('FindingAccepted', 'Count', 1);
      deps.logger.info('finding accepted', { requestId, outcome: finding.outcome, by: finding.by });
      return { requestId, outcome: finding.outcome, reportedBy: finding.by };
    }
    // 3.
    await new Promise((r) => setTimeout(r, options.retryDelayMs ?? 150));
    const again = await deps.store.getRequest(requestId);
    if (!again || again.taskToken === request.taskToken)
      throw new RequestNotWaitingError(`request ${requestId} is not waiting for a finding`);
    request = again;
  }
  throw new RequestNotWaitingError(`request ${requestId} is not waiting for a finding`);
}
