/**
 * A cursor is checked as a start key before any read (keys.ts `decodeStartKey` / `checkStartKey`): the
 * probe of 2026-12-01 found a forged cursor `{ pk: 'REQ#X' }` reached DynamoDB as an ExclusiveStartKey and
 * came back as a ValidationException (a 500 before the edge mapped it). The store now refuses it itself.
 */
import { describe, expect, it } from 'vitest';
import { checkStartKey, decodeStartKey, encodeCursor, InvalidCursorError } from '#shared/store/keys.ts';

describe('start keys from cursors', () => {
  it('accepts what DynamoDB hands out as LastEvaluatedKey: the table key, plus one index key pair', () => {
    for (const key of [
      { pk: 'REQ#1', sk: 'REQUEST' },
      { pk: 'REQ#1', sk: 'REQUEST', gsi1pk: 'STATUS#ISSUED#3', gsi1sk: '2026-12-01T00:00:00.000Z#1' },
      { pk: 'EXCH#x', sk: 'EXCH', gsi2pk: 'DEPT#NOTARY', gsi2sk: 'EXCH#9' },
    ])
      expect(decodeStartKey(encodeCursor(key))).toEqual(key);
    expect(decodeStartKey(undefined)).toBeUndefined();
  });

  it('refuses a key without the table key, a half index pair, two index pairs or a foreign attribute', () => {
    for (const key of [
      { pk: 'REQ#X' },
      { sk: 'REQUEST' },
      { pk: 'REQ#1', sk: 'REQUEST', gsi1pk: 'STATUS#ISSUED#3' },
      { pk: 'REQ#1', sk: 'REQUEST', gsi1pk: 'a', gsi1sk: 'b', gsi2pk: 'c', gsi2sk: 'd' },
      { pk: 'REQ#1', sk: 'REQUEST', status: 'ISSUED' },
    ]) {
      expect(() => decodeStartKey(encodeCursor(key)), JSON.stringify(key)).toThrow(InvalidCursorError);
      expect(() => checkStartKey(key)).toThrow(InvalidCursorError);
    }
  });
});
