/**
 * Resident identity numbers (公民身份号码, GB 11643-1999): 18 characters =
 * 6-digit region code + 8-digit birth date (YYYYMMDD) + 3-digit sequence (odd: male, even: female)
 * + check digit (ISO 7064 MOD 11-2, `0`–`9` or `X`).
 *
 * What is checked: length and characters, the province part of the region code (the first two digits
 * must name a province-level division; the full county table is not shipped), a real calendar birth
 * date not before 1850 (and not after `now` when given), and the check digit. A lower-case `x` is not
 * valid here; the intake schema upper-cases before checking.
 */
import type { Bilingual } from './types.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'] as const;

/** Province-level codes of GB/T 2260 (plus 71 Taiwan, 81 Hong Kong, 82 Macao, 83 residence permits). */
export const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83',
]);

/** The problem found in an ID number, with a stable code and a bilingual message. */
export interface IdNumberProblem {
  code: 'TYPE' | 'LENGTH' | 'CHARACTERS' | 'REGION' | 'BIRTH_DATE' | 'CHECK_DIGIT';
  message: Bilingual;
}

/** The check digit (`0`–`9` or `X`) for the first 17 digits. Throws a RangeError if not 17 digits. */
export function checkDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('checkDigit: needs exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return d <= days;
}

/** Why `s` is not a valid ID number, or `undefined` when it is. */
export function idNumberProblem(s: unknown, opts: { now?: Date } = {}): IdNumberProblem | undefined {
  if (typeof s !== 'string') {
    return { code: 'TYPE', message: { zh: '身份证号码必须是字符串', en: 'ID number must be a string' } };
  }
  if (s.length !== 18) {
    return {
      code: 'LENGTH',
      message: {
        zh: `身份证号码应为18位，实际为${s.length}位`,
        en: `ID number must have 18 characters, it has ${s.length}`,
      },
    };
  }
  if (!/^\d{17}[\dX]$/.test(s)) {
    return {
      code: 'CHARACTERS',
      message: {
        zh: '身份证号码前17位必须是数字，最后一位是数字或X',
        en: 'ID number must be 17 digits followed by a digit or X',
      },
    };
  }
  if (!PROVINCE_CODES.has(s.slice(0, 2))) {
    return {
      code: 'REGION',
      message: { zh: '身份证号码的地区码无效', en: 'ID number has an unknown region code' },
    };
  }
  const y = Number(s.slice(6, 10));
  const m = Number(s.slice(10, 12));
  const d = Number(s.slice(12, 14));
  const birth = Date.UTC(y, m - 1, d);
  if (y < 1850 || !isRealDate(y, m, d) || (opts.now !== undefined && birth > opts.now.getTime())) {
    return {
      code: 'BIRTH_DATE',
      message: { zh: '身份证号码中的出生日期无效', en: 'ID number has an invalid birth date' },
    };
  }
  if (checkDigit(s.slice(0, 17)) !== s[17]) {
    return {
      code: 'CHECK_DIGIT',
      message: { zh: '身份证号码校验位错误', en: 'ID number check digit is wrong' },
    };
  }
  return undefined;
}

/**
 * Builds a valid ID number (for demo data and tests). `sequence` 0–999; its parity sets the gender.
 * Throws a RangeError on a malformed part.
 */
export function buildIdNumber(parts: { region: string; birthDate: string; sequence: number }): string {
  const { region, birthDate, sequence } = parts;
  if (!/^\d{6}$/.test(region)) throw new RangeError('buildIdNumber: region must be 6 digits');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(birthDate))
    throw new RangeError('buildIdNumber: birthDate must be YYYY-MM-DD');
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError('buildIdNumber: sequence must be 0-999');
  }
  const first17 = `${region}${birthDate.replaceAll('-', '')}${String(sequence).padStart(3, '0')}`;
  return first17 + checkDigit(first17);
}

/**
 * Masks an ID number for logs and public pages: the 6-digit region code and the last 4 characters stay,
 * the 8 birth-date digits are hidden: `220102********1234`. Anything not 18 characters long is masked
 * entirely (`*` per character, at most 18), so a malformed number never leaks either.
 */
export function maskIdNumber(s: string): string {
  if (s.length !== 18) return '*'.repeat(Math.min(s.length, 18));
  return `${s.slice(0, 6)}********${s.slice(14)}`;
}

/**
 * Masks a name for public pages: first and last character stay, the rest become `*`
 * (`黄小雨` → `黄*雨`, `欧阳小雨` → `欧**雨`); a two-character name keeps its first (`黄丽` → `黄*`);
 * a one-character name becomes `*`. Counts Unicode code points, not UTF-16 units.
 */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
