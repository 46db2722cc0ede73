/**
 * Edge validation (zod) of POST /v1/requests (intake, docs/api.md). Findings are in findings.ts, exchange
 * queries in exchange.ts, the fields they share in fields.ts.
 *
 * The intake schema is built from a policy: `proof` must be a code of that policy's catalogue (an unknown
 * code is a 400 naming `proof`), and the policy says which kinds need `relatedPerson` (KINSHIP) and which
 * need `event` (incident kinds); both are rejected where the kind does not need them. `intakeRequestSchema()`
 * is the schema over the default policy. Messages of our own checks carry `{ zh, en }` in the issue's
 * `params`, which `validationProblem` (shared/http/problem.ts) turns into bilingual messages.
 *
 * Objects are strict: an unknown field is an error naming it (a misspelt `relatedPerson` must not be
 * silently dropped). ID numbers must be 18 characters with a valid GB 11643 check digit; they are trimmed and
 * upper-cased first (a citizen typing `x` for the check character `X` is not an error).
 */
import { ASKED_BY_CODES, PURPOSE_CODES, RELATIONS } from '#shared/domain/types.ts';
import { BODY_LEVELS, defaultPolicy, kindOf, type Policy } from '#shared/policy/policy.ts';
import {
  dateSchema,
  idNumberSchemaAt,
  issue,
  personName,
  phoneSchema,
  text100,
  text200,
  textSchema,
} from './fields.ts';
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

const ref = textSchema({ min: 1, max: 100 });
const optionalText200 = z.optional(textSchema({ max: 200 }));

function applicantSchemaWith(id: ReturnType<typeof idNumberSchemaAt>) {
  return z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('SELF'), name: personName, idNumber: id, phone: phoneSchema }),
    z.strictObject({
      kind: z.literal('AGENT'),
      name: personName,
      idNumber: id,
      phone: phoneSchema,
      powerOfAttorneyRef: ref.apply(withMeta, { description: 'reference of the power of attorney (委托书)' }),
    }),
    z.strictObject({
      kind: z.literal('UNIT'),
      unitName: text100,
      letterRef: ref.apply(withMeta, { description: 'reference of the letter of introduction (介绍信)' }),
      name: personName.apply(withMeta, { description: 'the unit’s contact person' }),
      idNumber: z.optional(id),
      phone: phoneSchema,
    }),
  ]);
}

/**
 * Builds the intake schema for a policy (which codes exist, which need relatedPerson, event, the law cited
 * or the asking body's level). With `now` (the stack's clock), ID numbers born after that moment are
 * rejected at intake.
 */
const stationCode = z.string().check(
  z.regex(/^[A-Z][A-Z0-9-]{1,31}$/, {
    error: '派出所代码格式错误 / a station code (e.g. CC-YHL)',
  }),
);

export function makeIntakeRequestSchema(policy: Policy, opts: { now?: () => Date } = {}) {
  const idNumberSchema = idNumberSchemaAt(opts.now);
  const applicantSchema = applicantSchemaWith(idNumberSchema);
  const codes = policy.kinds.map((k) => k.code) as [string, ...string[]];
  const withRelated = policy.kinds
    .filter((k) => k.needs.relatedPerson)
    .map((k) => k.code)
    .join(', ');
  const withEvent = policy.kinds
    .filter((k) => k.needs.event)
    .map((k) => k.code)
    .join(', ');
  return z
    .strictObject({
      proof: z.enum(codes, {
        error: `证明种类不在目录中（${policy.policyVersion}） / proof is not a kind of the catalogue (${policy.policyVersion})`,
      }),
      purpose: z.strictObject({
        code: z.enum(PURPOSE_CODES),
        text: optionalText200,
      }),
      askedBy: z.enum(ASKED_BY_CODES),
      askedByName: z.optional(text100).apply(withMeta, {
        description: 'name of the asking body; required when askedBy is OTHER',
      }),
      subject: z.strictObject({ name: personName, idNumber: idNumberSchema }),
      relatedPerson: z
        .optional(
          z.strictObject({
            name: personName,
            idNumber: idNumberSchema,
            relation: z
              .enum(RELATIONS)
              .apply(withMeta, { description: "the related person is the subject's …" }),
          }),
        )
        .apply(withMeta, {
          description: `required for ${withRelated || 'no kind'}; not allowed for other kinds`,
        }),
      applicant: applicantSchema,
      event: z.optional(z.strictObject({ date: dateSchema, place: text200 })).apply(withMeta, {
        description: `required for ${withEvent || 'no kind'}; not allowed for other kinds`,
      }),
      askedByLevel: z.optional(z.enum(BODY_LEVELS)).apply(withMeta, {
        description: 'level of the asking body; required for a certificate not in the catalogue',
      }),
      legalBasis: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(300))).apply(withMeta, {
        description: 'the law the asking body cites; required for "other cases required by law"',
      }),
      locale: z.optional(z.enum(['zh', 'en'])),
      filing: z
        .optional(
          z.strictObject({
            station: z.optional(stationCode).apply(withMeta, {
              description: 'the station where it was filed (absent: online)',
            }),
            collectAt: z.optional(stationCode).apply(withMeta, {
              description:
                'where the applicant collects it (default: the filing station, else the competent one)',
            }),
          }),
        )
        .apply(withMeta, {
          description:
            '收受分离 (accept anywhere, handle at the competent station): where the request was filed and where the certificate is collected',
        }),
    })
    .check(
      z.superRefine((r, ctx) => {
        const kind = kindOf(policy, r.proof);
        if (r.askedBy === 'OTHER' && r.askedByName === undefined) {
          issue(ctx, ['askedByName'], {
            zh: '要求证明的单位为“其他”（askedBy OTHER）时，请填写该单位的名称（askedByName）',
            en: 'Give the name of the body that asks for the certificate (askedByName) when it is another body (askedBy OTHER)',
          });
        }
        if (kind === undefined) return;
        if (kind.needs.relatedPerson && r.relatedPerson === undefined) {
          issue(ctx, ['relatedPerson'], {
            zh: `“${kind.name.zh}”需要填写关系人`,
            en: `“${kind.name.en}” needs the related person (relatedPerson)`,
          });
        }
        if (!kind.needs.relatedPerson && r.relatedPerson !== undefined) {
          issue(ctx, ['relatedPerson'], {
            zh: `“${kind.name.zh}”不需要关系人`,
            en: `“${kind.name.en}” takes no related person (relatedPerson)`,
          });
        }
        if (kind.needs.event && r.event === undefined) {
          issue(ctx, ['event'], {
            zh: `“${kind.name.zh}”需要填写事件日期和地点`,
            en: `“${kind.name.en}” needs the date and place of the event (event)`,
          });
        }
        if (!kind.needs.event && r.event !== undefined) {
          issue(ctx, ['event'], {
            zh: '只有案（事）件类证明需要填写事件',
            en: 'Only a certificate about an incident takes an event (event)',
          });
        }
        if (kind.needs.legalBasis === true && r.legalBasis === undefined) {
          issue(ctx, ['legalBasis'], {
            zh: `“${kind.name.zh}”需要填写要求证明的单位所依据的法律法规`,
            en: `“${kind.name.en}” needs the law or regulation the asking body cites (legalBasis)`,
          });
        }
        if (kind.needs.askedByLevel === true && r.askedByLevel === undefined) {
          issue(ctx, ['askedByLevel'], {
            zh: `“${kind.name.zh}”需要填写要求证明的单位的级别`,
            en: `“${kind.name.en}” needs the level of the asking body (askedByLevel)`,
          });
        }
        if (r.relatedPerson !== undefined && r.relatedPerson.idNumber === r.subject.idNumber) {
          issue(ctx, ['relatedPerson', 'idNumber'], {
            zh: '关系人与证明对象不能是同一人',
            en: 'The related person must be someone other than the person the certificate is about',
          });
        }
      }),
    );
}

let defaultSchema: ReturnType<typeof makeIntakeRequestSchema> | undefined;
/**
 * The intake schema over the default policy (jilin-2016), without a clock; built on the first call, not at
 * import (the Intake handler builds its own per policy with the stack's clock, and building this one at
 * import cost every cold start that imports this module; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
 * The OpenAPI document and the tests use it.
 */
export function intakeRequestSchema(): ReturnType<typeof makeIntakeRequestSchema> {
  defaultSchema ??= makeIntakeRequestSchema(defaultPolicy);
  return defaultSchema;
}

/** A validated intake request. `proof` is a code of the policy the schema was built from. */
export type IntakeRequest = z.output<ReturnType<typeof makeIntakeRequestSchema>>;
export type Applicant = z.output<ReturnType<typeof applicantSchemaWith>>;

const makeJsonSchema = () => z.toJSONSchema(intakeRequestSchema(), { io: 'input' });
let jsonSchema: ReturnType<typeof makeJsonSchema> | undefined;
/**
 * JSON Schema (draft 2020-12) of the intake body over the default policy, generated from the zod schema on
 * the first call (not at import, for the same reason). The conditional rules (relatedPerson, event,
 * askedByName) appear as descriptions; zod enforces them.
 */
export function intakeJsonSchema(): ReturnType<typeof makeJsonSchema> {
  jsonSchema ??= makeJsonSchema();
  return jsonSchema;
}
