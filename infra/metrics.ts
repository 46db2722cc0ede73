/**
 * The EMF metrics the handlers emit (Powertools Metrics, one namespace, the default `service` dimension),
 * as the alarms and the dashboard read them. A CloudWatch alarm matches a metric by namespace, name and
 * the exact dimension set, so these must equal what `functions/` emits — the infra tests check the names
 * against the handlers' source.
 */
export const emfService = 'certflow';

export const emfMetrics = {
  /** Requests accepted by intake (Count). */
  requestsReceived: 'RequestsReceived',
  /** Rule-check decisions (Count). */
  decisions: 'Decisions',
  /** Certificates issued, on the spot or after investigation (Count). */
  certificatesIssued: 'CertificatesIssued',
  /** Warnings one working day before a deadline (Count, sweeper). */
  warnings: 'DeadlineWarnings',
  /** Escalations at a deadline (Count, sweeper). */
  escalations: 'Escalations',
  /** Open requests past their deadline, as the sweeper last saw them (gauge, Count). */
  overdue: 'OverdueRequests',
  /** Department deliveries given up after retries and recorded as dead letters (Count). */
  deadLetters: 'DeliveryDeadLetters',
} as const;
