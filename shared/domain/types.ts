/**
 * The vocabulary of certflow's domain: proof kinds, treatments, outcomes and the decision the
 * rule check makes. Pure types and a few constant lists; no behaviour (the request's statuses live in
 * request.ts).
 */

/** A proof kind of the policy's catalogue, e.g. `KINSHIP`, `NAME`, `MARITAL_STATUS`. */
export type ProofCode = string;

/** The codes docs/api.md names (the default policy knows these and a few more; a policy may add others). */
export const API_PROOF_CODES = [
  'NAME_CHANGE',
  'GENDER_CHANGE',
  'HUKOU_CANCELLATION',
  'KINSHIP',
  'CRIMINAL_RECORD',
  'UNNATURAL_DEATH',
  'TRAFFICKED_CHILD',
  'ABANDONED_INFANT',
  'TEMPORARY_IDENTITY',
  'IDENTITY',
  'NAME',
  'GENDER',
  'BIRTH_DATE',
  'ETHNICITY',
  'ADDRESS',
  'HOUSEHOLD_RELATION',
  'MARITAL_STATUS',
  'EDUCATION',
  'INCOME',
  'PROPERTY',
  'SOCIAL_INSURANCE',
  'BIRTH_MEDICAL',
  'ALIVE',
  'GOOD_CONDUCT',
  'RESIDENCE_FOR_SCHOOL',
] as const;

export const TREATMENTS = [
  'ISSUABLE',
  'PROVABLE_BY_HUKOU',
  'NO_LEGAL_BASIS',
  'NOT_POLICE_INFORMATION',
  'EXCHANGE',
  'UNLISTED',
] as const;
/**
 * How the catalogue treats a kind. `EXCHANGE`: never a certificate, only answered to connected bodies.
 * `UNLISTED`: a certificate the catalogue does not name, described by the asking body (rule 3 decides it
 * by the body's level and whether a law is cited).
 */
export type Treatment = (typeof TREATMENTS)[number];

export const OUTCOMES = [
  'DECLINED_PROVABLE_BY_HUKOU',
  'DECLINED_NO_LEGAL_BASIS',
  'DECLINED_NOT_POLICE_INFORMATION',
  'DECLINED_APPLICANT_NOT_ENTITLED',
  'ANSWERED_BY_EXCHANGE',
  'COMMITMENT_ACCEPTED',
  'ISSUE_ON_THE_SPOT',
  'INVESTIGATE',
] as const;
/**
 * What the rule check decides. docs/api.md lists six; `DECLINED_APPLICANT_NOT_ENTITLED` is the seventh,
 * for rule 6 of DOMAIN.md's decision order (an issuable kind asked by someone not entitled to it).
 */
export type Outcome = (typeof OUTCOMES)[number];

/** A user-facing text in both languages. */
export type Bilingual = { zh: string; en: string };

export type Locale = 'zh' | 'en';

/** Bodies that may demand a proof (docs/api.md `askedBy`). */
export const ASKED_BY_CODES = [
  'NOTARY',
  'COURT',
  'PROCURATORATE',
  'EDUCATION',
  'CIVIL_AFFAIRS',
  'HUMAN_RESOURCES',
  'HEALTH',
  'HOUSING',
  'BANK',
  'EMPLOYER',
  'OTHER',
] as const;
export type AskedBy = (typeof ASKED_BY_CODES)[number];

/** A body code of the policy (askedBy codes plus holders such as `POLICE`, `TAX`). */
export type BodyCode = string;

export const PURPOSE_CODES = [
  'STUDY_ABROAD',
  'GO_ABROAD',
  'NOTARIZATION',
  'PENSION',
  'EMPLOYMENT',
  'SCHOOL_ADMISSION',
  'MARRIAGE_REGISTRATION',
  'TRAVEL',
  'HOTEL',
  'EXAM',
  'LITIGATION',
  'INHERITANCE',
  'OTHER',
] as const;
export type PurposeCode = (typeof PURPOSE_CODES)[number];

export const APPLICANT_KINDS = ['SELF', 'AGENT', 'UNIT'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

/** Relation of `relatedPerson` to the subject ("relatedPerson is the subject's MOTHER"). */
export const RELATIONS = [
  'FATHER',
  'MOTHER',
  'SON',
  'DAUGHTER',
  'SPOUSE',
  'BROTHER',
  'SISTER',
  'GRANDPARENT',
  'GRANDCHILD',
  'OTHER',
] as const;
export type Relation = (typeof RELATIONS)[number];

/** Questions of ad-hoc verification (docs/api.md exchange queries). */
export const EXCHANGE_QUESTIONS = [
  'HOUSEHOLD_RELATION',
  'KINSHIP',
  'HUKOU_STATUS',
  'ALIVE',
  'NAME_HISTORY',
  'CRIMINAL_RECORD',
] as const;
export type ExchangeQuestion = (typeof EXCHANGE_QUESTIONS)[number];

/** What an exchange tells a connected department instead of a certificate (kept as an exchange record). */
export interface ExchangeAnswer {
  /** The connected department that gets the answer. */
  department: BodyCode;
  question: ExchangeQuestion;
  /** The facts answered, e.g. `{ related: true, relation: 'PARENT_CHILD' }`; never a full ID number. */
  answer: Record<string, unknown>;
  /** Where the answer comes from, e.g. `population-registry`. */
  source: string;
}

/** Deadline information of an `INVESTIGATE` decision. Times are ISO 8601 UTC strings. */
export interface InvestigationDeadline {
  acceptedAt: string;
  /** End (23:59:59.999 Beijing time) of the N-th working day after the day of acceptance. */
  deadline: string;
  /** End of the working day before the deadline's day: when the station is warned (预警). */
  warnAt: string;
  workingDays: number;
  /** Working days between escalation levels (level 1 at `deadline`, level 2 this many later, …). */
  escalationIntervalWorkingDays: number;
  /** True when the calendar has no official holiday data for a day the count crossed. */
  provisional: boolean;
}

/** The decision of the rule check: what happens to a request and why. */
export interface Decision {
  outcome: Outcome;
  /** The rule that made the decision, e.g. `jilin-2016/R4-kinship-one-household`. */
  ruleId: string;
  policyVersion: string;
  /** The proof kind decided on. */
  proof: ProofCode;
  /** The principle or clause the decision rests on. */
  basis: Bilingual;
  reason: Bilingual;
  guidance: Bilingual;
  /** The body that holds the fact (principle 3, or the police for police facts). */
  heldBy?: BodyCode;
  /** The competent police station (registry station code). */
  station?: string;
  /** For `ANSWERED_BY_EXCHANGE`: what to answer the asking department. */
  exchange?: ExchangeAnswer;
  /** For `INVESTIGATE`: the deadline, the warning moment and the escalation interval. */
  investigation?: InvestigationDeadline;
  /** For `ISSUE_ON_THE_SPOT`: the registry facts the certificate states (masked where personal). */
  facts?: Record<string, unknown>;
  /**
   * For `COMMITMENT_ACCEPTED` (告知承诺制): the commitment the applicant signs instead of a certificate, the
   * body that accepts it and may check it later against the registry. No certificate is issued.
   */
  commitment?: { department: BodyCode; text: Bilingual; subject: string; checkable: true };
}

/** Outcomes that count as a certificate avoided (docs/api.md metrics: the three principles and exchange). */
export const AVOIDED_OUTCOMES: readonly Outcome[] = [
  'DECLINED_PROVABLE_BY_HUKOU',
  'DECLINED_NO_LEGAL_BASIS',
  'DECLINED_NOT_POLICE_INFORMATION',
  'ANSWERED_BY_EXCHANGE',
  'COMMITMENT_ACCEPTED',
];
