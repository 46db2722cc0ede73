import { beforeAll, describe, expect, it } from 'vitest';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { certificateDocument, validUntil, writtenReplyDocument } from '#shared/domain/documents.ts';
import { checkRules } from '#shared/domain/rules.ts';
import { bundledPolicyFile } from '#shared/policy/bundled.ts';
import { jilin2016Policy, jilin2021Policy, kindOf, type Policy, parsePolicy } from '#shared/policy/policy.ts';
import { certificateTexts, documentTexts, noticeTexts } from '#shared/policy/texts.ts';
import { demoRegistryPath, type InMemoryRegistry, loadRegistryFile } from '#shared/registry/registry.ts';
import { type IntakeRequest, intakeRequestSchema } from '#shared/schemas/intake.ts';

let registry: InMemoryRegistry;
beforeAll(async () => {
  registry = await loadRegistryFile(demoRegistryPath);
});
const acceptedAt = new Date('2026-11-27T10:00:00+08:00');
const scenario = (id: string): IntakeRequest => {
  const s = demoScenarios.find((x) => x.id === id);
  if (s === undefined) throw new Error(`no scenario ${id}`);
  return intakeRequestSchema().parse(s.body) as IntakeRequest;
};
const issue = (id: string, policy: Policy = jilin2021Policy, masked = false) => {
  const request = scenario(id);
  const decision = checkRules(request, { policy, registry, acceptedAt });
  expect(decision.outcome).toBe('ISSUE_ON_THE_SPOT');
  return certificateDocument({
    policy,
    request,
    facts: decision.facts,
    station: decision.station ?? '',
    stationName: (code) => registry.station(code)?.name,
    issuedOn: '2026-11-27',
    number: 'JL-20261127-ABCDEFGH',
    masked,
  });
};

describe('certificates in their uniform form', () => {
  const perKind: [string, string[], string[]][] = [
    ['name-change', ['姓名变更证明', '变更为'], ['was changed on', 'one and the same person']],
    ['gender-change', ['性别变更证明', '由“'], ['registered gender']],
    ['hukou-cancellation', ['户口注销证明', '因死亡注销', '2025-12-03'], ['by reason of death']],
    ['kinship-on-the-spot', ['亲属关系证明', '公民身份号码'], ['is the']],
    ['criminal-record-abroad', ['有无犯罪记录证明', '犯罪记录'], ['criminal record']],
    ['unnatural-death-concluded', ['非正常死亡证明', '调查终结'], ['unnatural death']],
    ['abandoned-infant', ['捡拾弃婴', '报案'], ['found infant']],
    ['temporary-identity', ['临时身份证明', '民族', '户籍地址'], ['Temporary identity certificate']],
  ];
  it.each(perKind)(
    '%s states its facts with the full ID numbers, purpose, body, station and date',
    (id, zh, en) => {
      const request = scenario(id);
      const doc = issue(id);
      expect(doc.statement.zh).not.toMatch(/\{\w+\}/);
      expect(doc.statement.en).not.toMatch(/\{\w+\}/);
      for (const s of zh) expect(doc.statement.zh).toContain(s);
      for (const s of en) expect(doc.statement.en).toContain(s);
      expect(doc.statement.zh).toContain(request.subject.idNumber);
      expect(doc.statement.zh).toContain(request.subject.name);
      if (request.relatedPerson) expect(doc.statement.zh).toContain(request.relatedPerson.idNumber);
      expect(doc.statement.zh).toContain('出具日期：2026-11-27');
      expect(doc.statement.zh).toContain('JL-20261127-ABCDEFGH');
      expect(doc.statement.zh).toMatch(/用途：.+；使用单位：.+。/);
      expect(doc.statement.en).toMatch(/Issued by .+ \(seal\) on 2026-11-27/);
      expect(doc.title.zh).toBe(certificateTexts(jilin2021Policy).kinds[request.proof]?.form?.title.zh);
    },
  );

  it('names the former and the new name, the relation between the named people', () => {
    const name = issue('name-change').statement.zh;
    const facts = checkRules(scenario('name-change'), { policy: jilin2021Policy, registry, acceptedAt })
      .facts as {
      changes: { from: string; to: string; changedOn: string }[];
    };
    const last = facts.changes.at(-1);
    expect(name).toContain(`于${last?.changedOn}由“${last?.from}”变更为“${last?.to}”`);
    const kin = scenario('kinship-on-the-spot');
    const relation =
      documentTexts(jilin2021Policy).documents.labels.relation?.[kin.relatedPerson?.relation ?? '']?.zh;
    expect(issue('kinship-on-the-spot').statement.zh).toContain(
      `系${kin.subject.name}（公民身份号码：${kin.subject.idNumber}）的${relation}`,
    );
  });

  it('masked for the public: no full name or ID number of anyone', () => {
    const request = scenario('kinship-on-the-spot');
    const doc = issue('kinship-on-the-spot', jilin2021Policy, true);
    for (const p of [request.subject, request.relatedPerson]) {
      expect(doc.statement.zh).not.toContain(p?.idNumber);
      expect(doc.statement.zh).not.toContain(p?.name);
      expect(doc.statement.en).not.toContain(p?.idNumber);
    }
    expect(doc.statement.zh).toContain(`${request.subject.idNumber.slice(0, 6)}********`);
  });

  it('trafficked child (investigated in the demo): the incident facts of a finding fill its form', () => {
    const request = scenario('trafficked-child');
    const doc = certificateDocument({
      policy: jilin2021Policy,
      request,
      findings: { incidentDate: '2019-03-02', incidentStation: '长春市公安局刑侦支队' },
      station: 'CC-YHL',
      stationName: () => 'station',
      issuedOn: '2026-11-27',
      number: 'JL-20261127-ABCDEFGH',
    });
    expect(doc.statement.zh).toContain(
      `${request.subject.name}（公民身份号码：${request.subject.idNumber}）系被拐卖儿童，案件于2019-03-02由长春市公安局刑侦支队立案`,
    );
    expect(doc.statement.en).toContain('was a trafficked child');
  });

  it('the same forms under jilin-2016', () => {
    expect(issue('hukou-cancellation', jilin2016Policy).statement.en).toContain('by reason of death');
  });

  it('issued after an investigation without registry facts: the confirmed statement and the finding facts', () => {
    const request = scenario('name-change');
    const doc = certificateDocument({
      policy: jilin2021Policy,
      request,
      findings: { checked: '户籍档案' },
      station: 'CC-YHL',
      stationName: () => '长春市公安局朝阳分局永昌派出所',
      issuedOn: '2026-12-01',
      number: 'JL-20261201-ABCDEFGH',
    });
    expect(doc.statement.zh).toContain('经调查核实');
    expect(doc.statement.zh).toContain('核实情况：checked: 户籍档案');
    expect(doc.statement.zh).not.toMatch(/\{\w+\}/);
    // With the facts in the finding, the kind's own statement.
    const full = certificateDocument({
      policy: jilin2021Policy,
      request,
      findings: { formerName: '陈远', newName: request.subject.name, changedOn: '2001-05-01' },
      station: 'CC-YHL',
      stationName: () => 'station',
      issuedOn: '2026-12-01',
      number: 'JL-20261201-ABCDEFGH',
    });
    expect(full.statement.zh).toContain(`于2001-05-01由“陈远”变更为“${request.subject.name}”`);
  });

  it('a kind with a validity states it; without, none', () => {
    const base = structuredClone(bundledPolicyFile('jilin-2021'));
    const k = base.kinds.find((x) => x.code === 'TEMPORARY_IDENTITY');
    if (k) k.validity = { days: 30, basis: { zh: '依据', en: 'basis' } };
    const policy = parsePolicy(base);
    const request = scenario('temporary-identity');
    const decision = checkRules(request, { policy, registry, acceptedAt });
    const doc = certificateDocument({
      policy,
      request,
      facts: decision.facts,
      station: decision.station ?? '',
      stationName: () => 'station',
      issuedOn: '2026-11-27',
      number: 'JL-20261127-ABCDEFGH',
    });
    expect(doc.statement.zh).toContain('本证明有效期30日，至2026-12-26止');
    expect(validUntil(kindOf(policy, 'TEMPORARY_IDENTITY'), '2026-11-27')).toBe('2026-12-26');
    expect(issue('temporary-identity').statement.zh).not.toContain('有效期');
  });

  it('a policy without a form for an issuable kind is rejected', () => {
    const base = structuredClone(bundledPolicyFile('jilin-2021'));
    const k = base.kinds.find((x) => x.code === 'KINSHIP');
    if (k) delete k.form;
    expect(() => parsePolicy(base)).toThrow(/kinds\.\d+\.form/);
  });
});

describe('the written reply (书面告知)', () => {
  it('states the reason, the basis, the document that proves it and how to appeal', () => {
    const request = scenario('huang-kinship');
    const d = checkRules(request, { policy: jilin2021Policy, registry, acceptedAt });
    expect(d.outcome).toBe('DECLINED_PROVABLE_BY_HUKOU');
    const doc = writtenReplyDocument({
      policy: jilin2021Policy,
      request,
      acceptedOn: '2026-11-27',
      reason: d.reason,
      basis: d.basis,
      provenBy: kindOf(jilin2021Policy, 'KINSHIP')?.provenBy ?? { zh: '户口簿', en: 'the booklet' },
      station: d.station ?? '',
      stationName: (c) => registry.station(c)?.name,
      issuedOn: '2026-11-27',
      number: 'JL-20261127-ZZZZZZZZ',
    });
    expect(doc.title.zh).toBe('不予出具证明书面告知书');
    for (const s of [
      d.reason.zh,
      d.basis.zh,
      noticeTexts(jilin2021Policy).notices.appeal.zh,
      '可凭',
      request.subject.idNumber,
    ]) {
      expect(doc.statement.zh).toContain(s);
    }
    expect(doc.statement.en).toContain('How to appeal');
    expect(doc.statement.zh).toContain('告知书编号：JL-20261127-ZZZZZZZZ');
  });

  it('names the body that holds the fact', () => {
    const request = { ...scenario('huang-kinship'), proof: 'MARITAL_STATUS' } as IntakeRequest;
    const doc = writtenReplyDocument({
      policy: jilin2021Policy,
      request,
      acceptedOn: '2026-11-27',
      reason: { zh: '不属于公安机关掌握的信息', en: 'not police information' },
      basis: { zh: '依据', en: 'basis' },
      heldBy: 'CIVIL_AFFAIRS',
      station: 'CC-YHL',
      stationName: () => 'station',
      issuedOn: '2026-11-27',
      number: 'JL-20261127-ZZZZZZZZ',
      masked: true,
    });
    const civil = jilin2021Policy.bodies.find((b) => b.code === 'CIVIL_AFFAIRS')?.name.zh ?? '';
    expect(doc.statement.zh).toContain(`该事项由${civil}掌握`);
    expect(doc.statement.zh).not.toContain(request.subject.idNumber);
  });
});
