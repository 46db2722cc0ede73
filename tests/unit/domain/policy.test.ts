import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_PROOF_CODES } from '#shared/domain/types.ts';
import { checkBundledAccountabilityPolicy } from '#shared/policy/accountability.ts';
import { bundledPolicyChanges, bundledPolicyFile, checkBundledPolicies } from '#shared/policy/bundled.ts';
import { catalogueView } from '#shared/policy/catalogue.ts';
import {
  jilin2016Policy as defaultPolicy,
  derivePolicy,
  isConnected,
  jilin2021Policy,
  kindOf,
  PolicyError,
  type PolicyFile,
  parsePolicy,
  RULE_KEYS,
  render,
} from '#shared/policy/policy.ts';
import { decisionTexts, noticeTexts, policyTexts } from '#shared/policy/texts.ts';

const jilin = bundledPolicyFile('jilin-2016');

const altPolicyData = JSON.parse(
  readFileSync(new URL('./fixtures/alt-policy.json', import.meta.url), 'utf8'),
);

describe('the default policy jilin-2016', () => {
  it('has the 9 issuable kinds of DOMAIN.md and the opinion\'s "other cases required by law"', () => {
    const issuable = defaultPolicy.kinds.filter((k) => k.treatment === 'ISSUABLE').map((k) => k.code);
    expect(issuable.sort()).toEqual(
      [
        'OTHER_BY_LAW',
        'NAME_CHANGE',
        'GENDER_CHANGE',
        'HUKOU_CANCELLATION',
        'KINSHIP',
        'CRIMINAL_RECORD',
        'UNNATURAL_DEATH',
        'TRAFFICKED_CHILD',
        'ABANDONED_INFANT',
        'TEMPORARY_IDENTITY',
      ].sort(),
    );
  });

  it('knows every code docs/api.md names', () => {
    for (const code of API_PROOF_CODES) expect(kindOf(defaultPolicy, code), code).toBeDefined();
  });

  it.each([
    ['IDENTITY', 'PROVABLE_BY_HUKOU'],
    ['NAME', 'PROVABLE_BY_HUKOU'],
    ['GENDER', 'PROVABLE_BY_HUKOU'],
    ['BIRTH_DATE', 'PROVABLE_BY_HUKOU'],
    ['ETHNICITY', 'PROVABLE_BY_HUKOU'],
    ['ADDRESS', 'PROVABLE_BY_HUKOU'],
    ['HOUSEHOLD_RELATION', 'PROVABLE_BY_HUKOU'],
    ['MARITAL_STATUS', 'NOT_POLICE_INFORMATION'],
    ['EDUCATION', 'NOT_POLICE_INFORMATION'],
    ['INCOME', 'NOT_POLICE_INFORMATION'],
    ['PROPERTY', 'NOT_POLICE_INFORMATION'],
    ['SOCIAL_INSURANCE', 'NOT_POLICE_INFORMATION'],
    ['BIRTH_MEDICAL', 'NOT_POLICE_INFORMATION'],
    ['GOOD_CONDUCT', 'NO_LEGAL_BASIS'],
    ['RESIDENCE_FOR_SCHOOL', 'NO_LEGAL_BASIS'],
    ['ALIVE', 'EXCHANGE'],
  ])('%s is %s', (code, treatment) => {
    expect(kindOf(defaultPolicy, code)?.treatment).toBe(treatment);
  });

  it('names the body that holds each fact that is not police information', () => {
    const held = Object.fromEntries(
      defaultPolicy.kinds
        .filter((k) => k.treatment === 'NOT_POLICE_INFORMATION')
        .map((k) => [k.code, k.heldBy]),
    );
    expect(held).toMatchObject({
      MARITAL_STATUS: 'CIVIL_AFFAIRS',
      EDUCATION: 'EDUCATION',
      SOCIAL_INSURANCE: 'HUMAN_RESOURCES',
      BIRTH_MEDICAL: 'HEALTH',
    });
  });

  it('connects the six departments of docs/api.md by default, and no others', () => {
    const connected = defaultPolicy.bodies.filter((b) => b.connected).map((b) => b.code);
    expect(connected.sort()).toEqual(
      ['NOTARY', 'COURT', 'PROCURATORATE', 'EDUCATION', 'CIVIL_AFFAIRS', 'HUMAN_RESOURCES'].sort(),
    );
    expect(isConnected(defaultPolicy, 'BANK')).toBe(false);
    expect(isConnected(defaultPolicy, 'NO_SUCH_BODY')).toBe(false);
  });

  it('keeps the service standard as data: 5 working days, warning 1 before, escalation every 2', () => {
    expect(defaultPolicy.service).toEqual({
      investigationWorkingDays: 5,
      warnWorkingDaysBefore: 1,
      escalationIntervalWorkingDays: 2,
    });
  });

  it('gives every rule a distinct id under the policy version, with texts in both languages', () => {
    const ids = RULE_KEYS.map((k) => defaultPolicy.rules[k].id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^jilin-2016\/R\d-[a-z-]+$/);
    for (const k of defaultPolicy.kinds) {
      expect(k.name.zh, k.code).toMatch(/[\u4e00-\u9fff]/);
      expect(k.name.en, k.code).toMatch(/[a-z]/);
      expect(decisionTexts(defaultPolicy).kinds[k.code]?.basis.zh.length, k.code).toBeGreaterThan(5);
    }
  });

  it('shows the catalogue in the form of GET /v1/catalogue', () => {
    const view = catalogueView(defaultPolicy);
    expect(view.policyVersion).toBe('jilin-2016');
    expect(view.kinds).toHaveLength(defaultPolicy.kinds.length);
    const marital = view.kinds.find((k) => k.code === 'MARITAL_STATUS');
    expect(marital).toMatchObject({
      treatment: 'NOT_POLICE_INFORMATION',
      ruleId: 'jilin-2016/R2-not-police-information',
      heldBy: 'CIVIL_AFFAIRS',
      heldByName: { zh: '民政部门' },
    });
    expect(view.kinds.find((k) => k.code === 'IDENTITY')).not.toHaveProperty('heldBy');
  });

  it('renders placeholders in both languages and leaves unknown ones', () => {
    expect(
      render({ zh: '请问{who}{x}', en: 'ask {who}{x}' }, { who: { zh: '民政', en: 'civil affairs' } }),
    ).toEqual({
      zh: '请问民政{x}',
      en: 'ask civil affairs{x}',
    });
  });
});

describe('the bundled policy files (checked only in outline at import)', () => {
  it('are valid in full, and the modules hold exactly their validated form', () => {
    expect(() => checkBundledPolicies()).not.toThrow();
    expect(() => checkBundledAccountabilityPolicy()).not.toThrow();
    const { texts, ...parsed } = parsePolicy(jilin);
    expect(parsed).toEqual(defaultPolicy);
    expect(texts).toEqual(policyTexts(defaultPolicy));
    const { texts: texts2021, ...derived } = derivePolicy(
      parsePolicy(jilin),
      bundledPolicyChanges('jilin-2021'),
    );
    expect(derived).toEqual(jilin2021Policy);
    expect(texts2021).toEqual(policyTexts(jilin2021Policy));
  });
});

describe('a second policy is data', () => {
  it('loads a small alternative policy without code changes', () => {
    const alt = parsePolicy(altPolicyData);
    expect(alt.policyVersion).toBe('testland-2030');
    expect(alt.service.investigationWorkingDays).toBe(3);
    expect(kindOf(alt, 'RESIDENCE')?.treatment).toBe('ISSUABLE');
    expect(kindOf(alt, 'MARITAL_STATUS')).toBeUndefined();
    expect(isConnected(alt, 'NOTARY')).toBe(false);
    expect(isConnected(alt, 'BANK')).toBe(true);
  });
});

describe('invalid policy data names the field', () => {
  const base = () => structuredClone(jilin) as unknown as Record<string, unknown> & PolicyFile;
  const cases: [string, (p: ReturnType<typeof base>) => void, string][] = [
    ['missing policyVersion', (p) => delete (p as Partial<PolicyFile>).policyVersion, 'policyVersion'],
    ['bad policyVersion', (p) => (p.policyVersion = 'Jilin 2016'), 'policyVersion'],
    [
      'unknown treatment',
      (p) => ((p.kinds[0] as { treatment: string }).treatment = 'MAYBE'),
      'kinds.0.treatment',
    ],
    ['empty English name', (p) => (p.kinds[1]!.name.en = ''), 'kinds.1.name.en'],
    ['issuable without station', (p) => delete p.kinds[0]!.station, 'kinds.0.station'],
    ['unknown holder', (p) => (p.kinds.find((k) => k.code === 'INCOME')!.heldBy = 'NOBODY'), 'heldBy'],
    ['duplicate code', (p) => (p.kinds[1]!.code = p.kinds[0]!.code), 'kinds.1.code'],
    [
      'missing rule text',
      (p) => delete (p.rules as Partial<PolicyFile['rules']>).INVESTIGATE,
      'rules.INVESTIGATE',
    ],
    [
      'unknown purpose in applicant rules',
      (p) => {
        p.kinds.find((k) => k.code === 'CRIMINAL_RECORD')!.applicants!.byPurpose!.TOURISM = {
          allowed: ['SELF'],
        };
      },
      'applicants.byPurpose.TOURISM',
    ],
    ['zero deadline', (p) => (p.service.investigationWorkingDays = 0), 'service.investigationWorkingDays'],
    [
      'warning not before deadline',
      (p) => (p.service.warnWorkingDaysBefore = 5),
      'service.warnWorkingDaysBefore',
    ],
    ['unknown field', (p) => (p.colour = 'blue'), 'colour'],
    [
      'unknown applicant kind',
      (p) => ((p.kinds[0]!.applicants!.default.allowed as string[])[0] = 'FRIEND'),
      'kinds.0.applicants.default.allowed.0',
    ],
    [
      'incident kind without event',
      (p) => (p.kinds.find((k) => k.code === 'UNNATURAL_DEATH')!.needs.event = false),
      'needs',
    ],
  ];

  it.each(cases)('%s', (_title, mutate, path) => {
    const data = base();
    mutate(data);
    let error: unknown;
    try {
      parsePolicy(data);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyError);
    const paths = (error as PolicyError).errors.map((e) => e.path);
    expect(
      paths.some((p) => p === path || p.endsWith(`.${path}`)),
      `${paths.join(', ')} should name ${path}`,
    ).toBe(true);
    expect((error as PolicyError).message).toContain(path);
  });

  it('lists every error at once', () => {
    const data = base();
    data.policyVersion = '';
    (data.kinds[2] as { treatment: string }).treatment = 'X';
    data.service.escalationIntervalWorkingDays = -1;
    try {
      parsePolicy(data);
      expect.unreachable();
    } catch (e) {
      expect((e as PolicyError).errors.map((x) => x.path)).toEqual(
        expect.arrayContaining([
          'policyVersion',
          'kinds.2.treatment',
          'service.escalationIntervalWorkingDays',
        ]),
      );
    }
  });

  it.each([null, 'jilin', 42, [], {}])(
    'rejects %j with a PolicyError, never an untyped exception',
    (data) => {
      expect(() => parsePolicy(data)).toThrow(PolicyError);
    },
  );
});

describe('notices after the decision', () => {
  it('carries the appeal, warning and escalation texts in both languages', () => {
    expect(noticeTexts(defaultPolicy).notices.appeal.zh).toContain('复核');
    expect(
      render(noticeTexts(defaultPolicy).notices.escalated, { level: '1', deadline: '2026-10-15' }).en,
    ).toBe('Overdue: escalated to supervision level 1; the new deadline is the end of 2026-10-15.');
  });
});
