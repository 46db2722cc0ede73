/**
 * What the registry answers a connected department, question by question: whether it holds the fact asked
 * (`holds`, which decides rule 5) and what the answer says, over the situations that change it.
 */
import { describe, expect, it } from 'vitest';
import { answerExchangeQuery, answerFromRegistry, nameMatches } from '#shared/domain/exchange.ts';
import { maskIdNumber } from '#shared/domain/id-number.ts';
import type { ExchangeQuestion } from '#shared/domain/types.ts';
import { smallRegistry } from '#tests/helpers/small-registry.ts';

const { registry, id } = smallRegistry(
  {
    active: { name: '张伟', gender: 'M', household: 'H1', relationToHead: 'HEAD' },
    renamed: { name: '陈思远', gender: 'F', household: 'H1', relationToHead: 'DAUGHTER' },
    emigrated: { name: '周杰', gender: 'M' },
    dead: { name: '刘洋', gender: 'M' },
    corrected: { name: '刘芳', gender: 'F' }, // renamed 刘一 → 刘二, then the current name corrected
    father: { name: '王建国', gender: 'M' },
    son: { name: '王磊', gender: 'M' },
  },
  (i) => ({
    nameChanges: [
      { idNumber: i.renamed as string, from: '陈小红', to: '陈红', changedOn: '2001-05-01' },
      { idNumber: i.renamed as string, from: '陈红', to: '陈思远', changedOn: '2010-03-02' },
      { idNumber: i.gone as string, from: '甲', to: '乙', changedOn: '2000-01-01' },
      { idNumber: i.corrected as string, from: '刘一', to: '刘二', changedOn: '2005-05-05' },
    ],
    cancellations: [
      { idNumber: i.emigrated as string, reason: 'EMIGRATION', cancelledOn: '2019-07-01' },
      { idNumber: i.dead as string, reason: 'DEATH', cancelledOn: '2024-02-03' },
      { idNumber: i.gone as string, reason: 'DEATH', cancelledOn: '2020-01-01' },
    ],
    kinship: [{ a: i.father as string, b: i.son as string, relation: 'PARENT_CHILD' }],
  }),
  ['unknown', 'gone'], // `gone` has records but is in no household
);
const I = id as Record<string, string>;
const party = (key: string, name?: string) => ({
  idNumber: I[key] as string,
  ...(name !== undefined ? { name } : {}),
});

describe('whether a name matches the record', () => {
  it.each([
    { who: 'active', name: '张伟', matches: true },
    { who: 'active', name: ' 张伟\t', matches: true },
    { who: 'active', name: '张三', matches: false },
    { who: 'active', name: undefined, matches: true },
    { who: 'renamed', name: '陈思远', matches: true }, // current
    { who: 'renamed', name: '陈小红', matches: true }, // the first former name
    { who: 'renamed', name: '陈红', matches: true }, // an intermediate one
    { who: 'renamed', name: '陈', matches: false },
    { who: 'corrected', name: '刘二', matches: true }, // a name it was changed to
    { who: 'corrected', name: '刘一', matches: true }, // a name it was changed from
    { who: 'corrected', name: '刘三', matches: false },
    { who: 'unknown', name: '任何人', matches: true }, // not on record: nothing to contradict
    { who: 'gone', name: '乙', matches: true },
  ])('$who named $name → $matches', ({ who, name, matches }) => {
    expect(nameMatches(registry, I[who] as string, name)).toBe(matches);
  });
});

describe('holds: whether the registry holds the fact asked', () => {
  const table: {
    question: ExchangeQuestion;
    subject: [string, string?];
    related?: [string, string?, string?];
    holds: boolean;
    why: string;
  }[] = [
    { question: 'NAME_HISTORY', subject: ['renamed', '陈思远'], holds: true, why: 'changes on record' },
    { question: 'NAME_HISTORY', subject: ['renamed', '陈小红'], holds: true, why: 'asked by a former name' },
    { question: 'NAME_HISTORY', subject: ['renamed', '李四'], holds: false, why: 'another name' },
    { question: 'NAME_HISTORY', subject: ['active', '张伟'], holds: false, why: 'no change' },
    { question: 'NAME_HISTORY', subject: ['gone'], holds: false, why: 'changes but no person on record' },
    { question: 'NAME_HISTORY', subject: ['unknown'], holds: false, why: 'not on record' },
    { question: 'HUKOU_STATUS', subject: ['emigrated', '周杰'], holds: true, why: 'cancelled' },
    {
      question: 'HUKOU_STATUS',
      subject: ['emigrated', '周某'],
      holds: false,
      why: 'cancelled, another name',
    },
    {
      question: 'HUKOU_STATUS',
      subject: ['active', '张伟'],
      holds: false,
      why: 'an active hukou is no cancellation',
    },
    { question: 'HUKOU_STATUS', subject: ['unknown'], holds: false, why: 'not on record' },
    { question: 'ALIVE', subject: ['active', '张伟'], holds: true, why: 'alive' },
    { question: 'ALIVE', subject: ['dead', '刘洋'], holds: true, why: 'the death is registered' },
    { question: 'ALIVE', subject: ['active', '张三'], holds: false, why: 'another name' },
    {
      question: 'KINSHIP',
      subject: ['son', '王磊'],
      related: ['father', '王建国', 'FATHER'],
      holds: true,
      why: 'proven',
    },
    {
      question: 'KINSHIP',
      subject: ['son', '王磊'],
      related: ['father', undefined, 'FATHER'],
      holds: true,
      why: 'no related name',
    },
    {
      question: 'KINSHIP',
      subject: ['son', '王磊'],
      related: ['father', '王某', 'FATHER'],
      holds: false,
      why: 'related name wrong',
    },
    {
      question: 'KINSHIP',
      subject: ['son', '王某'],
      related: ['father', '王建国', 'FATHER'],
      holds: false,
      why: 'subject name wrong',
    },
    {
      question: 'KINSHIP',
      subject: ['son', '王磊'],
      related: ['father', '王建国', 'SON'],
      holds: false,
      why: 'wrong direction',
    },
    { question: 'KINSHIP', subject: ['son', '王磊'], holds: false, why: 'no related person' },
    {
      question: 'HOUSEHOLD_RELATION',
      subject: ['renamed', '陈思远'],
      related: ['active'],
      holds: true,
      why: 'one booklet',
    },
    {
      question: 'HOUSEHOLD_RELATION',
      subject: ['renamed', '王某'],
      related: ['active'],
      holds: false,
      why: 'another name',
    },
    {
      question: 'HOUSEHOLD_RELATION',
      subject: ['son', '王磊'],
      related: ['father'],
      holds: false,
      why: 'two booklets',
    },
    { question: 'HOUSEHOLD_RELATION', subject: ['son', '王磊'], holds: false, why: 'no related person' },
  ];
  it.each(table)('$question, $why → $holds', ({ question, subject, related, holds }) => {
    const rel = related
      ? {
          idNumber: I[related[0]] as string,
          ...(related[1] !== undefined ? { name: related[1] } : {}),
          ...(related[2] !== undefined ? { relation: related[2] as 'FATHER' } : {}),
        }
      : undefined;
    expect(answerFromRegistry(registry, question, party(subject[0], subject[1]), rel).holds).toBe(holds);
  });
});

describe('what the answer says', () => {
  const mask = (key: string) => maskIdNumber(I[key] as string);

  it('names the subject masked, whether on record and, only when a name was asked about, whether it matches', () => {
    expect(answerFromRegistry(registry, 'ALIVE', party('active', '张伟')).answer).toEqual({
      subject: mask('active'),
      onRecord: true,
      nameMatches: true,
      deathRegistered: false,
    });
    expect(answerFromRegistry(registry, 'ALIVE', party('active', '张三')).answer).toMatchObject({
      nameMatches: false,
    });
    expect(answerFromRegistry(registry, 'ALIVE', party('active')).answer).not.toHaveProperty('nameMatches');
    expect(answerFromRegistry(registry, 'ALIVE', party('unknown', '某')).answer).toEqual({
      subject: mask('unknown'),
      onRecord: false,
      deathRegistered: false,
    });
  });

  it('NAME_HISTORY: the current name and every change', () => {
    expect(answerFromRegistry(registry, 'NAME_HISTORY', party('renamed')).answer).toEqual({
      subject: mask('renamed'),
      onRecord: true,
      currentName: '陈思远',
      changes: [
        { from: '陈小红', to: '陈红', changedOn: '2001-05-01' },
        { from: '陈红', to: '陈思远', changedOn: '2010-03-02' },
      ],
    });
    expect(answerFromRegistry(registry, 'NAME_HISTORY', party('gone')).answer).toEqual({
      subject: mask('gone'),
      onRecord: false,
      changes: [{ from: '甲', to: '乙', changedOn: '2000-01-01' }],
    });
  });

  it.each([
    { who: 'active', answer: { status: 'ACTIVE', station: 'S-H1' } },
    {
      who: 'emigrated',
      answer: {
        status: 'CANCELLED',
        reason: 'EMIGRATION',
        cancelledOn: '2019-07-01',
        station: 'S-H-emigrated',
      },
    },
    { who: 'gone', answer: { status: 'CANCELLED', reason: 'DEATH', cancelledOn: '2020-01-01' } },
    { who: 'unknown', answer: { status: 'NOT_ON_RECORD' } },
  ])('HUKOU_STATUS of $who', ({ who, answer }) => {
    const r = answerFromRegistry(registry, 'HUKOU_STATUS', party(who));
    expect(r.answer).toEqual({
      subject: mask(who),
      onRecord: who !== 'unknown' && who !== 'gone',
      ...answer,
    });
  });

  it.each([
    { who: 'active', answer: { deathRegistered: false } },
    { who: 'dead', answer: { deathRegistered: true, deathRegisteredOn: '2024-02-03' } },
    { who: 'emigrated', answer: { deathRegistered: false, hukouCancelled: 'EMIGRATION' } },
  ])('ALIVE of $who', ({ who, answer }) => {
    expect(answerFromRegistry(registry, 'ALIVE', party(who)).answer).toEqual({
      subject: mask(who),
      onRecord: true,
      ...answer,
    });
  });

  it('KINSHIP: the related person masked, the claim, whether related, the links and the booklet', () => {
    const proven = answerFromRegistry(registry, 'KINSHIP', party('son'), {
      idNumber: I.father as string,
      relation: 'FATHER',
    });
    expect(proven.answer).toEqual({
      subject: mask('son'),
      onRecord: true,
      relatedPerson: mask('father'),
      claimedRelation: 'FATHER',
      related: true,
      via: ['PARENT_CHILD'],
      sameHousehold: false,
    });
    const unproven = answerFromRegistry(registry, 'KINSHIP', party('son'), { idNumber: I.active as string });
    expect(unproven.answer).toEqual({
      subject: mask('son'),
      onRecord: true,
      relatedPerson: mask('active'),
      related: false,
      sameHousehold: false,
    });
    const housemates = answerFromRegistry(registry, 'KINSHIP', party('renamed'), {
      idNumber: I.active as string,
    });
    expect(housemates.answer).toMatchObject({ related: false, sameHousehold: true });
    expect(answerFromRegistry(registry, 'KINSHIP', party('son')).answer).toEqual({
      subject: mask('son'),
      onRecord: true,
      related: null,
    });
  });

  it('HOUSEHOLD_RELATION: both relations to the head only when they share the booklet', () => {
    expect(
      answerFromRegistry(registry, 'HOUSEHOLD_RELATION', party('renamed'), party('active')).answer,
    ).toEqual({
      subject: mask('renamed'),
      onRecord: true,
      relatedPerson: mask('active'),
      sameHousehold: true,
      subjectRelationToHead: 'DAUGHTER',
      relatedRelationToHead: 'HEAD',
    });
    expect(answerFromRegistry(registry, 'HOUSEHOLD_RELATION', party('son'), party('father')).answer).toEqual({
      subject: mask('son'),
      onRecord: true,
      relatedPerson: mask('father'),
      sameHousehold: false,
    });
    expect(answerFromRegistry(registry, 'HOUSEHOLD_RELATION', party('son')).answer).toEqual({
      subject: mask('son'),
      onRecord: true,
      sameHousehold: null,
    });
  });

  it('an ad-hoc query drops absent fields and names the source', () => {
    const r = answerExchangeQuery(registry, {
      question: 'KINSHIP',
      subject: { idNumber: I.son as string, name: undefined },
      relatedPerson: { idNumber: I.father as string, name: undefined, relation: undefined },
    });
    expect(r).toEqual({
      holds: true,
      source: 'population-registry',
      answer: {
        subject: mask('son'),
        onRecord: true,
        relatedPerson: mask('father'),
        related: true,
        via: ['PARENT_CHILD'],
        sameHousehold: false,
      },
    });
    const named = answerExchangeQuery(registry, {
      question: 'ALIVE',
      subject: { idNumber: I.active as string, name: '张三' },
    });
    expect(named).toMatchObject({ holds: false, answer: { nameMatches: false } });
  });
});
