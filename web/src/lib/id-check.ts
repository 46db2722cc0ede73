/**
 * ID numbers checked as the user types. The full check is the domain's own (shared/domain/id-number.ts,
 * dependency-free, bundled here) so the page and the API agree exactly; while the number is unfinished only
 * the characters are checked.
 */
import { idNumberProblem } from '#shared/domain/id-number.ts';
import type { Text } from './i18n.ts';

export function normaliseIdNumber(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

export type IdCheck =
  | { readonly state: 'empty' }
  | { readonly state: 'typing' }
  | { readonly state: 'valid' }
  | { readonly state: 'invalid'; readonly message: Text };

const CHARACTERS: Text = {
  zh: '身份证号码只能包含数字，最后一位可以是X',
  en: 'An ID number has only digits; the last character may be X',
};

export function checkIdNumber(raw: string, finished: boolean): IdCheck {
  const value = normaliseIdNumber(raw);
  if (value === '') return { state: 'empty' };
  if (value.length < 18 && !finished) {
    return /^\d*$/.test(value) || /^\d{17}X$/.test(value)
      ? { state: 'typing' }
      : { state: 'invalid', message: CHARACTERS };
  }
  const problem = idNumberProblem(value, { now: new Date() });
  return problem ? { state: 'invalid', message: problem.message } : { state: 'valid' };
}
