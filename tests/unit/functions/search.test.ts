/** The console search's query classes and search keys (functions/use-cases/search.ts) over the in-memory store. */
import { describe, expect, it } from 'vitest';
import { classifyQuery, searchKeysOf } from '#functions/use-cases/search.ts';
import { searchKeyOf } from '#shared/certificates/ids-and-codes.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';

const secret = 'x'.repeat(40);

describe('console search', () => {
  it('tells a request number, a reference, an ID number and a name apart', () => {
    expect(classifyQuery(' 01m8qcpwcqs17ct9jph24dhbt7 ')).toEqual({
      kind: 'requestId',
      value: '01M8QCPWCQS17CT9JPH24DHBT7',
    });
    expect(classifyQuery('h24dhbt7')).toEqual({ kind: 'reference', value: 'H24DHBT7' });
    expect(classifyQuery('11010519950909127x')).toEqual({ kind: 'idNumber', value: '11010519950909127X' });
    expect(classifyQuery(' 赵 磊 ')).toEqual({ kind: 'name', value: '赵磊' });
    // Ambiguous-looking names stay names (Crockford base32 has no I, L, O, U).
    expect(classifyQuery('liuliuli')).toEqual({ kind: 'name', value: 'LIULIULI' });
  });

  it('files every person by keyed hash (never in clear) and the reference', () => {
    const input = {
      subject: { name: '赵磊', idNumber: '11010519950909127X' },
      relatedPerson: { name: '赵敏', idNumber: '11010519970321128X', relation: 'SISTER' },
      applicant: { kind: 'SELF', name: '赵敏', idNumber: '11010519970321128X', phone: '13800000000' },
    } as unknown as IntakeRequest;
    const keys = searchKeysOf(secret, '01M8QCPWCQS17CT9JPH24DHBT7', input);
    expect(keys).toContain('REF#H24DHBT7');
    expect(keys).toContain(searchKeyOf(secret, 'idNumber', '11010519950909127X'));
    expect(keys).toContain(searchKeyOf(secret, 'name', '赵敏'));
    expect(keys).toHaveLength(5);
    expect(keys.join()).not.toMatch(/1101051995|赵/);
    // Another secret, other keys: the table alone does not reveal who asked.
    expect(searchKeyOf('y'.repeat(40), 'name', '赵敏')).not.toBe(searchKeyOf(secret, 'name', '赵敏'));
  });
});

describe('searchRequests', () => {
  it('falls back from a reference to a pinyin name of eight letters', async () => {
    const { InMemoryStore } = await import('#tests/helpers/in-memory-store.ts');
    const { searchRequests } = await import('#functions/use-cases/search.ts');
    const store = new InMemoryStore();
    const input = {
      subject: { name: 'ZHANGSAN', idNumber: '11010519950909127X' },
      applicant: { kind: 'SELF', name: 'ZHANGSAN', idNumber: '11010519950909127X', phone: '13800000000' },
    } as unknown as IntakeRequest;
    const id = '01M8QCPWCQS17CT9JPH24DHBT7';
    await store.putSearchKeys(id, searchKeysOf(secret, id, input));
    store.seed({ requestId: id, station: 'CC-YHL' } as never);
    const deps = { store, config: { tokenSecret: secret } } as never;
    const found = await searchRequests(deps, 'zhangsan', () => true);
    expect(found.map((r) => r.requestId)).toEqual([id]);
    expect(await searchRequests(deps, 'H24DHBT7', () => true)).toHaveLength(1);
    expect(await searchRequests(deps, 'ZHANGSAN', () => false)).toEqual([]);
  });
});
