/**
 * The deliveries a decision causes: who gets which signed message (Standard Webhooks), its id and its
 * data. Pure functions of the request and its decision; the workflow steps DeliverToDepartments and
 * RecordDeadLetter send or keep what these return.
 *
 * Message types:
 *  - `certflow.exchange.answered` → the connected department the exchange answers (rule 5);
 *  - `certflow.request.declined` → a connected asking body, when the request is declined;
 *  - `certflow.investigation.requested` → when an investigation starts, every body it is dispatched to:
 *    a connected asking body and the connected bodies the kind `consults` (`{requestId}.investigation.{CODE}`).
 * Message ids are `{requestId}.{exchange|declined|investigation}`: stable, so a retried delivery is one
 * message to the receiver. No full ID number leaves certflow this way (`maskedSubject`).
 */
import { maskedSubject, type RequestRecord, type RequestStatus } from '#shared/domain/request.ts';
import type { Decision } from '#shared/domain/types.ts';
import { investigatedBy, isConnected, type Policy } from '#shared/policy/policy.ts';

export const MESSAGE_TYPES = [
  'certflow.exchange.answered',
  'certflow.request.declined',
  'certflow.investigation.requested',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** One message to one department. */
export interface Delivery {
  department: string;
  messageId: string;
  type: MessageType;
}

/** The id of the exchange record a request answered by exchange keeps (`x_{requestId}`). */
export function exchangeIdFor(requestId: string): string {
  return `x_${requestId}`;
}

/**
 * The messages `decision` causes for a request now in `status` (after the decision was written): the
 * exchange answer to its department, or — when the asking body (`input.askedBy`) is connected under
 * `policy` — the decline or the investigation. Empty otherwise.
 */
export function deliveriesFor(
  policy: Policy,
  request: Pick<RequestRecord, 'requestId' | 'input' | 'proof'>,
  decision: Decision,
  status: RequestStatus,
): Delivery[] {
  const { requestId } = request;
  if (decision.outcome === 'ANSWERED_BY_EXCHANGE' && decision.exchange) {
    return [
      {
        department: decision.exchange.department,
        messageId: `${requestId}.exchange`,
        type: 'certflow.exchange.answered',
      },
    ];
  }
  const askedBy = request.input.askedBy;
  // The investigation goes to every body it is dispatched to: the asking one and those the kind consults.
  if (status === 'INVESTIGATING')
    return investigatedBy(policy, request.proof, askedBy).map((department) => ({
      department,
      messageId:
        department === askedBy ? `${requestId}.investigation` : `${requestId}.investigation.${department}`,
      type: 'certflow.investigation.requested' as const,
    }));
  if (!isConnected(policy, askedBy)) return [];
  if (status === 'DECLINED')
    return [{ department: askedBy, messageId: `${requestId}.declined`, type: 'certflow.request.declined' }];
  return [];
}

/**
 * The data of a message of `type` to `department` about `request` (masked subject, links relative to the
 * API). `exchange` is the stored exchange record, for `certflow.exchange.answered`. A type not in
 * `MESSAGE_TYPES` gets the decision's data, like `certflow.request.declined`.
 */
export function messageData(
  request: RequestRecord,
  type: MessageType | (string & {}),
  department: string,
  exchange?: unknown,
): Record<string, unknown> {
  const input = request.input;
  const base = {
    requestId: request.requestId,
    proof: request.proof,
    subject: maskedSubject(input),
    purpose: input.purpose?.code,
  };
  const decision = request.decision;
  if (type === 'certflow.exchange.answered') {
    return {
      ...base,
      exchange,
      links: { records: `/v1/exchange/records?department=${encodeURIComponent(department)}` },
    };
  }
  if (type === 'certflow.investigation.requested') {
    return {
      ...base,
      station: request.station,
      deadline: request.deadline,
      links: { findings: `/v1/webhooks/${encodeURIComponent(department)}/findings` },
    };
  }
  return {
    ...base,
    outcome: decision?.outcome,
    ruleId: decision?.ruleId,
    policyVersion: decision?.policyVersion,
    reason: decision?.reason,
    guidance: decision?.guidance,
    heldBy: decision?.heldBy,
  };
}
