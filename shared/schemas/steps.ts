/**
 * Zod schemas of the workflow steps' inputs (the state machine's task payloads), shared by the steps that
 * take the same shape. Parsed at the step edge (functions/edge/step.ts).
 */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import * as z from './zod.ts';

const requestId = () => z.string().check(z.minLength(1), z.maxLength(100));
const nonEmpty = () => z.string().check(z.minLength(1));

/** `{ requestId }`: CheckRules, IssueCertificate. */
export const StepInputSchema = /* @__PURE__ */ z.object({ requestId: requestId() });

/** One delivery of CheckRules' output (see shared/domain/deliveries.ts). */
export const DeliveryItemSchema = /* @__PURE__ */ z.object({
  department: nonEmpty(),
  messageId: nonEmpty(),
  type: nonEmpty(),
});

/** DeliverToDepartments. */
export const DeliverInputSchema = /* @__PURE__ */ z.object({
  requestId: requestId(),
  deliveries: z._default(z.array(DeliveryItemSchema), []),
});

/** RecordDeadLetter: the deliveries that kept failing and the States error that ended the retries. */
export const DeadLetterInputSchema = /* @__PURE__ */ z.object({
  requestId: requestId(),
  deliveries: z._default(z.array(DeliveryItemSchema), []),
  error: z.optional(z.unknown()),
});
