/**
 * Free text refuses the Unicode line and paragraph separators (U+2028, U+2029) as it refuses a line feed
 * in a one-line field: found by the probe of 2026-12-01, a name "陈\u2028思远" was accepted (202), though
 * renderers and JavaScript take U+2028 as a line break, so a one-line field held two lines.
 */
import { describe, expect, it } from 'vitest';
import { personName, textSchema } from '#shared/schemas/fields.ts';

describe('line and paragraph separators', () => {
  it('are refused in a name, as a line feed is', () => {
    for (const name of ['陈\u2028思远', '陈\u2029思远', '陈\n思远']) {
      const result = personName.safeParse(name);
      expect(result.success, JSON.stringify(name)).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/control or format character/);
    }
    expect(personName.parse(' 陈思远 ')).toBe('陈思远');
  });

  it('are refused in multi-line text, which keeps its line feeds and tabs', () => {
    const note = textSchema({ min: 1, max: 500, multiline: true });
    expect(note.parse('第一行\n第二行\t完')).toBe('第一行\n第二行\t完');
    expect(note.safeParse('第一行\u2028第二行').success).toBe(false);
    expect(note.safeParse('第一段\u2029第二段').success).toBe(false);
  });
});
