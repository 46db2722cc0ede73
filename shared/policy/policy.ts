/**
 * A policy is data: the catalogue of proof kinds with their treatment and rule ids, the bodies (and which
 * are connected for exchange), the purposes, the service standard (investigation days, warning, escalation,
 * supervisors) and the rule ids of the decision order. The decision ORDER is code (`shared/domain/rules.ts`,
 * DOMAIN.md); everything it consults is here. Another province, or Jilin after a later reform, is another
 * policy file (`PolicyFile`: the data and every text in one JSON document) parsed by `parsePolicy` — no
 * code change.
 *
 * The texts (about 90 % of a policy) are kept apart from the data, grouped by who uses them (issue 16: a
 * Lambda bundle carries only the texts its code reaches): `PolicyTexts` — `decision` (rule wording, each
 * kind's basis, applicant and commitment clauses, the source: the rule check and the catalogue), `notices`
 * (SMS, warning, escalation and appeal texts), `documents` (written replies, labels), `certificates` (the
 * certificate lines, each kind's form and validity source) and `catalogue` (explanations for citizens, the
 * review). A parsed policy carries its texts (`texts`); the policies shipped with certflow are one folder
 * per version (`shared/policy/jilin-2016/policy.json` for the data, `decision.json`, `notices.json`,
 * `documents.json`, `certificates.json`, `catalogue.json` for the texts; a later
 * version's folder holds its changes) and their texts are read through `shared/policy/texts.ts`
 * (`decisionTexts(policy)`, …), which only the modules that show them import.
 */

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
import * as z from '#shared/schemas/zod.ts';
import jilin2016Data from './jilin-2016/policy.json' with { type: 'json' };
import jilin2021Data from './jilin-2021/policy.json' with { type: 'json' };

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

/** A kind of the catalogue: its data (its texts: `KindDecisionTexts`, `KindCertificateTexts`, `KindCatalogueTexts`). */
export interface CatalogueKind {
  code: ProofCode;
  review?: ReviewClass;
  provenance?: Provenance;
  name: Bilingual;
  treatment: Treatment;
  /** The rule that governs this kind (for declined kinds, the principle; for issuable ones, its clause). */
  ruleId: string;
  /** The body that holds the fact (policy body code). */
  heldBy?: string;
  /**
   * For PROVABLE_BY_HUKOU: the document that proves it (a short name, kept with the data: the decision,
   * the catalogue and the written reply all name it).
   */
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
  /** For TEMPORARY_IDENTITY-like kinds: validity of the certificate in days (its source: `KindCertificateTexts`). */
  validity?: { days: number };
  /** Rule 5: what the booklet shows for this kind (relation to the head; the change or cancellation pages). */
  bookletShows?: BookletShows;
  /** Rule 6: the exchange question is answered only to these connected bodies (absent: any connected body). */
  exchangeFor?: string[];
  /** For station AREA: purposes for which the hukou station is competent instead (marriage registration). */
  hukouStationFor?: string[];
  /** Investigation deadline of this kind, when it differs from the service standard (2021: 3 working days). */
  investigationWorkingDays?: number;
  /** The notification-and-commitment path (告知承诺制): bodies that accept a signed commitment instead. */
  commitment?: { acceptedBy: string[] };
  /** A criminal-record check where a record exists gives a written notice, not a certificate (2021). */
  writtenNoticeWhereRecord?: boolean;
  /**
   * Bodies consulted when a request of this kind is investigated (besides the asking body, if
   * connected): the connected ones among them are sent the investigation and may report its finding.
   */
  consults?: string[];
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

/** The wording of a rule of the decision order (`DecisionTexts.rules`); its id is data (`Policy.rules`). */
export interface RuleWording {
  reason: Bilingual;
  guidance: Bilingual;
  /** The clause the rule itself rests on (otherwise the kind's basis is cited). */
  basis?: Bilingual;
}
/** A rule as a policy file gives it: its id and its wording. */
export interface RuleText extends RuleWording {
  id: string;
}

/** The review behind the catalogue: how many kinds were reviewed, kept, stopped, exchanged, abolished. */
export interface CatalogueReview {
  reviewed: number;
  kept: number;
  stopped: number;
  exchange: number;
  abolished: number;
  basis: Bilingual;
}

/** A kind's texts of the decision: what `checkRules` cites and the catalogue shows. */
export interface KindDecisionTexts {
  /** The principle or clause the kind rests on. */
  basis: Bilingual;
  /** The clause behind an applicant rule, cited when it declines: the default rule's, and per purpose. */
  applicants?: { default?: Bilingual; byPurpose?: Record<string, Bilingual> };
  /** The commitment the applicant signs (告知承诺制, `CatalogueKind.commitment`). */
  commitment?: Bilingual;
}
/** The decision's texts (CheckRules, Decide, GetCatalogue). */
export interface DecisionTexts {
  /** Where the policy comes from (the notice, the national opinion): the basis of last resort. */
  source: Bilingual;
  rules: Partial<Record<RuleKey, RuleWording>>;
  /** By kind code: every kind has its entry. */
  kinds: Record<string, KindDecisionTexts>;
}
/** What is sent or said after the decision (the notify use-case, DeadlineTimer, Escalate, Decide, written replies). */
export interface NoticeTexts {
  notices: {
    /** How to appeal a refusal or complain (刚性问责: 应开不开、吃拿卡要、故意为难). */
    appeal: Bilingual;
    /** Warning to the station one working day before the deadline; `{deadline}`. */
    warning: Bilingual;
    /** Escalation to a supervisor; `{level}`, `{deadline}` (the next one). */
    escalated: Bilingual;
  };
  /** SMS texts to the applicant. */
  messages: Messages;
}
/** The written reply's texts and the value labels (CheckRules, Decide, the document routes). */
export interface DocumentTexts {
  documents: Omit<Documents, 'certificate'>;
}
/** A kind's texts of its certificate. */
export interface KindCertificateTexts {
  /** For ISSUABLE: the uniform form (式样统一) of its certificate; see `shared/domain/documents.ts`. */
  form?: CertificateForm;
  /** For kinds with `validity`: where the figure comes from. */
  validity?: Bilingual;
}
/** The certificate's texts (IssueCertificate, Decide, the document routes): the lines every certificate shares, each kind's. */
export interface CertificateTexts {
  certificate: Documents['certificate'];
  /** By kind code; kinds without a form or validity have none. */
  kinds: Record<string, KindCertificateTexts>;
}
/** What only the catalogue shows (GetCatalogue, the pages). */
export interface CatalogueTexts {
  review?: CatalogueReview;
  /** By kind code: every kind has its entry. */
  kinds: Record<string, { explanation: Bilingual }>;
}
export interface PolicyTexts {
  decision: DecisionTexts;
  notices: NoticeTexts;
  documents: DocumentTexts;
  certificates: CertificateTexts;
  catalogue: CatalogueTexts;
}
export type TextGroup = keyof PolicyTexts;

/** A policy: its data, and its texts where it was parsed from a policy file (see the module comment). */
export interface Policy {
  policyVersion: string;
  /** The province whose rules these are (a stack may load several versions of one province). */
  province: string;
  /** The Beijing day from which this version is in force (`YYYY-MM-DD`). */
  effectiveFrom: string;
  name: Bilingual;
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
  /** The rule ids (the wording: `DecisionTexts.rules`); optional keys only in the versions that have them. */
  rules: Record<RuleKey, { id: string }>;
  kinds: CatalogueKind[];
  /**
   * The texts of a policy parsed from a policy file (`parsePolicy`). Absent on the policies shipped with
   * certflow: `shared/policy/texts.ts` reads theirs from their folder.
   */
  texts?: PolicyTexts;
}

/** A kind as a policy file gives it: its data and its texts in one object. */
export interface PolicyFileKind extends Omit<CatalogueKind, 'applicants' | 'validity' | 'commitment'> {
  /** The principle or clause it rests on. */
  basis: Bilingual;
  /** Plain explanation for citizens. */
  explanation: Bilingual;
  applicants?: {
    default: ApplicantRule & { basis?: Bilingual };
    byPurpose?: Record<string, ApplicantRule & { basis?: Bilingual }>;
  };
  validity?: { days: number; basis: Bilingual };
  commitment?: { acceptedBy: string[]; text: Bilingual };
  form?: CertificateForm;
}

/** A policy file: one JSON document with the data and every text (`parsePolicy`'s input). */
export interface PolicyFile extends Omit<Policy, 'rules' | 'kinds' | 'texts'> {
  source: Bilingual;
  review?: CatalogueReview;
  rules: Record<RuleKey, RuleText>;
  notices: NoticeTexts['notices'];
  documents: Documents;
  messages: Messages;
  kinds: PolicyFileKind[];
}

export class PolicyError extends Error {
  override name = 'PolicyError';
  readonly errors: { path: string; message: string }[];
  constructor(errors: { path: string; message: string }[], options?: { cause?: unknown }) {
    super(`invalid policy: ${summarize(errors)}`, options);
    this.errors = errors;
  }
}

/** Which intake fields a kind needs (policy files, and the catalogue's `needs`). */
export const KindNeedsSchema = /* @__PURE__ */ z.strictObject({
  relatedPerson: z.boolean(),
  event: z.boolean(),
  legalBasis: z.optional(z.boolean()),
  askedByLevel: z.optional(z.boolean()),
});

/**
 * The schema of a policy file in full (`PolicyFile`: the data and every text), built on the first
 * `parsePolicyFile` — inside a function so that a bundle that never parses a policy file (every Lambda:
 * the shipped policies are checked at synth, `checkBundledPolicies`) carries none of it: esbuild cannot
 * drop a top-level schema whose `.check(z.superRefine(…))` arguments it must assume have side effects.
 */
function buildPolicySchema() {
  const text = z.string().check(z.trim(), z.minLength(1), z.maxLength(2000));
  const bilingual = z.strictObject({ zh: text, en: text });
  const code = z
    .string()
    .check(z.regex(/^[A-Z][A-Z0-9_]*$/, 'must be an upper-case code like NAME_CHANGE'), z.maxLength(64));
  /** An integer of at least `min` (and at most `max`). */
  const count = (min: number, max?: number) =>
    z.int().check(...(max === undefined ? [z.gte(min)] : [z.gte(min), z.lte(max)]));

  const applicantRule = z.strictObject({
    allowed: z.array(z.enum(APPLICANT_KINDS)).check(z.minLength(1)),
    selfMustBe: z.optional(z.array(z.enum(SELF_APPLICANTS)).check(z.minLength(1))),
    basis: z.optional(bilingual),
  });

  const kindSchema = z
    .strictObject({
      code,
      review: z.optional(z.enum(REVIEW_CLASSES)),
      provenance: z.optional(z.enum(PROVENANCES)),
      name: bilingual,
      treatment: z.enum(TREATMENTS),
      ruleId: z.string().check(z.minLength(1), z.maxLength(200)),
      basis: bilingual,
      explanation: bilingual,
      heldBy: z.optional(code),
      provenBy: z.optional(bilingual),
      station: z.optional(z.enum(STATION_RULES)),
      registryCheck: z.optional(z.enum(REGISTRY_CHECKS)),
      incidentKind: z.optional(z.enum(INCIDENT_KINDS)),
      exchange: z.optional(z.strictObject({ question: z.enum(EXCHANGE_QUESTIONS) })),
      applicants: z.optional(
        z.strictObject({ default: applicantRule, byPurpose: z.optional(z.record(code, applicantRule)) }),
      ),
      needs: KindNeedsSchema,
      validity: z.optional(z.strictObject({ days: count(1, 3650), basis: bilingual })),
      bookletShows: z.optional(z.enum(BOOKLET_SHOWS)),
      exchangeFor: z.optional(z.array(code).check(z.minLength(1))),
      hukouStationFor: z.optional(z.array(code).check(z.minLength(1))),
      investigationWorkingDays: z.optional(count(1, 60)),
      commitment: z.optional(
        z.strictObject({ acceptedBy: z.array(code).check(z.minLength(1)), text: bilingual }),
      ),
      writtenNoticeWhereRecord: z.optional(z.boolean()),
      consults: z.optional(z.array(code).check(z.maxLength(20))),
      form: z.optional(z.strictObject({ title: bilingual, statement: bilingual })),
    })
    .check(
      z.superRefine((k, ctx) => {
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
      }),
    );

  const shortKey = z.string().check(z.minLength(1), z.maxLength(64));
  const documentsSchema = z.strictObject({
    certificate: z.strictObject({
      confirmed: bilingual,
      findings: bilingual,
      purpose: bilingual,
      validity: bilingual,
      issuer: bilingual,
    }),
    writtenReply: z.strictObject({
      title: bilingual,
      statement: bilingual,
      basis: bilingual,
      provenBy: bilingual,
      heldBy: bilingual,
      appeal: bilingual,
      issuer: bilingual,
    }),
    labels: z.record(shortKey, z.record(shortKey, bilingual)),
  });

  const messagesSchema = z.strictObject({
    accepted: bilingual,
    decided: bilingual,
    investigating: bilingual,
    warning: bilingual,
    issued: bilingual,
    declined: bilingual,
    refused: bilingual,
    recoveryCode: bilingual,
  });

  const ruleText = z.strictObject({
    id: z.string().check(z.minLength(1), z.maxLength(200)),
    reason: bilingual,
    guidance: bilingual,
    basis: z.optional(bilingual),
  });

  return z
    .strictObject({
      policyVersion: z
        .string()
        .check(
          z.regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be lower-case letters, digits, dot, dash or underscore'),
          z.maxLength(64),
        ),
      province: code,
      effectiveFrom: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')),
      name: bilingual,
      source: bilingual,
      review: z.optional(
        z.strictObject({
          reviewed: count(0),
          kept: count(0),
          stopped: count(0),
          exchange: count(0),
          abolished: count(0),
          basis: bilingual,
        }),
      ),
      service: z.strictObject({
        investigationWorkingDays: count(1, 60),
        warnWorkingDaysBefore: count(0, 59),
        escalationIntervalWorkingDays: count(1, 60),
      }),
      supervisors: z.array(bilingual).check(z.minLength(1)),
      stationFallback: z.array(z.enum(STATION_FALLBACKS)).check(z.minLength(1)),
      bodies: z
        .array(z.strictObject({ code, name: bilingual, connected: z.boolean() }))
        .check(z.minLength(1)),
      purposes: z.array(z.strictObject({ code, name: bilingual })).check(z.minLength(1)),
      rules: z.strictObject({
        ...(Object.fromEntries(RULE_KEYS.map((k) => [k, ruleText])) as Record<
          (typeof RULE_KEYS)[number],
          typeof ruleText
        >),
        ...(Object.fromEntries(OPTIONAL_RULE_KEYS.map((k) => [k, z.optional(ruleText)])) as Record<
          (typeof OPTIONAL_RULE_KEYS)[number],
          z.ZodMiniOptional<typeof ruleText>
        >),
      }),
      notices: z.strictObject({ appeal: bilingual, warning: bilingual, escalated: bilingual }),
      documents: documentsSchema,
      messages: messagesSchema,
      kinds: z.array(kindSchema).check(z.minLength(1)),
    })
    .check(
      z.superRefine((p, ctx) => {
        const bodies = new Set(p.bodies.map((b) => b.code));
        const purposes = new Set(p.purposes.map((x) => x.code));
        const seen = new Set<string>();
        p.bodies.forEach((b, i) => {
          if (p.bodies.findIndex((o) => o.code === b.code) !== i) {
            ctx.addIssue({
              code: 'custom',
              path: ['bodies', i, 'code'],
              message: `duplicate body ${b.code}`,
            });
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
            ctx.addIssue({
              code: 'custom',
              path: ['kinds', i, 'heldBy'],
              message: `unknown body ${k.heldBy}`,
            });
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
          for (const purpose of [
            ...Object.keys(k.applicants?.byPurpose ?? {}),
            ...(k.hukouStationFor ?? []),
          ]) {
            if (!purposes.has(purpose)) {
              ctx.addIssue({
                code: 'custom',
                path: ['kinds', i, 'applicants', 'byPurpose', purpose],
                message: `unknown purpose ${purpose}`,
              });
            }
          }
        });
      }),
    );
}
let policySchema: ReturnType<typeof buildPolicySchema> | undefined;

/** Validates a policy file (`PolicyFile`); throws `PolicyError` listing every bad path (e.g. `kinds.3.treatment`). */
function parsePolicyFile(data: unknown): PolicyFile {
  // Parsed once per policy file loaded: zod's JIT would compile a parser for one use, so it is skipped
  // (same result; bench:bundles).
  policySchema ??= buildPolicySchema();
  const r = policySchema.safeParse(data, { jitless: true });
  if (!r.success) {
    throw new PolicyError(fieldErrors(r.error), { cause: r.error });
  }
  return r.data as PolicyFile;
}

/**
 * Validates a policy file (`PolicyFile`: data and texts in one document) and returns the policy with its
 * texts (`Policy.texts`); throws `PolicyError` listing every bad path (e.g. `kinds.3.treatment`).
 */
export function parsePolicy(data: unknown): Policy {
  const { policy, texts } = splitPolicy(parsePolicyFile(data));
  return { ...policy, texts };
}

const present = <T extends object>(o: T): T | undefined => (Object.keys(o).length > 0 ? o : undefined);
const withField = <K extends string, V>(key: K, value: V | undefined): { [k in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [k in K]?: V };

/**
 * A kind's applicant rules with the clause behind each (`KindDecisionTexts.applicants`) joined on, where there
 * is one: as the policy file (`joinPolicy`) and GET /v1/catalogue (catalogue.ts) show them.
 */
export function applicantsWithBasis(
  applicants: NonNullable<CatalogueKind['applicants']>,
  texts: KindDecisionTexts['applicants'],
): NonNullable<PolicyFileKind['applicants']> {
  const join = (rule: ApplicantRule, basis: Bilingual | undefined) => ({
    ...rule,
    ...withField('basis', basis),
  });
  return {
    default: join(applicants.default, texts?.default),
    ...withField(
      'byPurpose',
      applicants.byPurpose &&
        Object.fromEntries(
          Object.entries(applicants.byPurpose).map(([p, r]) => [p, join(r, texts?.byPurpose?.[p])]),
        ),
    ),
  };
}

/** One kind of a policy file as its data and its texts by group. */
function splitKind(k: PolicyFileKind): {
  kind: CatalogueKind;
  decision: KindDecisionTexts;
  certificates: KindCertificateTexts | undefined;
  catalogue: { explanation: Bilingual };
} {
  const { basis, explanation, form, applicants, validity, commitment, ...rest } = k;
  const strip = ({ basis: _, ...rule }: ApplicantRule & { basis?: Bilingual }): ApplicantRule => rule;
  const byPurpose = Object.entries(applicants?.byPurpose ?? {});
  const purposeBasis = present(
    Object.fromEntries(byPurpose.flatMap(([p, r]) => (r.basis ? [[p, r.basis]] : []))),
  );
  const applicantTexts =
    applicants === undefined
      ? undefined
      : present({
          ...withField('default', applicants.default.basis),
          ...withField('byPurpose', purposeBasis),
        });
  const kind: CatalogueKind = {
    ...rest,
    ...(applicants === undefined
      ? {}
      : {
          applicants: {
            default: strip(applicants.default),
            ...(applicants.byPurpose
              ? { byPurpose: Object.fromEntries(byPurpose.map(([p, r]) => [p, strip(r)])) }
              : {}),
          },
        }),
    ...(validity === undefined ? {} : { validity: { days: validity.days } }),
    ...(commitment === undefined ? {} : { commitment: { acceptedBy: commitment.acceptedBy } }),
  };
  return {
    kind,
    decision: {
      basis,
      ...withField('applicants', applicantTexts),
      ...withField('commitment', commitment?.text),
    },
    certificates: present({ ...withField('form', form), ...withField('validity', validity?.basis) }),
    catalogue: { explanation },
  };
}

/** A policy file as its data and its texts (`PolicyTexts`), the form certflow's own policies are shipped in. */
export function splitPolicy(file: PolicyFile): { policy: Policy; texts: PolicyTexts } {
  const { source, review, rules, notices, documents, messages, kinds, ...data } = file;
  const { certificate, ...documentsRest } = documents;
  const split = kinds.map(splitKind);
  const byCode = <T>(pick: (s: (typeof split)[number]) => T | undefined): Record<string, T> =>
    Object.fromEntries(split.flatMap((s) => (pick(s) === undefined ? [] : [[s.kind.code, pick(s) as T]])));
  const ruleIds = {} as Record<RuleKey, { id: string }>;
  const wording: Partial<Record<RuleKey, RuleWording>> = {};
  for (const [key, r] of Object.entries(rules) as [RuleKey, RuleText | undefined][]) {
    if (r === undefined) continue;
    const { id, ...w } = r;
    ruleIds[key] = { id };
    wording[key] = w;
  }
  return {
    policy: { ...data, rules: ruleIds, kinds: split.map((s) => s.kind) },
    texts: {
      decision: { source, rules: wording, kinds: byCode((s) => s.decision) },
      notices: { notices, messages },
      documents: { documents: documentsRest },
      certificates: { certificate, kinds: byCode((s) => s.certificates) },
      catalogue: { ...withField('review', review), kinds: byCode((s) => s.catalogue) },
    },
  };
}

/**
 * The policy file of `policy` and `texts` (the inverse of `splitPolicy`). Throws `PolicyError` naming the
 * group and kind (e.g. `decision: kinds.NAME_CHANGE`) where a text belongs to no kind or rule of the data;
 * a kind or rule without its texts is left for `parsePolicyFile` to report (`kinds.3.basis: …`).
 */
export function joinPolicy(policy: Policy, texts: PolicyTexts): PolicyFile {
  const codes = new Set(policy.kinds.map((k) => k.code));
  const errors: { path: string; message: string }[] = [];
  for (const group of ['decision', 'certificates', 'catalogue'] as const) {
    for (const c of Object.keys(texts[group].kinds)) {
      if (!codes.has(c))
        errors.push({ path: `${group}: kinds.${c}`, message: 'is not a kind of the policy' });
    }
  }
  for (const key of Object.keys(texts.decision.rules)) {
    if (!(key in policy.rules))
      errors.push({ path: `decision: rules.${key}`, message: 'is not a rule of the policy' });
  }
  if (errors.length > 0) throw new PolicyError(errors);
  const { texts: _, rules, kinds, ...data } = policy;
  return {
    ...data,
    source: texts.decision.source,
    ...withField('review', texts.catalogue.review),
    rules: Object.fromEntries(
      Object.entries(rules).map(([key, { id }]) => [key, { id, ...texts.decision.rules[key as RuleKey] }]),
    ) as Record<RuleKey, RuleText>,
    notices: texts.notices.notices,
    documents: { certificate: texts.certificates.certificate, ...texts.documents.documents },
    messages: texts.notices.messages,
    kinds: kinds.map((k): PolicyFileKind => {
      const d = texts.decision.kinds[k.code];
      const doc = texts.certificates.kinds[k.code];
      const { applicants, validity, commitment, ...rest } = k;
      return {
        ...rest,
        basis: d?.basis as Bilingual,
        explanation: texts.catalogue.kinds[k.code]?.explanation as Bilingual,
        ...withField('applicants', applicants && applicantsWithBasis(applicants, d?.applicants)),
        ...(validity === undefined ? {} : { validity: { ...validity, basis: doc?.validity as Bilingual } }),
        ...(commitment === undefined
          ? {}
          : { commitment: { ...commitment, text: d?.commitment as Bilingual } }),
        ...withField('form', doc?.form),
      };
    }),
  };
}

/**
 * A later version written as changes to an earlier one: `extends` names the base version; `kinds` replace
 * the base's kinds of the same code or are added; `rules` replace the base's rule texts by key. Every rule
 * id and kind `ruleId` of the base that starts with `<base>/` is re-issued under `<version>/` (a decision
 * cites the version it was made under). Everything else (texts included) is the base's.
 */
export interface PolicyChanges {
  extends: string;
  policyVersion: string;
  effectiveFrom: string;
  name: Bilingual;
  source: Bilingual;
  service?: Partial<Policy['service']>;
  rules?: Partial<Record<RuleKey, RuleText>>;
  kinds?: PolicyFileKind[];
}

/**
 * Applies `changes` to `base` (see `PolicyChanges`) and validates the result; throws `PolicyError`. The
 * base must carry its texts (a policy from `parsePolicy` or `derivePolicy`).
 */
export function derivePolicy(base: Policy, changes: PolicyChanges): Policy {
  if (base.texts === undefined) {
    throw new PolicyError([
      { path: 'extends', message: `${base.policyVersion} carries no texts: derive from a parsed policy` },
    ]);
  }
  return parsePolicy(applyChanges(joinPolicy(base, base.texts), changes));
}

/** `base` with `changes` applied (see `PolicyChanges`), not validated; throws `PolicyError` on a wrong `extends`. */
function applyChanges<
  P extends Pick<Policy, 'policyVersion' | 'service'> & {
    rules: Partial<Record<RuleKey, { id: string }>>;
    kinds: { code: string; ruleId: string }[];
  },
>(
  base: P,
  changes: Pick<PolicyChanges, 'extends' | 'policyVersion' | 'effectiveFrom' | 'name' | 'service'> & {
    rules?: Partial<Record<RuleKey, { id: string }>>;
    kinds?: { code: string }[];
    source?: Bilingual;
  },
): P {
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
    ...withField('source', changes.source),
    service: { ...base.service, ...changes.service },
    rules: { ...rules, ...changes.rules },
    kinds,
  };
}

/**
 * The data of a version shipped with certflow (`shared/policy/<version>/policy.json`): the whole policy's
 * data, or for a later version its changes (`extends`, and the kinds and rule ids it replaces or adds).
 */
export type PolicyDataFile = Omit<Policy, 'texts'> | PolicyDataChanges;
export interface PolicyDataChanges {
  extends: string;
  policyVersion: string;
  effectiveFrom: string;
  name: Bilingual;
  service?: Partial<Policy['service']>;
  rules?: Partial<Record<RuleKey, { id: string }>>;
  kinds?: CatalogueKind[];
}

/** The policy versions shipped with certflow, oldest first: the folder's data file of each. */
export const BUNDLED_POLICY_DATA: readonly { version: string; data: PolicyDataFile }[] = [
  { version: 'jilin-2016', data: jilin2016Data as unknown as PolicyDataFile },
  { version: 'jilin-2021', data: jilin2021Data as unknown as PolicyDataFile },
];

/**
 * Policy data shipped with certflow, as the modules that import it see it: only its outline is checked
 * here (version, date, every rule key, each kind's code and treatment). Every field, and every text, is
 * validated by `checkBundledPolicies` (shared/policy/bundled.ts) instead — in the tests
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
 * The data of every version shipped with certflow, oldest first (`BUNDLED_POLICY_DATA` with the changes
 * of a later version applied to its base). Outline checked only (see `bundledPolicy`).
 */
function bundledPolicies(): Policy[] {
  const out: Policy[] = [];
  for (const { version, data } of BUNDLED_POLICY_DATA) {
    const file = `${version}/policy.json`;
    if ('extends' in data) {
      const base = out.find((p) => p.policyVersion === data.extends);
      if (base === undefined)
        throw new PolicyError([{ path: `${file}: extends`, message: `no version ${data.extends}` }]);
      out.push(bundledPolicy(applyChanges(base, data), file));
    } else out.push(bundledPolicy(data, file));
  }
  return out;
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

/** The versions a stack loads by default, oldest first (their texts: shared/policy/texts.ts). */
export const defaultPolicies: readonly Policy[] = bundledPolicies();

/** Jilin, 2016 (`shared/policy/jilin-2016/`): the joint notice, in force 2016-01-01, corrected. */
export const jilin2016Policy: Policy = defaultPolicies[0]!;

/**
 * Jilin after the 2021 criminal-record rules and the 2020 notification-and-commitment system
 * (`shared/policy/jilin-2021/`, changes over jilin-2016).
 */
export const jilin2021Policy: Policy = defaultPolicies[1]!;

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
