/**
 * The catalogue as GET /v1/catalogue shows it (`catalogueView`). Its own module: it reads the decision's
 * texts and the catalogue's (shared/policy/texts.ts), which only GetCatalogue and the pages need.
 */
import type { Bilingual, Treatment } from '#shared/domain/types.ts';
import { applicantsWithBasis, type Body, bodyOf, type Policy, type PolicyFileKind } from './policy.ts';
import { catalogueTexts, decisionTexts } from './texts.ts';

/**
 * The catalogue as GET /v1/catalogue shows it: docs/api.md's fields (`code`, `name`, `treatment`, `ruleId`,
 * `basis`, `heldBy`) plus, as extensions for forms and pages, the holder's name, the explanation, which
 * fields the kind needs, the proving document, the applicant rules, the bodies, purposes and service standard.
 * Throws `PolicyError` when a version has no decision or catalogue texts (shared/policy/texts.ts).
 */
export function catalogueView(
  policy: Policy,
  versions: readonly Policy[] = [policy],
): {
  policyVersion: string;
  effectiveFrom: string;
  /** Every version the stack decides with, oldest first, and which one is in force now. */
  versions: {
    policyVersion: string;
    province: string;
    effectiveFrom: string;
    name: Bilingual;
    source: Bilingual;
    inForce: boolean;
  }[];
  kinds: {
    code: string;
    name: Bilingual;
    treatment: Treatment;
    ruleId: string;
    basis: Bilingual;
    heldBy?: string;
    heldByName?: Bilingual;
    explanation: Bilingual;
    needs: { relatedPerson: boolean; event: boolean };
    provenBy?: Bilingual;
    /** Each applicant rule with the clause behind it, where there is one. */
    applicants?: PolicyFileKind['applicants'];
  }[];
  /** Connected departments (rule 5) and the other bodies, with names. */
  bodies: Body[];
  purposes: { code: string; name: Bilingual }[];
  service: Policy['service'];
} {
  const decision = decisionTexts(policy);
  const catalogue = catalogueTexts(policy);
  return {
    policyVersion: policy.policyVersion,
    effectiveFrom: policy.effectiveFrom,
    versions: [...versions]
      .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom))
      .map((v) => ({
        policyVersion: v.policyVersion,
        province: v.province,
        effectiveFrom: v.effectiveFrom,
        name: v.name,
        source: decisionTexts(v).source,
        inForce: v.policyVersion === policy.policyVersion,
      })),
    kinds: policy.kinds.map((k) => ({
      code: k.code,
      name: k.name,
      treatment: k.treatment,
      ruleId: k.ruleId,
      basis: decision.kinds[k.code]?.basis as Bilingual,
      ...(k.heldBy !== undefined ? { heldBy: k.heldBy } : {}),
      ...(k.heldBy !== undefined && bodyOf(policy, k.heldBy)
        ? { heldByName: bodyOf(policy, k.heldBy)!.name }
        : {}),
      explanation: catalogue.kinds[k.code]?.explanation as Bilingual,
      needs: k.needs,
      ...(k.provenBy !== undefined ? { provenBy: k.provenBy } : {}),
      ...(k.applicants !== undefined
        ? { applicants: applicantsWithBasis(k.applicants, decision.kinds[k.code]?.applicants) }
        : {}),
    })),
    bodies: policy.bodies,
    purposes: policy.purposes,
    service: policy.service,
  };
}
