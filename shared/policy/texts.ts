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
 * The group's texts of each shipped version, by version: the base's, or a later version's base with its
 * changes applied (`source`, `review`, `notices`, `messages`, `documents`, `certificate` replaced; `rules`
 * replaced by key; `kinds` by code — the texts of a kind the version replaces are its own, none inherited). Memoized.
 */
function shipped<G extends object>(
  group: TextGroup,
  files: GroupFiles<G>,
  check: (texts: G, policy: Policy, file: string) => void,
): (version: string) => G | undefined {
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
  return load;
}

/** Throws `PolicyError` listing `missing` (paths in `file`), if any. */
function outline(file: string, missing: string[]): void {
  if (missing.length > 0) {
    throw new PolicyError(missing.map((path) => ({ path: `${file}: ${path}`, message: 'is missing' })));
  }
}

/** A kind whose texts in `kinds` lack `field`: `kinds.<code>.<field>`. */
const kindsWithout = (policy: Policy, kinds: Record<string, object> | undefined, field: string) =>
  policy.kinds.filter((k) => !(field in (kinds?.[k.code] ?? {}))).map((k) => `kinds.${k.code}.${field}`);

function textsOf<G>(policy: Policy, group: TextGroup, bundled: (version: string) => G | undefined): G {
  const own = policy.texts?.[group] as G | undefined;
  const texts = own ?? bundled(policy.policyVersion);
  if (texts === undefined) {
    throw new PolicyError([
      {
        path: group,
        message: `policy ${policy.policyVersion} has no ${group} texts (parse a policy file with parsePolicy)`,
      },
    ]);
  }
  return texts;
}

const decision = /* @__PURE__ */ shipped<DecisionTexts>(
  'decision',
  { 'jilin-2016': jilin2016Decision as never, 'jilin-2021': jilin2021Decision as never },
  (t, policy, file) => {
    const rules = Object.keys(policy.rules).flatMap((key) => {
      const w = t.rules?.[key as (typeof RULE_KEYS)[number]];
      return w?.reason && w.guidance ? [] : [`rules.${key}`];
    });
    const committing = { ...policy, kinds: policy.kinds.filter((k) => k.commitment) };
    outline(file, [
      ...(t.source ? [] : ['source']),
      ...rules,
      ...kindsWithout(policy, t.kinds, 'basis'),
      ...kindsWithout(committing, t.kinds, 'commitment'),
    ]);
  },
);
/**
 * The decision's texts of `policy`: `rules` (reason, guidance, basis by rule key), each kind's `basis`,
 * applicant clauses and commitment text (by kind code), and the `source`. Throws `PolicyError` (see the
 * module comment).
 */
export function decisionTexts(policy: Policy): DecisionTexts {
  return textsOf(policy, 'decision', decision);
}

const notices = /* @__PURE__ */ shipped<NoticeTexts>(
  'notices',
  { 'jilin-2016': jilin2016Notices as never },
  (t, _policy, file) =>
    outline(file, [
      ...(t.notices?.appeal ? [] : ['notices.appeal']),
      ...(t.messages?.accepted ? [] : ['messages']),
    ]),
);
/** The texts sent or said after the decision: `notices` (appeal, warning, escalated) and the SMS `messages`. */
export function noticeTexts(policy: Policy): NoticeTexts {
  return textsOf(policy, 'notices', notices);
}

const documents = /* @__PURE__ */ shipped<DocumentTexts>(
  'documents',
  { 'jilin-2016': jilin2016Documents as never },
  (t, _policy, file) =>
    outline(file, [
      ...(t.documents?.writtenReply ? [] : ['documents.writtenReply']),
      ...(t.documents?.labels ? [] : ['documents.labels']),
    ]),
);
/** The written reply's texts and the value labels: `documents` (`writtenReply`, `labels`). */
export function documentTexts(policy: Policy): DocumentTexts {
  return textsOf(policy, 'documents', documents);
}

const certificates = /* @__PURE__ */ shipped<CertificateTexts>(
  'certificates',
  { 'jilin-2016': jilin2016Certificates as never, 'jilin-2021': jilin2021Certificates as never },
  (t, policy, file) =>
    outline(file, [
      ...(t.certificate ? [] : ['certificate']),
      ...kindsWithout(
        { ...policy, kinds: policy.kinds.filter((k) => k.treatment === 'ISSUABLE') },
        t.kinds,
        'form',
      ),
      ...kindsWithout({ ...policy, kinds: policy.kinds.filter((k) => k.validity) }, t.kinds, 'validity'),
    ]),
);
/**
 * The certificate's texts: `certificate` (the lines every certificate shares: confirmed, findings, purpose,
 * validity, issuer) and, by kind code, each issuable kind's `form` and a kind's `validity` source.
 */
export function certificateTexts(policy: Policy): CertificateTexts {
  return textsOf(policy, 'certificates', certificates);
}

const catalogue = /* @__PURE__ */ shipped<CatalogueTexts>(
  'catalogue',
  { 'jilin-2016': jilin2016Catalogue as never, 'jilin-2021': jilin2021Catalogue as never },
  (t, policy, file) => outline(file, kindsWithout(policy, t.kinds, 'explanation')),
);
/** What only the catalogue shows: each kind's `explanation`, and the `review` behind the catalogue. */
export function catalogueTexts(policy: Policy): CatalogueTexts {
  return textsOf(policy, 'catalogue', catalogue);
}

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
