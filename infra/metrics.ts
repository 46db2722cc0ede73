/**
 * The EMF metrics the handlers emit (Powertools Metrics, namespace and service from functions/deps.ts),
 * as the alarms and the dashboard read them. A CloudWatch alarm matches a metric by namespace, name and
 * the exact dimension set (`service`), so these must equal what `functions/` emits — the infra tests
 * check every name against the handlers' source.
 */
import { METRICS_NAMESPACE, SERVICE_NAME } from '#functions/deps.ts';
import { DEADLINE_METRICS } from '#shared/config/alarms.ts';
import { OUTCOMES } from '#shared/domain/types.ts';

export const emfNamespace = METRICS_NAMESPACE;
export const emfService = SERVICE_NAME;

export const emfMetrics = {
  /** Requests accepted by intake (Intake). */
  requestsReceived: 'RequestAccepted',
  /** Intake refused for the per-client rate limit (Intake). */
  rateLimited: 'IntakeRateLimited',
  /** Certificates issued, on the spot or after investigation. */
  certificatesIssued: 'CertificateIssued',
  /** Requests refused after investigation (Decide). */
  refused: 'RequestRefused',
  /** Findings accepted from officers or departments. */
  findingsAccepted: 'FindingAccepted',
  /** Escalations at a deadline, each alerting a supervisor (Escalate). */
  escalations: DEADLINE_METRICS.escalations,
  /** Warnings one working day before a deadline (DeadlineTimer, from its one-time schedule). */
  warnings: 'DeadlineWarning',
  /** A workflow step failed after its retries (RecoverWorkflow): logged at ERROR, then resumed. */
  stepFailed: 'WorkflowStepFailed',
  /** Lost workflows restarted by the sweeper. */
  repaired: 'WorkflowRepaired',
  /** Ad-hoc verifications answered to departments (ExchangeQuery). */
  exchangeAnswered: 'ExchangeQueryAnswered',
  /** Open requests past their deadline by more than the grace period, as the sweeper last counted them (gauge). */
  overdue: DEADLINE_METRICS.overdue,
  /** Open investigations = open executions waiting for a finding, from the status counters (gauge). */
  openInvestigations: 'OpenInvestigations',
  /** Liveness: 1 per completed sweep (DeadlineSweeper); missing data is breaching. */
  sweepCompleted: 'SweepCompleted',
  /** Department deliveries that succeeded (DeliverToDepartments). */
  deliveries: 'DeliverySucceeded',
  /** Department deliveries given up after every retry and recorded as dead letters (RecordDeadLetter). */
  deadLetters: 'DeliveryDeadLettered',
  /** Complaints filed (FileComplaint). */
  complaintsReceived: 'ComplaintAccepted',
  /** Complaints past a deadline, moved to the next supervisor level (EscalateComplaint). */
  complaintEscalations: 'ComplaintEscalated',
  /** Ratings at or below the review threshold (RateRequest). */
  poorRatings: 'PoorRatingReview',
} as const;

/**
 * Dimensions the handlers add to a metric besides `service` (Powertools `addDimension`). A CloudWatch
 * metric is one name + one exact dimension set, so these are read with a Metrics Insights query that sums
 * over the extra dimensions (e.g. every escalation level).
 */
export const extraDimensions: Readonly<Record<string, readonly string[]>> = {
  [emfMetrics.escalations]: ['level'],
  [emfMetrics.complaintEscalations]: ['level'],
};

/** Rule-check decisions, one metric per outcome (CheckRules emits `Outcome_<OUTCOME>`). */
export const outcomeMetrics: readonly string[] = OUTCOMES.map((outcome) => `Outcome_${outcome}`);
