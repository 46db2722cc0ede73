/**
 * Edge validation (zod) and answers of the citizen routes — the one-time-code sign-in, the data tracker
 * ("who asked about me"), lost-link recovery — and of the abolished-demand tracker (docs/api.md).
 */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import { BilingualSchema } from './bilingual.ts';
import { idNumberSchema, phoneSchema } from './fields.ts';
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

const isoTime = /* @__PURE__ */ z.string().apply(withMeta, {
  description: 'ISO 8601 time (UTC)',
  examples: ['2026-11-23T02:00:00.000Z'],
});

/** POST /v1/citizen/codes: ask for a one-time code by SMS to the phone given at intake. */
export const CitizenCodeRequestSchema = /* @__PURE__ */ z
  .strictObject({
    idNumber: idNumberSchema,
    phone: phoneSchema,
    locale: z
      .optional(z.enum(['zh', 'en']))
      .apply(withMeta, { description: 'language of the SMS (default zh)' }),
  })
  .apply(withMeta, { id: 'CitizenCodeRequest' });

/** POST /v1/citizen/sessions: the code from the SMS, for a session token. */
export const CitizenSessionRequestSchema = /* @__PURE__ */ z
  .strictObject({
    idNumber: idNumberSchema,
    phone: phoneSchema,
    code: z.string().check(z.regex(/^\d{6}$/, { error: '验证码为6位数字 / the code is 6 digits' })),
  })
  .apply(withMeta, { id: 'CitizenSessionRequest' });

/** 202 of POST /v1/citizen/codes: the same answer whether or not the pair is known. */
export const CitizenCodeSentSchema = /* @__PURE__ */ z
  .object({
    accepted: z.literal(true),
    validForSeconds: z.int(),
    message: BilingualSchema,
  })
  .apply(withMeta, { id: 'CitizenCodeSent' });

/** 200 of POST /v1/citizen/sessions. */
export const CitizenSessionSchema = /* @__PURE__ */ z
  .object({
    sessionToken: z.string().apply(withMeta, {
      description: 'bearer token of the citizen routes (cts_…), 15 minutes',
    }),
    expiresAt: isoTime,
  })
  .apply(withMeta, { id: 'CitizenSession' });

/** One line of the data tracker. */
export const DataTrackerEntrySchema = /* @__PURE__ */ z
  .object({
    exchangeId: z.string(),
    askedAt: isoTime,
    body: z.object({ code: z.string(), name: BilingualSchema }),
    question: z.string(),
    questionName: BilingualSchema,
    purpose: z.object({
      given: z.optional(z.string()),
      name: z.optional(BilingualSchema),
      legal: z.boolean().apply(withMeta, {
        description: 'false: the purpose is none of the policy’s purposes (or none was given)',
      }),
    }),
    answer: z.record(z.string(), z.unknown()),
    rule: z.object({ id: z.string(), mechanism: z.string(), mechanismName: BilingualSchema }),
    reference: z.optional(z.string()),
    requestId: z.optional(z.string()),
  })
  .apply(withMeta, { id: 'DataTrackerEntry' });

/** 200 of GET /v1/citizen/exchange-records. */
export const DataTrackerSchema = /* @__PURE__ */ z
  .object({
    entries: z.array(DataTrackerEntrySchema),
    withoutLegalPurpose: z.int().apply(withMeta, {
      description: 'how many entries of this page have no legal purpose',
    }),
    cursor: z.optional(z.string()),
  })
  .apply(withMeta, { id: 'DataTracker' });

/** 200 of GET /v1/citizen/requests: the signed-in applicant's requests with fresh status links. */
export const CitizenRequestsSchema = /* @__PURE__ */ z
  .object({
    requests: z.array(
      z.object({
        requestId: z.string(),
        proof: z.string(),
        kindName: BilingualSchema,
        acceptedAt: isoTime,
        status: z.string(),
        accessToken: z.string(),
        statusLink: z.string().apply(withMeta, {
          description: 'the status page with its token: /requests/{id}#token=…',
        }),
      }),
    ),
  })
  .apply(withMeta, { id: 'CitizenRequests' });

const demandLine = /* @__PURE__ */ z.object({
  body: z.string(),
  bodyName: BilingualSchema,
  kind: z.string(),
  kindName: BilingualSchema,
  declined: z.int(),
  upheldComplaints: z.int(),
  total: z.int(),
  lastAt: isoTime,
});

/** 200 of GET /v1/transparency/abolished-demands. */
export const AbolishedDemandsSchema = /* @__PURE__ */ z
  .object({
    period: z.string().apply(withMeta, { description: '`ALL` or the Beijing month `YYYY-MM`' }),
    lines: z.array(demandLine),
    totals: z.object({ declined: z.int(), upheldComplaints: z.int() }),
    outcomes: z.array(z.string()).apply(withMeta, {
      description: 'the decision outcomes counted as abolished demands',
    }),
  })
  .apply(withMeta, { id: 'AbolishedDemands' });

/** 200 of GET /v1/transparency/abolished-demands/reports/{month} (supervisors). */
export const AbolishedDemandReportSchema = /* @__PURE__ */ z
  .object({
    month: z.string(),
    producedAt: isoTime,
    digest: z.string().apply(withMeta, {
      description: 'SHA-256 (hex) of the report as every signed copy carried it',
    }),
    sentTo: z.array(z.string()),
    report: z.record(z.string(), z.unknown()),
  })
  .apply(withMeta, { id: 'AbolishedDemandReport' });

export const MonthSchema = /* @__PURE__ */ z
  .string()
  .check(
    /* @__PURE__ */ z.regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式为YYYY-MM / month is YYYY-MM' }),
  );

/** `{ month }`: the month of a query or path, validated so that a 400 names the field `month`. */
export const MonthParamSchema = /* @__PURE__ */ z.object({ month: MonthSchema });
