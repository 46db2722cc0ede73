/**
 * The complaint (投诉举报) and the rating (好差评): statuses, the forward-only rule, who supervises at each
 * level, the deadlines, the masked views and the public tallies. One home for the accountability domain;
 * the store keeps `ComplaintRecord`s, the use cases (functions/use-cases/complaints.ts) change them
 * through these. Pure: no clock, no I/O.
 *
 * Lifecycle: ACCEPTED → ASSIGNED (the supervisor level above the station: level 1 the county bureau) →
 * ESCALATED (each missed deadline: the next level) → UPHELD | NOT_UPHELD (a supervisor's finding).
 */
import type { WorkingDayCalendar } from '#shared/domain/calendar.ts';
import { maskName } from '#shared/domain/id-number.ts';
import type { Bilingual } from '#shared/domain/types.ts';
import type { AccountabilityPolicy, ComplaintKind } from '#shared/policy/accountability.ts';

export const COMPLAINT_STATUSES = ['ACCEPTED', 'ASSIGNED', 'ESCALATED', 'UPHELD', 'NOT_UPHELD'] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];
export const COMPLAINT_OUTCOMES = ['UPHELD', 'NOT_UPHELD'] as const;
export type ComplaintOutcome = (typeof COMPLAINT_OUTCOMES)[number];
/** Statuses of a complaint waiting for a supervisor's finding. */
export const WAITING_COMPLAINT_STATUSES = ['ASSIGNED', 'ESCALATED'] as const;

const RANK: Record<ComplaintStatus, number> = {
  ACCEPTED: 0,
  ASSIGNED: 1,
  ESCALATED: 2,
  UPHELD: 3,
  NOT_UPHELD: 3,
};

export function isComplaintFinal(status: ComplaintStatus): boolean {
  return status === 'UPHELD' || status === 'NOT_UPHELD';
}

export function isComplaintWaiting(status: ComplaintStatus): boolean {
  return status === 'ASSIGNED' || status === 'ESCALATED';
}

/** May a complaint in `from` be written with status `to`? Forward only; a final status never moves. */
export function isComplaintForward(from: ComplaintStatus, to: ComplaintStatus): boolean {
  if (isComplaintFinal(from)) return from === to;
  return RANK[to] >= RANK[from];
}

export interface ComplaintEvent {
  at: string;
  type: 'ACCEPTED' | 'ASSIGNED' | 'ESCALATED' | 'FINDING_RECEIVED' | 'UPHELD' | 'NOT_UPHELD';
  actor: string;
  detail?: Record<string, unknown>;
}

export interface ComplaintFinding {
  outcome: ComplaintOutcome;
  note: string;
  /** `supervisor:{name}` */
  by: string;
  at: string;
  /** The officer held responsible (an accountability record is made when UPHELD). */
  officer?: string;
}

/** The supervisor unit a complaint is assigned to: level 1 the county bureau above the station … */
export interface Assignment {
  level: number;
  unit: Bilingual;
}

export interface ComplaintRecord {
  complaintId: string;
  kind: ComplaintKind;
  status: ComplaintStatus;
  version: number;
  /** What the complainant wrote (plain text; pages render it as text). */
  text: string;
  requestId?: string;
  station?: string;
  /** The officer the complainant names (free text: name or badge number), if any. */
  officer?: string;
  /** ABOLISHED_DEMAND: the body that demanded it (a policy body code) and the certificate kind. */
  body?: string;
  certificateKind?: string;
  contact: { name: string; phone: string };
  /** SHA-256 of the complaint's access token. */
  accessTokenHash: string;
  acceptedAt: string;
  updatedAt: string;
  assignment?: Assignment;
  deadline?: string;
  deadlineProvisional?: boolean;
  taskToken?: string;
  pendingFinding?: ComplaintFinding;
  finding?: ComplaintFinding;
  finishedAt?: string;
  /** The execution running it (the id itself at first; `{id}-r{n}` after the sweeper's n-th restart). */
  executionName?: string;
  repairs?: number;
  /** The audit trail, oldest first (a complaint has a handful of transitions; kept on the item). */
  history: ComplaintEvent[];
}

/**
 * The supervisor unit at `level` (1 = the one directly above the station) for a station in `county`,
 * `city`: 1 → `{county}` + the policy's first supervisor (`朝阳区 县级公安机关`), 2 → `{city}` + the
 * second, 3 and above → the policy's last (the provincial department). `supervisors` is the certificate
 * policy's list (`Policy.supervisors`, level 1 first).
 */
export function assignmentAt(
  supervisors: readonly Bilingual[],
  level: number,
  place: { county?: string; city?: string },
): Assignment {
  const index = Math.min(Math.max(level, 1), supervisors.length) - 1;
  const s = supervisors[index]!;
  const where = index === 0 ? place.county : index === 1 ? place.city : undefined;
  return {
    level,
    unit: where ? { zh: `${where}${s.zh}`, en: `${s.en} of ${where}` } : { zh: s.zh, en: s.en },
  };
}

/**
 * The deadline of a complaint's finding at the first level: `findingWorkingDays` working days after the
 * day of acceptance (close of that Beijing day), or after an escalation `escalationIntervalWorkingDays`
 * after the missed deadline. ISO string; `provisional` when the calendar had no official data.
 */
export function complaintDeadline(
  policy: AccountabilityPolicy,
  calendar: WorkingDayCalendar,
  from: { acceptedAt: string } | { missedDeadline: string },
): { deadline: string; provisional: boolean } {
  const r =
    'acceptedAt' in from
      ? calendar.workingDaysAfter(new Date(from.acceptedAt), policy.complaint.findingWorkingDays)
      : calendar.workingDaysAfter(
          new Date(from.missedDeadline),
          policy.complaint.escalationIntervalWorkingDays,
        );
  return { deadline: r.deadline.toISOString(), provisional: r.provisional };
}

/** `138****5678`: a phone number with its middle hidden (anything short is masked whole). */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

/**
 * A complaint as shown: to the assigned supervisor (`full`) the contact as filed; to anyone else (the
 * complainant's own status link included: a forwarded link should not carry the phone) masked. The text
 * is always a plain string: pages put it in `textContent`, never in HTML.
 */
export function complaintView(c: ComplaintRecord, options: { full?: boolean; staff?: boolean } = {}) {
  return {
    complaintId: c.complaintId,
    kind: c.kind,
    status: c.status,
    text: c.text,
    ...(c.requestId ? { requestId: c.requestId } : {}),
    ...(c.station ? { station: c.station } : {}),
    ...(c.officer ? { officer: c.officer } : {}),
    ...(c.body ? { body: c.body } : {}),
    ...(c.certificateKind ? { certificateKind: c.certificateKind } : {}),
    contact: options.full ? c.contact : { name: maskName(c.contact.name), phone: maskPhone(c.contact.phone) },
    acceptedAt: c.acceptedAt,
    ...(c.assignment ? { assignment: c.assignment } : {}),
    ...(c.deadline ? { deadline: c.deadline, deadlineProvisional: c.deadlineProvisional === true } : {}),
    ...(c.finding
      ? {
          finding: {
            outcome: c.finding.outcome,
            note: c.finding.note,
            at: c.finding.at,
            ...(options.staff
              ? { by: c.finding.by, ...(c.finding.officer ? { officer: c.finding.officer } : {}) }
              : {}),
          },
        }
      : {}),
    ...(c.finishedAt ? { finishedAt: c.finishedAt } : {}),
    history: c.history.map((e) => (options.staff ? e : { at: e.at, type: e.type, detail: publicDetail(e) })),
  };
}

function publicDetail(e: ComplaintEvent): Record<string, unknown> {
  const { by: _by, officer: _officer, ...rest } = e.detail ?? {};
  return rest;
}

/** An accountability record (问责记录): an upheld complaint about an officer or a body. */
export interface AccountabilityRecord {
  recordId: string;
  /** `OFFICER` with `officer`, or `BODY` with `body`. */
  subject: 'OFFICER' | 'BODY';
  officer?: string;
  body?: string;
  station?: string;
  complaintId: string;
  kind: ComplaintKind;
  note: string;
  decidedBy: string;
  at: string;
}

/**
 * The accountability record an UPHELD finding makes: on the officer the finding names (else the one the
 * complaint names) for OFFICER kinds, on the body for ABOLISHED_DEMAND; none without either.
 */
export function accountabilityRecordFor(
  policy: AccountabilityPolicy,
  complaint: ComplaintRecord,
  finding: ComplaintFinding,
): AccountabilityRecord | undefined {
  if (finding.outcome !== 'UPHELD') return undefined;
  const about = policy.kinds.find((k) => k.code === complaint.kind)?.about ?? 'OFFICER';
  const base = {
    recordId: `${complaint.complaintId}`,
    complaintId: complaint.complaintId,
    kind: complaint.kind,
    note: finding.note,
    decidedBy: finding.by,
    at: finding.at,
    ...(complaint.station ? { station: complaint.station } : {}),
  };
  if (about === 'BODY')
    return complaint.body ? { ...base, subject: 'BODY', body: complaint.body } : undefined;
  const officer = finding.officer ?? complaint.officer;
  return officer ? { ...base, subject: 'OFFICER', officer } : undefined;
}

/** A rating of one closed request (好差评). */
export interface RatingRecord {
  requestId: string;
  score: number;
  text: string;
  at: string;
  station?: string;
  /** The officer who reported the finding (investigated requests), `officer:{name}`. */
  officer?: string;
  /** Opened when `score <= reviewAtOrBelow`; `OPEN` until a supervisor closes it. */
  review?: 'OPEN' | 'CLOSED';
  /** How the supervisor closed the review (差评回访): outcome, remark, who and when. */
  closure?: ReviewClosure;
}

/**
 * How a poor-rating review (差评回访) ends — certflow's default wording: `RECTIFIED` (整改: the complaint in
 * the rating was justified and the station put it right) or `NO_FAULT` (经核查无过错: checked, no fault
 * found, explained to the applicant).
 */
export const REVIEW_OUTCOMES = ['RECTIFIED', 'NO_FAULT'] as const;
export type ReviewOutcome = (typeof REVIEW_OUTCOMES)[number];

/** A closed review: the supervisor's outcome and remark, `by` (`supervisor:{name}`) and `at` (ISO). */
export interface ReviewClosure {
  outcome: ReviewOutcome;
  remark: string;
  by: string;
  at: string;
}

/** Does this score open a review for the supervisor? */
export function opensReview(policy: AccountabilityPolicy, score: number): boolean {
  return score <= policy.rating.reviewAtOrBelow;
}

/** Per-station public figures: complaints received / upheld, ratings. No personal data. */
export interface StationAccountability {
  station: string;
  complaintsReceived: number;
  complaintsUpheld: number;
  complaintsOpen: number;
  ratings: number;
  ratingAverage: number | null;
}

/**
 * Tallies complaints and ratings per station (complaints without a station count under `UNKNOWN`); a
 * complaint row may stand for `count` complaints of one station and status (the complaint counters), a
 * rating row for `count` ratings of one score (the rating counters), else each for one.
 * Averages are rounded to 2 decimals; `null` without ratings.
 */
export function tallyAccountability(
  complaints: readonly (Pick<ComplaintRecord, 'station' | 'status'> & { count?: number })[],
  ratings: readonly (Pick<RatingRecord, 'station' | 'score'> & { count?: number })[],
): StationAccountability[] {
  const rows = new Map<string, StationAccountability & { sum: number }>();
  const row = (station: string) => {
    let r = rows.get(station);
    if (!r) {
      r = {
        station,
        complaintsReceived: 0,
        complaintsUpheld: 0,
        complaintsOpen: 0,
        ratings: 0,
        ratingAverage: null,
        sum: 0,
      };
      rows.set(station, r);
    }
    return r;
  };
  for (const c of complaints) {
    const r = row(c.station ?? 'UNKNOWN');
    const n = c.count ?? 1;
    r.complaintsReceived += n;
    if (c.status === 'UPHELD') r.complaintsUpheld += n;
    if (!isComplaintFinal(c.status)) r.complaintsOpen += n;
  }
  for (const rating of ratings) {
    const r = row(rating.station ?? 'UNKNOWN');
    const n = rating.count ?? 1;
    r.ratings += n;
    r.sum += rating.score * n;
  }
  return [...rows.values()]
    .map(({ sum, ...r }) => ({
      ...r,
      ratingAverage: r.ratings > 0 ? Math.round((sum / r.ratings) * 100) / 100 : null,
    }))
    .sort((a, b) => a.station.localeCompare(b.station));
}
