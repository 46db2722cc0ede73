/**
 * Edge validation (zod) for the bodies of docs/api.md: POST /v1/requests (intake), investigation findings
 * (officer and department webhook) and ad-hoc exchange queries.
 *
 * The intake schema is built from a policy: `proof` must be a code of that policy's catalogue (an unknown
 * code is a 400 naming `proof`), and the policy says which kinds need `relatedPerson` (KINSHIP) and which
 * need `event` (incident kinds); both are rejected where the kind does not need them. `IntakeRequestSchema`
 * is the schema over the default policy. Messages of our own checks carry `{ zh, en }` in the issue's
 * `params`, which `validationProblem` (shared/http/problem.ts) turns into bilingual messages.
 *
 * Objects are strict: an unknown field is an error naming it (a misspelt `relatedPerson` must not be
 * silently dropped). ID numbers must be 18 characters with a valid GB 11643 check digit; they are trimmed and
 * upper-cased first (a citizen typing `x` for the check character `X` is not an error).
 */
import { z } from 'zod';
import { idNumberProblem } from '#shared/domain/id-number.ts';
import {
  ASKED_BY_CODES,
  type Bilingual,
  EXCHANGE_QUESTIONS,
  PURPOSE_CODES,
  RELATIONS,
} from '#shared/domain/types.ts';
import { BODY_LEVELS, defaultPolicy, kindOf, type Policy } from '#shared/policy/policy.ts';

/** A custom issue with a bilingual message. */
function issue(ctx: z.RefinementCtx, path: PropertyKey[], msg: Bilingual): void {
  ctx.addIssue({ code: 'custom', path, message: `${msg.zh} / ${msg.en}`, params: msg });
}

/**
 * An ID number; surrounding spaces are trimmed and a lower-case check character `x` becomes `X`. With
 * `now`, a birth date after that moment (the stack's clock, read at validation) is an error.
 */
export function idNumberSchemaAt(now?: () => Date) {
  return z
    .string()
    .trim()
    .toUpperCase()
    .meta({
      description:
        '18-character resident ID number (GB 11643): region, birth date, sequence, check digit (x is read as X)',
      minLength: 18,
      maxLength: 18,
      pattern: '^[0-9]{17}[0-9Xx]$',
      examples: ['220102198001010020'],
    })
    .superRefine((s, ctx) => {
      const problem = idNumberProblem(s, now ? { now: now() } : {});
      if (problem)
        ctx.addIssue({
          code: 'custom',
          message: `${problem.message.zh} / ${problem.message.en}`,
          params: problem.message,
        });
    });
}

/** An ID number checked without a clock (any real birth date from 1850). */
export const idNumberSchema = idNumberSchemaAt();

/**
 * Names of Object.prototype (`__proto__`, `constructor`, `toString` …): never a key of a stored object.
 * `constructor` breaks the DynamoDB marshaller, `__proto__` is dropped by any plain-object copy.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** C0/C1 controls (Cc), format characters (Cf: U+200B, U+202E bidi overrides …), unassigned/private use. */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;
const CONTROL_OR_FORMAT_BUT_NEWLINE = /(?![\n\t])[\p{Cc}\p{Cf}\p{Co}\p{Cn}]/u;

/**
 * Free text a person typed (names, places, notes, references): trimmed, normalised to NFC, well-formed
 * UTF-16 (no lone surrogate), no control or format character (U+0000, U+200B, U+202E …; `multiline`
 * allows line feeds and tabs), then `min`–`max` characters. Errors are bilingual.
 */
export function textSchema(options: { min?: number; max: number; multiline?: boolean }) {
  const bad = options.multiline ? CONTROL_OR_FORMAT_BUT_NEWLINE : CONTROL_OR_FORMAT;
  return z
    .string()
    .refine((s) => !/\p{Cs}/u.test(s), {
      error: '含有无效的Unicode字符（孤立代理项） / contains invalid Unicode (a lone surrogate)',
      abort: true,
    })
    .transform((s) => s.trim().normalize('NFC'))
    .refine((s) => !bad.test(s), {
      error: '含有控制字符或格式字符 / contains a control or format character',
      abort: true,
    })
    .pipe(
      z
        .string()
        .min(options.min ?? 0, {
          error:
            options.min === 1
              ? '不能为空 / must not be empty'
              : `至少${options.min}个字符 / must be at least ${options.min} characters`,
        })
        .max(options.max, {
          error: `不能超过${options.max}个字符 / must be at most ${options.max} characters`,
        }),
    );
}

export const personName = textSchema({ min: 1, max: 50 });

/**
 * A free-form object kept as sent (investigation `facts`): at most 50 keys; a key is 1–100 characters of
 * text (see `textSchema`) and never a name of Object.prototype (`__proto__`, `constructor` …); a value is a
 * string of at most 2,000 characters, a number kept exactly (a safe integer, or a fraction of magnitude
 * ≥ 1e-130), a boolean, null, or a list of at most 50 of those.
 * Anything else is a 400 naming the key, before anything is stored.
 */
export const safeRecordSchema = (() => {
  // Numbers the store keeps exactly: safe integers, or fractions of magnitude ≥ 1e-130 (DynamoDB's
  // range; every double ≥ 2^53 is an integer). The fuzz found 5e-324 and -2^53 answered 500.
  const number = z
    .number()
    .refine((n) => Number.isSafeInteger(n) || (!Number.isInteger(n) && Math.abs(n) >= 1e-130), {
      error: '数值超出范围 / number out of range (a safe integer, or a fraction ≥ 1e-130 in magnitude)',
    });
  const scalar = z.union([textSchema({ max: 2000, multiline: true }), number, z.boolean(), z.null()]);
  const key = textSchema({ min: 1, max: 100 }).refine((k) => !PROTOTYPE_KEYS.has(k), {
    error: '该名称不可用作键 / this name may not be used as a key',
  });
  return z
    .custom<Record<string, unknown>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
      error: '须为对象 / must be an object',
    })
    .meta({
      type: 'object',
      description:
        'free-form facts: at most 50 keys of 1–100 characters (no Object.prototype names); each value a string (≤ 2,000), a number kept exactly, a boolean, null, or a list of at most 50 of those',
      maxProperties: 50,
      additionalProperties: {
        anyOf: [
          { type: 'string', maxLength: 2000 },
          { type: 'number' },
          { type: 'boolean' },
          { type: 'null' },
          { type: 'array', maxItems: 50, items: { type: ['string', 'number', 'boolean', 'null'] } },
        ],
      },
    })
    .transform((v, ctx) => {
      // Own keys of the parsed JSON, `__proto__` included; the result has no prototype to pollute.
      const out: Record<string, unknown> = Object.create(null);
      const keys = Object.keys(v);
      if (keys.length > 50) {
        ctx.addIssue({ code: 'custom', message: '最多50项 / at most 50 entries' });
        return z.NEVER;
      }
      for (const k of keys) {
        const name = key.safeParse(k);
        if (!name.success) {
          for (const i of name.error.issues) ctx.addIssue({ code: 'custom', path: [k], message: i.message });
          continue;
        }
        const value = z.union([scalar, z.array(scalar).max(50)]).safeParse(v[k]);
        if (!value.success) {
          for (const i of value.error.issues)
            ctx.addIssue({ code: 'custom', path: [k, ...i.path], message: i.message });
          continue;
        }
        out[name.data] = value.data;
      }
      // A plain object again (the store and JSON need one); its keys are known safe.
      return { ...out };
    });
})();

export const phoneSchema = z.string().regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, {
  error:
    '电话号码格式错误（手机号11位，或区号-座机号） / phone must be an 11-digit mobile number or area code and number',
});

export const dateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: '日期格式应为YYYY-MM-DD / date must be YYYY-MM-DD' })
  .refine(
    (s) => {
      const t = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s);
    },
    { error: '日期不存在 / date does not exist' },
  );

// Built once: zod compiles a schema on its first parse, and the intake schema is built per policy.
const ref = textSchema({ min: 1, max: 100 });
const text100 = textSchema({ min: 1, max: 100 });
const text200 = textSchema({ min: 1, max: 200 });
const optionalText200 = textSchema({ max: 200 }).optional();

function applicantSchemaWith(id: ReturnType<typeof idNumberSchemaAt>) {
  return z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('SELF'), name: personName, idNumber: id, phone: phoneSchema }),
    z.strictObject({
      kind: z.literal('AGENT'),
      name: personName,
      idNumber: id,
      phone: phoneSchema,
      powerOfAttorneyRef: ref.meta({ description: 'reference of the power of attorney (委托书)' }),
    }),
    z.strictObject({
      kind: z.literal('UNIT'),
      unitName: text100,
      letterRef: ref.meta({ description: 'reference of the letter of introduction (介绍信)' }),
      name: personName.meta({ description: 'the unit’s contact person' }),
      idNumber: id.optional(),
      phone: phoneSchema,
    }),
  ]);
}

export const applicantSchema = applicantSchemaWith(idNumberSchema);

/**
 * Builds the intake schema for a policy (which codes exist, which need relatedPerson, event, the law cited
 * or the asking body's level). With `now` (the stack's clock), ID numbers born after that moment are
 * rejected at intake.
 */
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
      askedByName: text100
        .optional()
        .meta({ description: 'name of the asking body; required when askedBy is OTHER' }),
      subject: z.strictObject({ name: personName, idNumber: idNumberSchema }),
      relatedPerson: z
        .strictObject({
          name: personName,
          idNumber: idNumberSchema,
          relation: z.enum(RELATIONS).meta({ description: "the related person is the subject's …" }),
        })
        .optional()
        .meta({ description: `required for ${withRelated || 'no kind'}; not allowed for other kinds` }),
      applicant: applicantSchema,
      event: z
        .strictObject({ date: dateSchema, place: text200 })
        .optional()
        .meta({ description: `required for ${withEvent || 'no kind'}; not allowed for other kinds` }),
      askedByLevel: z
        .enum(BODY_LEVELS)
        .optional()
        .meta({ description: 'level of the asking body; required for a certificate not in the catalogue' }),
      legalBasis: z
        .string()
        .trim()
        .min(1)
        .max(300)
        .optional()
        .meta({ description: 'the law the asking body cites; required for "other cases required by law"' }),
      locale: z.enum(['zh', 'en']).optional(),
    })
    .superRefine((r, ctx) => {
      const kind = kindOf(policy, r.proof);
      if (r.askedBy === 'OTHER' && r.askedByName === undefined) {
        issue(ctx, ['askedByName'], {
          zh: 'askedBy为OTHER时必须填写要求证明的单位名称',
          en: 'askedByName is required when askedBy is OTHER',
        });
      }
      if (kind === undefined) return;
      if (kind.needs.relatedPerson && r.relatedPerson === undefined) {
        issue(ctx, ['relatedPerson'], {
          zh: `“${kind.name.zh}”需要填写关系人`,
          en: `${kind.name.en} needs relatedPerson`,
        });
      }
      if (!kind.needs.relatedPerson && r.relatedPerson !== undefined) {
        issue(ctx, ['relatedPerson'], {
          zh: `“${kind.name.zh}”不需要关系人`,
          en: `${kind.name.en} takes no relatedPerson`,
        });
      }
      if (kind.needs.event && r.event === undefined) {
        issue(ctx, ['event'], {
          zh: `“${kind.name.zh}”需要填写事件日期和地点`,
          en: `${kind.name.en} needs event`,
        });
      }
      if (!kind.needs.event && r.event !== undefined) {
        issue(ctx, ['event'], {
          zh: '只有案（事）件类证明需要填写事件',
          en: 'event is only for incident kinds',
        });
      }
      if (kind.needs.legalBasis === true && r.legalBasis === undefined) {
        issue(ctx, ['legalBasis'], {
          zh: `“${kind.name.zh}”需要填写要求证明的单位所依据的法律法规`,
          en: `${kind.name.en} needs legalBasis (the law the asking body cites)`,
        });
      }
      if (kind.needs.askedByLevel === true && r.askedByLevel === undefined) {
        issue(ctx, ['askedByLevel'], {
          zh: `“${kind.name.zh}”需要填写要求证明的单位的级别`,
          en: `${kind.name.en} needs askedByLevel`,
        });
      }
      if (r.relatedPerson !== undefined && r.relatedPerson.idNumber === r.subject.idNumber) {
        issue(ctx, ['relatedPerson', 'idNumber'], {
          zh: '关系人与证明对象不能是同一人',
          en: 'relatedPerson must be another person than subject',
        });
      }
    });
}

/** The intake schema over the default policy (jilin-2016). */
export const IntakeRequestSchema = makeIntakeRequestSchema(defaultPolicy);

/** A validated intake request. `proof` is a code of the policy the schema was built from. */
export type IntakeRequest = z.output<typeof IntakeRequestSchema>;
export type Applicant = z.output<typeof applicantSchema>;

/**
 * JSON Schema (draft 2020-12) of the intake body, generated from the zod schema. The conditional rules
 * (relatedPerson, event, askedByName) appear as descriptions; zod enforces them.
 */
export const intakeJsonSchema = z.toJSONSchema(IntakeRequestSchema, { io: 'input' });

/** Officer findings: POST /v1/requests/{requestId}/findings. A REFUTED finding needs a note (the reason). */
export const FindingsBodySchema = z
  .strictObject({
    outcome: z.enum(['CONFIRMED', 'REFUTED']),
    facts: safeRecordSchema.default({}),
    note: textSchema({ max: 2000, multiline: true }).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.outcome === 'REFUTED' && (f.note === undefined || f.note === '')) {
      issue(ctx, ['note'], {
        zh: '不予出具时必须说明理由',
        en: 'a REFUTED finding needs a note giving the reason',
      });
    }
  });
export type FindingsBody = z.output<typeof FindingsBodySchema>;

/** Department findings: POST /v1/webhooks/{department}/findings. */
export const DepartmentFindingsSchema = z
  .strictObject({
    requestId: z
      .string()
      .trim()
      .regex(/^[0-9A-Za-z_-]{1,100}$/, { error: '不是请求编号 / not a request id' }),
    outcome: z.enum(['CONFIRMED', 'REFUTED']),
    facts: safeRecordSchema.default({}),
    note: textSchema({ max: 2000, multiline: true }).optional(),
  })
  .superRefine((f, ctx) => {
    if (f.outcome === 'REFUTED' && (f.note === undefined || f.note === '')) {
      issue(ctx, ['note'], {
        zh: '不予出具时必须说明理由',
        en: 'a REFUTED finding needs a note giving the reason',
      });
    }
  });
export type DepartmentFindings = z.output<typeof DepartmentFindingsSchema>;

/**
 * Ad-hoc verification: POST /v1/exchange/queries. HOUSEHOLD_RELATION and KINSHIP need relatedPerson.
 * With `now` (the stack's clock), ID numbers born after that moment are a 400, as at intake.
 */
export function makeExchangeQuerySchema(opts: { now?: () => Date } = {}) {
  const idNumberSchema = idNumberSchemaAt(opts.now);
  return z
    .strictObject({
      question: z.enum(EXCHANGE_QUESTIONS),
      subject: z.strictObject({ name: personName.optional(), idNumber: idNumberSchema }),
      relatedPerson: z
        .strictObject({
          name: personName.optional(),
          idNumber: idNumberSchema,
          relation: z.enum(RELATIONS).optional(),
        })
        .optional(),
      purpose: text200,
      reference: text100,
    })
    .superRefine((q, ctx) => {
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
    });
}
export const ExchangeQuerySchema = makeExchangeQuerySchema();
export type ExchangeQuery = z.output<typeof ExchangeQuerySchema>;
