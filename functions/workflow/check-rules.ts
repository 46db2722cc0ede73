/**
 * Workflow step CheckRules: applies the policy to the request and records the decision.
 *
 * Primary course:
 *  1. Load the request; a request already past the check (a resumed or repeated execution) answers the
 *     path it is on, without deciding again.
 *  2. Apply the rule check (pure domain function) with the policy, the registry (the file with the changes
 *     recorded through the change feed laid over it, for the request's subject, related person and
 *     applicant) and the acceptance time.
 *  3. For an exchange answer, write the exchange record first (idempotent: its id comes from the request).
 *  4. Write the decision and the next status in one conditional write (version check), with its event.
 *  5. The run whose write moved the request out of RECEIVED tells the applicant: the acceptance SMS
 *     first (Intake sends none: its bundle carries no SMS client), then the decision's. A retried,
 *     redriven or duplicated run finds the request decided (or loses the write) and sends neither again.
 *  6. Return the path the state machine takes and the departments to deliver to.
 */
import { deliveriesFor, exchangeIdFor } from '#shared/domain/deliveries.ts';
import { maskedSubject, statusForOutcome } from '#shared/domain/request.ts';
import { checkRules } from '#shared/domain/rules.ts';
import { investigatedBy, policyInForce } from '#shared/policy/policy.ts';
import { StepInputSchema } from '#shared/schemas/steps.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { countDeclinedDemand } from '../use-cases/abolished-demands.ts';
import { fileUnderSubjects } from '../use-cases/citizens.ts';
import { declineGrounds, storeWrittenReply } from '../use-cases/documents.ts';
import { notifyApplicant } from '../use-cases/notify.ts';
import { type CheckRulesOutput, pathOf } from '../use-cases/path.ts';
import { registryAsRecorded } from '../use-cases/registry.ts';
import { changeRequest, loadRequest, nowIso } from '../use-cases/requests.ts';

export type { CheckRulesOutput, Path } from '../use-cases/path.ts';

export async function checkRulesStep(deps: Deps, requestId: string): Promise<CheckRulesOutput> {
  // 1. Load; already decided → the path it is on.
  const first = await loadRequest(deps, requestId);
  if (first.status !== 'RECEIVED') return pathOf(first);
  // 2. Decide.
  const input = first.input;
  // The registry file with the changes reported through the change feed laid over it (a reported death
  // cancels the hukou for this check as for an ad-hoc exchange answer).
  const registry = await registryAsRecorded(deps, [
    input.subject.idNumber,
    input.relatedPerson?.idNumber,
    input.applicant.idNumber,
  ]);
  // The version in force on the day of acceptance decides (and is cited by the decision).
  const policy = policyInForce(deps.policies, new Date(first.acceptedAt));
  const decision = checkRules(input, {
    policy,
    registry,
    acceptedAt: new Date(first.acceptedAt),
    calendar: await deps.calendar(),
  });
  const status = statusForOutcome(decision.outcome);
  // 3. Exchange record before the status that points at it.
  let exchangeId: string | undefined;
  if (decision.outcome === 'ANSWERED_BY_EXCHANGE' && decision.exchange) {
    exchangeId = exchangeIdFor(requestId);
    const exchangeRecord = await deps.store.putExchangeRecord({
      exchangeId,
      department: decision.exchange.department,
      origin: 'REQUEST',
      mechanism: 'RESULT_FEEDBACK',
      question: decision.exchange.question,
      subject: maskedSubject(input),
      answer: decision.exchange.answer,
      source: decision.exchange.source,
      answeredAt: nowIso(deps),
      requestId,
      purpose: input.purpose.code,
      ruleId: decision.ruleId,
    });
    // The data tracker: the record under each person it is about ("who asked about me").
    await fileUnderSubjects(deps, exchangeRecord, [input.subject.idNumber, input.relatedPerson?.idNumber]);
  }
  // 3b. A decline gets its written reply (书面告知) before the status that points at it.
  const decided = { ...first, decision };
  const grounds = declineGrounds(policy, decided);
  const writtenReply = grounds ? await storeWrittenReply(deps, decided, nowIso(deps), grounds) : undefined;
  // 4. One conditional write: decision + next status (ISSUE_ON_THE_SPOT stays CHECKING until issued).
  const investigation = decision.investigation;
  // Whether this run's write is the one that decided (changeRequest answers the stored request, unchanged,
  // when a concurrent run decided first).
  let decidedHere = false;
  const updated = await changeRequest(
    deps,
    requestId,
    (current) => {
      decidedHere = current.status === 'RECEIVED';
      if (!decidedHere) return undefined;
      const nextStatus = decision.outcome === 'ISSUE_ON_THE_SPOT' ? 'CHECKING' : status;
      return {
        changes: {
          status: nextStatus,
          decision,
          outcome: decision.outcome,
          ...(decision.station ? { station: decision.station } : {}),
          ...(writtenReply ? { writtenReply } : {}),
          ...(investigation
            ? {
                dispatchedTo: investigatedBy(policy, input.proof, input.askedBy),
                deadline: investigation.deadline,
                warnAt: investigation.warnAt,
                deadlineProvisional: investigation.provisional,
              }
            : {}),
        },
        event: {
          type: nextStatus === 'CHECKING' ? 'DECIDED' : nextStatus,
          actor: 'system',
          detail: {
            outcome: decision.outcome,
            ruleId: decision.ruleId,
            policyVersion: decision.policyVersion,
            ...(decision.heldBy ? { heldBy: decision.heldBy } : {}),
            ...(decision.station ? { station: decision.station } : {}),
            ...(investigation ? { deadline: investigation.deadline } : {}),
            ...(exchangeId ? { exchangeId } : {}),
            ...(writtenReply ? { writtenReply: writtenReply.number } : {}),
          },
        },
      };
    },
    first,
  );
  deps.metrics.addMetric(`Outcome_${decision.outcome}`, 'Count', 1);
  deps.logger.info('decided', {
    requestId,
    proof: first.proof,
    outcome: decision.outcome,
    ruleId: decision.ruleId,
  });
  // 5. Only the run that decided: the applicant is told of the acceptance, then of the decision (the
  // certificate's own message follows when it is issued); a demand the notice abolished (or the booklet
  // proves) is counted under the body that made it. At most once per request: the conditional write
  // above is the mark (no other write, no other item).
  if (decidedHere) {
    // The message Intake sent until now: the request as accepted (its number and kind, no deadline).
    const { acceptedAt } = first;
    await notifyApplicant(deps, { requestId, input, acceptedAt }, 'accepted');
    await countDeclinedDemand(deps, updated);
    if (writtenReply) await notifyApplicant(deps, updated, 'declined', { reference: writtenReply.number });
    else if (updated.status === 'INVESTIGATING') await notifyApplicant(deps, updated, 'investigating');
    else if (updated.status !== 'CHECKING') await notifyApplicant(deps, updated, 'decided');
  }
  // 6. Path and deliveries (shared/domain/deliveries.ts).
  const out = pathOf(updated);
  const deliveries = deliveriesFor(policy, first, decision, updated.status);
  if (decision.outcome === 'ANSWERED_BY_EXCHANGE' && decision.exchange)
    return { ...out, path: 'EXCHANGE', deliveries };
  if (updated.status === 'DECLINED') return { ...out, path: 'DECLINED', deliveries };
  return { ...out, deliveries };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, StepInputSchema, (input) => checkRulesStep(deps, input.requestId));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
