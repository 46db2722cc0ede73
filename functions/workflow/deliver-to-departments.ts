/**
 * Workflow step DeliverToDepartments: signed deliveries (Standard Webhooks) of a decision, an exchange
 * record or an investigation to the departments concerned.
 *
 * Primary course:
 *  1. For each delivery, load the department's configuration; one without an endpoint is skipped.
 *  2. Build the message from the stored request (shared/domain/deliveries.ts `messageData`: masked).
 *  3. POST it signed, with a stable webhook-id (`{requestId}.{kind}`), so a retried delivery is one
 *     message to the receiver. Any failure throws DeliveryFailedError: the state machine retries with
 *     backoff and, in the end, records a dead letter.
 *  4. Record a DELIVERED event naming the departments.
 */
import { DeliverInputSchema } from '#shared/schemas/steps.ts';
import type * as z from '#shared/schemas/zod.ts';
import { deliverSigned } from '#shared/webhooks/delivery.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { departmentsOf } from '../edge/departments.ts';
import { stepHandler } from '../edge/step.ts';
import { messageFor } from '../use-cases/deliveries.ts';
import { changeRequest, loadRequest } from '../use-cases/requests.ts';

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
        data: await messageFor(deps, request, d),
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
