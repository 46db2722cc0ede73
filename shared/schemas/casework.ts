/** Edge validation (zod) of the officer console's casework routes and the supervision report (docs/api.md). */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import { idNumberProblem } from '#shared/domain/id-number.ts';
import { REQUEST_STATUSES } from '#shared/domain/request.ts';
import { dateSchema, issue, textSchema } from './fields.ts';
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

const STATION_CODE = /^[A-Z0-9-]{2,40}$/;
/** An officer's username at the issuer (Cognito, the province's platform, the local provider). */
const USERNAME = /^[A-Za-z0-9._@-]{1,128}$/;

export const stationCodeSchema = /* @__PURE__ */ z
  .string()
  .check(z.regex(STATION_CODE, { error: '不是派出所代码 / not a station code' }))
  .apply(withMeta, { examples: ['CC-YHL'] });

/** POST /v1/requests/search: a request number or its 8-character reference, a name, or an ID number. */
export const SearchBodySchema = /* @__PURE__ */ z
  .strictObject({
    q: textSchema({ min: 1, max: 50 }).apply(withMeta, {
      description:
        'request number (26 characters) or its reference (last 8), a name, or an 18-character ID number (looked up by its keyed hash)',
    }),
    station: z.optional(stationCodeSchema).apply(withMeta, {
      description: 'only this station (else every station the caller acts for)',
    }),
  })
  .check(
    z.superRefine((body, ctx) => {
      const q = body.q.trim().toUpperCase();
      const problem = /^\d{17}[\dX]$/.test(q) ? idNumberProblem(q) : undefined;
      if (problem) issue(ctx, ['q'], problem.message);
    }),
  )
  .apply(withMeta, { id: 'SearchRequest' });
export type SearchBody = z.output<typeof SearchBodySchema>;

/** POST /v1/requests/{requestId}/assignee: no officer = the caller claims it. */
export const AssignBodySchema = /* @__PURE__ */ z
  .strictObject({
    officer: z
      .optional(z.string().check(z.regex(USERNAME, { error: '不是民警用户名 / not an officer username' })))
      .apply(withMeta, { description: "the officer's username; absent: the caller claims the request" }),
  })
  .apply(withMeta, { id: 'AssignRequest' });

/** POST /v1/requests/{requestId}/reveal: why the full ID numbers are needed (kept in the audit trail). */
export const RevealBodySchema = /* @__PURE__ */ z
  .strictObject({
    reason: textSchema({ min: 4, max: 500, multiline: true }).apply(withMeta, {
      description: 'why the full ID numbers and registry records are needed (audited)',
    }),
  })
  .apply(withMeta, { id: 'RevealRequest' });

/** The query of GET /v1/stations/{station}/queue (filters; `view=done` for finished requests). */
export const QueueQuerySchema = /* @__PURE__ */ z.object({
  view: z._default(z.enum(['open', 'done']), 'open'),
  status: z.optional(z.enum(REQUEST_STATUSES)),
  proof: z.optional(
    z.string().check(z.regex(/^[A-Z_]{2,40}$/, { error: '不是证明种类 / not a proof kind' })),
  ),
  overdue: z.optional(z.enum(['true', 'false'])),
  assignee: z.optional(
    z
      .string()
      .check(
        z.regex(/^(me|none|[A-Za-z0-9._@-]{1,128})$/, { error: '不是民警用户名 / not an officer username' }),
      ),
  ),
  limit: z.optional(z.string()),
  cursor: z.optional(z.string()),
});

/** The query of GET /v1/supervision: a Beijing day range (at most 92 days) and optionally one station. */
export const SupervisionQuerySchema = /* @__PURE__ */ z
  .object({
    // A day that exists (`2026-11-31` is refused, not read as 1 December).
    from: dateSchema,
    to: dateSchema,
    station: z.optional(stationCodeSchema),
  })
  .check(
    /* @__PURE__ */ z.superRefine((q, ctx) => {
      // The range only between two real days (the fields' own issues name the others).
      if (!dateSchema.safeParse(q.from).success || !dateSchema.safeParse(q.to).success) return;
      const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
      if (!(days >= 0)) issue(ctx, ['to'], { zh: '结束日期早于开始日期', en: 'to is before from' });
      else if (days > 92) issue(ctx, ['to'], { zh: '日期范围最多92天', en: 'the range is at most 92 days' });
    }),
  );
