import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildIdNumber,
  checkDigit,
  idNumberProblem,
  maskIdNumber,
  maskName,
} from '#shared/domain/id-number.ts';
import {
  birthDateOf,
  genderOf,
  isValidIdNumber,
  makeIdNumber,
  validIdNumber,
} from '#tests/helpers/domain-id-numbers.ts';

describe('checkDigit (ISO 7064 MOD 11-2)', () => {
  it.each([
    // The worked example of GB 11643-1999 and well-known published specimens.
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['22010219800101002', '0'], // worked by hand: sum 122, 122 mod 11 = 1 → '0'
  ])('%s → %s', (first17, expected) => {
    expect(checkDigit(first17)).toBe(expected);
  });

  it('rejects anything but 17 digits with a RangeError', () => {
    expect(() => checkDigit('1234')).toThrow(RangeError);
    expect(() => checkDigit('1101051949123100A')).toThrow(RangeError);
  });
});

describe('idNumberProblem', () => {
  it.each([
    [12345, 'TYPE'],
    ['11010519491231002', 'LENGTH'],
    ['11010519491231002XX', 'LENGTH'],
    ['11010519491231002x', 'CHARACTERS'],
    ['1101051949123100-X', 'CHARACTERS'],
    ['99010519491231002X', 'REGION'],
    ['00010519491231002X', 'REGION'],
    ['110105194902300021', 'BIRTH_DATE'],
    ['110105194913010021', 'BIRTH_DATE'],
    ['110105184901010021', 'BIRTH_DATE'],
    ['110105194912310021', 'CHECK_DIGIT'],
  ])('%s → %s', (input, code) => {
    const problem = idNumberProblem(input);
    expect(problem?.code).toBe(code);
    expect(problem?.message.zh).toMatch(/身份证号码/);
    expect(problem?.message.en).toMatch(/ID number/);
  });

  it('accepts a valid number, with X as check digit too', () => {
    expect(idNumberProblem('11010519491231002X')).toBeUndefined();
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
  });

  it('rejects a birth date after `now` when given', () => {
    const future = buildIdNumber({ region: '220104', birthDate: '2030-01-01', sequence: 1 });
    expect(isValidIdNumber(future)).toBe(true);
    expect(idNumberProblem(future, { now: new Date('2026-11-28T00:00:00Z') })?.code).toBe('BIRTH_DATE');
  });

  it('checks 29 February only in leap years', () => {
    expect(isValidIdNumber(buildIdNumber({ region: '220104', birthDate: '2000-02-29', sequence: 5 }))).toBe(
      true,
    );
    const first17 = '22010419010229005';
    expect(idNumberProblem(first17 + checkDigit(first17))?.code).toBe('BIRTH_DATE');
  });
});

describe('ID number properties', () => {
  it('any valid ID number round-trips: valid, and its check digit recomputes', () => {
    fc.assert(
      fc.property(validIdNumber(), (id) => {
        expect(isValidIdNumber(id)).toBe(true);
        expect(checkDigit(id.slice(0, 17))).toBe(id[17]);
        expect(
          buildIdNumber({
            region: id.slice(0, 6),
            birthDate: birthDateOf(id),
            sequence: Number(id.slice(14, 17)),
          }),
        ).toBe(id);
      }),
      { numRuns: 500 },
    );
  });

  it('any change of one character is rejected', () => {
    const alphabet = '0123456789X'.split('');
    fc.assert(
      fc.property(validIdNumber(), fc.nat(17), fc.constantFrom(...alphabet), (id, pos, ch) => {
        fc.pre(id[pos] !== ch);
        fc.pre(pos === 17 || ch !== 'X');
        const changed = id.slice(0, pos) + ch + id.slice(pos + 1);
        expect(isValidIdNumber(changed)).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('swapping two different adjacent digits is rejected (MOD 11-2 catches transpositions)', () => {
    fc.assert(
      fc.property(validIdNumber(), fc.nat(15), (id, pos) => {
        fc.pre(id[pos] !== id[pos + 1]);
        const swapped = id.slice(0, pos) + id[pos + 1] + id[pos] + id.slice(pos + 2);
        expect(isValidIdNumber(swapped)).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('buildIdNumber and derived facts', () => {
  it('encodes gender in the sequence parity and the birth date', () => {
    const m = makeIdNumber({ gender: 'M', birthDate: '1985-07-01' });
    const f = makeIdNumber({ gender: 'F', birthDate: '1985-07-01' });
    expect(genderOf(m)).toBe('M');
    expect(genderOf(f)).toBe('F');
    expect(birthDateOf(m)).toBe('1985-07-01');
  });

  it('rejects malformed parts with a RangeError', () => {
    expect(() => buildIdNumber({ region: '2201', birthDate: '1990-01-01', sequence: 1 })).toThrow(RangeError);
    expect(() => buildIdNumber({ region: '220104', birthDate: '19900101', sequence: 1 })).toThrow(RangeError);
    expect(() => buildIdNumber({ region: '220104', birthDate: '1990-01-01', sequence: 1000 })).toThrow(
      RangeError,
    );
  });
});

describe('masking', () => {
  it('keeps the region code and the last four characters of an ID number', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('never reveals the birth date of any valid number', () => {
    fc.assert(
      fc.property(validIdNumber(), (id) => {
        const masked = maskIdNumber(id);
        expect(masked).toHaveLength(18);
        expect(masked.slice(6, 14)).toBe('********');
      }),
    );
  });

  it('masks malformed input entirely', () => {
    expect(maskIdNumber('12345')).toBe('*****');
    expect(maskIdNumber('1'.repeat(30))).toBe('*'.repeat(18));
  });

  it.each([
    ['黄小雨', '黄*雨'],
    ['黄丽', '黄*'],
    ['欧阳小雨', '欧**雨'],
    ['李', '*'],
    ['', '*'],
    ['𠀋小雨', '𠀋*雨'],
  ])('maskName(%s) = %s', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
