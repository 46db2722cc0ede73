import { describe, expect, it } from 'vitest';
import { dockingRoute, organName } from '#shared/domain/docking.ts';

const AT = '2026-11-23T02:00:00.000Z';
const hops = (r: ReturnType<typeof dockingRoute>) =>
  r.hops.map((h) => `${h.leg}:${h.from}>${h.to}:${h.direction}`);

describe('level-by-level docking (逐级对接)', () => {
  it('a county body asking about someone of its own county is answered at its own organ, no hops', () => {
    const r = dockingRoute(
      { level: 'COUNTY', city: '长春市', county: '朝阳区' },
      { city: '长春市', county: '朝阳区' },
      AT,
    );
    expect(r).toEqual({
      askedAt: '长春市朝阳区公安分局',
      answeredBy: '长春市朝阳区公安分局',
      commonLevel: 'COUNTY',
      hops: [],
    });
  });

  it('another county of the same city: up to the city and down, and back', () => {
    const r = dockingRoute(
      { level: 'COUNTY', city: '长春市', county: '朝阳区' },
      { city: '长春市', county: '南关区' },
      AT,
    );
    expect(r.commonLevel).toBe('CITY');
    expect(r.answeredBy).toBe('长春市南关区公安分局');
    expect(hops(r)).toEqual([
      'QUERY:长春市朝阳区公安分局>长春市公安局:UP',
      'QUERY:长春市公安局>长春市南关区公安分局:DOWN',
      'ANSWER:长春市南关区公安分局>长春市公安局:UP',
      'ANSWER:长春市公安局>长春市朝阳区公安分局:DOWN',
    ]);
    expect(r.hops.every((h) => h.at === AT)).toBe(true);
  });

  it('a city body about someone of another city: through the province to that city organ', () => {
    const r = dockingRoute({ level: 'CITY', city: '吉林市' }, { city: '长春市', county: '朝阳区' }, AT);
    expect(r).toMatchObject({ askedAt: '吉林市公安局', answeredBy: '长春市公安局', commonLevel: 'PROVINCE' });
    expect(r.hops).toHaveLength(4);
  });

  it('a province body is answered by the province organ; someone not on record goes up to the province', () => {
    expect(dockingRoute({ level: 'PROVINCE' }, { city: '长春市', county: '朝阳区' }, AT)).toMatchObject({
      answeredBy: '吉林省公安厅',
      hops: [],
    });
    const unknown = dockingRoute({ level: 'COUNTY', city: '长春市', county: '朝阳区' }, undefined, AT);
    expect(unknown).toMatchObject({ answeredBy: '吉林省公安厅', commonLevel: 'PROVINCE' });
    expect(hops(unknown)).toHaveLength(4);
  });

  it('a body whose region does not name its level is a configuration error', () => {
    expect(() => dockingRoute({ level: 'COUNTY', city: '长春市' }, undefined, AT)).toThrow(RangeError);
    expect(organName({ level: 'CITY', city: '四平市' })).toBe('四平市公安局');
  });
});

describe("a body's level and region are configuration (the departments document)", () => {
  it('a COUNTY body needs region.city and region.county', async () => {
    const { parseDepartmentSecrets, DepartmentSecretsError } = await import('#shared/config/departments.ts');
    const doc = (entry: object) =>
      JSON.stringify({ departments: { CIVIL_AFFAIRS: { secrets: [], connected: true, ...entry } } });
    expect(
      parseDepartmentSecrets(doc({ level: 'COUNTY', region: { city: '长春市', county: '朝阳区' } }), 't')
        .departments.CIVIL_AFFAIRS,
    ).toMatchObject({ level: 'COUNTY' });
    expect(() => parseDepartmentSecrets(doc({ level: 'COUNTY', region: { city: '长春市' } }), 't')).toThrow(
      DepartmentSecretsError,
    );
    expect(() => parseDepartmentSecrets(doc({ level: 'COUNTY', region: { city: '长春市' } }), 't')).toThrow(
      /region\.county/,
    );
  });
});
