/**
 * Test helpers for resident ID numbers: a fast-check arbitrary of valid numbers and a quick builder.
 */
import fc from 'fast-check';
import { buildIdNumber, idNumberProblem, PROVINCE_CODES } from '#shared/domain/id-number.ts';

const provinces = [...PROVINCE_CODES];

/** A valid 18-character ID number: real province, 4 more region digits, a real birth date, any sequence. */
export const validIdNumber = (): fc.Arbitrary<string> =>
  fc
    .record({
      province: fc.constantFrom(...provinces),
      rest: fc.integer({ min: 0, max: 9999 }),
      birth: fc.date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2025-12-31T00:00:00Z'),
        noInvalidDate: true,
      }),
      sequence: fc.integer({ min: 0, max: 999 }),
    })
    .map(({ province, rest, birth, sequence }) =>
      buildIdNumber({
        region: `${province}${String(rest).padStart(4, '0')}`,
        birthDate: birth.toISOString().slice(0, 10),
        sequence,
      }),
    );

let counter = 0;
/** A fresh valid ID number (Changchun Chaoyang district), distinct on every call within a test run. */
export function makeIdNumber(opts: { birthDate?: string; gender?: 'M' | 'F' } = {}): string {
  counter = (counter + 1) % 500;
  const sequence = counter * 2 + (opts.gender === 'F' ? 0 : 1);
  return buildIdNumber({ region: '220104', birthDate: opts.birthDate ?? '1990-01-01', sequence });
}

/** True when `s` is a valid ID number (no problem by the domain's `idNumberProblem`). */
export function isValidIdNumber(s: unknown, opts: { now?: Date } = {}): s is string {
  return idNumberProblem(s, opts) === undefined;
}

/** Birth date (`YYYY-MM-DD`) of a valid ID number. */
export function birthDateOf(idNumber: string): string {
  return `${idNumber.slice(6, 10)}-${idNumber.slice(10, 12)}-${idNumber.slice(12, 14)}`;
}

/** Gender of a valid ID number: odd sequence digit male, even female. */
export function genderOf(idNumber: string): 'M' | 'F' {
  return Number(idNumber[16]) % 2 === 1 ? 'M' : 'F';
}
