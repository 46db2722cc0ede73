/**
 * Workflow step RecordDeadLetter: a department endpoint kept failing after every retry. Records a dead
 * letter per delivery (kept in the table, listed per department) and a DELIVERY_FAILED event; the
 * request itself goes on (a decision stands whether or not the department heard of it).
 */
import { DeadLetterInputSchema } from '#shared/schemas/steps.ts';
import type * as z from '#shared/schemas/zod.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { stepHandler } from '../edge/step.ts';
import { messageFor } from '../use-cases/deliveries.ts';
import { changeRequest, loadRequest, nowIso } from '../use-cases/requests.ts';

export async function recordDeadLetterStep(deps: Deps, input: z.output<typeof DeadLetterInputSchema>) {
  const request = await loadRequest(deps, input.requestId);
  const at = nowIso(deps);
  const e = input.error as { Error?: string; Cause?: string } | undefined;
  const lastError = `${e?.Error ?? 'Error'}: ${(e?.Cause ?? '').slice(0, 500)}`;
  for (const d of input.deliveries) {
    await deps.store.putDeadLetter({
      messageId: d.messageId,
      department: d.department,
      type: d.type,
      requestId: input.requestId,
      attempts: 5,
      lastError,
      at,
      payload: await messageFor(deps, request, d),
    });
    deps.metrics.addMetric('DeliveryDeadLettered', 'Count', 1);
  }
  await changeRequest(deps, input.requestId, (current) =>
    current.lastEvent.type === 'DELIVERY_FAILED'
      ? undefined
      : {
          changes: {},
          event: {
            type: 'DELIVERY_FAILED',
            actor: 'system',
            detail: { departments: input.deliveries.map((d) => d.department), error: e?.Error ?? 'Error' },
          },
        },
  );
  deps.logger.warn('delivery dead-lettered', {
    requestId: input.requestId,
    departments: input.deliveries.map((d) => d.department),
  });
  return { requestId: input.requestId };
}

export function createHandler(deps: Deps) {
  return stepHandler(deps, DeadLetterInputSchema, (input) => recordDeadLetterStep(deps, input));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
