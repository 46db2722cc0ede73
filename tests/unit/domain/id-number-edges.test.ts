/**
 * Resident ID numbers at their edges: birth dates at the limits (month or day 00, 1850, leap days, a clock),
 * every province code, characters, lengths, the check digit, and the helpers that build, read and mask.
 */
import { describe, expect, it } from 'vitest';
import {
  birthDateOf,
  buildIdNumber,
  checkDigit,
  genderOf,
  idNumberProblem,
  isValidIdNumber,
  maskIdNumber,
  maskName,
  PROVINCE_CODES,
} from '#shared/domain/id-number.ts';

/** An ID number with the right check digit whatever the other 17 characters say. */
const withCheck = (first17: string) => first17 + checkDigit(first17);
const born = (yyyymmdd: string, region = '220104') => withCheck(`${region}${yyyymmdd}123`);
const code = (s: unknown, now?: Date) => idNumberProblem(s, now ? { now } : {})?.code;

describe('the birth date inside the number', () => {
  it.each([
    { date: '18500101', problem: undefined },
    { date: '18491231', problem: 'BIRTH_DATE' },
    { date: '17000101', problem: 'BIRTH_DATE' },
    { date: '00000101', problem: 'BIRTH_DATE' },
    { date: '19900001', problem: 'BIRTH_DATE' }, // month 00
    { date: '19901301', problem: 'BIRTH_DATE' },
    { date: '19901201', problem: undefined },
    { date: '19900100', problem: 'BIRTH_DATE' }, // day 00
    { date: '19900131', problem: undefined },
    { date: '19900132', problem: 'BIRTH_DATE' },
    { date: '19900430', problem: undefined },
    { date: '19900431', problem: 'BIRTH_DATE' },
    { date: '20000229', problem: undefined },
    { date: '20240229', problem: undefined },
    { date: '19000229', problem: 'BIRTH_DATE' },
    { date: '20230229', problem: 'BIRTH_DATE' },
    { date: '20240230', problem: 'BIRTH_DATE' },
    { date: '20991231', problem: undefined }, // without a clock the future is not checked
  ])('born $date → $problem', ({ date, problem }) => {
    expect(code(born(date))).toBe(problem);
  });

  const now = new Date('2026-11-30T08:00:00Z');
  it.each([
    { date: '20261129', problem: undefined },
    { date: '20261130', problem: undefined }, // born today
    { date: '20261201', problem: 'BIRTH_DATE' },
    { date: '20270101', problem: 'BIRTH_DATE' },
    { date: '20991231', problem: 'BIRTH_DATE' },
  ])('on 2026-11-30, born $date → $problem', ({ date, problem }) => {
    expect(code(born(date), now)).toBe(problem);
    expect(isValidIdNumber(born(date), { now })).toBe(problem === undefined);
  });

  it('a birth at the very moment of the clock is not in the future', () => {
    expect(code(born('20261130'), new Date('2026-11-30T00:00:00Z'))).toBeUndefined();
    expect(code(born('20261130'), new Date('2026-11-29T23:59:59.999Z'))).toBe('BIRTH_DATE');
  });
});

describe('the region', () => {
  it.each([...PROVINCE_CODES])('province %s is known', (p) => {
    expect(code(born('19900101', `${p}0104`))).toBeUndefined();
  });
  it.each([
    '00',
    '10',
    '16',
    '20',
    '24',
    '30',
    '40',
    '47',
    '55',
    '60',
    '66',
    '70',
    '72',
    '80',
    '84',
    '90',
    '99',
  ])('%s is no province', (p) => {
    expect(code(born('19900101', `${p}0104`))).toBe('REGION');
  });
  it('has 35 province-level codes', () => {
    expect(PROVINCE_CODES.size).toBe(35);
  });
});

describe('form', () => {
  const valid = born('19900101');
  it.each([
    { name: 'a number', s: 220104199001011, problem: 'TYPE' },
    { name: 'null', s: null, problem: 'TYPE' },
    { name: 'undefined', s: undefined, problem: 'TYPE' },
    { name: 'empty', s: '', problem: 'LENGTH' },
    { name: '17 characters', s: valid.slice(0, 17), problem: 'LENGTH' },
    { name: '19 characters', s: `${valid}1`, problem: 'LENGTH' },
    { name: 'a lower-case x', s: `${valid.slice(0, 17)}x`, problem: 'CHARACTERS' },
    { name: 'X not at the end', s: `X${valid.slice(1)}`, problem: 'CHARACTERS' },
    { name: 'a letter at the end', s: `${valid.slice(0, 17)}A`, problem: 'CHARACTERS' },
    { name: 'a space inside', s: `${valid.slice(0, 8)} ${valid.slice(9)}`, problem: 'CHARACTERS' },
    {
      name: 'a wrong check digit',
      s: `${valid.slice(0, 17)}${valid[17] === '0' ? '1' : '0'}`,
      problem: 'CHECK_DIGIT',
    },
    { name: 'the standard example ending in X', s: '11010519491231002X', problem: undefined },
    { name: 'another published example', s: '440524188001010014', problem: undefined },
    { name: 'X where a digit is due', s: '110105194912310020', problem: 'CHECK_DIGIT' },
  ])('$name → $problem', ({ s, problem }) => {
    expect(code(s)).toBe(problem);
  });

  it('says how long the number was', () => {
    expect(idNumberProblem('123')?.message).toEqual({
      zh: '身份证号码应为18位，实际为3位',
      en: 'ID number must have 18 characters, it has 3',
    });
  });

  it('gives a bilingual message for every problem', () => {
    const samples = [
      42,
      '1',
      `${valid.slice(0, 17)}x`,
      born('19900101', '000104'),
      born('19901301'),
      `${valid.slice(0, 17)}${valid[17] === '0' ? '1' : '0'}`,
    ];
    const messages = samples.map((s) => idNumberProblem(s)?.message);
    expect(messages).toEqual([
      { zh: '身份证号码必须是字符串', en: 'ID number must be a string' },
      { zh: '身份证号码应为18位，实际为1位', en: 'ID number must have 18 characters, it has 1' },
      {
        zh: '身份证号码前17位必须是数字，最后一位是数字或X',
        en: 'ID number must be 17 digits followed by a digit or X',
      },
      { zh: '身份证号码的地区码无效', en: 'ID number has an unknown region code' },
      { zh: '身份证号码中的出生日期无效', en: 'ID number has an invalid birth date' },
      { zh: '身份证号码校验位错误', en: 'ID number check digit is wrong' },
    ]);
  });
});

describe('the check digit', () => {
  it.each([
    ['11010519491231002', 'X'],
    ['44052418800101001', '4'],
    ['00000000000000000', '1'],
    ['10000000000000000', '5'], // weight 7: the 8th of 1 0 X 9 8 7 6 5 4 3 2
    ['00000000000000001', 'X'], // weight 2: the 3rd
  ])('%s → %s', (first17, digit) => {
    expect(checkDigit(first17)).toBe(digit);
  });
  it('every check character occurs for some number', () => {
    const seen = new Set<string>();
    for (let n = 0; n < 200; n += 1) seen.add(checkDigit(`2201041990010${String(n).padStart(4, '0')}`));
    expect([...seen].sort()).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'X']);
  });
  it.each(['', '1234567890123456', '123456789012345678', '1234567890123456X', ' 12345678901234567'])(
    'refuses %j',
    (s) => {
      expect(() => checkDigit(s)).toThrow(new RangeError('checkDigit: needs exactly 17 digits'));
    },
  );
});

describe('reading, building and masking', () => {
  it('reads the birth date and the gender', () => {
    expect(birthDateOf('11010519491231002X')).toBe('1949-12-31');
    for (let seq = 0; seq < 10; seq += 1) {
      const n = buildIdNumber({ region: '220104', birthDate: '1990-01-01', sequence: seq });
      expect(genderOf(n)).toBe(seq % 2 === 1 ? 'M' : 'F');
    }
  });

  it.each([
    { parts: { region: '22010', birthDate: '1990-01-01', sequence: 1 }, error: 'region must be 6 digits' },
    { parts: { region: '2201041', birthDate: '1990-01-01', sequence: 1 }, error: 'region must be 6 digits' },
    { parts: { region: '22010a', birthDate: '1990-01-01', sequence: 1 }, error: 'region must be 6 digits' },
    {
      parts: { region: '220104', birthDate: '19900101', sequence: 1 },
      error: 'birthDate must be YYYY-MM-DD',
    },
    {
      parts: { region: '220104', birthDate: '1990-01-011', sequence: 1 },
      error: 'birthDate must be YYYY-MM-DD',
    },
    {
      parts: { region: '220104', birthDate: 'x1990-01-01', sequence: 1 },
      error: 'birthDate must be YYYY-MM-DD',
    },
    { parts: { region: '220104', birthDate: '1990-01-01', sequence: -1 }, error: 'sequence must be 0-999' },
    { parts: { region: '220104', birthDate: '1990-01-01', sequence: 1000 }, error: 'sequence must be 0-999' },
    { parts: { region: '220104', birthDate: '1990-01-01', sequence: 1.5 }, error: 'sequence must be 0-999' },
  ])('refuses to build from $parts', ({ parts, error }) => {
    expect(() => buildIdNumber(parts)).toThrow(new RangeError(`buildIdNumber: ${error}`));
  });

  it.each([
    { sequence: 0, id: '22010419900101000' },
    { sequence: 7, id: '22010419900101007' },
    { sequence: 999, id: '22010419900101999' },
  ])('builds sequence $sequence', ({ sequence, id }) => {
    expect(buildIdNumber({ region: '220104', birthDate: '1990-01-01', sequence })).toBe(withCheck(id));
  });

  it.each([
    ['11010519491231002X', '110105********002X'],
    ['', ''],
    ['12345', '*****'],
    ['12345678901234567', '*****************'],
    ['1234567890123456789', '******************'],
    ['x'.repeat(40), '*'.repeat(18)],
  ])('masks %j as %j', (s, masked) => {
    expect(maskIdNumber(s)).toBe(masked);
  });

  it.each([
    ['黄小雨', '黄*雨'],
    ['欧阳小雨', '欧**雨'],
    ['黄丽', '黄*'],
    ['黄', '*'],
    ['', '*'],
    ['  黄丽  ', '黄*'],
    ['𠀋𠀌𠀍', '𠀋*𠀍'],
  ])('masks the name %j as %j', (name, masked) => {
    expect(maskName(name)).toBe(masked);
  });
});
