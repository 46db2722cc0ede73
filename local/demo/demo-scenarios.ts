/**
 * Demo requests against the demo registry, one or more per outcome, with the outcome and rule the
 * policy in force for a request accepted today (jilin-2021, the latest default version) gives them. DEMO.md lists them (generated), the unit tests run every one
 * through intake validation and the rule check, and the other parts may use them for curl examples and
 * end-to-end tests. Bodies are exactly what POST /v1/requests takes.
 */
import type { Outcome } from '#shared/domain/types.ts';
import type { RuleKey } from '#shared/policy/policy.ts';
import { demoPeople as P } from './demo-people.ts';

export interface DemoScenario {
  id: string;
  title: string;
  body: Record<string, unknown>;
  expected: { outcome: Outcome; rule: RuleKey; station?: string };
}

const phone = '13800000000';
const self = (p: { name: string; idNumber: string }) => ({
  kind: 'SELF',
  name: p.name,
  idNumber: p.idNumber,
  phone,
});
const subject = (p: { name: string; idNumber: string }) => ({ name: p.name, idNumber: p.idNumber });
const unit = (unitName: string) => ({
  kind: 'UNIT',
  unitName,
  letterRef: 'HR-2026-118',
  name: '李主任',
  phone: '043188880000',
});

export const demoScenarios: DemoScenario[] = [
  {
    id: 'huang-kinship',
    title: 'Ms Huang: mother–daughter certificate for the notary (one household)',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'STUDY_ABROAD', text: '女儿出国留学公证' },
      askedBy: 'NOTARY',
      subject: subject(P.huangXiaoyu),
      relatedPerson: { ...subject(P.huangLi), relation: 'MOTHER' },
      applicant: self(P.huangLi),
      locale: 'zh',
    },
    expected: {
      outcome: 'DECLINED_PROVABLE_BY_HUKOU',
      rule: 'BOOKLET_SHOWS_RELATION_TO_HEAD',
      station: 'CC-YHL',
    },
  },
  {
    id: 'identity',
    title: '"Prove that I am me" for a bank',
    body: {
      proof: 'IDENTITY',
      purpose: { code: 'OTHER' },
      askedBy: 'BANK',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'DECLINED_PROVABLE_BY_HUKOU', rule: 'PROVABLE_BY_HUKOU' },
  },
  {
    id: 'marital-status',
    title: 'Marital status for a housing office',
    body: {
      proof: 'MARITAL_STATUS',
      purpose: { code: 'OTHER' },
      askedBy: 'HOUSING',
      subject: subject(P.wangFang),
      applicant: self(P.wangFang),
    },
    expected: { outcome: 'DECLINED_NOT_POLICE_INFORMATION', rule: 'NOT_POLICE_INFORMATION' },
  },
  {
    id: 'good-conduct',
    title: 'Good-conduct certificate for an employer',
    body: {
      proof: 'GOOD_CONDUCT',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'DECLINED_NO_LEGAL_BASIS', rule: 'NO_LEGAL_BASIS' },
  },
  {
    id: 'kinship-exchange',
    title: 'Father–daughter kinship across households, asked by a notary (connected)',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'NOTARY',
      subject: subject(P.wangFang),
      relatedPerson: { ...subject(P.wangJianguo), relation: 'FATHER' },
      applicant: self(P.wangFang),
    },
    expected: { outcome: 'ANSWERED_BY_EXCHANGE', rule: 'ANSWERED_BY_EXCHANGE', station: 'CC-YHL' },
  },
  {
    id: 'kinship-on-the-spot',
    title: 'The same kinship asked by a bank (not connected): issued on the spot',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'BANK',
      subject: subject(P.wangFang),
      relatedPerson: { ...subject(P.wangJianguo), relation: 'FATHER' },
      applicant: self(P.wangFang),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-YHL' },
  },
  {
    id: 'kinship-grandparent',
    title: 'Grandfather–grandson kinship through two registry links',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'BANK',
      subject: subject(P.zhangXiaoming),
      relatedPerson: { ...subject(P.wangJianguo), relation: 'GRANDPARENT' },
      applicant: self(P.wangJianguo),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT' },
  },
  {
    id: 'kinship-investigate',
    title: 'Siblings not on record: investigation within 5 working days',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'LITIGATION' },
      askedBy: 'COURT',
      subject: subject(P.zhaoLei),
      relatedPerson: { ...subject(P.zhaoMin), relation: 'SISTER' },
      applicant: self(P.zhaoMin),
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'CC-YHL' },
  },
  {
    id: 'name-change',
    title: 'Name change certificate (陈狗蛋 → 陈思远) for an employer',
    body: {
      proof: 'NAME_CHANGE',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.chenSiyuan),
      applicant: self(P.chenSiyuan),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-GLL' },
  },
  {
    id: 'name-change-exchange',
    title: 'The same name history asked by human resources (connected): answered by exchange',
    body: {
      proof: 'NAME_CHANGE',
      purpose: { code: 'PENSION' },
      askedBy: 'HUMAN_RESOURCES',
      subject: subject(P.chenSiyuan),
      applicant: self(P.chenSiyuan),
    },
    expected: { outcome: 'ANSWERED_BY_EXCHANGE', rule: 'ANSWERED_BY_EXCHANGE' },
  },
  {
    id: 'gender-change',
    title: 'Gender change certificate',
    body: {
      proof: 'GENDER_CHANGE',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.linXiao),
      applicant: self(P.linXiao),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-YHL' },
  },
  {
    id: 'hukou-cancellation',
    title: 'Hukou cancelled by death, asked by a bank for the inheritance; the widower applies as agent',
    body: {
      proof: 'HUKOU_CANCELLATION',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'BANK',
      subject: subject(P.liXiuying),
      applicant: { ...self(P.wangJianguo), kind: 'AGENT', powerOfAttorneyRef: 'WT-2026-001' },
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-GLL' },
  },
  {
    id: 'alive-exchange',
    title: 'Pension office asks whether 王建国 is alive (connected): answered by exchange',
    body: {
      proof: 'ALIVE',
      purpose: { code: 'PENSION' },
      askedBy: 'HUMAN_RESOURCES',
      subject: subject(P.wangJianguo),
      applicant: self(P.wangJianguo),
    },
    expected: { outcome: 'ANSWERED_BY_EXCHANGE', rule: 'ANSWERED_BY_EXCHANGE' },
  },
  {
    id: 'alive-bank',
    title: 'A bank (not connected) demands a "proof of being alive": no legal basis',
    body: {
      proof: 'ALIVE',
      purpose: { code: 'PENSION' },
      askedBy: 'BANK',
      subject: subject(P.wangJianguo),
      applicant: self(P.wangJianguo),
    },
    expected: { outcome: 'DECLINED_NO_LEGAL_BASIS', rule: 'EXCHANGE_ONLY_NOT_CONNECTED' },
  },
  {
    id: 'criminal-record-employment-self',
    title: 'Criminal record check for employment asked by the person: not entitled (the employer applies)',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'DECLINED_APPLICANT_NOT_ENTITLED', rule: 'APPLICANT_NOT_ENTITLED' },
  },
  {
    id: 'criminal-record-employment-unit',
    title: 'Criminal record check for employment asked by the employer with a letter: on the spot',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.zhangWei),
      applicant: unit('长春某科技有限公司'),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-YHL' },
  },
  {
    id: 'criminal-record-abroad',
    title: 'Criminal record check for going abroad, by the person',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'GO_ABROAD' },
      askedBy: 'OTHER',
      askedByName: '某国驻华使馆',
      subject: subject(P.liuYang),
      applicant: self(P.liuYang),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'WRITTEN_NOTICE_RECORD_EXISTS', station: 'JL-DSL' },
  },
  {
    id: 'criminal-record-investigate',
    title: 'Criminal record check with no registry entry: investigation',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'GO_ABROAD' },
      askedBy: 'OTHER',
      askedByName: '某国驻华使馆',
      subject: subject(P.wangFang),
      applicant: self(P.wangFang),
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'CC-YHL' },
  },
  {
    id: 'unnatural-death-concluded',
    title: 'Unnatural death, incident concluded: on the spot at the incident station',
    body: {
      proof: 'UNNATURAL_DEATH',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'BANK',
      subject: subject(P.sunQiang),
      applicant: self(P.zhouJie),
      event: { date: '2026-08-10', place: '吉林市船营区' },
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'JL-DSL' },
  },
  {
    id: 'unnatural-death-open',
    title: 'Unnatural death, incident not concluded: investigation at the incident station',
    body: {
      proof: 'UNNATURAL_DEATH',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'COURT',
      subject: subject(P.qianWeidong),
      applicant: self(P.huangLi),
      event: { date: '2026-11-02', place: '长春市朝阳区义和路' },
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'CC-YHL' },
  },
  {
    id: 'abandoned-infant',
    title: 'Report of a found abandoned infant, applied for by the welfare home',
    body: {
      proof: 'ABANDONED_INFANT',
      purpose: { code: 'OTHER', text: '收养登记' },
      askedBy: 'CIVIL_AFFAIRS',
      subject: subject(P.jiAnan),
      applicant: unit('长春市社会福利院'),
      event: { date: '2025-03-02', place: '长春市朝阳区义和路' },
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-YHL' },
  },
  {
    id: 'trafficked-child',
    title: 'Identity of a rescued trafficked child, case still open: investigation',
    body: {
      proof: 'TRAFFICKED_CHILD',
      purpose: { code: 'SCHOOL_ADMISSION' },
      askedBy: 'EDUCATION',
      subject: subject(P.maXiaojun),
      applicant: unit('吉林市船营区民政局'),
      event: { date: '2026-10-20', place: '长春市朝阳区桂林路' },
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'CC-GLL' },
  },
  {
    id: 'temporary-identity',
    title: 'Temporary identity for a train trip (ID card lost)',
    body: {
      proof: 'TEMPORARY_IDENTITY',
      purpose: { code: 'TRAVEL' },
      askedBy: 'OTHER',
      askedByName: '铁路客运站',
      subject: subject(P.huangLi),
      applicant: self(P.huangLi),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-YHL' },
  },
  {
    id: 'temporary-identity-not-on-record',
    title: 'Temporary identity for someone not on the registry: investigation at the fallback station',
    body: {
      proof: 'TEMPORARY_IDENTITY',
      purpose: { code: 'HOTEL' },
      askedBy: 'OTHER',
      askedByName: '某酒店',
      subject: subject(P.zhaoLei),
      applicant: self(P.zhaoLei),
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'CC-YHL' },
  },
  {
    id: 'unrelated-applicant-kinship-notary',
    title: 'A stranger asks for two people’s kinship, naming a connected notary: not entitled (no exchange)',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'NOTARIZATION' },
      askedBy: 'NOTARY',
      subject: subject(P.wangFang),
      relatedPerson: { ...subject(P.wangJianguo), relation: 'FATHER' },
      applicant: self(P.zhaoLei),
    },
    expected: { outcome: 'DECLINED_APPLICANT_NOT_ENTITLED', rule: 'APPLICANT_NOT_ENTITLED' },
  },
  {
    id: 'unrelated-applicant-name-history',
    title: 'A stranger asks for someone’s name history for a connected court: not entitled',
    body: {
      proof: 'NAME_CHANGE',
      purpose: { code: 'LITIGATION' },
      askedBy: 'COURT',
      subject: subject(P.chenSiyuan),
      applicant: self(P.zhaoLei),
    },
    expected: { outcome: 'DECLINED_APPLICANT_NOT_ENTITLED', rule: 'APPLICANT_NOT_ENTITLED' },
  },
  {
    id: 'siblings-children-of-head',
    title: 'Two children of the head: the booklet does not show they are siblings; the registry link does',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'NOTARIZATION' },
      askedBy: 'BANK',
      subject: subject(P.zhangXiaoming),
      relatedPerson: { ...subject(P.zhangXiaohong), relation: 'SISTER' },
      applicant: self(P.zhangXiaohong),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-YHL' },
  },
  {
    id: 'head-and-other-member',
    title: 'Head and a member registered as OTHER, claimed FATHER: the booklet does not show it',
    body: {
      proof: 'KINSHIP',
      purpose: { code: 'INHERITANCE' },
      askedBy: 'BANK',
      subject: subject(P.zhouJie),
      relatedPerson: { ...subject(P.sunQiang), relation: 'FATHER' },
      applicant: self(P.zhouJie),
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'JL-DSL' },
  },
  {
    id: 'name-change-shown-in-booklet',
    title: 'A name change on the booklet’s change page: the booklet proves it',
    body: {
      proof: 'NAME_CHANGE',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.xuMing),
      applicant: self(P.xuMing),
    },
    expected: { outcome: 'DECLINED_PROVABLE_BY_HUKOU', rule: 'BOOKLET_SHOWS_CHANGE', station: 'CC-GLL' },
  },
  {
    id: 'temporary-identity-where-the-person-is',
    title: 'Temporary identity for a hotel: the station where the person lives, not the hukou station',
    body: {
      proof: 'TEMPORARY_IDENTITY',
      purpose: { code: 'HOTEL' },
      askedBy: 'OTHER',
      askedByName: '某酒店',
      subject: subject(P.wangLei),
      applicant: self(P.wangLei),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'CC-GLL' },
  },
  {
    id: 'temporary-identity-marriage',
    title: 'Temporary identity for marriage registration: the hukou station',
    body: {
      proof: 'TEMPORARY_IDENTITY',
      purpose: { code: 'MARRIAGE_REGISTRATION' },
      askedBy: 'CIVIL_AFFAIRS',
      subject: subject(P.wangLei),
      applicant: self(P.wangLei),
    },
    expected: { outcome: 'ISSUE_ON_THE_SPOT', rule: 'ISSUE_ON_THE_SPOT', station: 'JL-DSL' },
  },
  {
    id: 'other-case-required-by-law',
    title: 'Other case required by law: the court cites the law; investigation',
    body: {
      proof: 'OTHER_BY_LAW',
      purpose: { code: 'LITIGATION' },
      askedBy: 'COURT',
      legalBasis: '《中华人民共和国民事诉讼法》第六十七条',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'INVESTIGATE', rule: 'OTHER_CASE_REQUIRED_BY_LAW', station: 'CC-YHL' },
  },
  {
    id: 'unlisted-county-demand',
    title: 'A county body demands a certificate not in the catalogue: abolished (the fourth 一律)',
    body: {
      proof: 'NOT_LISTED',
      purpose: { code: 'OTHER', text: '无违章建筑证明' },
      askedBy: 'HOUSING',
      askedByLevel: 'COUNTY',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'DECLINED_NO_LEGAL_BASIS', rule: 'UNLISTED_BELOW_PROVINCE' },
  },
  {
    id: 'unlisted-provincial-no-law',
    title: 'A provincial body demands a certificate not in the catalogue and cites no law',
    body: {
      proof: 'NOT_LISTED',
      purpose: { code: 'OTHER', text: '家庭情况证明' },
      askedBy: 'HOUSING',
      askedByLevel: 'PROVINCIAL',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'DECLINED_NO_LEGAL_BASIS', rule: 'UNLISTED_NO_LAW_CITED' },
  },
  {
    id: 'mental-illness',
    title: 'A mental-illness certificate (named among the 19 abolished)',
    body: {
      proof: 'MENTAL_ILLNESS',
      purpose: { code: 'EMPLOYMENT' },
      askedBy: 'EMPLOYER',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'DECLINED_NO_LEGAL_BASIS', rule: 'NO_LEGAL_BASIS' },
  },
  {
    id: 'hukou-place-court',
    title: 'Place of hukou for a connected court: answered by exchange',
    body: {
      proof: 'HUKOU_PLACE',
      purpose: { code: 'LITIGATION' },
      askedBy: 'COURT',
      subject: subject(P.wangLei),
      applicant: self(P.wangLei),
    },
    expected: { outcome: 'ANSWERED_BY_EXCHANGE', rule: 'ANSWERED_BY_EXCHANGE' },
  },
  {
    id: 'death-civil-affairs',
    title: 'Death of a person for civil affairs: answered by exchange',
    body: {
      proof: 'DEATH',
      purpose: { code: 'PENSION' },
      askedBy: 'CIVIL_AFFAIRS',
      subject: subject(P.liXiuying),
      applicant: self(P.wangJianguo),
    },
    expected: { outcome: 'ANSWERED_BY_EXCHANGE', rule: 'ANSWERED_BY_EXCHANGE' },
  },
  {
    id: 'criminal-record-court',
    title: 'Criminal record check for a court: answered by exchange',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'LITIGATION' },
      askedBy: 'COURT',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'ANSWERED_BY_EXCHANGE', rule: 'ANSWERED_BY_EXCHANGE' },
  },
  {
    id: 'criminal-record-commitment',
    title: 'Criminal record check for the social security office, which accepts a signed commitment',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'OTHER' },
      askedBy: 'HUMAN_RESOURCES',
      subject: subject(P.zhangWei),
      applicant: self(P.zhangWei),
    },
    expected: { outcome: 'COMMITMENT_ACCEPTED', rule: 'COMMITMENT_ACCEPTED' },
  },
  {
    id: 'criminal-record-residence-station',
    title:
      'Criminal record check with no entry, person living away from the hukou: 3 working days at the residence station',
    body: {
      proof: 'CRIMINAL_RECORD',
      purpose: { code: 'GO_ABROAD' },
      askedBy: 'OTHER',
      askedByName: '某国驻华使馆',
      subject: subject(P.wangLei),
      applicant: self(P.wangLei),
    },
    expected: { outcome: 'INVESTIGATE', rule: 'INVESTIGATE', station: 'CC-GLL' },
  },
];
