import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isValidIdNumber } from '#shared/domain/id-number.ts';
import { demoFilesUpToDate } from '#shared/registry/build-demo-registry.ts';
import { buildDemoRegistry, demoPeople as P } from '#shared/registry/demo-people.ts';
import {
  demoRegistryPath,
  InMemoryRegistry,
  loadRegistryFile,
  parseRegistry,
  type RegistryData,
  RegistryError,
} from '#shared/registry/registry.ts';

const fixture = (name: string) => new URL(`./fixtures/${name}`, import.meta.url).pathname;

describe('the demo registry', () => {
  it('is committed as generated (demo-registry.json and DEMO.md are up to date)', () => {
    expect(existsSync(demoRegistryPath)).toBe(true);
    expect(demoFilesUpToDate()).toEqual({ json: true, markdown: true });
  });

  it('loads from its file and holds only valid ID numbers', async () => {
    const registry = await loadRegistryFile(demoRegistryPath);
    expect(registry.stations().map((s) => s.code)).toEqual(['CC-YHL', 'CC-GLL', 'JL-DSL']);
    for (const p of Object.values(P)) expect(isValidIdNumber(p.idNumber), p.name).toBe(true);
  });

  it('answers the port: people, households, kinship, changes, cancellations, incidents, records', () => {
    const r = parseRegistry(buildDemoRegistry());
    expect(r.person(P.huangXiaoyu.idNumber)).toMatchObject({
      name: '黄小雨',
      householdId: 'H-YHL-001',
      station: 'CC-YHL',
      relationToHead: 'DAUGHTER',
    });
    expect(r.person(P.zhaoLei.idNumber)).toBeUndefined();
    expect(r.householdOf(P.huangLi.idNumber)?.members).toHaveLength(2);
    expect(r.sameHousehold(P.huangLi.idNumber, P.huangXiaoyu.idNumber)).toBe(true);
    expect(r.sameHousehold(P.wangJianguo.idNumber, P.wangFang.idNumber)).toBe(false);
    expect(r.sameHousehold(P.huangLi.idNumber, P.huangLi.idNumber)).toBe(false);
    expect(r.sameHousehold(P.zhaoLei.idNumber, P.zhaoMin.idNumber)).toBe(false);
    // either order
    expect(r.kinship(P.wangFang.idNumber, P.wangJianguo.idNumber)?.relation).toBe('PARENT_CHILD');
    expect(r.kinship(P.wangJianguo.idNumber, P.wangFang.idNumber)?.a).toBe(P.wangJianguo.idNumber);
    expect(r.kinshipLinks(P.wangJianguo.idNumber)).toHaveLength(3);
    expect(r.nameChanges(P.chenSiyuan.idNumber)[0]).toMatchObject({ from: '陈狗蛋', to: '陈思远' });
    expect(r.genderChanges(P.linXiao.idNumber)[0]).toMatchObject({ from: 'M', to: 'F' });
    expect(r.cancellation(P.liXiuying.idNumber)?.reason).toBe('DEATH');
    expect(r.cancellation(P.wangJianguo.idNumber)).toBeUndefined();
    expect(r.incidents(P.qianWeidong.idNumber, 'UNNATURAL_DEATH')[0]?.concluded).toBe(false);
    expect(r.incidents(P.qianWeidong.idNumber, 'ABANDONED_INFANT')).toEqual([]);
    expect(r.criminalRecord(P.liuYang.idNumber)?.hasRecord).toBe(true);
    expect(r.criminalRecord(P.wangFang.idNumber)).toBeUndefined();
    expect(r.station('JL-DSL')?.city).toBe('吉林市');
  });

  it('treats the optional lists of docs/api.md as empty when absent', () => {
    const { stations, households } = buildDemoRegistry();
    const r = parseRegistry({ stations, households });
    expect(r).toBeInstanceOf(InMemoryRegistry);
    expect(r.kinshipLinks(P.wangFang.idNumber)).toEqual([]);
  });
});

describe('invalid registry data names the field', () => {
  type Mutable = RegistryData & Record<string, unknown>;
  const base = () => structuredClone(buildDemoRegistry()) as Mutable;
  const cases: [string, (r: Mutable) => void, string][] = [
    ['no stations', (r) => delete (r as Partial<RegistryData>).stations, 'stations'],
    [
      'bad check digit',
      (r) => (r.households[0]!.members[1]!.idNumber = '220104200609011041'),
      'households.0.members.1.idNumber',
    ],
    ['short ID number', (r) => (r.kinship[0]!.a = '2201'), 'kinship.0.a'],
    [
      'unknown gender',
      (r) => ((r.households[1]!.members[0] as { gender: string }).gender = 'X'),
      'households.1.members.0.gender',
    ],
    [
      'bad birth date',
      (r) => (r.households[0]!.members[0]!.birthDate = '1978-02-30'),
      'households.0.members.0.birthDate',
    ],
    [
      'unknown relation to head',
      (r) => ((r.households[0]!.members[1] as { relationToHead: string }).relationToHead = 'NIECE'),
      'households.0.members.1.relationToHead',
    ],
    ['unknown station of a household', (r) => (r.households[2]!.station = 'NOPE'), 'households.2.station'],
    ['unknown station of an incident', (r) => (r.incidents[0]!.station = 'NOPE'), 'incidents.0.station'],
    [
      'person registered twice',
      (r) => r.households[1]!.members.push({ ...r.households[0]!.members[0]! }),
      'households.1.members.2.idNumber',
    ],
    [
      'household without head',
      (r) => (r.households[0]!.members[0]!.relationToHead = 'SPOUSE'),
      'households.0.members',
    ],
    [
      'unknown kinship relation',
      (r) => ((r.kinship[1] as { relation: string }).relation = 'COUSIN'),
      'kinship.1.relation',
    ],
    [
      'unknown cancellation reason',
      (r) => ((r.cancellations[0] as { reason: string }).reason = 'MOVED'),
      'cancellations.0.reason',
    ],
    [
      'concluded not boolean',
      (r) => ((r.incidents[1] as { concluded: unknown }).concluded = 'yes'),
      'incidents.1.concluded',
    ],
    ['gender change to the same gender', (r) => (r.genderChanges[0]!.to = 'M'), 'genderChanges.0.to'],
    [
      'unknown field',
      (r) => ((r.households[0] as unknown as Record<string, unknown>).colour = 'red'),
      'households.0.colour',
    ],
    [
      'criminal record without flag',
      (r) => delete (r.criminalRecords[0] as Partial<{ hasRecord: boolean }>).hasRecord,
      'criminalRecords.0.hasRecord',
    ],
    [
      'criminal record listed twice',
      (r) => r.criminalRecords.push({ ...r.criminalRecords[0]!, hasRecord: true }),
      'criminalRecords.3.idNumber',
    ],
    ['cancelled twice', (r) => r.cancellations.push({ ...r.cancellations[1]! }), 'cancellations.3.idNumber'],
  ];

  it.each(cases)('%s', (_title, mutate, path) => {
    const data = base();
    mutate(data);
    let error: unknown;
    try {
      parseRegistry(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).errors.map((e) => e.path)).toContain(path);
  });

  it('lists the path of every error', () => {
    const data = base();
    data.households[0]!.members[0]!.idNumber = 'x';
    data.kinship[0]!.b = 'y';
    data.incidents[0]!.date = 'yesterday';
    try {
      parseRegistry(data);
      expect.unreachable();
    } catch (e) {
      expect((e as RegistryError).errors.map((x) => x.path)).toEqual(
        expect.arrayContaining(['households.0.members.0.idNumber', 'kinship.0.b', 'incidents.0.date']),
      );
      expect((e as RegistryError).message).toContain('households.0.members.0.idNumber');
    }
  });

  it.each([null, [], 'registry', { stations: [] }])('rejects %j with a RegistryError', (data) => {
    expect(() => parseRegistry(data)).toThrow(RegistryError);
  });

  it('a missing or non-JSON file is a RegistryError', async () => {
    await expect(loadRegistryFile(fixture('no-such-registry.json'))).rejects.toBeInstanceOf(RegistryError);
    await expect(loadRegistryFile(fixture('not-json.txt'))).rejects.toBeInstanceOf(RegistryError);
  });
});
