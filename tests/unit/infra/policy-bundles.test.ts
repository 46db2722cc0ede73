/**
 * Issue 16: a Lambda bundle carries only the policy texts its code reaches (shared/policy/texts.ts), and no
 * policy file schema (the shipped policies are validated at synth). Bundles built as infra/bundling.ts and
 * CDK build them.
 */
import { expect, it } from 'vitest';
import certificates2016 from '#shared/policy/jilin-2016/certificates.json' with { type: 'json' };
import decision2016 from '#shared/policy/jilin-2016/decision.json' with { type: 'json' };
import { buildFunctionBundle } from '#tests/helpers/bundle.ts';

const bundle = (name: string) => buildFunctionBundle(name);

/** The text groups (`decision`, `notices`, `documents`, `certificates`, `catalogue`) whose JSON files a bundle includes. */
const groups = (inputs: string[]) =>
  [...new Set(inputs.flatMap((p) => p.match(/^shared\/policy\/jilin-\d{4}\/(\w+)\.json$/)?.slice(1) ?? []))]
    .filter((g) => g !== 'policy')
    .sort();

it('each bundle carries the policy data, and only the texts its code reaches', async () => {
  const [deadLetter, catalogue, checkRules, issueCertificate] = await Promise.all([
    bundle('RecordDeadLetter'),
    bundle('GetCatalogue'),
    bundle('CheckRules'),
    bundle('IssueCertificate'),
  ]);
  for (const b of [deadLetter, catalogue, checkRules, issueCertificate]) {
    expect(b.inputs).toContain('shared/policy/jilin-2016/policy.json');
    expect(b.inputs).toContain('shared/policy/jilin-2021/policy.json');
    expect(b.code).not.toContain('must be an upper-case code like NAME_CHANGE');
  }
  expect(groups(deadLetter.inputs)).toEqual([]);
  expect(deadLetter.code).not.toContain(decision2016.kinds.IDENTITY.basis.zh);
  // The catalogue shows each kind's basis and applicant clauses (decision) and explanation (catalogue).
  expect(groups(catalogue.inputs)).toEqual(['catalogue', 'decision']);
  // The rule check cites the decision's texts, sends the accepted SMS, writes the written reply (documents);
  // it prints no certificate, so it carries no form (certificates).
  expect(groups(checkRules.inputs)).toEqual(['decision', 'documents', 'notices']);
  expect(checkRules.code).toContain(decision2016.kinds.IDENTITY.basis.zh);
  expect(checkRules.code).not.toContain(certificates2016.kinds.NAME_CHANGE.form.statement.zh);
  expect(checkRules.code).not.toContain(certificates2016.certificate.confirmed.zh);
  // Certificate printing carries the certificate's texts (forms, lines) and the labels it fills them with.
  expect(groups(issueCertificate.inputs)).toContain('certificates');
  expect(groups(issueCertificate.inputs)).toContain('documents');
  expect(issueCertificate.code).toContain(certificates2016.kinds.NAME_CHANGE.form.statement.zh);
}, 90_000);
