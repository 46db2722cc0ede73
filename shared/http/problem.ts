/**
 * HTTP errors as `application/problem+json` (RFC 9457), the one error form of docs/api.md:
 * `{ type, title, status, detail, errors? }` with `errors: [{ path: 'subject.idNumber', message }]`.
 *
 * Messages are bilingual in one string, Chinese first: `"身份证号码校验位错误 / ID number check digit is wrong"`.
 * Passing a locale to `validationProblem` keeps only that language. `title` and `detail` follow the same
 * rule. `type` is a relative URI reference under `/problems/` naming the kind of problem.
 */
import type { z } from 'zod';
import { dottedPath } from '#shared/domain/errors.ts';
import type { Bilingual, Locale } from '#shared/domain/types.ts';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export interface ProblemFieldError {
  /** Dotted path of the field, e.g. `subject.idNumber`, `applicant.powerOfAttorneyRef`; '' for the body. */
  path: string;
  message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: ProblemFieldError[];
  /** Extension members (e.g. `retryAfterSeconds`). */
  [extension: string]: unknown;
}

/** One bilingual text as a string: both languages, or the one of `locale`. */
export function say(text: Bilingual, locale?: Locale): string {
  return locale === undefined ? `${text.zh} / ${text.en}` : text[locale];
}

/** Builds a problem. `title` and `detail` may be bilingual pairs. */
export function problem(
  status: number,
  init: {
    type?: string;
    title?: Bilingual | string;
    detail?: Bilingual | string;
    errors?: ProblemFieldError[];
    instance?: string;
    locale?: Locale;
    extensions?: Record<string, unknown>;
  } = {},
): Problem {
  const std = STANDARD[status];
  const text = (t: Bilingual | string) => (typeof t === 'string' ? t : say(t, init.locale));
  const title = init.title ?? std?.title ?? { zh: '错误', en: 'Error' };
  const out: Problem = {
    ...init.extensions,
    type: init.type ?? std?.type ?? `/problems/http-${status}`,
    title: text(title),
    status,
  };
  const detail = init.detail ?? std?.detail;
  if (detail !== undefined) out.detail = text(detail);
  if (init.instance !== undefined) out.instance = init.instance;
  if (init.errors !== undefined) out.errors = init.errors;
  return out;
}

interface Standard {
  type: string;
  title: Bilingual;
  detail: Bilingual;
}

const STANDARD: Record<number, Standard> = {
  400: {
    type: '/problems/validation',
    title: { zh: '请求内容有误', en: 'Invalid request' },
    detail: {
      zh: '请按errors中列出的字段修改后重试',
      en: 'Correct the fields listed in errors and try again',
    },
  },
  401: {
    type: '/problems/unauthorized',
    title: { zh: '未认证', en: 'Unauthorized' },
    detail: { zh: '缺少凭证或凭证无效', en: 'Credentials are missing or invalid' },
  },
  403: {
    type: '/problems/forbidden',
    title: { zh: '无权操作', en: 'Forbidden' },
    detail: { zh: '该凭证无权进行此操作', en: 'These credentials may not do this' },
  },
  404: {
    type: '/problems/not-found',
    title: { zh: '未找到', en: 'Not found' },
    detail: { zh: '所请求的资源不存在', en: 'The requested resource does not exist' },
  },
  405: {
    type: '/problems/method-not-allowed',
    title: { zh: '不支持该方法', en: 'Method not allowed' },
    detail: {
      zh: '该路径不接受此HTTP方法（见Allow）',
      en: 'This path does not take this HTTP method (see Allow)',
    },
  },
  409: {
    type: '/problems/conflict',
    title: { zh: '状态冲突', en: 'Conflict' },
    detail: { zh: '该请求当前状态不允许此操作', en: 'The current state does not allow this' },
  },
  413: {
    type: '/problems/too-large',
    title: { zh: '请求内容过大', en: 'Payload too large' },
    detail: { zh: '请求体不能超过64 KiB', en: 'The body must not exceed 64 KiB' },
  },
  415: {
    type: '/problems/unsupported-media-type',
    title: { zh: '不支持的内容类型', en: 'Unsupported media type' },
    detail: { zh: '请求体必须是JSON（application/json）', en: 'The body must be JSON (application/json)' },
  },
  422: {
    type: '/problems/idempotency-key-reused',
    title: { zh: '幂等键已用于其他请求', en: 'Idempotency key reused' },
    detail: {
      zh: '该Idempotency-Key已用于内容不同的请求',
      en: 'This Idempotency-Key was already used with a different body',
    },
  },
  429: {
    type: '/problems/too-many-requests',
    title: { zh: '请求过于频繁', en: 'Too many requests' },
    detail: { zh: '请稍后再试（见Retry-After）', en: 'Try again later (see Retry-After)' },
  },
  500: {
    type: '/problems/internal',
    title: { zh: '服务器内部错误', en: 'Internal server error' },
    detail: { zh: '请稍后再试', en: 'Please try again later' },
  },
};

export const unauthorized = (locale?: Locale) => problem(401, { locale });
export const forbidden = (locale?: Locale) => problem(403, { locale });
export const notFound = (locale?: Locale) => problem(404, { locale });
export const conflict = (detail?: Bilingual, locale?: Locale) =>
  problem(409, { locale, ...(detail ? { detail } : {}) });
export const payloadTooLarge = (locale?: Locale) => problem(413, { locale });
export const unsupportedMediaType = (locale?: Locale) => problem(415, { locale });
export const idempotencyKeyReused = (locale?: Locale) => problem(422, { locale });
export const tooManyRequests = (retryAfterSeconds: number, locale?: Locale) =>
  problem(429, { locale, extensions: { retryAfterSeconds } });
export const internalError = (locale?: Locale) => problem(500, { locale });

/** A 400 for a body that is not valid JSON. */
export const malformedJson = (locale?: Locale) =>
  problem(400, {
    locale,
    type: '/problems/malformed-json',
    detail: { zh: '请求体不是有效的JSON', en: 'The body is not valid JSON' },
    errors: [{ path: '', message: say({ zh: '不是有效的JSON', en: 'not valid JSON' }, locale) }],
  });

/** Dotted path of a zod issue: `['subject', 'idNumber']` → `subject.idNumber`, `['a', 0]` → `a.0`. */
export const issuePath = dottedPath;

type Issue = z.core.$ZodIssue;

function isBilingual(x: unknown): x is Bilingual {
  return (
    typeof x === 'object' &&
    x !== null &&
    typeof (x as Bilingual).zh === 'string' &&
    typeof (x as Bilingual).en === 'string'
  );
}

const TYPE_ZH: Record<string, string> = {
  string: '文本',
  number: '数字',
  boolean: '布尔值',
  object: '对象',
  array: '数组',
};

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const key of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}

/**
 * Whether the issue is about a missing value: judged from the raw input when given, else from the issue's
 * `input` (safeParse with `reportInput: true`), else from zod's message.
 */
function isMissing(i: Issue, rawInput?: { value: unknown }): boolean {
  if (rawInput !== undefined) return valueAt(rawInput.value, i.path) === undefined;
  if ('input' in i) return (i as { input?: unknown }).input === undefined;
  return i.code === 'invalid_type' && /received undefined$/.test(i.message);
}

/** A bilingual message for one zod issue (pass the raw input to tell "missing" from "wrong"). */
export function issueMessage(i: Issue, rawInput?: { value: unknown }): Bilingual {
  const params = (i as { params?: unknown }).params;
  if (isBilingual(params)) return params;
  // Our own messages are written "中文 / English".
  const own = i.message.split(' / ');
  if (own.length === 2 && /[\u4e00-\u9fff]/.test(own[0]!)) return { zh: own[0]!, en: own[1]! };
  switch (i.code) {
    case 'invalid_type': {
      if (isMissing(i, rawInput)) return { zh: '必填', en: 'is required' };
      return {
        zh: `类型错误，应为${TYPE_ZH[i.expected] ?? i.expected}`,
        en: `must be of type ${i.expected}`,
      };
    }
    case 'invalid_value':
      if (rawInput !== undefined && isMissing(i, rawInput)) {
        return {
          zh: `必填，应为：${i.values.map(String).join('、')}`,
          en: `is required, one of: ${i.values.map(String).join(', ')}`,
        };
      }
      return {
        zh: `取值无效，应为：${i.values.map(String).join('、')}`,
        en: `must be one of: ${i.values.map(String).join(', ')}`,
      };
    case 'invalid_union': {
      const disc = (i as { note?: string }).note;
      return { zh: '取值无效', en: disc ?? 'does not match any allowed form' };
    }
    case 'unrecognized_keys':
      return {
        zh: `不允许的字段：${i.keys.join('、')}`,
        en: `unknown field${i.keys.length > 1 ? 's' : ''}: ${i.keys.join(', ')}`,
      };
    case 'too_small':
      if (i.origin === 'string') {
        return Number(i.minimum) <= 1
          ? { zh: '不能为空', en: 'must not be empty' }
          : { zh: `至少${i.minimum}个字符`, en: `must have at least ${i.minimum} characters` };
      }
      return { zh: `不能小于${i.minimum}`, en: `must be at least ${i.minimum}` };
    case 'too_big':
      if (i.origin === 'string') {
        return { zh: `不能超过${i.maximum}个字符`, en: `must be at most ${i.maximum} characters` };
      }
      return { zh: `不能大于${i.maximum}`, en: `must be at most ${i.maximum}` };
    case 'invalid_format':
      return { zh: '格式错误', en: `has an invalid format (${i.format})` };
    default:
      return { zh: '取值无效', en: i.message };
  }
}

/**
 * Maps a zod error to a 400 problem: one `errors` entry per issue, with the dotted path of the field.
 * For unrecognized keys the path names the unknown field itself (`subject.nmae`). Pass the raw body as
 * `rawInput` to tell a missing field ("必填 / is required") from a wrong one reliably (`validate` does).
 */
export function validationProblem(
  error: z.core.$ZodError,
  locale?: Locale,
  rawInput?: { value: unknown },
): Problem {
  const errors: ProblemFieldError[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) {
        errors.push({
          path: issuePath([...i.path, key]),
          message: say({ zh: '不允许的字段', en: 'unknown field' }, locale),
        });
      }
      continue;
    }
    errors.push({ path: issuePath(i.path), message: say(issueMessage(i, rawInput), locale) });
  }
  return problem(400, { locale, errors });
}
