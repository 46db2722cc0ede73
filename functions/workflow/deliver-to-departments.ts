/**
 * Workflow step DeliverToDepartments: signed deliveries (Standard Webhooks) of a decision, an exchange
 * record or an investigation to the departments concerned.
 *
 * Primary course:
 *  1. For each delivery, load the department's configuration; one without an endpoint is skipped.
 *  2. Build the message from the stored request (masked: no full ID number leaves certflow this way).
 *  3. POST it signed, with a stable webhook-id (`{requestId}.{kind}`), so a retried delivery is one
 *     message to the receiver. Any failure throws DeliveryFailedError: the state machine retries with
 *     backoff and, in the end, records a dead letter.
 *  4. Record a DELIVERED event naming the departments.
 */
import { z } from 'zod';
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import { deliverSigned } from '#shared/webhooks/delivery.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentDeps, departmentsOf } from '../lib/departments.ts';
import { changeRequest, loadRequest } from '../lib/requests.ts';
import { stepHandler } from '../lib/step.ts';
import { exchangeIdFor } from './check-rules.ts';

export const DeliveryItemSchema = z.object({
  department: z.string().min(1),
  messageId: z.string().min(1),
  type: z.string().min(1),
});
export const DeliverInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  deliveries: z.array(DeliveryItemSchema).default([]),
});

export async function messageData(deps: Deps, request: RequestRecord, type: string, department: string) {
  const input = request.input as { subject: { name: string; idNumber: string }; purpose?: { code?: string } };
  const subject = { name: maskName(input.subject.name), idNumber: maskIdNumber(input.subject.idNumber) };
  const base = { requestId: request.requestId, proof: request.proof, subject, purpose: input.purpose?.code };
  const decision = request.decision;
  if (type === 'certflow.exchange.answered') {
    const record = await deps.store.getExchangeRecord(exchangeIdFor(request.requestId));
    return {
      ...base,
      exchange: record,
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

export async function deliverStep(deps: Deps, input: z.output<typeof DeliverInputSchema>) {
  if (input.deliveries.length === 0) return { requestId: input.requestId, delivered: [] as string[] };
  const request = await loadRequest(deps, input.requestId);
  const delivered: string[] = [];
  for (const d of input.deliveries) {
    // 1.
    const department = await departmentsOf(deps).get(d.department);
    if (!department?.endpoint || department.secrets.length === 0) continue;
    // 2. + 3.
    await deliverSigned({
      endpoint: department.endpoint,
      secrets: department.secrets,
      message: {
        id: d.messageId,
        type: d.type,
        data: await messageData(deps, request, d.type, d.department),
      },
      clock: deps.clock,
      fetch: deps.fetch,
    });
    delivered.push(d.department);
    deps.metrics.addMetric('DeliverySucceeded', 'Count', 1);
  }
  // 4.
  if (delivered.length > 0) {
    const messageIds = input.deliveries.map((d) => d.messageId);
    await changeRequest(deps, input.requestId, (current) =>
      current.lastEvent.type === 'DELIVERED' &&
      JSON.stringify(current.lastEvent.detail.messageIds) === JSON.stringify(messageIds)
        ? undefined
        : {
            changes: {},
            event: { type: 'DELIVERED', actor: 'system', detail: { departments: delivered, messageIds } },
          },
    );
  }
  return { requestId: input.requestId, delivered };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, DeliverInputSchema, (input) => deliverStep(deps, input));
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
