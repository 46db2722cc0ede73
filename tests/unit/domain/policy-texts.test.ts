/**
 * The policy's texts apart from its data (issue 16): each shipped version is a folder
 * (shared/policy/<version>/policy.json + decision, notices, documents, certificates, catalogue texts) read through
 * shared/policy/texts.ts; a missing or stray text still fails loudly, at first use and in the full check.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bundledPolicyFile, checkBundledPolicies } from '#shared/policy/bundled.ts';
import { catalogueView } from '#shared/policy/catalogue.ts';
import catalogue2016 from '#shared/policy/jilin-2016/catalogue.json' with { type: 'json' };
import certificates2016 from '#shared/policy/jilin-2016/certificates.json' with { type: 'json' };
import decision2016 from '#shared/policy/jilin-2016/decision.json' with { type: 'json' };
import certificates2021 from '#shared/policy/jilin-2021/certificates.json' with { type: 'json' };
import decision2021 from '#shared/policy/jilin-2021/decision.json' with { type: 'json' };
import {
  defaultPolicies,
  jilin2016Policy,
  joinPolicy,
  type Policy,
  PolicyError,
  type PolicyFile,
  parsePolicy,
  splitPolicy,
} from '#shared/policy/policy.ts';
import {
  catalogueTexts,
  certificateTexts,
  decisionTexts,
  documentTexts,
  noticeTexts,
  policyTexts,
} from '#shared/policy/texts.ts';

/**
 * The PolicyError a call throws (fails the test if it throws nothing or something else); `type`: the class
 * of freshly imported modules.
 */
function policyError(f: () => unknown, type: typeof PolicyError = PolicyError): PolicyError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(type);
    return e as PolicyError;
  }
  throw new Error('expected a PolicyError');
}

describe('a shipped version is its data plus its texts', () => {
  it.each(defaultPolicies.map((p) => [p.policyVersion, p] as const))(
    '%s: the folder split from the whole policy file gives exactly the data and the texts loaded',
    (_version, policy) => {
      const file = bundledPolicyFile(policy.policyVersion);
      const { policy: data, texts } = splitPolicy(file);
      expect(data).toEqual(policy);
      expect(texts).toEqual(policyTexts(policy));
      expect(joinPolicy(data, texts)).toEqual(file);
    },
  );

  it('keeps the texts out of the data: no kind carries a basis, an explanation or a form', () => {
    for (const p of defaultPolicies) {
      expect(p.texts).toBeUndefined();
      for (const k of p.kinds) {
        expect(k, k.code).not.toHaveProperty('basis');
        expect(k, k.code).not.toHaveProperty('explanation');
        expect(k, k.code).not.toHaveProperty('form');
        expect(k.validity ?? {}, k.code).not.toHaveProperty('basis');
      }
    }
  });

  it('a later version takes its base’s texts except those it replaces (a replaced kind inherits none)', () => {
    const [y2016, y2021] = defaultPolicies as [Policy, Policy];
    expect(noticeTexts(y2021)).toEqual(noticeTexts(y2016));
    expect(documentTexts(y2021).documents).toEqual(documentTexts(y2016).documents);
    expect(certificateTexts(y2021).certificate).toEqual(certificateTexts(y2016).certificate);
    expect(certificateTexts(y2021).kinds.CRIMINAL_RECORD).toEqual(certificates2021.kinds.CRIMINAL_RECORD);
    expect(certificateTexts(y2016).kinds.CRIMINAL_RECORD).toEqual(certificates2016.kinds.CRIMINAL_RECORD);
    expect(certificateTexts(y2021).kinds.NAME_CHANGE).toEqual(certificateTexts(y2016).kinds.NAME_CHANGE);
    expect(decisionTexts(y2021).source).toEqual(decision2021.source);
    expect(decisionTexts(y2021).kinds.CRIMINAL_RECORD).toEqual(decision2021.kinds.CRIMINAL_RECORD);
    expect(decisionTexts(y2021).kinds.CRIMINAL_RECORD).not.toEqual(
      decisionTexts(y2016).kinds.CRIMINAL_RECORD,
    );
    expect(decisionTexts(y2021).kinds.NAME_CHANGE).toEqual(decisionTexts(y2016).kinds.NAME_CHANGE);
    expect(decisionTexts(y2021).rules.COMMITMENT_ACCEPTED).toBeDefined();
    expect(decisionTexts(y2016).rules.COMMITMENT_ACCEPTED).toBeUndefined();
  });

  it('a parsed policy carries its own texts; one with neither its own nor shipped texts fails, naming it', () => {
    const file = bundledPolicyFile('jilin-2016');
    const basis = { zh: '测试依据', en: 'test basis' };
    const own = parsePolicy({
      ...file,
      policyVersion: 'testland-2030',
      kinds: file.kinds.map((k) => (k.code === 'IDENTITY' ? { ...k, basis } : k)),
    });
    expect(decisionTexts(own).kinds.IDENTITY?.basis).toEqual(basis);
    const { texts: _, ...bare } = own;
    const e = policyError(() => decisionTexts(bare));
    expect(e.message).toMatch(/testland-2030 has no decision texts/);
  });
});

describe('GET /v1/catalogue is unchanged by the split', () => {
  /** The catalogue's kinds as they were made from the whole policy file (before the texts were split). */
  const fromFile = (file: PolicyFile) =>
    file.kinds.map((k) => ({
      code: k.code,
      name: k.name,
      treatment: k.treatment,
      ruleId: k.ruleId,
      basis: k.basis,
      ...(k.heldBy !== undefined ? { heldBy: k.heldBy } : {}),
      ...(k.heldBy !== undefined ? { heldByName: file.bodies.find((b) => b.code === k.heldBy)?.name } : {}),
      explanation: k.explanation,
      needs: k.needs,
      ...(k.provenBy !== undefined ? { provenBy: k.provenBy } : {}),
      ...(k.applicants !== undefined ? { applicants: k.applicants } : {}),
    }));

  it.each(defaultPolicies.map((p) => [p.policyVersion, p] as const))(
    '%s: the same JSON, key for key, as from the whole file',
    (_version, policy) => {
      const file = bundledPolicyFile(policy.policyVersion);
      const view = catalogueView(policy, defaultPolicies);
      expect(JSON.stringify(view.kinds)).toBe(JSON.stringify(fromFile(file)));
      expect(view.versions.map((v) => v.source)).toEqual(
        defaultPolicies.map((p) => bundledPolicyFile(p.policyVersion).source),
      );
    },
  );
});

describe('a missing or stray text fails loudly', () => {
  afterEach(() => {
    vi.doUnmock('#shared/policy/jilin-2016/decision.json');
    vi.doUnmock('#shared/policy/jilin-2016/catalogue.json');
    vi.doUnmock('#shared/policy/jilin-2016/certificates.json');
    vi.doUnmock('#shared/policy/jilin-2021/certificates.json');
    vi.doUnmock('#shared/policy/jilin-2021/decision.json');
    vi.resetModules();
  });

  /** Fresh policy, texts and bundled modules over the JSON files as given. */
  async function loadWith(files: Record<string, unknown>) {
    vi.resetModules();
    for (const [path, data] of Object.entries(files)) vi.doMock(path, () => ({ default: data }));
    return {
      policy: await import('#shared/policy/policy.ts'),
      texts: await import('#shared/policy/texts.ts'),
      bundled: await import('#shared/policy/bundled.ts'),
    };
  }

  it('a kind without its basis: at first use, naming the file and the kind; and in the full check', async () => {
    const kinds: Record<string, object> = structuredClone(decision2016.kinds);
    delete kinds.NAME_CHANGE;
    const m = await loadWith({ '#shared/policy/jilin-2016/decision.json': { ...decision2016, kinds } });
    const first = policyError(() => m.texts.decisionTexts(m.policy.jilin2016Policy), m.policy.PolicyError);
    expect(first.errors).toEqual([
      { path: 'jilin-2016/decision.json: kinds.NAME_CHANGE.basis', message: 'is missing' },
    ]);
    expect(() => m.bundled.checkBundledPolicies()).toThrow(/kinds\.NAME_CHANGE\.basis/);
    // The other groups do not need it: a bundle without the decision's texts never reads the file.
    expect(m.texts.noticeTexts(m.policy.jilin2016Policy).notices.appeal.zh).toContain('复核');
  });

  it('a kind a later version replaces must bring its own texts: none are inherited', async () => {
    const { CRIMINAL_RECORD: _, ...kinds } = decision2021.kinds;
    const m = await loadWith({ '#shared/policy/jilin-2021/decision.json': { ...decision2021, kinds } });
    expect(m.texts.decisionTexts(m.policy.jilin2016Policy).kinds.CRIMINAL_RECORD).toBeDefined();
    const e = policyError(() => m.texts.decisionTexts(m.policy.jilin2021Policy), m.policy.PolicyError);
    expect(e.errors.map((x) => x.path)).toContain('jilin-2021/decision.json: kinds.CRIMINAL_RECORD.basis');
  });

  it('a kind without its explanation: the catalogue fails, naming it', async () => {
    const kinds: Record<string, object> = structuredClone(catalogue2016.kinds);
    delete kinds.ALIVE;
    const m = await loadWith({ '#shared/policy/jilin-2016/catalogue.json': { ...catalogue2016, kinds } });
    expect(() => m.texts.catalogueTexts(m.policy.jilin2016Policy)).toThrow(
      /jilin-2016\/catalogue\.json: kinds\.ALIVE\.explanation: is missing/,
    );
  });

  it('an issuable kind without its form: certificate printing fails at first use, naming the file and the kind; and the full check', async () => {
    const kinds: Record<string, object> = structuredClone(certificates2016.kinds);
    delete kinds.NAME_CHANGE;
    const m = await loadWith({
      '#shared/policy/jilin-2016/certificates.json': { ...certificates2016, kinds },
    });
    const first = policyError(() => m.texts.certificateTexts(m.policy.jilin2016Policy), m.policy.PolicyError);
    expect(first.errors).toEqual([
      { path: 'jilin-2016/certificates.json: kinds.NAME_CHANGE.form', message: 'is missing' },
    ]);
    expect(() => m.bundled.checkBundledPolicies()).toThrow(/kinds\.NAME_CHANGE\.form/);
    // The written reply and the labels do not need it: a bundle without certificates never reads the file.
    expect(m.texts.documentTexts(m.policy.jilin2016Policy).documents.writtenReply.title.zh).toBeTruthy();
  });

  it('the certificate lines missing: at first use, naming the file; and in the full check', async () => {
    const { certificate: _, ...noLines } = certificates2016;
    const m = await loadWith({ '#shared/policy/jilin-2016/certificates.json': noLines });
    const e = policyError(() => m.texts.certificateTexts(m.policy.jilin2016Policy), m.policy.PolicyError);
    expect(e.errors).toEqual([{ path: 'jilin-2016/certificates.json: certificate', message: 'is missing' }]);
    expect(() => m.bundled.checkBundledPolicies()).toThrow(/jilin-2016\/certificates\.json: certificate/);
  });

  it('a kind a later version replaces must bring its own form: none is inherited', async () => {
    const m = await loadWith({ '#shared/policy/jilin-2021/certificates.json': { kinds: {} } });
    expect(m.texts.certificateTexts(m.policy.jilin2016Policy).kinds.CRIMINAL_RECORD?.form).toBeDefined();
    const e = policyError(() => m.texts.certificateTexts(m.policy.jilin2021Policy), m.policy.PolicyError);
    expect(e.errors.map((x) => x.path)).toEqual(['jilin-2021/certificates.json: kinds.CRIMINAL_RECORD.form']);
  });

  it('a rule without its wording: at first use and in the full check', async () => {
    const { INVESTIGATE: _, ...rules } = decision2016.rules;
    const m = await loadWith({ '#shared/policy/jilin-2016/decision.json': { ...decision2016, rules } });
    expect(() => m.texts.decisionTexts(m.policy.jilin2016Policy)).toThrow(/rules\.INVESTIGATE/);
    expect(() => m.bundled.checkBundledPolicies()).toThrow(/rules\.INVESTIGATE/);
  });

  it('a text of no kind (a misspelt code) fails the full check, naming the group and the code', async () => {
    const kinds = { ...decision2016.kinds, NAME_CHANGES: decision2016.kinds.NAME_CHANGE };
    const m = await loadWith({ '#shared/policy/jilin-2016/decision.json': { ...decision2016, kinds } });
    expect(() => m.bundled.checkBundledPolicies()).toThrow(
      /jilin-2016\/: decision: kinds\.NAME_CHANGES: is not a kind of the policy/,
    );
  });

  it('a text the full parse would change (trailing space) fails the full check', async () => {
    const kinds = structuredClone(decision2016.kinds) as Record<string, { basis: { zh: string } }>;
    kinds.IDENTITY!.basis.zh += ' ';
    const m = await loadWith({ '#shared/policy/jilin-2016/decision.json': { ...decision2016, kinds } });
    expect(() => m.bundled.checkBundledPolicies()).toThrow(/differs from its validated form/);
  });
});

it('the shipped folders are valid in full', () => {
  expect(() => checkBundledPolicies()).not.toThrow();
  expect(catalogueTexts(jilin2016Policy).review?.reviewed).toBe(51);
});
