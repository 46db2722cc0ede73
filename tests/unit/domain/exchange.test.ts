import { describe, expect, it } from 'vitest';
import { buildDemoRegistry, demoPeople as P } from '#local/demo/demo-people.ts';
import {
  answerExchangeQuery,
  answerFromRegistry,
  nameMatches,
  provenKinship,
} from '#shared/domain/exchange.ts';
import { parseRegistry } from '#shared/registry/registry.ts';
import { ExchangeQuerySchema } from '#shared/schemas/exchange.ts';

const registry = parseRegistry(buildDemoRegistry());

describe('ad-hoc verification answers (信息流转)', () => {
  it('HOUSEHOLD_RELATION: Ms Huang and her daughter share a booklet, with their relations to the head', () => {
    const r = answerFromRegistry(registry, 'HOUSEHOLD_RELATION', P.huangXiaoyu, P.huangLi);
    expect(r.holds).toBe(true);
    expect(r.answer).toMatchObject({
      sameHousehold: true,
      subjectRelationToHead: 'DAUGHTER',
      relatedRelationToHead: 'HEAD',
    });
    const other = answerFromRegistry(registry, 'HOUSEHOLD_RELATION', P.wangFang, P.wangJianguo);
    expect(other).toMatchObject({ holds: false, answer: { sameHousehold: false } });
    expect(other.answer).not.toHaveProperty('subjectRelationToHead');
  });

  it('KINSHIP without a claimed relation answers any registry link', () => {
    const r = answerFromRegistry(registry, 'KINSHIP', P.wangLei, { idNumber: P.wangFang.idNumber });
    expect(r).toMatchObject({ holds: true, answer: { related: true, via: ['SIBLING'] } });
    expect(answerFromRegistry(registry, 'KINSHIP', P.wangLei).holds).toBe(false);
  });

  it('NAME_HISTORY holds only when there is a change', () => {
    expect(answerFromRegistry(registry, 'NAME_HISTORY', P.chenSiyuan).holds).toBe(true);
    const none = answerFromRegistry(registry, 'NAME_HISTORY', P.zhangWei);
    expect(none).toMatchObject({ holds: false, answer: { changes: [], currentName: '张伟' } });
  });

  it('HUKOU_STATUS distinguishes active, cancelled and not on record', () => {
    expect(answerFromRegistry(registry, 'HUKOU_STATUS', P.zhangWei).answer).toMatchObject({
      status: 'ACTIVE',
      station: 'CC-YHL',
    });
    expect(answerFromRegistry(registry, 'HUKOU_STATUS', P.zhouJie).answer).toMatchObject({
      status: 'CANCELLED',
      reason: 'EMIGRATION',
    });
    expect(answerFromRegistry(registry, 'HUKOU_STATUS', P.zhaoLei).answer).toMatchObject({
      status: 'NOT_ON_RECORD',
      onRecord: false,
    });
  });

  it('a name that does not match the record is not held', () => {
    expect(nameMatches(registry, P.zhangWei.idNumber, '张三')).toBe(false);
    expect(nameMatches(registry, P.zhangWei.idNumber, ' 张伟 ')).toBe(true);
    expect(nameMatches(registry, P.zhaoLei.idNumber, '任何人')).toBe(true); // not on record: nothing to contradict
    expect(answerFromRegistry(registry, 'ALIVE', { idNumber: P.zhangWei.idNumber, name: '张三' }).holds).toBe(
      false,
    );
  });

  it('proves grandparents through two parent–child links, in the right direction only', () => {
    expect(
      provenKinship(registry, P.zhangXiaoming.idNumber, P.wangJianguo.idNumber, 'GRANDPARENT'),
    ).toHaveLength(2);
    expect(
      provenKinship(registry, P.wangJianguo.idNumber, P.zhangXiaoming.idNumber, 'GRANDCHILD'),
    ).toHaveLength(2);
    expect(
      provenKinship(registry, P.wangJianguo.idNumber, P.zhangXiaoming.idNumber, 'GRANDPARENT'),
    ).toBeUndefined();
    expect(provenKinship(registry, P.wangFang.idNumber, P.wangLei.idNumber, 'OTHER')).toBeUndefined();
    expect(provenKinship(registry, P.wangJianguo.idNumber, P.liXiuying.idNumber, 'SPOUSE')).toHaveLength(1);
  });

  it('answers a validated exchange query and never returns a full ID number', () => {
    const query = ExchangeQuerySchema.parse({
      question: 'KINSHIP',
      subject: { idNumber: P.wangFang.idNumber, name: P.wangFang.name },
      relatedPerson: { idNumber: P.wangJianguo.idNumber, relation: 'FATHER' },
      purpose: '继承公证',
      reference: 'NP-1',
    });
    const r = answerExchangeQuery(registry, query);
    expect(r).toMatchObject({ holds: true, source: 'population-registry', answer: { related: true } });
    const text = JSON.stringify(r);
    for (const p of Object.values(P)) expect(text).not.toContain(p.idNumber);
  });
});
