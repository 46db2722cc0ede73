/** CSV export of the dashboard (web/src/lib/csv.ts): RFC 4180 quoting, CRLF, the BOM Excel needs, no formulas. */
import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from '../../../web/src/lib/csv.ts';

describe('CSV (RFC 4180)', () => {
  it('starts with a UTF-8 BOM and ends every record with CRLF', () => {
    const csv = toCsv(['station', 'name'], [['CC-YHL', '义和路派出所']]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toBe('\uFEFFstation,name\r\nCC-YHL,义和路派出所\r\n');
  });

  it('quotes fields with commas, quotes and line breaks, doubling the quotes', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('他说"好"')).toBe('"他说""好"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(csvField(undefined)).toBe('');
    expect(csvField(3)).toBe('3');
  });

  it('never writes a text field a spreadsheet would run as a formula', () => {
    expect(csvField('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvField('+1')).toBe("'+1");
    expect(csvField(-1)).toBe('-1');
  });
});
