/**
 * A policy is data: the catalogue of proof kinds with their treatment and rule ids, the bodies (and which
 * are connected for exchange), the purposes, the service standard (investigation days, warning, escalation, supervisors)
 * and the bilingual texts of every rule of the decision order. The decision ORDER is code
 * (`shared/domain/rules.ts`, DOMAIN.md); everything it consults is here. Another province, or Jilin after a
 * later reform, is another JSON file parsed by `parsePolicy` — no code change.
 */
import { isDeepStrictEqual } from 'node:util';
import { z } from 'zod';
import { fieldErrors, summarize } from '#shared/domain/errors.ts';
import {
  APPLICANT_KINDS,
  type ApplicantKind,
  type Bilingual,
  EXCHANGE_QUESTIONS,
  type ExchangeQuestion,
  INCIDENT_KINDS,
  type IncidentKind,
  type Locale,
  type ProofCode,
  TREATMENTS,
  type Treatment,
} from '#shared/domain/types.ts';
import jilin2016 from './jilin-2016.json' with { type: 'json' };
import jilin2021 from './jilin-2021.json' with { type: 'json' };

/** Keys of the rules of DOMAIN.md's decision order (plus the fallback for a kind outside the catalogue). */
export const RULE_KEYS = [
  'PROVABLE_BY_HUKOU',
  'NOT_POLICE_INFORMATION',
  'NO_LEGAL_BASIS',
  'UNLISTED_BELOW_PROVINCE',
  'UNLISTED_NO_LAW_CITED',
  'EXCHANGE_ONLY_NOT_CONNECTED',
  'APPLICANT_NOT_ENTITLED',
  'BOOKLET_SHOWS_RELATION_TO_HEAD',
  'BOOKLET_SHOWS_CHANGE',
  'ANSWERED_BY_EXCHANGE',
  'ISSUE_ON_THE_SPOT',
  'INVESTIGATE',
  'OTHER_CASE_REQUIRED_BY_LAW',
  'NOT_IN_CATALOGUE',
] as const;
/**
 * Rules only some versions have: the notification-and-commitment path (告知承诺制, 国办发〔2020〕42号) and the
 * written notice that replaces a criminal-record certificate where a record exists (2021 rules).
 */
export const OPTIONAL_RULE_KEYS = ['COMMITMENT_ACCEPTED', 'WRITTEN_NOTICE_RECORD_EXISTS'] as const;
export type RuleKey = (typeof RULE_KEYS)[number] | (typeof OPTIONAL_RULE_KEYS)[number];

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
  'HUKOU_PLACE',
  'DEATH',
  'NONE',
] as const;
export type RegistryCheck = (typeof REGISTRY_CHECKS)[number];

/**
 * Where the competent station comes from. HUKOU: the subject's household station. INCIDENT: where the
 * incident happened. AREA: where the person is (管辖地: the registry's `whereabouts`, else the household
 * station), except for the purposes in `hukouStationFor` (marriage registration: the hukou station).
 * HUKOU_OR_RESIDENCE: the residence station where the person holds a residence permit, else the hukou
 * station (2021 criminal-record rules).
 */
export const STATION_RULES = ['HUKOU', 'INCIDENT', 'AREA', 'HUKOU_OR_RESIDENCE'] as const;
export type StationRule = (typeof STATION_RULES)[number];

/** Fallbacks, in order, when the kind's station rule finds no station (e.g. the subject is not on record). */
export const STATION_FALLBACKS = ['RELATED_PERSON_HUKOU', 'APPLICANT_HUKOU', 'REGISTRY_FIRST'] as const;
export type StationFallback = (typeof STATION_FALLBACKS)[number];

/**
 * Who a SELF applicant may be: the subject, the related person (kinship), a close relative of the subject
 * on record (a registry kinship link), or a party of the incident on record (incident kinds).
 */
export const SELF_APPLICANTS = ['SUBJECT', 'RELATED_PERSON', 'KIN_OF_SUBJECT', 'CASE_PARTY'] as const;
export type SelfApplicant = (typeof SELF_APPLICANTS)[number];

/** What the hukou booklet shows (rule 5): the relation to the head, or the change/cancellation pages. */
export const BOOKLET_SHOWS = ['RELATION_TO_HEAD', 'CHANGE_PAGE'] as const;
export type BookletShows = (typeof BOOKLET_SHOWS)[number];

/** Administrative level of the asking body (the notice's fourth 一律: below PROVINCIAL is local). */
export const BODY_LEVELS = ['NATIONAL', 'PROVINCIAL', 'CITY', 'COUNTY', 'TOWNSHIP'] as const;
export type BodyLevel = (typeof BODY_LEVELS)[number];
export const BELOW_PROVINCE: readonly BodyLevel[] = ['CITY', 'COUNTY', 'TOWNSHIP'];

/** Who may apply. `selfMustBe`: a SELF applicant must be one of these people (absent: anyone). */
export interface ApplicantRule {
  allowed: ApplicantKind[];
  selfMustBe?: SelfApplicant[];
  /** The clause behind this rule, cited when it declines. */
  basis?: Bilingual;
}

/** Which of Jilin's review classes (51 kinds: 9 kept, 11 stopped, 12 by exchange, 19 abolished) a kind is in. */
export const REVIEW_CLASSES = ['KEPT', 'STOPPED', 'EXCHANGE', 'ABOLISHED'] as const;
export type ReviewClass = (typeof REVIEW_CLASSES)[number];
/**
 * Who names the kind: JILIN (the Jilin notice or its releases), NATIONAL (the opinion 公通字〔2016〕21号 or
 * later national rules), ILLUSTRATIVE (certflow's example where the sources name none).
 */
export const PROVENANCES = ['JILIN', 'NATIONAL', 'ILLUSTRATIVE'] as const;
export type Provenance = (typeof PROVENANCES)[number];

export interface CatalogueKind {
  code: ProofCode;
  review?: ReviewClass;
  provenance?: Provenance;
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
  needs: { relatedPerson: boolean; event: boolean; legalBasis?: boolean; askedByLevel?: boolean };
  /** For TEMPORARY_IDENTITY-like kinds: validity of the certificate in days, and where that figure comes from. */
  validity?: { days: number; basis: Bilingual };
  /** Rule 5: what the booklet shows for this kind (relation to the head; the change or cancellation pages). */
  bookletShows?: BookletShows;
  /** Rule 6: the exchange question is answered only to these connected bodies (absent: any connected body). */
  exchangeFor?: string[];
  /** For station AREA: purposes for which the hukou station is competent instead (marriage registration). */
  hukouStationFor?: string[];
  /** Investigation deadline of this kind, when it differs from the service standard (2021: 3 working days). */
  investigationWorkingDays?: number;
  /** The notification-and-commitment path (告知承诺制): bodies that accept a signed commitment instead. */
  commitment?: { acceptedBy: string[]; text: Bilingual };
  /** A criminal-record check where a record exists gives a written notice, not a certificate (2021). */
  writtenNoticeWhereRecord?: boolean;
  /**
   * Bodies consulted when a request of this kind is investigated (besides the asking body, if
   * connected): the connected ones among them are sent the investigation and may report its finding.
   */
  consults?: string[];
  /** For ISSUABLE: the uniform form (式样统一) of its certificate; see `Documents` and `shared/domain/documents.ts`. */
  form?: CertificateForm;
}

/**
 * A kind's uniform form: the title and the statement template. Placeholders (`{subjectName}`,
 * `{subjectIdNumber}`, `{formerName}`, …) are listed in `shared/domain/documents.ts`; a statement whose
 * facts are not all known (issued after an investigation) falls back to `Documents.certificate.confirmed`.
 */
export interface CertificateForm {
  title: Bilingual;
  statement: Bilingual;
}

/** The parts of every document that are not per kind: certificate lines, the written reply, value labels. */
export interface Documents {
  certificate: {
    /** Statement of a kind whose own facts are unknown (confirmed by investigation); `{kindName}`. */
    confirmed: Bilingual;
    /** The facts an investigation established; `{findings}`. */
    findings: Bilingual;
    /** `{purpose}`, `{askedBy}`. */
    purpose: Bilingual;
    /** Only for kinds with `validity`; `{validityDays}`, `{validUntil}`. */
    validity: Bilingual;
    /** `{station}`, `{issuedOn}`, `{number}`. */
    issuer: Bilingual;
  };
  /** 书面告知: a decline or a refusal in writing. */
  writtenReply: {
    title: Bilingual;
    /** `{applicantName}`, `{acceptedOn}`, subject, `{kindName}`, `{purpose}`, `{askedBy}`, `{reason}`. */
    statement: Bilingual;
    basis: Bilingual;
    /** Where a document proves the fact; `{provenBy}`. */
    provenBy: Bilingual;
    /** Where another body holds the fact; `{heldBy}`. */
    heldBy: Bilingual;
    appeal: Bilingual;
    issuer: Bilingual;
  };
  /** Labels of coded values by placeholder: `gender.M`, `reason.DEATH`, `relation.MOTHER`, `record.false`. */
  labels: Record<string, Record<string, Bilingual>>;
}

/**
 * SMS texts sent to the applicant's phone, one language each (the applicant's). Placeholders: `{number}`
 * (request number, last 8 characters), `{kindName}`, `{deadline}`, `{outcome}`, `{link}`, `{code}`.
 */
export interface Messages {
  accepted: Bilingual;
  decided: Bilingual;
  investigating: Bilingual;
  warning: Bilingual;
  issued: Bilingual;
  declined: Bilingual;
  refused: Bilingual;
  recoveryCode: Bilingual;
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
  /** The province whose rules these are (a stack may load several versions of one province). */
  province: string;
  /** The Beijing day from which this version is in force (`YYYY-MM-DD`). */
  effectiveFrom: string;
  name: Bilingual;
  /** Where the policy comes from (the notice, the national opinion). */
  source: Bilingual;
  /** The review behind the catalogue: how many kinds were reviewed, kept, stopped, exchanged, abolished. */
  review?: {
    reviewed: number;
    kept: number;
    stopped: number;
    exchange: number;
    abolished: number;
    basis: Bilingual;
  };
  service: {
    /** Investigation deadline: working days after the day of acceptance. */
    investigationWorkingDays: number;
    /** Warning this many working days before the deadline. */
    warnWorkingDaysBefore: number;
    /** Each escalation level waits this many working days. */
    escalationIntervalWorkingDays: number;
  };
  /**
   * Who supervises at each escalation level, level 1 first (`functions/workflow/escalate.ts` names it in
   * the ESCALATED event); levels past the end stay with the last.
   */
  supervisors: Bilingual[];
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
  /** The printed documents (certificates and written replies). */
  documents: Documents;
  /** SMS texts to the applicant. */
  messages: Messages;
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

const text = /* @__PURE__ */ z.string().trim().min(1).max(2000);
const bilingual = /* @__PURE__ */ z.object({ zh: text, en: text }).strict();
const code = /* @__PURE__ */ z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case code like NAME_CHANGE')
  .max(64);

const applicantRule = /* @__PURE__ */ z
  .object({
    allowed: z.array(z.enum(APPLICANT_KINDS)).min(1),
    selfMustBe: z.array(z.enum(SELF_APPLICANTS)).min(1).optional(),
    basis: bilingual.optional(),
  })
  .strict();

/** Which intake fields a kind needs (policy files, and the catalogue's `needs`). */
export const KindNeedsSchema = /* @__PURE__ */ z
  .object({
    relatedPerson: z.boolean(),
    event: z.boolean(),
    legalBasis: z.boolean().optional(),
    askedByLevel: z.boolean().optional(),
  })
  .strict();

const kindSchema = /* @__PURE__ */ z
  .object({
    code,
    review: z.enum(REVIEW_CLASSES).optional(),
    provenance: z.enum(PROVENANCES).optional(),
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
    needs: KindNeedsSchema,
    validity: z
      .object({ days: z.number().int().min(1).max(3650), basis: bilingual })
      .strict()
      .optional(),
    bookletShows: z.enum(BOOKLET_SHOWS).optional(),
    exchangeFor: z.array(code).min(1).optional(),
    hukouStationFor: z.array(code).min(1).optional(),
    investigationWorkingDays: z.number().int().min(1).max(60).optional(),
    commitment: z
      .object({ acceptedBy: z.array(code).min(1), text: bilingual })
      .strict()
      .optional(),
    writtenNoticeWhereRecord: z.boolean().optional(),
    consults: z.array(code).max(20).optional(),
    form: z.object({ title: bilingual, statement: bilingual }).strict().optional(),
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
      need(k.form !== undefined, 'form', 'is required for an ISSUABLE kind (its uniform form)');
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
    if (k.treatment === 'UNLISTED') {
      need(k.needs.askedByLevel === true, 'needs', 'an UNLISTED kind needs askedByLevel');
    }
    if (k.bookletShows !== undefined) {
      need(k.provenBy !== undefined, 'provenBy', 'names the booklet page when bookletShows is set');
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

const documentsSchema = /* @__PURE__ */ z
  .object({
    certificate: z
      .object({
        confirmed: bilingual,
        findings: bilingual,
        purpose: bilingual,
        validity: bilingual,
        issuer: bilingual,
      })
      .strict(),
    writtenReply: z
      .object({
        title: bilingual,
        statement: bilingual,
        basis: bilingual,
        provenBy: bilingual,
        heldBy: bilingual,
        appeal: bilingual,
        issuer: bilingual,
      })
      .strict(),
    labels: z.record(z.string().min(1).max(64), z.record(z.string().min(1).max(64), bilingual)),
  })
  .strict();

const messagesSchema = /* @__PURE__ */ z
  .object({
    accepted: bilingual,
    decided: bilingual,
    investigating: bilingual,
    warning: bilingual,
    issued: bilingual,
    declined: bilingual,
    refused: bilingual,
    recoveryCode: bilingual,
  })
  .strict();

const ruleText = /* @__PURE__ */ z
  .object({
    id: z.string().min(1).max(200),
    reason: bilingual,
    guidance: bilingual,
    basis: bilingual.optional(),
  })
  .strict();

export const PolicySchema = /* @__PURE__ */ z
  .object({
    policyVersion: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, dot, dash or underscore')
      .max(64),
    province: code,
    effectiveFrom: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD'),
    name: bilingual,
    source: bilingual,
    review: z
      .object({
        reviewed: z.number().int().min(0),
        kept: z.number().int().min(0),
        stopped: z.number().int().min(0),
        exchange: z.number().int().min(0),
        abolished: z.number().int().min(0),
        basis: bilingual,
      })
      .strict()
      .optional(),
    service: z
      .object({
        investigationWorkingDays: z.number().int().min(1).max(60),
        warnWorkingDaysBefore: z.number().int().min(0).max(59),
        escalationIntervalWorkingDays: z.number().int().min(1).max(60),
      })
      .strict(),
    supervisors: z.array(bilingual).min(1),
    stationFallback: z.array(z.enum(STATION_FALLBACKS)).min(1),
    bodies: z.array(z.object({ code, name: bilingual, connected: z.boolean() }).strict()).min(1),
    purposes: z.array(z.object({ code, name: bilingual }).strict()).min(1),
    rules: z
      .object({
        ...(Object.fromEntries(RULE_KEYS.map((k) => [k, ruleText])) as Record<
          (typeof RULE_KEYS)[number],
          typeof ruleText
        >),
        ...(Object.fromEntries(OPTIONAL_RULE_KEYS.map((k) => [k, ruleText.optional()])) as Record<
          (typeof OPTIONAL_RULE_KEYS)[number],
          z.ZodOptional<typeof ruleText>
        >),
      })
      .strict(),
    notices: z.object({ appeal: bilingual, warning: bilingual, escalated: bilingual }).strict(),
    documents: documentsSchema,
    messages: messagesSchema,
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
      const bodyLists: [string, string[] | undefined][] = [
        ['exchangeFor', k.exchangeFor],
        ['commitment', k.commitment?.acceptedBy],
        ['consults', k.consults],
      ];
      for (const [field, list] of bodyLists) {
        for (const b of list ?? []) {
          if (!bodies.has(b)) {
            ctx.addIssue({ code: 'custom', path: ['kinds', i, field], message: `unknown body ${b}` });
          }
        }
      }
      if (k.commitment !== undefined && p.rules.COMMITMENT_ACCEPTED === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', 'COMMITMENT_ACCEPTED'],
          message: `is required: kind ${k.code} has a commitment path`,
        });
      }
      if (k.writtenNoticeWhereRecord && p.rules.WRITTEN_NOTICE_RECORD_EXISTS === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', 'WRITTEN_NOTICE_RECORD_EXISTS'],
          message: `is required: kind ${k.code} gives a written notice where a record exists`,
        });
      }
      for (const purpose of [...Object.keys(k.applicants?.byPurpose ?? {}), ...(k.hukouStationFor ?? [])]) {
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
  // Parsed once per policy file loaded: zod's JIT would compile a parser for one use, so it is skipped
  // (same result; bench:bundles).
  const r = PolicySchema.safeParse(data, { jitless: true });
  if (!r.success) {
    throw new PolicyError(fieldErrors(r.error), { cause: r.error });
  }
  return r.data as Policy;
}

/**
 * A later version written as changes to an earlier one: `extends` names the base version; `kinds` replace
 * the base's kinds of the same code or are added; `rules` replace the base's rule texts by key. Every rule
 * id and kind `ruleId` of the base that starts with `<base>/` is re-issued under `<version>/` (a decision
 * cites the version it was made under).
 */
export interface PolicyChanges {
  extends: string;
  policyVersion: string;
  effectiveFrom: string;
  name: Bilingual;
  source: Bilingual;
  service?: Partial<Policy['service']>;
  rules?: Partial<Record<RuleKey, RuleText>>;
  kinds?: CatalogueKind[];
}

/** Applies `changes` to `base` (see `PolicyChanges`) and validates the result; throws `PolicyError`. */
export function derivePolicy(base: Policy, changes: PolicyChanges): Policy {
  return parsePolicy(applyChanges(base, changes));
}

/** `base` with `changes` applied (see `PolicyChanges`), not validated; throws `PolicyError` on a wrong `extends`. */
function applyChanges(base: Policy, changes: PolicyChanges): unknown {
  if (changes.extends !== base.policyVersion) {
    throw new PolicyError([
      { path: 'extends', message: `extends ${changes.extends}, not ${base.policyVersion}` },
    ]);
  }
  const prefix = `${base.policyVersion}/`;
  const reissue = (id: string) =>
    id.startsWith(prefix) ? `${changes.policyVersion}/${id.slice(prefix.length)}` : id;
  const rules = Object.fromEntries(
    Object.entries(base.rules).map(([k, r]) => [k, r === undefined ? r : { ...r, id: reissue(r.id) }]),
  );
  const replaced = new Map((changes.kinds ?? []).map((k) => [k.code, k]));
  const kinds = [
    ...base.kinds.map((k) => replaced.get(k.code) ?? { ...k, ruleId: reissue(k.ruleId) }),
    ...(changes.kinds ?? []).filter((k) => !base.kinds.some((b) => b.code === k.code)),
  ];
  return {
    ...base,
    policyVersion: changes.policyVersion,
    effectiveFrom: changes.effectiveFrom,
    name: changes.name,
    source: changes.source,
    service: { ...base.service, ...changes.service },
    rules: { ...rules, ...changes.rules },
    kinds,
  };
}

/**
 * Policy data shipped with certflow (the JSON files beside this module), as the modules that import it
 * see it: only its outline is checked here (version, date, every rule key, each kind's code and
 * treatment). Every field is validated by `checkBundledPolicies` instead — in the tests
 * (tests/unit/domain/policy.test.ts), at CDK synth and in bench:bundles (infra/bundling.ts
 * `checkBundledData`) — because a full zod parse of the catalogue at import cost ≈ 10 ms of every Lambda
 * cold start (bench/PERF-NOTES.md, round 4). Policy data from anywhere else goes through `parsePolicy`.
 * Throws `PolicyError` naming `file` when the outline is wrong.
 */
function bundledPolicy(data: unknown, file: string): Policy {
  const p = data as Partial<Policy> | null;
  const errors: { path: string; message: string }[] = [];
  const bad = (path: string, message: string) => errors.push({ path: `${file}: ${path}`, message });
  if (typeof p?.policyVersion !== 'string') bad('policyVersion', 'is missing');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(String(p?.effectiveFrom)))
    bad('effectiveFrom', 'must be a date YYYY-MM-DD');
  for (const key of RULE_KEYS) if (typeof p?.rules?.[key]?.id !== 'string') bad(`rules.${key}`, 'is missing');
  const kinds: unknown = p?.kinds;
  if (!Array.isArray(kinds) || kinds.length === 0) bad('kinds', 'must list at least one kind');
  (Array.isArray(kinds) ? (kinds as Partial<CatalogueKind>[]) : []).forEach((k, i) => {
    if (typeof k?.code !== 'string' || !(TREATMENTS as readonly string[]).includes(String(k?.treatment))) {
      bad(`kinds.${i}`, 'needs a code and a treatment');
    }
  });
  if (errors.length > 0) throw new PolicyError(errors);
  return p as Policy;
}

/**
 * Validates the bundled policy files in full (`parsePolicy`, `derivePolicy`) and checks that the
 * validated data is exactly what `jilin2016Policy` and `jilin2021Policy` hold (nothing the parse would
 * trim or change). Throws `PolicyError` listing every bad path, prefixed with the file. Run by the tests,
 * at CDK synth and by bench:bundles (see `bundledPolicy`).
 */
export function checkBundledPolicies(): void {
  const checked: [string, () => Policy, Policy][] = [
    ['jilin-2016.json', () => parsePolicy(jilin2016), jilin2016Policy],
    [
      'jilin-2021.json',
      () => derivePolicy(parsePolicy(jilin2016), jilin2021 as unknown as PolicyChanges),
      jilin2021Policy,
    ],
  ];
  for (const [file, parse, loaded] of checked) {
    let parsed: Policy;
    try {
      parsed = parse();
    } catch (e) {
      if (!(e instanceof PolicyError)) throw e;
      throw new PolicyError(
        e.errors.map((x) => ({ ...x, path: `${file}: ${x.path}` })),
        { cause: e },
      );
    }
    if (!isDeepStrictEqual(parsed, loaded)) {
      throw new PolicyError([
        {
          path: file,
          message: 'differs from its validated form (e.g. text with leading or trailing spaces)',
        },
      ]);
    }
  }
}

/**
 * The version in force on the Beijing day of `at`: the latest whose `effectiveFrom` is not after it
 * (before the first version: the first). `versions` must be of one province and non-empty.
 */
export function policyInForce(versions: readonly Policy[], at: Date): Policy {
  const day = new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const sorted = [...versions].sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  const first = sorted[0];
  if (first === undefined) throw new PolicyError([{ path: '', message: 'no policy version loaded' }]);
  return sorted.filter((v) => v.effectiveFrom <= day).at(-1) ?? first;
}

/** Jilin, 2016 (`shared/policy/jilin-2016.json`): the joint notice, in force 2016-01-01, corrected. */
export const jilin2016Policy: Policy = bundledPolicy(jilin2016, 'jilin-2016.json');

/**
 * Jilin after the 2021 criminal-record rules and the 2020 notification-and-commitment system
 * (`shared/policy/jilin-2021.json`, changes over jilin-2016).
 */
export const jilin2021Policy: Policy = bundledPolicy(
  applyChanges(jilin2016Policy, jilin2021 as unknown as PolicyChanges),
  'jilin-2021.json',
);

/** The versions a stack loads by default, oldest first. */
export const defaultPolicies: readonly Policy[] = [jilin2016Policy, jilin2021Policy];

/**
 * The latest default version (its catalogue is the widest; intake and decisions use `policyInForce` on
 * the day of acceptance).
 */
export const defaultPolicy: Policy = jilin2021Policy;

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
 * Whether a connected department may ask this exchange question ad hoc: a question the catalogue restricts
 * (every kind that asks it has `exchangeFor`) only to the bodies named there (criminal records: courts,
 * Jilin 2015); other questions to any connected body.
 */
export function mayAskExchange(policy: Policy, department: string, question: ExchangeQuestion): boolean {
  const kinds = policy.kinds.filter((k) => k.exchange?.question === question);
  return (
    kinds.length === 0 || kinds.some((k) => k.exchangeFor === undefined || k.exchangeFor.includes(department))
  );
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
 * The catalogue as GET /v1/catalogue shows it: docs/api.md's fields (`code`, `name`, `treatment`, `ruleId`,
 * `basis`, `heldBy`) plus, as extensions for forms and pages, the holder's name, the explanation, which
 * fields the kind needs, the proving document, the applicant rules, the bodies, purposes and service standard.
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
    applicants?: CatalogueKind['applicants'];
  }[];
  /** Connected departments (rule 5) and the other bodies, with names. */
  bodies: Body[];
  purposes: { code: string; name: Bilingual }[];
  service: Policy['service'];
} {
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
        source: v.source,
        inForce: v.policyVersion === policy.policyVersion,
      })),
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

/** Who supervises at escalation `level` (1 = the first escalation), e.g. `county bureau (县级公安机关)`. */
export function supervisorAt(policy: Policy, level: number): string {
  const s = policy.supervisors[Math.min(Math.max(level, 1), policy.supervisors.length) - 1]!;
  return `${s.en} (${s.zh})`;
}
