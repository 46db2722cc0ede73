/** Edge validation (zod) of ad-hoc exchange queries: POST /v1/exchange/queries (docs/api.md). */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import { beijingDate } from '#shared/domain/beijing-day.ts';
import { MAX_PEOPLE_PER_CALL, REGISTRY_CHANGE_TYPES } from '#shared/domain/periodic-exchange.ts';
import { EXCHANGE_QUESTIONS, RELATIONS } from '#shared/domain/types.ts';
import {
  dateSchema,
  idNumberSchema,
  idNumberSchemaAt,
  issue,
  personName,
  text100,
  text200,
} from './fields.ts';
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

/**
 * Ad-hoc verification: POST /v1/exchange/queries. HOUSEHOLD_RELATION and KINSHIP need relatedPerson.
 * With `now` (the stack's clock), ID numbers born after that moment are a 400, as at intake.
 */
export function makeExchangeQuerySchema(opts: { now?: () => Date } = {}) {
  const idNumberSchema = idNumberSchemaAt(opts.now);
  return z
    .strictObject({
      question: z.enum(EXCHANGE_QUESTIONS),
      subject: z.strictObject({ name: z.optional(personName), idNumber: idNumberSchema }),
      relatedPerson: z.optional(
        z.strictObject({
          name: z.optional(personName),
          idNumber: idNumberSchema,
          relation: z.optional(z.enum(RELATIONS)),
        }),
      ),
      purpose: text200,
      reference: text100,
    })
    .check(
      z.superRefine((q, ctx) => {
        const needsRelated = q.question === 'HOUSEHOLD_RELATION' || q.question === 'KINSHIP';
        if (needsRelated && q.relatedPerson === undefined) {
          issue(ctx, ['relatedPerson'], {
            zh: '该问题需要填写关系人',
            en: `question ${q.question} needs relatedPerson`,
          });
        }
        if (!needsRelated && q.relatedPerson !== undefined) {
          issue(ctx, ['relatedPerson'], {
            zh: '该问题不需要关系人',
            en: `question ${q.question} takes no relatedPerson`,
          });
        }
      }),
    );
}
export const ExchangeQuerySchema = /* @__PURE__ */ makeExchangeQuerySchema();
export type ExchangeQuery = z.output<typeof ExchangeQuerySchema>;

/**
 * Periodic exchange: POST /v1/exchange/subscriptions. `changeTypes` (what the body wants) replaces the
 * subscription's; `people` registers ID numbers of the body's own caseload, `remove` takes them off (at
 * most MAX_PEOPLE_PER_CALL each; call again for more).
 */
export const SubscriptionBodySchema = /* @__PURE__ */ z
  .strictObject({
    changeTypes: z
      .array(z.enum(REGISTRY_CHANGE_TYPES))
      .check(z.minLength(1), z.maxLength(REGISTRY_CHANGE_TYPES.length)),
    people: z.optional(z.array(idNumberSchema).check(z.maxLength(MAX_PEOPLE_PER_CALL))),
    remove: z.optional(z.array(idNumberSchema).check(z.maxLength(MAX_PEOPLE_PER_CALL))),
  })
  .apply(withMeta, { id: 'SubscriptionBody' });
export type SubscriptionBody = z.output<typeof SubscriptionBodySchema>;

const CHANGE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const STATION_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;

/**
 * The registry's change feed: POST /v1/registry/changes, one change. `changeId` is the registry's own id
 * (the same id again is a replay). Per type: HUKOU_CANCELLED needs `reason`; NAME_CHANGED `from` and `to`
 * names; GENDER_CHANGED `from` and `to` (M/F, different); MIGRATED `toRegion`. With `now`, `effectiveOn`
 * after today (Beijing) and ID numbers born later are a 400.
 */
export function makeRegistryChangeSchema(opts: { now?: () => Date } = {}) {
  return z
    .strictObject({
      changeId: z.string().check(
        z.regex(CHANGE_ID, {
          error: 'changeId须为1–64个字母、数字或 _.:- / changeId: 1–64 letters, digits or _.:-',
        }),
      ),
      type: z.enum(REGISTRY_CHANGE_TYPES),
      idNumber: idNumberSchemaAt(opts.now),
      name: z.optional(personName),
      effectiveOn: dateSchema,
      station: z
        .string()
        .check(z.regex(STATION_CODE, { error: '派出所代码格式错误 / station: a station code' })),
      reason: z.optional(z.enum(['EMIGRATION', 'ENLISTMENT', 'OTHER'])),
      from: z.optional(personName),
      to: z.optional(personName),
      toRegion: z.optional(text100),
    })
    .check(
      z.superRefine((c, ctx) => {
        const need = (field: 'reason' | 'from' | 'to' | 'toRegion') => {
          if (c[field] === undefined)
            issue(ctx, [field], { zh: `该变动类型须填写${field}`, en: `a ${c.type} change needs ${field}` });
        };
        if (c.type === 'HUKOU_CANCELLED') need('reason');
        if (c.type === 'NAME_CHANGED' || c.type === 'GENDER_CHANGED') {
          need('from');
          need('to');
        }
        if (c.type === 'GENDER_CHANGED') {
          for (const f of ['from', 'to'] as const)
            if (c[f] !== undefined && c[f] !== 'M' && c[f] !== 'F')
              issue(ctx, [f], { zh: '性别须为M或F', en: 'gender must be M or F' });
          if (c.from !== undefined && c.from === c.to)
            issue(ctx, ['to'], { zh: '变更前后性别相同', en: 'from and to are the same gender' });
        }
        if (c.type === 'MIGRATED') need('toRegion');
        const now = opts.now?.();
        if (now && c.effectiveOn > beijingDate(now))
          issue(ctx, ['effectiveOn'], { zh: '生效日期晚于今天', en: 'effectiveOn is after today (Beijing)' });
      }),
    );
}
export const RegistryChangeSchema = /* @__PURE__ */ makeRegistryChangeSchema().apply(withMeta, {
  id: 'RegistryChange',
});
export type RegistryChange = z.output<typeof RegistryChangeSchema>;

/** Result feedback: POST /v1/exchange/records/{exchangeId}/feedback. DISPUTED needs a reason. */
export const FeedbackBodySchema = /* @__PURE__ */ z
  .strictObject({ outcome: z.enum(['ACCEPTED', 'DISPUTED']), reason: z.optional(text200) })
  .check(
    z.superRefine((f, ctx) => {
      if (f.outcome === 'DISPUTED' && f.reason === undefined)
        issue(ctx, ['reason'], { zh: '有异议时须说明理由', en: 'a DISPUTED answer needs a reason' });
    }),
  )
  .apply(withMeta, { id: 'ExchangeFeedback' });
