/**
 * A policy is data: the catalogue of proof kinds with their treatment and rule ids, the bodies (and which
 * are connected for exchange), the purposes, the service standard (5 working days, warning, escalation)
 * and the bilingual texts of every rule of the decision order. The decision ORDER is code
 * (`shared/domain/rules.ts`, DOMAIN.md); everything it consults is here. Another province, or Jilin after a
 * later reform, is another JSON file parsed by `parsePolicy` — no code change.
 */
import { z } from 'zod';
import { fieldErrors, summarize } from '#shared/domain/errors.ts';
import {
  APPLICANT_KINDS,
  type ApplicantKind,
  type Bilingual,
  EXCHANGE_QUESTIONS,
  type ExchangeQuestion,
  type Locale,
  type ProofCode,
  TREATMENTS,
  type Treatment,
} from '#shared/domain/types.ts';
import jilin2016 from './jilin-2016.json' with { type: 'json' };

/** Keys of the rules of DOMAIN.md's decision order (plus the fallback for a kind outside the catalogue). */
export const RULE_KEYS = [
  'PROVABLE_BY_HUKOU',
  'NOT_POLICE_INFORMATION',
  'NO_LEGAL_BASIS',
  'KINSHIP_ONE_HOUSEHOLD',
  'ANSWERED_BY_EXCHANGE',
  'EXCHANGE_ONLY_NOT_CONNECTED',
  'APPLICANT_NOT_ENTITLED',
  'ISSUE_ON_THE_SPOT',
  'INVESTIGATE',
  'NOT_IN_CATALOGUE',
] as const;
export type RuleKey = (typeof RULE_KEYS)[number];

/** Which registry fact supports a kind (rule 7), and what an exchange (rule 5) can answer from. */
export const REGISTRY_CHECKS = [
  'NAME_CHANGE',
  'GENDER_CHANGE',
  'CANCELLATION',
  'KINSHIP_LINK',
  'CRIMINAL_RECORD',
  'INCIDENT_CONCLUDED',
  'ON_RECORD',
  'ALIVE',
] as const;
export type RegistryCheck = (typeof REGISTRY_CHECKS)[number];

/** Where the competent station comes from. */
export const STATION_RULES = ['HUKOU', 'INCIDENT', 'AREA'] as const;
export type StationRule = (typeof STATION_RULES)[number];

/** Fallbacks, in order, when the kind's station rule finds no station (e.g. the subject is not on record). */
export const STATION_FALLBACKS = ['RELATED_PERSON_HUKOU', 'APPLICANT_HUKOU', 'REGISTRY_FIRST'] as const;
export type StationFallback = (typeof STATION_FALLBACKS)[number];

export const INCIDENT_KINDS = ['UNNATURAL_DEATH', 'ABANDONED_INFANT', 'TRAFFICKED_CHILD'] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Who may apply. `selfMustBe`: a SELF applicant must be one of these people (absent: anyone). */
export interface ApplicantRule {
  allowed: ApplicantKind[];
  selfMustBe?: ('SUBJECT' | 'RELATED_PERSON')[];
  /** The clause behind this rule, cited when it declines. */
  basis?: Bilingual;
}

export interface CatalogueKind {
  code: ProofCode;
  name: Bilingual;
  treatment: Treatment;
  /** The rule that governs this kind (for declined kinds, the principle; for issuable ones, its clause). */
  ruleId: string;
  /** The principle or clause it rests on. */
  basis: Bilingual;
  /** Plain explanation for citizens. */
  explanation: Bilingual;
  /** The body that holds the fact (policy body code). */
  heldBy?: string;
  /** For PROVABLE_BY_HUKOU: the document that proves it. */
  provenBy?: Bilingual;
  /** For ISSUABLE: how the competent station is found. */
  station?: StationRule;
  /** For ISSUABLE and EXCHANGE: the registry fact that supports it. */
  registryCheck?: RegistryCheck;
  /** For INCIDENT_CONCLUDED: which incident kind. */
  incidentKind?: IncidentKind;
  /** The exchange question a connected department's request is answered with (rule 5). */
  exchange?: { question: ExchangeQuestion };
  /** For ISSUABLE: who may apply, by default and per purpose code. */
  applicants?: { default: ApplicantRule; byPurpose?: Record<string, ApplicantRule> };
  needs: { relatedPerson: boolean; event: boolean };
  /** For TEMPORARY_IDENTITY-like kinds: validity of the certificate in days. */
  validityDays?: number;
  /**
   * Bodies consulted when a request of this kind is investigated (besides the asking body, if
   * connected): the connected ones among them are sent the investigation and may report its finding.
   */
  consults?: string[];
}

export interface Body {
  code: string;
  name: Bilingual;
  /** Connected for information exchange (rule 5). */
  connected: boolean;
}

export interface RuleText {
  id: string;
  reason: Bilingual;
  guidance: Bilingual;
  /** The clause the rule itself rests on (otherwise the kind's basis is cited). */
  basis?: Bilingual;
}

export interface Policy {
  policyVersion: string;
  name: Bilingual;
  /** Where the policy comes from (the notice, the national opinion). */
  source: Bilingual;
  service: {
    /** Investigation deadline: working days after the day of acceptance. */
    investigationWorkingDays: number;
    /** Warning this many working days before the deadline. */
    warnWorkingDaysBefore: number;
    /** Each escalation level waits this many working days. */
    escalationIntervalWorkingDays: number;
  };
  stationFallback: StationFallback[];
  bodies: Body[];
  purposes: { code: string; name: Bilingual }[];
  rules: Record<RuleKey, RuleText>;
  /** Texts for what happens after the decision (investigation findings, warning, escalation). */
  notices: {
    /** How to appeal a refusal or complain (刚性问责: 应开不开、吃拿卡要、故意为难). */
    appeal: Bilingual;
    /** Warning to the station one working day before the deadline; `{deadline}`. */
    warning: Bilingual;
    /** Escalation to a supervisor; `{level}`, `{deadline}` (the next one). */
    escalated: Bilingual;
  };
  kinds: CatalogueKind[];
}

export class PolicyError extends Error {
  override name = 'PolicyError';
  readonly errors: { path: string; message: string }[];
  constructor(errors: { path: string; message: string }[], options?: { cause?: unknown }) {
    super(`invalid policy: ${summarize(errors)}`, options);
    this.errors = errors;
  }
}

const text = z.string().trim().min(1).max(2000);
const bilingual = z.object({ zh: text, en: text }).strict();
const code = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case code like NAME_CHANGE')
  .max(64);

const applicantRule = z
  .object({
    allowed: z.array(z.enum(APPLICANT_KINDS)).min(1),
    selfMustBe: z
      .array(z.enum(['SUBJECT', 'RELATED_PERSON']))
      .min(1)
      .optional(),
    basis: bilingual.optional(),
  })
  .strict();

const kindSchema = z
  .object({
    code,
    name: bilingual,
    treatment: z.enum(TREATMENTS),
    ruleId: z.string().min(1).max(200),
    basis: bilingual,
    explanation: bilingual,
    heldBy: code.optional(),
    provenBy: bilingual.optional(),
    station: z.enum(STATION_RULES).optional(),
    registryCheck: z.enum(REGISTRY_CHECKS).optional(),
    incidentKind: z.enum(INCIDENT_KINDS).optional(),
    exchange: z
      .object({ question: z.enum(EXCHANGE_QUESTIONS) })
      .strict()
      .optional(),
    applicants: z
      .object({ default: applicantRule, byPurpose: z.record(code, applicantRule).optional() })
      .strict()
      .optional(),
    needs: z.object({ relatedPerson: z.boolean(), event: z.boolean() }).strict(),
    validityDays: z.number().int().min(1).max(3650).optional(),
    consults: z.array(code).max(20).optional(),
  })
  .strict()
  .superRefine((k, ctx) => {
    const need = (cond: boolean, path: string, message: string) => {
      if (!cond) ctx.addIssue({ code: 'custom', path: [path], message });
    };
    if (k.treatment === 'ISSUABLE') {
      need(k.station !== undefined, 'station', 'is required for an ISSUABLE kind');
      need(k.registryCheck !== undefined, 'registryCheck', 'is required for an ISSUABLE kind');
      need(k.applicants !== undefined, 'applicants', 'is required for an ISSUABLE kind');
    }
    if (k.treatment === 'EXCHANGE') {
      need(k.exchange !== undefined, 'exchange', 'is required for an EXCHANGE kind');
      need(k.registryCheck !== undefined, 'registryCheck', 'is required for an EXCHANGE kind');
    }
    if (k.treatment === 'NOT_POLICE_INFORMATION') {
      need(k.heldBy !== undefined, 'heldBy', 'is required for a NOT_POLICE_INFORMATION kind');
    }
    if (k.treatment === 'PROVABLE_BY_HUKOU') {
      need(k.provenBy !== undefined, 'provenBy', 'is required for a PROVABLE_BY_HUKOU kind');
    }
    if (k.registryCheck === 'INCIDENT_CONCLUDED') {
      need(
        k.incidentKind !== undefined,
        'incidentKind',
        'is required when registryCheck is INCIDENT_CONCLUDED',
      );
      need(k.needs.event, 'needs', 'an incident kind needs the event (needs.event: true)');
    }
    if (k.station === 'INCIDENT') {
      need(k.incidentKind !== undefined, 'incidentKind', 'is required when station is INCIDENT');
    }
    if (k.registryCheck === 'KINSHIP_LINK') {
      need(
        k.needs.relatedPerson,
        'needs',
        'a kinship kind needs the related person (needs.relatedPerson: true)',
      );
    }
  });

const ruleText = z
  .object({
    id: z.string().min(1).max(200),
    reason: bilingual,
    guidance: bilingual,
    basis: bilingual.optional(),
  })
  .strict();

export const PolicySchema = z
  .object({
    policyVersion: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, dot, dash or underscore')
      .max(64),
    name: bilingual,
    source: bilingual,
    service: z
      .object({
        investigationWorkingDays: z.number().int().min(1).max(60),
        warnWorkingDaysBefore: z.number().int().min(0).max(59),
        escalationIntervalWorkingDays: z.number().int().min(1).max(60),
      })
      .strict(),
    stationFallback: z.array(z.enum(STATION_FALLBACKS)).min(1),
    bodies: z.array(z.object({ code, name: bilingual, connected: z.boolean() }).strict()).min(1),
    purposes: z.array(z.object({ code, name: bilingual }).strict()).min(1),
    rules: z.object(
      Object.fromEntries(RULE_KEYS.map((k) => [k, ruleText])) as Record<RuleKey, typeof ruleText>,
    ),
    notices: z.object({ appeal: bilingual, warning: bilingual, escalated: bilingual }).strict(),
    kinds: z.array(kindSchema).min(1),
  })
  .strict()
  .superRefine((p, ctx) => {
    const bodies = new Set(p.bodies.map((b) => b.code));
    const purposes = new Set(p.purposes.map((x) => x.code));
    const seen = new Set<string>();
    p.bodies.forEach((b, i) => {
      if (p.bodies.findIndex((o) => o.code === b.code) !== i) {
        ctx.addIssue({ code: 'custom', path: ['bodies', i, 'code'], message: `duplicate body ${b.code}` });
      }
    });
    if (p.service.warnWorkingDaysBefore >= p.service.investigationWorkingDays) {
      ctx.addIssue({
        code: 'custom',
        path: ['service', 'warnWorkingDaysBefore'],
        message: 'must be less than investigationWorkingDays',
      });
    }
    p.kinds.forEach((k, i) => {
      if (seen.has(k.code)) {
        ctx.addIssue({ code: 'custom', path: ['kinds', i, 'code'], message: `duplicate kind ${k.code}` });
      }
      seen.add(k.code);
      if (k.heldBy !== undefined && !bodies.has(k.heldBy)) {
        ctx.addIssue({ code: 'custom', path: ['kinds', i, 'heldBy'], message: `unknown body ${k.heldBy}` });
      }
      (k.consults ?? []).forEach((c, j) => {
        if (!bodies.has(c))
          ctx.addIssue({ code: 'custom', path: ['kinds', i, 'consults', j], message: `unknown body ${c}` });
      });
      for (const purpose of Object.keys(k.applicants?.byPurpose ?? {})) {
        if (!purposes.has(purpose)) {
          ctx.addIssue({
            code: 'custom',
            path: ['kinds', i, 'applicants', 'byPurpose', purpose],
            message: `unknown purpose ${purpose}`,
          });
        }
      }
    });
  });

/** Validates policy data; throws `PolicyError` listing every bad path (e.g. `kinds.3.treatment`). */
export function parsePolicy(data: unknown): Policy {
  const r = PolicySchema.safeParse(data);
  if (!r.success) {
    throw new PolicyError(fieldErrors(r.error), { cause: r.error });
  }
  return r.data as Policy;
}

/** The default policy: Jilin, 2016 (`shared/policy/jilin-2016.json`). */
export const defaultPolicy: Policy = parsePolicy(jilin2016);

/** The kind with this code, or undefined. */
export function kindOf(policy: Policy, proof: ProofCode): CatalogueKind | undefined {
  return policy.kinds.find((k) => k.code === proof);
}

export function bodyOf(policy: Policy, bodyCode: string): Body | undefined {
  return policy.bodies.find((b) => b.code === bodyCode);
}

export function isConnected(policy: Policy, bodyCode: string): boolean {
  return bodyOf(policy, bodyCode)?.connected === true;
}

/**
 * The connected bodies an investigation of `proof` asked for by `askedBy` is dispatched to: the asking
 * body, then the kind's `consults`, connected ones only, each once. Only these may report its finding.
 */
export function investigatedBy(policy: Policy, proof: ProofCode, askedBy: string): string[] {
  const all = [askedBy, ...(kindOf(policy, proof)?.consults ?? [])];
  return [...new Set(all)].filter((b) => isConnected(policy, b));
}

/**
 * The catalogue as GET /v1/catalogue shows it: API.md's fields (`code`, `name`, `treatment`, `ruleId`,
 * `basis`, `heldBy`) plus, as extensions for forms and pages, the holder's name, the explanation, which
 * fields the kind needs, the proving document, the applicant rules, the bodies, purposes and service standard.
 */
export function catalogueView(policy: Policy): {
  policyVersion: string;
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
    applicants?: CatalogueKind['applicants'];
  }[];
  /** Connected departments (rule 5) and the other bodies, with names. */
  bodies: Body[];
  purposes: { code: string; name: Bilingual }[];
  service: Policy['service'];
} {
  return {
    policyVersion: policy.policyVersion,
    kinds: policy.kinds.map((k) => ({
      code: k.code,
      name: k.name,
      treatment: k.treatment,
      ruleId: k.ruleId,
      basis: k.basis,
      ...(k.heldBy !== undefined ? { heldBy: k.heldBy } : {}),
      ...(k.heldBy !== undefined && bodyOf(policy, k.heldBy)
        ? { heldByName: bodyOf(policy, k.heldBy)!.name }
        : {}),
      explanation: k.explanation,
      needs: k.needs,
      ...(k.provenBy !== undefined ? { provenBy: k.provenBy } : {}),
      ...(k.applicants !== undefined ? { applicants: k.applicants } : {}),
    })),
    bodies: policy.bodies,
    purposes: policy.purposes,
    service: policy.service,
  };
}

/** Fills `{name}` placeholders of a bilingual template; unknown placeholders stay as they are. */
export function render(template: Bilingual, vars: Partial<Record<string, Bilingual | string>>): Bilingual {
  const fill = (s: string, locale: Locale) =>
    s.replace(/\{(\w+)\}/g, (whole, key: string) => {
      const v = vars[key];
      if (v === undefined) return whole;
      return typeof v === 'string' ? v : v[locale];
    });
  return { zh: fill(template.zh, 'zh'), en: fill(template.en, 'en') };
}
