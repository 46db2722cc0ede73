/**
 * Zod schemas of the workflow steps' inputs (the state machine's task payloads), shared by the steps that
 * take the same shape. Parsed at the step edge (functions/edge/step.ts).
 */
import { z } from 'zod';

/** `{ requestId }`: CheckRules, IssueCertificate. */
export const StepInputSchema = z.object({ requestId: z.string().min(1).max(100) });

/** One delivery of CheckRules' output (see shared/domain/deliveries.ts). */
export const DeliveryItemSchema = z.object({
  department: z.string().min(1),
  messageId: z.string().min(1),
  type: z.string().min(1),
});

/** DeliverToDepartments. */
export const DeliverInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  deliveries: z.array(DeliveryItemSchema).default([]),
});

/** RecordDeadLetter: the deliveries that kept failing and the States error that ended the retries. */
export const DeadLetterInputSchema = z.object({
  requestId: z.string().min(1).max(100),
  deliveries: z.array(DeliveryItemSchema).default([]),
  error: z.unknown().optional(),
});
