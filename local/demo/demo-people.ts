/**
 * The synthetic people of the demo registry, built deterministically (valid GB 11643 numbers from
 * `buildIdNumber`), and the registry data made from them. `shared/registry/demo-registry.json` and the
 * table in `DEMO.md` are generated from this module by `npx tsx local/demo/build-demo-registry.ts`;
 * a unit test checks the committed files equal what this module builds.
 *
 * Nobody here is real. Region codes: 220104 (长春市朝阳区), 220102 (长春市南关区), 220204 (吉林市船营区),
 * 110105 (北京市朝阳区, for people not on the Jilin registry).
 */
import { buildIdNumber } from '#shared/domain/id-number.ts';
import type { RegistryData, RelationToHead } from '#shared/registry/registry.ts';

interface DemoPerson {
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
  idNumber: string;
  /** What this person exercises (for DEMO.md). */
  exercises: string;
}

let seq = 100;
function person(
  name: string,
  gender: 'M' | 'F',
  birthDate: string,
  region: string,
  exercises: string,
): DemoPerson {
  seq += 1;
  // Sequence parity carries the gender (odd male, even female).
  if ((seq % 2 === 1) !== (gender === 'M')) seq += 1;
  return {
    name,
    gender,
    birthDate,
    idNumber: buildIdNumber({ region, birthDate, sequence: seq }),
    exercises,
  };
}

export const demoPeople = {
  huangLi: person(
    '黄丽',
    'F',
    '1978-05-12',
    '220104',
    'Ms Huang, head of household H-YHL-001; TEMPORARY_IDENTITY on the spot',
  ),
  huangXiaoyu: person(
    '黄小雨',
    'F',
    '2006-09-01',
    '220104',
    'her daughter, same household: KINSHIP → DECLINED_PROVABLE_BY_HUKOU (rule 4)',
  ),
  wangJianguo: person(
    '王建国',
    'M',
    '1950-02-20',
    '220102',
    'father of 王芳 and 王磊 (link only in kinship); ALIVE',
  ),
  liXiuying: person(
    '李秀英',
    'F',
    '1952-11-08',
    '220102',
    'his wife, hukou cancelled (DEATH): HUKOU_CANCELLATION, ALIVE',
  ),
  wangFang: person(
    '王芳',
    'F',
    '1980-07-15',
    '220104',
    'daughter of 王建国 in another household: KINSHIP on the spot / by exchange; no criminal-record entry → INVESTIGATE',
  ),
  zhangWei: person(
    '张伟',
    'M',
    '1979-03-03',
    '220104',
    'husband of 王芳; criminal record: none (applicant rules)',
  ),
  zhangXiaoming: person(
    '张小明',
    'M',
    '2010-12-24',
    '220104',
    'son of 王芳: grandson of 王建国 via two kinship links',
  ),
  wangLei: person(
    '王磊',
    'M',
    '1983-04-18',
    '220204',
    'brother of 王芳 (SIBLING link), hukou in Jilin city, lives in Changchun (residence CC-GLL): TEMPORARY_IDENTITY and CRIMINAL_RECORD at the residence station',
  ),
  chenSiyuan: person(
    '陈思远',
    'M',
    '1990-01-30',
    '220102',
    'name changed from 陈狗蛋: NAME_CHANGE on the spot / NAME_HISTORY exchange',
  ),
  linXiao: person('林晓', 'F', '1992-06-06', '220104', 'gender changed M → F: GENDER_CHANGE on the spot'),
  zhouJie: person(
    '周杰',
    'M',
    '1988-08-08',
    '220204',
    'hukou cancelled (EMIGRATION): HUKOU_CANCELLATION, ALIVE (not a death)',
  ),
  sunQiang: person(
    '孙强',
    'M',
    '1970-10-10',
    '220204',
    'unnatural death, incident concluded: UNNATURAL_DEATH on the spot',
  ),
  qianWeidong: person(
    '钱卫东',
    'M',
    '1965-05-05',
    '220102',
    'unnatural death, incident NOT concluded, at another station than his hukou: INVESTIGATE at CC-YHL',
  ),
  jiAnan: person(
    '吉安安',
    'F',
    '2025-03-01',
    '220102',
    'found abandoned infant (collective household), concluded: ABANDONED_INFANT on the spot',
  ),
  maXiaojun: person(
    '马小军',
    'M',
    '2015-07-07',
    '220204',
    'rescued trafficked child, case open: TRAFFICKED_CHILD → INVESTIGATE',
  ),
  liuYang: person(
    '刘洋',
    'M',
    '1985-12-12',
    '220204',
    'criminal record: HAS a record (certificate states it)',
  ),
  zhaoLei: person(
    '赵磊',
    'M',
    '1995-09-09',
    '110105',
    'NOT on record: TEMPORARY_IDENTITY → INVESTIGATE at the fallback station',
  ),
  zhaoMin: person('赵敏', 'F', '1997-03-21', '110105', 'NOT on record: KINSHIP with 赵磊 → INVESTIGATE'),
  zhangXiaohong: person(
    '张小红',
    'F',
    '2012-05-06',
    '220104',
    'daughter of the head 张伟, sister of 张小明: both children of the head, the booklet does not show it (R5 goes on) → KINSHIP on the spot',
  ),
  xuMing: person(
    '徐明',
    'M',
    '1985-09-09',
    '220102',
    'name changed from 徐小明, shown on the booklet’s change page: NAME_CHANGE → DECLINED_PROVABLE_BY_HUKOU (R5)',
  ),
} as const satisfies Record<string, DemoPerson>;

const P = demoPeople;
const member = (p: DemoPerson, relationToHead: RelationToHead, name = p.name, gender = p.gender) => ({
  idNumber: p.idNumber,
  name,
  gender,
  birthDate: p.birthDate,
  ethnicity: '汉',
  relationToHead,
});

/** The demo registry data (the content of demo-registry.json). */
export function buildDemoRegistry(): RegistryData {
  return {
    stations: [
      // Addresses and hours are synthetic (demo data), in the shape a province's station list has.
      {
        code: 'CC-YHL',
        name: '义和路派出所',
        county: '朝阳区',
        city: '长春市',
        address: '长春市朝阳区义和路100号',
        hours: {
          zh: '周一至周五 8:30–12:00，13:00–17:00（法定节假日除外）',
          en: 'Mon–Fri 8:30–12:00, 13:00–17:00 (except public holidays)',
        },
      },
      {
        code: 'CC-GLL',
        name: '桂林路派出所',
        county: '朝阳区',
        city: '长春市',
        address: '长春市朝阳区桂林路200号',
        hours: {
          zh: '周一至周五 8:30–12:00，13:00–17:00（法定节假日除外）',
          en: 'Mon–Fri 8:30–12:00, 13:00–17:00 (except public holidays)',
        },
      },
      {
        code: 'JL-DSL',
        name: '德胜路派出所',
        county: '船营区',
        city: '吉林市',
        address: '吉林市船营区德胜路300号',
        hours: {
          zh: '周一至周六 8:30–17:00（法定节假日除外）',
          en: 'Mon–Sat 8:30–17:00 (except public holidays)',
        },
      },
    ],
    households: [
      {
        householdId: 'H-YHL-001',
        station: 'CC-YHL',
        address: '长春市朝阳区义和路1号1单元101室',
        members: [member(P.huangLi, 'HEAD'), member(P.huangXiaoyu, 'DAUGHTER')],
      },
      {
        householdId: 'H-GLL-001',
        station: 'CC-GLL',
        address: '长春市朝阳区桂林路18号2单元302室',
        members: [member(P.wangJianguo, 'HEAD'), member(P.liXiuying, 'SPOUSE')],
      },
      {
        householdId: 'H-YHL-002',
        station: 'CC-YHL',
        address: '长春市朝阳区义和路27号3单元501室',
        members: [
          member(P.zhangWei, 'HEAD'),
          member(P.wangFang, 'SPOUSE'),
          member(P.zhangXiaoming, 'SON'),
          member(P.zhangXiaohong, 'DAUGHTER'),
        ],
      },
      {
        householdId: 'H-DSL-001',
        station: 'JL-DSL',
        address: '吉林市船营区德胜路6号',
        members: [member(P.wangLei, 'HEAD')],
      },
      {
        householdId: 'H-GLL-002',
        station: 'CC-GLL',
        address: '长春市朝阳区桂林路40号1单元201室',
        members: [member(P.chenSiyuan, 'HEAD')],
      },
      {
        householdId: 'H-YHL-003',
        station: 'CC-YHL',
        address: '长春市朝阳区义和路9号2单元602室',
        members: [member(P.linXiao, 'HEAD')],
      },
      {
        householdId: 'H-DSL-002',
        station: 'JL-DSL',
        address: '吉林市船营区德胜路33号',
        members: [member(P.zhouJie, 'HEAD'), member(P.sunQiang, 'OTHER')],
      },
      {
        householdId: 'H-GLL-003',
        station: 'CC-GLL',
        address: '长春市朝阳区桂林路77号',
        members: [member(P.qianWeidong, 'HEAD')],
      },
      {
        householdId: 'H-GLL-COLLECTIVE',
        station: 'CC-GLL',
        address: '长春市社会福利院集体户',
        members: [member(P.jiAnan, 'HEAD')],
      },
      {
        householdId: 'H-DSL-003',
        station: 'JL-DSL',
        address: '吉林市船营区德胜路58号',
        members: [member(P.liuYang, 'HEAD')],
      },
      {
        householdId: 'H-DSL-004',
        station: 'JL-DSL',
        address: '吉林市船营区德胜路90号',
        members: [member(P.maXiaojun, 'HEAD')],
      },
      {
        householdId: 'H-GLL-004',
        station: 'CC-GLL',
        address: '长春市朝阳区桂林路102号',
        members: [member(P.xuMing, 'HEAD')],
      },
    ],
    kinship: [
      { a: P.wangJianguo.idNumber, b: P.wangFang.idNumber, relation: 'PARENT_CHILD' },
      { a: P.wangJianguo.idNumber, b: P.wangLei.idNumber, relation: 'PARENT_CHILD' },
      { a: P.wangFang.idNumber, b: P.wangLei.idNumber, relation: 'SIBLING' },
      { a: P.wangFang.idNumber, b: P.zhangXiaoming.idNumber, relation: 'PARENT_CHILD' },
      { a: P.wangJianguo.idNumber, b: P.liXiuying.idNumber, relation: 'SPOUSE' },
      { a: P.zhangXiaoming.idNumber, b: P.zhangXiaohong.idNumber, relation: 'SIBLING' },
    ],
    nameChanges: [
      { idNumber: P.chenSiyuan.idNumber, from: '陈狗蛋', to: '陈思远', changedOn: '2008-03-15' },
      {
        idNumber: P.xuMing.idNumber,
        from: '徐小明',
        to: '徐明',
        changedOn: '2015-04-01',
        shownInBooklet: true,
      },
    ],
    genderChanges: [{ idNumber: P.linXiao.idNumber, from: 'M', to: 'F', changedOn: '2018-06-01' }],
    cancellations: [
      { idNumber: P.liXiuying.idNumber, reason: 'DEATH', cancelledOn: '2025-12-03' },
      { idNumber: P.zhouJie.idNumber, reason: 'EMIGRATION', cancelledOn: '2020-07-01' },
      { idNumber: P.sunQiang.idNumber, reason: 'DEATH', cancelledOn: '2026-08-12' },
    ],
    incidents: [
      {
        incidentId: 'INC-2026-0810-DSL',
        kind: 'UNNATURAL_DEATH',
        station: 'JL-DSL',
        date: '2026-08-10',
        subjectIdNumber: P.sunQiang.idNumber,
        concluded: true,
        parties: [P.zhouJie.idNumber],
      },
      {
        incidentId: 'INC-2026-1102-YHL',
        kind: 'UNNATURAL_DEATH',
        station: 'CC-YHL',
        date: '2026-11-02',
        subjectIdNumber: P.qianWeidong.idNumber,
        concluded: false,
        parties: [P.huangLi.idNumber],
      },
      {
        incidentId: 'INC-2025-0302-YHL',
        kind: 'ABANDONED_INFANT',
        station: 'CC-YHL',
        date: '2025-03-02',
        subjectIdNumber: P.jiAnan.idNumber,
        concluded: true,
      },
      {
        incidentId: 'INC-2026-1020-GLL',
        kind: 'TRAFFICKED_CHILD',
        station: 'CC-GLL',
        date: '2026-10-20',
        subjectIdNumber: P.maXiaojun.idNumber,
        concluded: false,
      },
    ],
    criminalRecords: [
      { idNumber: P.zhangWei.idNumber, hasRecord: false },
      { idNumber: P.liuYang.idNumber, hasRecord: true },
      { idNumber: P.huangLi.idNumber, hasRecord: false },
    ],
    residences: [{ idNumber: P.wangLei.idNumber, station: 'CC-GLL', since: '2019-03-01' }],
  };
}
