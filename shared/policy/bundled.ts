/**
 * The policy versions shipped with certflow as whole policy files, and their full validation. Not for the
 * Lambdas' code (it gathers every text group): the tests, CDK synth and bench:bundles
 * (infra/bundling.ts `checkBundledData`) use it.
 */
import { isDeepStrictEqual } from 'node:util';
import {
  BUNDLED_POLICY_DATA,
  defaultPolicies,
  derivePolicy,
  joinPolicy,
  type Policy,
  type PolicyChanges,
  PolicyError,
  type PolicyFile,
  parsePolicy,
} from './policy.ts';
import { policyTexts } from './texts.ts';

/**
 * The policy file (`PolicyFile`: data and texts in one document) of a shipped version, assembled from its
 * folder (`shared/policy/<version>/`): what `parsePolicy` would be given if it were one file. Not
 * validated. Throws `PolicyError` for an unknown version, a missing text group or a text of no kind.
 */
export function bundledPolicyFile(version: string): PolicyFile {
  const policy = defaultPolicies.find((p) => p.policyVersion === version);
  if (policy === undefined) throw new PolicyError([{ path: '', message: `no shipped policy ${version}` }]);
  return joinPolicy(policy, policyTexts(policy));
}

/**
 * A later shipped version as a policy file of changes (`PolicyChanges`: `derivePolicy`'s input), assembled
 * from its folder; throws `PolicyError` when the version is not a change of another.
 */
export function bundledPolicyChanges(version: string): PolicyChanges {
  const entry = BUNDLED_POLICY_DATA.find((v) => v.version === version);
  if (entry === undefined || !('extends' in entry.data)) {
    throw new PolicyError([{ path: '', message: `${version} is not a shipped change of another version` }]);
  }
  const changes = entry.data;
  const full = bundledPolicyFile(version);
  const fullKind = (code: string) => {
    const k = full.kinds.find((x) => x.code === code);
    if (k === undefined) throw new PolicyError([{ path: `kinds.${code}`, message: 'is missing' }]);
    return k;
  };
  return {
    extends: changes.extends,
    policyVersion: changes.policyVersion,
    effectiveFrom: changes.effectiveFrom,
    name: changes.name,
    source: full.source,
    ...(changes.service ? { service: changes.service } : {}),
    ...(changes.rules
      ? {
          rules: Object.fromEntries(Object.keys(changes.rules).map((key) => [key, full.rules[key as never]])),
        }
      : {}),
    ...(changes.kinds ? { kinds: changes.kinds.map((k) => fullKind(k.code)) } : {}),
  };
}

/**
 * Validates every shipped version in full: its folder assembled into a policy file and parsed
 * (`parsePolicy`; a later version: `derivePolicy` over its parsed base), then checked to be exactly what
 * the Lambdas load — the data (`defaultPolicies`) and every text group (`policyTexts`; nothing the parse
 * would trim or change). Throws `PolicyError` listing every bad path, prefixed with the version's folder.
 */
export function checkBundledPolicies(): void {
  const parsed = new Map<string, Policy>();
  for (const { version, data } of BUNDLED_POLICY_DATA) {
    const folder = `${version}/`;
    let policy: Policy;
    try {
      if ('extends' in data) {
        const base = parsed.get(data.extends);
        if (base === undefined)
          throw new PolicyError([{ path: 'extends', message: `no version ${data.extends}` }]);
        policy = derivePolicy(base, bundledPolicyChanges(version));
      } else policy = parsePolicy(bundledPolicyFile(version));
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      throw new PolicyError(
        e.errors.map((x) => ({ ...x, path: `${folder}: ${x.path}` })),
        { cause: e },
      );
    }
    parsed.set(version, policy);
    const loaded = defaultPolicies.find((p) => p.policyVersion === version);
    const { texts, ...policyData } = policy;
    if (
      loaded === undefined ||
      !isDeepStrictEqual(policyData, loaded) ||
      !isDeepStrictEqual(texts, policyTexts(loaded))
    ) {
      throw new PolicyError([
        {
          path: folder,
          message: 'differs from its validated form (e.g. text with leading or trailing spaces)',
        },
      ]);
    }
  }
}
