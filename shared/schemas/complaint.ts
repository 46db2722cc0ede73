/**
 * Edge validation (zod) of the accountability routes: POST /v1/complaints, a supervisor's finding on a
 * complaint, POST /v1/requests/{id}/rating. The same field rules as intake (shared/schemas/fields.ts:
 * names, phone numbers, free text); objects are strict (an unknown field is a 400 naming it).
 */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import { COMPLAINT_OUTCOMES, REVIEW_OUTCOMES } from '#shared/domain/complaint.ts';
import {
  type AccountabilityPolicy,
  accountabilityPolicy,
  COMPLAINT_KINDS,
} from '#shared/policy/accountability.ts';
import { issue, personName, phoneSchema, textSchema } from './fields.ts';
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

const code = /* @__PURE__ */ z
  .string()
  .check(/* @__PURE__ */ z.regex(/^[A-Z][A-Z0-9_]{1,59}$/, { error: '代码格式不对 / not a valid code' }));
const stationCode = /* @__PURE__ */ z
  .string()
  .check(/* @__PURE__ */ z.regex(/^[A-Z0-9-]{2,40}$/, { error: '派出所代码格式不对 / not a station code' }));
const id = /* @__PURE__ */ z
  .string()
  .check(/* @__PURE__ */ z.regex(/^[0-9A-Za-z_-]{1,100}$/, { error: '编号格式不对 / not a valid id' }));

/** POST /v1/complaints, for a policy's text limit. */
export function makeComplaintSchema(policy: AccountabilityPolicy = accountabilityPolicy) {
  return z
    .strictObject({
      kind: z.enum(COMPLAINT_KINDS).apply(withMeta, {
        description:
          'DUE_CERTIFICATE_REFUSED 应开不开 · FAVOURS_ASKED 吃拿卡要 · OBSTRUCTION 故意为难 · ABOLISHED_DEMAND · DEADLINE_MISSED',
      }),
      text: textSchema({ min: 5, max: policy.complaint.textMaxCharacters, multiline: true }).apply(withMeta, {
        description: 'what happened, in the complainant’s words (shown as text only)',
      }),
      requestId: z.optional(id).apply(withMeta, {
        description: 'the request it is about (links it; the station is known)',
      }),
      station: z.optional(stationCode).apply(withMeta, {
        description: 'the station it is about, when no request is named',
      }),
      officer: z.optional(textSchema({ min: 1, max: 50 })).apply(withMeta, {
        description: 'the officer named (name or badge number)',
      }),
      body: z.optional(code).apply(withMeta, {
        description: 'ABOLISHED_DEMAND: the body that demanded it (policy body code)',
      }),
      certificateKind: z.optional(code).apply(withMeta, {
        description: 'ABOLISHED_DEMAND: the certificate kind demanded',
      }),
      contact: z.strictObject({ name: personName, phone: phoneSchema }),
    })
    .check(
      z.superRefine((v, ctx) => {
        if (v.requestId === undefined && v.station === undefined)
          issue(ctx, ['station'], { zh: '请填写请求编号或派出所', en: 'name a request or a station' });
        if (v.kind === 'ABOLISHED_DEMAND') {
          if (v.body === undefined)
            issue(ctx, ['body'], { zh: '请填写索要证明的单位', en: 'name the body that demanded it' });
          if (v.certificateKind === undefined)
            issue(ctx, ['certificateKind'], {
              zh: '请填写所要的证明',
              en: 'name the certificate kind demanded',
            });
        }
      }),
    );
}
export const ComplaintSchema = /* @__PURE__ */ makeComplaintSchema();
export type ComplaintBody = z.output<typeof ComplaintSchema>;

/** A supervisor's finding on a complaint. */
export const ComplaintFindingSchema = /* @__PURE__ */ z.strictObject({
  outcome: z.enum(COMPLAINT_OUTCOMES),
  note: textSchema({ min: 1, max: 1000, multiline: true }).apply(withMeta, {
    description: 'the reasons (shown to the complainant)',
  }),
  officer: z.optional(textSchema({ min: 1, max: 100 })).apply(withMeta, {
    description: 'the officer held responsible (UPHELD): an accountability record on them',
  }),
});
export type ComplaintFindingBody = z.output<typeof ComplaintFindingSchema>;

/** POST /v1/reviews/{requestId}/close: a supervisor closes a poor-rating review (差评回访). */
export const ReviewClosureSchema = /* @__PURE__ */ z.strictObject({
  outcome: z.enum(REVIEW_OUTCOMES).apply(withMeta, {
    description: 'RECTIFIED: the station put it right; NO_FAULT: checked, no fault found',
  }),
  remark: textSchema({ min: 1, max: 1000, multiline: true }).apply(withMeta, {
    description: 'what was checked and done (kept with the review)',
  }),
});
export type ReviewClosureBody = z.output<typeof ReviewClosureSchema>;

/** POST /v1/requests/{requestId}/rating (好差评). */
export function makeRatingSchema(policy: AccountabilityPolicy = accountabilityPolicy) {
  return z.strictObject({
    score: z
      .int()
      .check(
        z.gte(1, { error: '评分为1–5 / score is 1–5' }),
        z.lte(5, { error: '评分为1–5 / score is 1–5' }),
      ),
    text: z.optional(textSchema({ max: policy.rating.textMaxCharacters, multiline: true })),
  });
}
export const RatingSchema = /* @__PURE__ */ makeRatingSchema();
export type RatingBody = z.output<typeof RatingSchema>;
