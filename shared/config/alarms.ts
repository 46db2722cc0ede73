/**
 * The deadline-escalation alarms, defined once: CDK deploys them as CloudWatch alarms
 * (infra/constructs/monitoring.ts) and the local stack evaluates the same definitions over the metrics
 * the functions emit (local/alarms.ts, `GET /_local/alarms`). Thresholds are certflow's defaults; the
 * overdue threshold is the deployment setting `overdueAlarmThreshold`.
 *
 * CloudWatch semantics, kept locally: one period of `ALARM_PERIOD_MINUTES`, the `statistic` of the
 * metric's datapoints in it compared `>=` the threshold, one evaluation period, missing data not
 * breaching (no datapoint in the period: OK).
 */

/** The metric names the handlers emit for deadlines (Powertools Metrics; infra/metrics.ts reads them). */
export const DEADLINE_METRICS = {
  /** Open requests past their deadline, as the sweeper last counted them (gauge, DeadlineSweeper). */
  overdue: 'OverdueRequests',
  /** One per escalation at a deadline (Escalate), with the dimension `level`. */
  escalations: 'SupervisorAlarm',
} as const;

/** Open requests past their deadline before the overdue alarm fires (certflow's default). */
export const DEFAULT_OVERDUE_THRESHOLD = 1;

/** The period every deadline alarm evaluates (minutes). */
export const ALARM_PERIOD_MINUTES = 5;

export interface AlarmDefinition {
  /** Construct id and the alarm name's suffix (`certflow-{stage}-{id}`). */
  readonly id: string;
  readonly description: string;
  readonly metricName: string;
  readonly statistic: 'Maximum' | 'Sum';
  /** Fires at `statistic >= threshold`. */
  readonly threshold: number;
  readonly evaluationPeriods: 1;
}

/** The deadline-escalation alarms for an overdue threshold (default `DEFAULT_OVERDUE_THRESHOLD`). */
export function deadlineAlarms(options: { overdueThreshold?: number } = {}): AlarmDefinition[] {
  return [
    {
      id: 'OverdueRequests',
      description:
        "Open requests are past their deadline (the policy's investigation deadline, or the escalation deadline).",
      metricName: DEADLINE_METRICS.overdue,
      statistic: 'Maximum',
      threshold: options.overdueThreshold ?? DEFAULT_OVERDUE_THRESHOLD,
      evaluationPeriods: 1,
    },
    {
      id: 'Escalations',
      description: 'A request reached its deadline and was escalated: a supervisor is alerted.',
      metricName: DEADLINE_METRICS.escalations,
      statistic: 'Sum',
      threshold: 1,
      evaluationPeriods: 1,
    },
  ];
}

/** The statistic of datapoints (empty: undefined, i.e. missing data). */
export function statisticOf(
  statistic: AlarmDefinition['statistic'],
  values: readonly number[],
): number | undefined {
  if (values.length === 0) return undefined;
  return statistic === 'Sum' ? values.reduce((a, b) => a + b, 0) : Math.max(...values);
}
