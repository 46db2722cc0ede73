/**
 * Tells the applicant by SMS (`shared/domain/notifications.ts`): the message `key` in the applicant's
 * language to the phone given at intake, through `deps.notifier`. A message that cannot be sent (a
 * landline, the provider refusing) is logged without the phone or any ID number and never fails the step
 * that sends it. Callers send after the conditional write of the change the message is about: a retried
 * step that reads the change already made sends nothing again. "accepted" and the decision's message are
 * sent only by the CheckRules run whose own write decided (functions/workflow/check-rules.ts), so at most
 * once per request even for two runs at once.
 */
import { beijingDate } from '#shared/domain/beijing-day.ts';
import { type MessageKey, smsFor } from '#shared/domain/notifications.ts';
import { policyInForce } from '#shared/policy/policy.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';

export async function notifyApplicant(
  deps: Deps,
  request: Pick<RequestRecord, 'requestId' | 'input' | 'acceptedAt'> & { deadline?: string | undefined },
  key: MessageKey,
  vars: { reference?: string; code?: string } = {},
): Promise<void> {
  try {
    const policy = policyInForce(deps.policies, new Date(request.acceptedAt));
    const deadline = request.deadline ? beijingDate(new Date(request.deadline)) : undefined;
    const sms = smsFor(policy, request, key, { ...vars, ...(deadline ? { deadline } : {}) });
    if (sms === undefined) return;
    await deps.notifier.send(sms);
    deps.metrics.addMetric('SmsSent', 'Count', 1);
  } catch (error) {
    deps.metrics.addMetric('SmsFailed', 'Count', 1);
    deps.logger.warn('sms not sent', { requestId: request.requestId, key, error: String(error) });
  }
}
