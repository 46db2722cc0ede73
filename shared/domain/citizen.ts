/**
 * What a citizen sees of the exchange about them (the data tracker, "who asked about me", after
 * Estonia's andmejälgija), the figures of the citizen one-time-code sign-in, and the abolished-demand
 * tracker's rules. Pure: no AWS SDK, no clock of its own.
 */
import type { Policy } from '#shared/policy/policy.ts';
import { bodyOf } from '#shared/policy/policy.ts';
import type { Bilingual, Outcome } from './types.ts';

/**
 * The citizen one-time-code sign-in (data tracker and lost-link recovery). certflow's defaults; the SMS
 * text (`messages.recoveryCode`, policy data) says "valid for 10 minutes", so the two go together.
 */
export const CITIZEN_SIGN_IN = {
  /** How long a code is valid (ms). */
  codeTtlMs: 10 * 60_000,
  /** Wrong codes tried before the code is spent (it must be asked for again). */
  maxAttempts: 5,
  /** Codes asked for one phone within `windowMs` (counted whether or not the pair is known). */
  perPhone: 5,
  /** Codes asked for, and sign-ins tried, from one client address within `windowMs`. */
  perAddress: 30,
  /** The rate-limit window (ms): one hour. */
  windowMs: 60 * 60_000,
  /** How long a citizen session lasts (s). */
  sessionSeconds: 15 * 60,
} as const;

/** How an exchange reached the body (信息流转 mechanisms), in both languages. */
export const MECHANISM_NAMES: Record<string, Bilingual> = {
  RESULT_FEEDBACK: { zh: '结果反馈（代替证明）', en: 'result feedback (instead of a certificate)' },
  AD_HOC_VERIFICATION: { zh: '即时核查', en: 'ad-hoc verification' },
  PERIODIC_EXCHANGE: { zh: '定期交换', en: 'periodic exchange' },
  LEVEL_BY_LEVEL: { zh: '逐级核查', en: 'level-by-level verification' },
};

/** What a body asked (the exchange questions), in both languages. */
export const QUESTION_NAMES: Record<string, Bilingual> = {
  HOUSEHOLD_RELATION: { zh: '同户关系', en: 'whether you share a household' },
  KINSHIP: { zh: '亲属关系', en: 'a family relation' },
  HUKOU_STATUS: { zh: '户籍状态', en: 'your hukou status' },
  ALIVE: { zh: '是否健在', en: 'whether you are alive' },
  NAME_HISTORY: { zh: '曾用名', en: 'your former names' },
  CRIMINAL_RECORD: { zh: '有无犯罪记录', en: 'whether you have a criminal record' },
  // What a periodic-exchange record tells the subscribed body (its question is the change's type).
  DEATH: { zh: '死亡登记', en: 'a registered death' },
  HUKOU_CANCELLED: { zh: '户口注销', en: 'a cancelled hukou' },
  NAME_CHANGED: { zh: '姓名变更', en: 'a change of name' },
  GENDER_CHANGED: { zh: '性别变更', en: 'a change of gender' },
  MIGRATED: { zh: '户口迁出', en: 'a hukou moved out of the region' },
};

/**
 * The purpose of a periodic exchange (定期交换): the body keeps its own caseload current, for the changes it
 * subscribed to — and it may subscribe only to changes it may ask about (`mayAskExchange`, the policy's
 * `exchangeFor`). The joint notice names periodic exchange as one of the four ways the facts flow
 * (policy source `jilin-2016`); certflow's reading: such a record has a legal purpose.
 */
export const PERIODIC_EXCHANGE_PURPOSE: DataTrackerEntry['purpose'] = {
  given: 'PERIODIC_EXCHANGE',
  name: {
    zh: '定期交换：本单位在办对象的户籍变动',
    en: 'periodic exchange: registry changes of people in the body’s caseload',
  },
  legal: true,
};

/** The rule an ad-hoc verification is answered under (exchange-query.ts: connected body, question allowed). */
export const AD_HOC_RULE_ID = 'exchange/ad-hoc-verification-connected-body';

export const NO_LEGAL_PURPOSE: Bilingual = {
  zh: '未载明法定用途',
  en: 'no legal purpose stated',
};

/** An exchange record as the data tracker lists it (the stored record's fields that matter here). */
export interface TrackedExchange {
  exchangeId: string;
  department: string;
  origin: 'REQUEST' | 'QUERY' | 'SUBSCRIPTION';
  mechanism: string;
  question: string;
  answer: Record<string, unknown>;
  answeredAt: string;
  purpose?: string | undefined;
  reference?: string | undefined;
  requestId?: string | undefined;
  ruleId?: string | undefined;
}

/** One line of "who asked about me". */
export interface DataTrackerEntry {
  exchangeId: string;
  /** When the body asked and was answered (ISO). */
  askedAt: string;
  body: { code: string; name: Bilingual };
  question: string;
  questionName: Bilingual;
  /** The purpose as given; `legal` false when it is not one of the policy's purposes (shown as such). */
  purpose: { given?: string; name?: Bilingual; legal: boolean };
  answer: Record<string, unknown>;
  rule: { id: string; mechanism: string; mechanismName: Bilingual };
  /** The body's own reference, and the certflow request it answered (result feedback). */
  reference?: string;
  requestId?: string;
}

/**
 * The purpose of an exchange as a legal purpose of the policy (its `purposes`: by code, or by either name),
 * or `legal: false` — a query whose purpose names none of them (or only `OTHER`) is visible as such.
 * certflow's reading: the policy's list of purposes is the list of lawful uses of a certificate.
 */
export function purposeOf(policy: Policy, purpose: string | undefined): DataTrackerEntry['purpose'] {
  const given = purpose?.trim();
  if (!given) return { legal: false, name: NO_LEGAL_PURPOSE };
  const match = policy.purposes.find((p) => p.code === given || p.name.zh === given || p.name.en === given);
  // "OTHER" (其他) names no purpose: the query is shown as one without a legal purpose.
  if (match === undefined || match.code === 'OTHER') return { given, name: NO_LEGAL_PURPOSE, legal: false };
  return { given, name: match.name, legal: true };
}

/** The data tracker's line for one exchange record. */
export function dataTrackerEntry(policy: Policy, record: TrackedExchange): DataTrackerEntry {
  const body = bodyOf(policy, record.department);
  return {
    exchangeId: record.exchangeId,
    askedAt: record.answeredAt,
    body: { code: record.department, name: body?.name ?? { zh: record.department, en: record.department } },
    question: record.question,
    questionName: QUESTION_NAMES[record.question] ?? { zh: record.question, en: record.question },
    purpose:
      record.origin === 'SUBSCRIPTION' && record.purpose === undefined
        ? PERIODIC_EXCHANGE_PURPOSE
        : purposeOf(policy, record.purpose),
    answer: record.answer,
    rule: {
      id:
        record.ruleId ??
        (record.origin === 'QUERY'
          ? AD_HOC_RULE_ID
          : record.origin === 'SUBSCRIPTION'
            ? 'periodic-exchange-subscription'
            : 'rule-5-exchange'),
      mechanism: record.mechanism,
      mechanismName: MECHANISM_NAMES[record.mechanism] ?? { zh: record.mechanism, en: record.mechanism },
    },
    ...(record.reference ? { reference: record.reference } : {}),
    ...(record.requestId ? { requestId: record.requestId } : {}),
  };
}

// --- the abolished-demand tracker (issue 13.3) ---

/**
 * Outcomes that mean "the body demanded what the notice abolished or what the booklet proves": the kind
 * has no legal basis (abolished, stopped, unlisted) or is provable by the hukou booklet.
 */
export const ABOLISHED_DEMAND_OUTCOMES: readonly Outcome[] = [
  'DECLINED_NO_LEGAL_BASIS',
  'DECLINED_PROVABLE_BY_HUKOU',
];

/** Whether a decided request counts as an abolished demand. */
export function isAbolishedDemand(outcome: string | undefined): boolean {
  return ABOLISHED_DEMAND_OUTCOMES.includes(outcome as Outcome);
}

/** One counter of the tracker: a body, a kind, how many declined requests and upheld complaints. */
export interface AbolishedDemandCount {
  /** `askedBy` code (`OTHER` for bodies named only in free text: such names are not published). */
  body: string;
  kind: string;
  declined: number;
  upheldComplaints: number;
  /** The last time this counter moved (ISO). */
  lastAt: string;
}

/** A tracker line as the public sees it: names in both languages, and the total. */
export interface AbolishedDemandLine extends AbolishedDemandCount {
  bodyName: Bilingual;
  kindName: Bilingual;
  total: number;
}

/** Lines with names, the most demanded first (ties by body, then kind). */
export function abolishedDemandLines(
  policy: Policy,
  counts: readonly AbolishedDemandCount[],
): AbolishedDemandLine[] {
  return counts
    .map((c) => ({
      ...c,
      bodyName:
        c.body === 'OTHER' ? OTHER_BODY : (bodyOf(policy, c.body)?.name ?? { zh: c.body, en: c.body }),
      kindName: policy.kinds.find((k) => k.code === c.kind)?.name ?? { zh: c.kind, en: c.kind },
      total: c.declined + c.upheldComplaints,
    }))
    .sort((a, b) => b.total - a.total || a.body.localeCompare(b.body) || a.kind.localeCompare(b.kind));
}

const OTHER_BODY: Bilingual = { zh: '其他单位（未公开名称）', en: 'other bodies (names not published)' };

/** The Beijing month (`YYYY-MM`) of an instant. */
export function beijingMonth(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 7);
}

/** The Beijing month before `month` (`YYYY-MM`). */
export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * The monthly report: the month's lines and the bodies that kept demanding (those with at least
 * `threshold` demands in the month; certflow's default 1: every body that demanded is named).
 */
export function abolishedDemandReport(
  policy: Policy,
  month: string,
  counts: readonly AbolishedDemandCount[],
  threshold = 1,
) {
  const lines = abolishedDemandLines(policy, counts);
  const byBody = new Map<string, { body: string; name: Bilingual; total: number }>();
  for (const l of lines) {
    const b = byBody.get(l.body) ?? { body: l.body, name: l.bodyName, total: 0 };
    b.total += l.total;
    byBody.set(l.body, b);
  }
  const named = [...byBody.values()].filter((b) => b.total >= threshold).sort((a, b) => b.total - a.total);
  return {
    month,
    policyVersion: policy.policyVersion,
    title: {
      zh: `${month} 仍索要已取消或户口簿可证明事项证明的单位`,
      en: `${month}: bodies still demanding certificates the notice abolished or the booklet proves`,
    },
    bodies: named,
    lines,
  };
}
