/** Edge validation (zod) of investigation findings: the officer's and the department webhook's (docs/api.md). */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import { issue, safeRecordSchema, textSchema } from './fields.ts';
import * as z from './zod.ts';

/** What every finding holds: the outcome, the facts found, and a note (the reason, for REFUTED). */
const findingFields = {
  outcome: z.enum(['CONFIRMED', 'REFUTED']),
  facts: z._default(safeRecordSchema, {}),
  note: z.optional(textSchema({ max: 2000, multiline: true })),
};

/** A REFUTED finding needs a note giving the reason (it becomes the written reply's reason). */
function refusalNeedsNote(
  f: { outcome: 'CONFIRMED' | 'REFUTED'; note?: string | undefined },
  ctx: z.core.$RefinementCtx,
) {
  if (f.outcome === 'REFUTED' && (f.note === undefined || f.note === '')) {
    issue(ctx, ['note'], {
      zh: '不予出具时必须说明理由',
      en: 'a REFUTED finding needs a note giving the reason',
    });
  }
}

/** Officer findings: POST /v1/requests/{requestId}/findings. */
export const FindingsBodySchema = /* @__PURE__ */ z
  .strictObject(findingFields)
  .check(/* @__PURE__ */ z.superRefine(refusalNeedsNote));
export type FindingsBody = z.output<typeof FindingsBodySchema>;

/** Department findings: POST /v1/webhooks/{department}/findings. */
export const DepartmentFindingsSchema = /* @__PURE__ */ z
  .strictObject({
    requestId: z
      .string()
      .check(z.trim(), z.regex(/^[0-9A-Za-z_-]{1,100}$/, { error: '不是请求编号 / not a request id' })),
    ...findingFields,
  })
  .check(/* @__PURE__ */ z.superRefine(refusalNeedsNote));
export type DepartmentFindings = z.output<typeof DepartmentFindingsSchema>;
