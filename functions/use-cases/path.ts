/**
 * The path a certificate request takes through the workflow, and where a request stands when an
 * execution is resumed (CheckRules on a request already decided) or recovered (RecoverWorkflow).
 */
import type { Delivery } from '#shared/domain/deliveries.ts';
import { isFinal, isOpen } from '#shared/domain/request.ts';
import type { FindingRecord, RequestRecord } from '#shared/store/model.ts';

export type { Delivery };

export type Path = 'DECLINED' | 'EXCHANGE' | 'ISSUE' | 'INVESTIGATE' | 'DECIDE' | 'DONE';

export interface CheckRulesOutput {
  requestId: string;
  path: Path;
  deliveries: Delivery[];
  deadline?: string;
  /** With path DECIDE: the finding accepted (202) that the workflow has not applied yet. */
  finding?: FindingRecord;
}

/**
 * Where a request stands, for a resumed or recovered execution: DONE when final, DECIDE with the finding
 * when one was accepted but not applied, INVESTIGATE (with the deadline) while waiting, ISSUE when decided
 * on the spot; anything else DONE.
 */
export function pathOf(request: RequestRecord): CheckRulesOutput {
  const base = { requestId: request.requestId, deliveries: [] as Delivery[] };
  if (isFinal(request.status)) return { ...base, path: 'DONE' };
  if (request.pendingFinding) return { ...base, path: 'DECIDE', finding: request.pendingFinding };
  if (isOpen(request.status)) {
    return { ...base, path: 'INVESTIGATE', ...(request.deadline ? { deadline: request.deadline } : {}) };
  }
  if (request.status === 'CHECKING' && request.decision?.outcome === 'ISSUE_ON_THE_SPOT')
    return { ...base, path: 'ISSUE' };
  return { ...base, path: 'DONE' };
}
