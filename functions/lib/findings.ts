/**
 * Submitting an investigation finding (officer or department): resumes the waiting workflow.
 *
 * Primary course:
 *  1. The request must be waiting (INVESTIGATING / ESCALATED with a task token), else 409.
 *  2. SendTaskSuccess with the finding as the task's output; the workflow's Decide step records it,
 *     with who reported it, and issues or refuses.
 *  3. If the token was just replaced (an escalation re-dispatches), read the request again and retry
 *     a few times; a wait that is over is a 409.
 */
import { isOpen } from '#shared/domain/request.ts';
import { conflict, notFound } from '#shared/http/problem.ts';
import type { FindingRecord, RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { HttpError } from './http.ts';
import { nowIso } from './requests.ts';

const NOT_WAITING = {
  zh: '该请求当前不在等待调查结果',
  en: 'this request is not waiting for a finding',
};

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
  if (!request) throw new HttpError(notFound());
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
      throw new HttpError(conflict(NOT_WAITING));
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
    if (!again || again.taskToken === request.taskToken) throw new HttpError(conflict(NOT_WAITING));
    request = again;
  }
  throw new HttpError(conflict(NOT_WAITING));
}
