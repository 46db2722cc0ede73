/**
 * The texts of a policy, by group (`PolicyTexts` in policy.ts): `decisionTexts` (CheckRules, Decide,
 * GetCatalogue), `noticeTexts` (SMS, warning, escalation, appeal), `documentTexts` (written replies, value
 * labels), `certificateTexts` (the certificate lines, each kind's form and validity source: only where a
 * certificate is printed) and `catalogueTexts` (explanations, the review). A policy parsed from a policy
 * file carries its own (`Policy.texts`); the versions shipped with certflow take theirs from their folder
 * (`shared/policy/<version>/<group>.json`), imported here, each group by its own function — so a Lambda
 * bundle carries a group's JSON only where its code calls that function (issue 16; esbuild drops the rest).
 *
 * A shipped version's group is checked in outline on first use (every kind and rule has its text; a later
 * version's changes applied to its base's texts); every text is validated in full by `checkBundledPolicies`
 * (shared/policy/bundled.ts) in the tests, at CDK synth and in bench:bundles. Throws `PolicyError` naming the
 * file and the missing text, or the version when a policy has neither its own texts nor shipped ones.
 */
import jilin2016Catalogue from './jilin-2016/catalogue.json' with { type: 'json' };
import jilin2016Certificates from './jilin-2016/certificates.json' with { type: 'json' };
import jilin2016Decision from './jilin-2016/decision.json' with { type: 'json' };
import jilin2016Documents from './jilin-2016/documents.json' with { type: 'json' };
import jilin2016Notices from './jilin-2016/notices.json' with { type: 'json' };
import jilin2021Catalogue from './jilin-2021/catalogue.json' with { type: 'json' };
import jilin2021Certificates from './jilin-2021/certificates.json' with { type: 'json' };
import jilin2021Decision from './jilin-2021/decision.json' with { type: 'json' };
import {
  BUNDLED_POLICY_DATA,
  type CatalogueTexts,
  type CertificateTexts,
  type DecisionTexts,
  type DocumentTexts,
  defaultPolicies,
  type NoticeTexts,
  type Policy,
  PolicyError,
  type PolicyTexts,
  type RULE_KEYS,
  type TextGroup,
} from './policy.ts';

/** A version's file of one group: the whole group, or for a later version its changes (absent: none). */
type GroupFiles<G> = Readonly<Record<string, Partial<G> | undefined>>;

/**
 * A group's reader, `(policy) => texts`: the policy's own texts (`Policy.texts`), else the group's texts of the
 * shipped version — the base's, or a later version's base with its changes applied (`source`, `review`,
 * `notices`, `messages`, `documents`, `certificate` replaced; `rules` replaced by key; `kinds` by code — the
 * texts of a kind the version replaces are its own, none inherited), checked by `check` on first use and
 * memoized. Throws `PolicyError` when a policy has neither.
 */
function textGroup<G extends object>(
  group: TextGroup,
  files: GroupFiles<G>,
  check: (texts: G, policy: Policy, file: string) => void,
): (policy: Policy) => G {
  const loaded = new Map<string, G>();
  const load = (version: string): G | undefined => {
    const known = loaded.get(version);
    if (known !== undefined) return known;
    const entry = BUNDLED_POLICY_DATA.find((v) => v.version === version);
    const policy = defaultPolicies.find((p) => p.policyVersion === version);
    if (entry === undefined || policy === undefined) return undefined;
    const own = (files[version] ?? {}) as Partial<G> & {
      rules?: Record<string, unknown>;
      kinds?: Record<string, unknown>;
    };
    let texts: G;
    if ('extends' in entry.data) {
      const base = load(entry.data.extends) as
        | (G & { rules?: Record<string, unknown>; kinds?: Record<string, unknown> })
        | undefined;
      if (base === undefined) return undefined;
      const replaced = new Set((entry.data.kinds ?? []).map((k) => k.code));
      const kinds = Object.fromEntries(Object.entries(base.kinds ?? {}).filter(([c]) => !replaced.has(c)));
      texts = {
        ...base,
        ...own,
        ...(base.rules !== undefined ? { rules: { ...base.rules, ...own.rules } } : {}),
        ...(base.kinds !== undefined ? { kinds: { ...kinds, ...own.kinds } } : {}),
      };
    } else texts = own as G;
    check(texts, policy, `${version}/${group}.json`);
    loaded.set(version, texts);
    return texts;
  };
  return (policy) => {
    const texts = (policy.texts?.[group] as G | undefined) ?? load(policy.policyVersion);
    if (texts === undefined) {
      throw new PolicyError([
        {
          path: group,
          message: `policy ${policy.policyVersion} has no ${group} texts (parse a policy file with parsePolicy)`,
        },
      ]);
    }
    return texts;
  };
}

/** Throws `PolicyError` listing `missing` (paths in `file`), if any. */
function outline(file: string, missing: string[]): void {
  if (missing.length > 0) {
    throw new PolicyError(missing.map((path) => ({ path: `${file}: ${path}`, message: 'is missing' })));
  }
}

/** The kinds of `kinds` whose texts in `texts` lack `field`: `kinds.<code>.<field>`. */
const kindsWithout = (
  kinds: readonly Policy['kinds'][number][],
  texts: Record<string, object> | undefined,
  field: string,
) => kinds.filter((k) => !(field in (texts?.[k.code] ?? {}))).map((k) => `kinds.${k.code}.${field}`);

/**
 * The decision's texts of `policy`: `rules` (reason, guidance, basis by rule key), each kind's `basis`,
 * applicant clauses and commitment text (by kind code), and the `source`. Throws `PolicyError` (see the
 * module comment).
 */
export const decisionTexts = /* @__PURE__ */ textGroup<DecisionTexts>(
  'decision',
  { 'jilin-2016': jilin2016Decision as never, 'jilin-2021': jilin2021Decision as never },
  (t, policy, file) => {
    const rules = Object.keys(policy.rules).flatMap((key) => {
      const w = t.rules?.[key as (typeof RULE_KEYS)[number]];
      return w?.reason && w.guidance ? [] : [`rules.${key}`];
    });
    outline(file, [
      ...(t.source ? [] : ['source']),
      ...rules,
      ...kindsWithout(policy.kinds, t.kinds, 'basis'),
      ...kindsWithout(
        policy.kinds.filter((k) => k.commitment),
        t.kinds,
        'commitment',
      ),
    ]);
  },
);

/** The texts sent or said after the decision: `notices` (appeal, warning, escalated) and the SMS `messages`. */
export const noticeTexts = /* @__PURE__ */ textGroup<NoticeTexts>(
  'notices',
  { 'jilin-2016': jilin2016Notices as never },
  (t, _policy, file) =>
    outline(file, [
      ...(t.notices?.appeal ? [] : ['notices.appeal']),
      ...(t.messages?.accepted ? [] : ['messages']),
    ]),
);

/** The written reply's texts and the value labels: `documents` (`writtenReply`, `labels`). */
export const documentTexts = /* @__PURE__ */ textGroup<DocumentTexts>(
  'documents',
  { 'jilin-2016': jilin2016Documents as never },
  (t, _policy, file) =>
    outline(file, [
      ...(t.documents?.writtenReply ? [] : ['documents.writtenReply']),
      ...(t.documents?.labels ? [] : ['documents.labels']),
    ]),
);

/**
 * The certificate's texts: `certificate` (the lines every certificate shares: confirmed, findings, purpose,
 * validity, issuer) and, by kind code, each issuable kind's `form` and a kind's `validity` source.
 */
export const certificateTexts = /* @__PURE__ */ textGroup<CertificateTexts>(
  'certificates',
  { 'jilin-2016': jilin2016Certificates as never, 'jilin-2021': jilin2021Certificates as never },
  (t, policy, file) =>
    outline(file, [
      ...(t.certificate ? [] : ['certificate']),
      ...kindsWithout(
        policy.kinds.filter((k) => k.treatment === 'ISSUABLE'),
        t.kinds,
        'form',
      ),
      ...kindsWithout(
        policy.kinds.filter((k) => k.validity),
        t.kinds,
        'validity',
      ),
    ]),
);

/** What only the catalogue shows: each kind's `explanation`, and the `review` behind the catalogue. */
export const catalogueTexts = /* @__PURE__ */ textGroup<CatalogueTexts>(
  'catalogue',
  { 'jilin-2016': jilin2016Catalogue as never, 'jilin-2021': jilin2021Catalogue as never },
  (t, policy, file) => outline(file, kindsWithout(policy.kinds, t.kinds, 'explanation')),
);

/** Every text group of `policy` (the tests, `checkBundledPolicies`; a Lambda asks only for its groups). */
export function policyTexts(policy: Policy): PolicyTexts {
  return {
    decision: decisionTexts(policy),
    notices: noticeTexts(policy),
    documents: documentTexts(policy),
    certificates: certificateTexts(policy),
    catalogue: catalogueTexts(policy),
  };
}
