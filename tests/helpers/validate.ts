/** Parses `data` with `schema`: the value, or the 400 problem intake would answer (tests of the messages). */
import type { Locale } from '#shared/domain/types.ts';
import { type Problem, validationProblem } from '#shared/http/problem.ts';
import * as z from '#shared/schemas/zod.ts';

export function validate<T extends z.core.$ZodType>(
  schema: T,
  data: unknown,
  locale?: Locale,
): { ok: true; value: z.output<T> } | { ok: false; problem: Problem } {
  const r = z.safeParse(schema, data);
  if (r.success) return { ok: true, value: r.data };
  return { ok: false, problem: validationProblem(r.error, locale, { value: data }) };
}
