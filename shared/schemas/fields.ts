/**
 * Field schemas (zod) shared by the edge's bodies (intake, findings, exchange queries): ID numbers
 * (18 characters, GB 11643 check digit, trimmed and upper-cased first; with a clock, not born in the
 * future), names and free text without control or format characters, a safe free-form record, phone
 * numbers and dates. Messages of our own checks carry `{ zh, en }` in the issue's `params`, which
 * `validationProblem` (shared/http/problem.ts) turns into bilingual messages.
 */
// Top-level schemas are `/* @__PURE__ */`: esbuild leaves out of a Lambda bundle those its handler does not
// use (building them at import cost every cold start; issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
import { idNumberProblem } from '#shared/domain/id-number.ts';
import type { Bilingual } from '#shared/domain/types.ts';
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

/** A custom issue with a bilingual message. */
export function issue(ctx: z.core.$RefinementCtx, path: PropertyKey[], msg: Bilingual): void {
  ctx.addIssue({ code: 'custom', path, message: `${msg.zh} / ${msg.en}`, params: msg });
}

/**
 * An ID number; surrounding spaces are trimmed and a lower-case check character `x` becomes `X`. With
 * `now`, a birth date after that moment (the stack's clock, read at validation) is an error.
 */
export function idNumberSchemaAt(now?: () => Date) {
  return z
    .string()
    .check(z.trim(), z.toUpperCase())
    .apply(withMeta, {
      description:
        '18-character resident ID number (GB 11643): region, birth date, sequence, check digit (x is read as X)',
      minLength: 18,
      maxLength: 18,
      pattern: '^[0-9]{17}[0-9Xx]$',
      examples: ['220102198001010020'],
    })
    .check(
      z.superRefine((s, ctx) => {
        const problem = idNumberProblem(s, now ? { now: now() } : {});
        if (problem)
          ctx.addIssue({
            code: 'custom',
            message: `${problem.message.zh} / ${problem.message.en}`,
            params: problem.message,
          });
      }),
    );
}

/** An ID number checked without a clock (any real birth date from 1850). */
export const idNumberSchema = /* @__PURE__ */ idNumberSchemaAt();

/**
 * Names of Object.prototype (`__proto__`, `constructor`, `toString` …): never a key of a stored object.
 * `constructor` breaks the DynamoDB marshaller, `__proto__` is dropped by any plain-object copy.
 */
export const PROTOTYPE_KEYS: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

/** C0/C1 controls (Cc), format characters (Cf: U+200B, U+202E bidi overrides …), unassigned/private use. */
// Control, format, private-use and unassigned characters, and the line / paragraph separators
// (U+2028, U+2029: line breaks to renderers and to JavaScript, never typed into a form).
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;
const CONTROL_OR_FORMAT_BUT_NEWLINE = /(?![\n\t])[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

/**
 * Free text a person typed (names, places, notes, references): trimmed, normalised to NFC, well-formed
 * UTF-16 (no lone surrogate), no control or format character (U+0000, U+200B, U+202E, the separators
 * U+2028 / U+2029 …; `multiline` allows line feeds and tabs), then `min`–`max` characters. Errors are bilingual.
 */
export function textSchema(options: { min?: number; max: number; multiline?: boolean }) {
  const bad = options.multiline ? CONTROL_OR_FORMAT_BUT_NEWLINE : CONTROL_OR_FORMAT;
  const typed = z
    .pipe(
      z.string().check(
        z.refine((s) => !/\p{Cs}/u.test(s), {
          error: '含有无效的Unicode字符（孤立代理项） / contains invalid Unicode (a lone surrogate)',
          abort: true,
        }),
      ),
      z.transform((s: string) => s.trim().normalize('NFC')),
    )
    .check(
      z.refine((s) => !bad.test(s), {
        error: '含有控制字符或格式字符 / contains a control or format character',
        abort: true,
      }),
    );
  return z.pipe(
    typed,
    z.string().check(
      z.minLength(options.min ?? 0, {
        error:
          options.min === 1
            ? '不能为空 / must not be empty'
            : `至少${options.min}个字符 / must be at least ${options.min} characters`,
      }),
      z.maxLength(options.max, {
        error: `不能超过${options.max}个字符 / must be at most ${options.max} characters`,
      }),
    ),
  );
}

export const personName = /* @__PURE__ */ textSchema({ min: 1, max: 50 });

/**
 * A free-form object kept as sent (investigation `facts`): at most 50 keys; a key is 1–100 characters of
 * text (see `textSchema`) and never a name of Object.prototype (`__proto__`, `constructor` …); a value is a
 * string of at most 2,000 characters, a number kept exactly (a safe integer, or a fraction of magnitude
 * ≥ 1e-130), a boolean, null, or a list of at most 50 of those.
 * Anything else is a 400 naming the key, before anything is stored.
 */
export const safeRecordSchema = /* @__PURE__ */ (() => {
  // Numbers the store keeps exactly: safe integers, or fractions of magnitude ≥ 1e-130 (DynamoDB's
  // range; every double ≥ 2^53 is an integer). The fuzz found 5e-324 and -2^53 answered 500.
  const number = z.number().check(
    z.refine((n) => Number.isSafeInteger(n) || (!Number.isInteger(n) && Math.abs(n) >= 1e-130), {
      error: '数值超出范围 / number out of range (a safe integer, or a fraction ≥ 1e-130 in magnitude)',
    }),
  );
  const scalar = z.union([textSchema({ max: 2000, multiline: true }), number, z.boolean(), z.null()]);
  const key = textSchema({ min: 1, max: 100 }).check(
    z.refine((k) => !PROTOTYPE_KEYS.has(k), {
      error: '该名称不可用作键 / this name may not be used as a key',
    }),
  );
  const object = z.custom<Record<string, unknown>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    { error: '须为对象 / must be an object' },
  );
  // zod/mini's transform gets the parse payload (no `addIssue`): an issue is pushed onto its `issues`
  // as classic zod's `ctx.addIssue` did (code `custom`, the input value; the same key order).
  const fail = (payload: z.core.ParsePayload, message: string, path?: PropertyKey[]) =>
    payload.issues.push(
      path
        ? { code: 'custom', path, message, input: payload.value }
        : { code: 'custom', message, input: payload.value },
    );
  const described = object.apply(withMeta, {
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
  });
  const entry = z.union([scalar, z.array(scalar).check(z.maxLength(50))]);
  return z.pipe(
    described,
    z.transform((v: Record<string, unknown>, payload) => {
      // Own keys of the parsed JSON, `__proto__` included; the result has no prototype to pollute.
      const out: Record<string, unknown> = Object.create(null);
      const keys = Object.keys(v);
      if (keys.length > 50) {
        fail(payload, '最多50项 / at most 50 entries');
        return z.NEVER;
      }
      for (const k of keys) {
        const name = key.safeParse(k);
        if (!name.success) {
          for (const i of name.error.issues) fail(payload, i.message, [k]);
          continue;
        }
        const value = entry.safeParse(v[k]);
        if (!value.success) {
          for (const i of value.error.issues) fail(payload, i.message, [k, ...i.path]);
          continue;
        }
        out[name.data] = value.data;
      }
      // A plain object again (the store and JSON need one); its keys are known safe.
      return { ...out };
    }),
  );
})();

export const phoneSchema = /* @__PURE__ */ z.string().check(
  /* @__PURE__ */ z.regex(/^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/, {
    error:
      '电话号码格式错误（手机号11位，或区号-座机号） / phone must be an 11-digit mobile number or area code and number',
  }),
);

export const dateSchema = /* @__PURE__ */ z.string().check(
  /* @__PURE__ */ z.regex(/^\d{4}-\d{2}-\d{2}$/, {
    error: '日期格式应为YYYY-MM-DD / date must be YYYY-MM-DD',
  }),
  /* @__PURE__ */ z.refine(
    (s) => {
      const t = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s);
    },
    { error: '日期不存在 / date does not exist' },
  ),
);

// Built once: zod compiles a schema on its first parse, and the intake schema is built per policy.

export const text100 = /* @__PURE__ */ textSchema({ min: 1, max: 100 });
export const text200 = /* @__PURE__ */ textSchema({ min: 1, max: 200 });
