/**
 * Alarms for supervisors and a dashboard of what the handlers emit. Every alarm notifies one SNS topic
 * (encrypted, TLS-only) that e-mails the address from context.
 *
 * Alarms: overdue requests, escalations, failed or timed-out executions, errors and throttles of every
 * handler, throttled state-machine executions and table requests, department deliveries given up
 * (dead letters), and sweeper invocations the scheduler could not deliver.
 *
 * Alarms that cannot go quiet (issue 18): the sweeper's liveness count (`SweepCompleted`) treats missing
 * data as breaching, so a sweeper that stops running, or fails before its end, alarms instead of going
 * silent; scheduled functions alarm near their timeout; the deadline schedules alarm when EventBridge
 * Scheduler drops, throttles or fails an invocation; the API alarms on 429s (its access logs); Step
 * Functions alarms on throttled state transitions and on throttled task-token / execution API calls.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ALARM_PERIOD_MINUTES, deadlineAlarms } from '#shared/config/alarms.ts';
import { emfMetrics, emfNamespace, emfService, extraDimensions, outcomeMetrics } from '../metrics.ts';
import type { CertflowApi } from './api.ts';
import type { CertflowFunction } from './certflow-function.ts';

export interface CertflowMonitoringProps {
  readonly stage: string;
  readonly alarmEmail?: string;
  readonly overdueThreshold: number;
  readonly functions: readonly CertflowFunction[];
  /** Absent only while the workflow definition has not landed. */
  readonly stateMachine?: sfn.StateMachine;
  readonly table: ITableV2;
  readonly api: CertflowApi;
  readonly schedulerDeadLetters?: sqs.IQueue;
  /** The group of the one-time deadline schedules (EventBridge Scheduler). */
  readonly deadlineScheduleGroup?: string;
}

/** An account-wide Step Functions state-transition metric (AWS/States, ServiceMetric=StateTransition). */
function sfnStateTransitionMetric(name: 'ThrottledEvents'): cloudwatch.Metric {
  return sfn.StateTransitionMetric.metric(name, { statistic: 'Sum', period: Duration.minutes(5) });
}

export class CertflowMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: CertflowMonitoringProps) {
    super(scope, id);
    const prefix = `certflow-${props.stage}`;

    const topicKey = new kms.Key(this, 'TopicKey', {
      alias: `alias/${prefix}-alarms`,
      description: `certflow ${props.stage}: encrypts the supervisors' alarm topic`,
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the encrypted topic: it needs the key.
    topicKey.grant(
      new iam.ServicePrincipal('cloudwatch.amazonaws.com'),
      'kms:Decrypt',
      'kms:GenerateDataKey',
    );

    this.topic = new sns.Topic(this, 'SupervisorAlarms', {
      topicName: `${prefix}-supervisor-alarms`,
      displayName: 'certflow supervisor alarms',
      masterKey: topicKey,
      enforceSSL: true,
    });
    if (props.alarmEmail) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    const action = new SnsAction(this.topic);

    /** A handler metric; one with extra dimensions is summed over them with a Metrics Insights query. */
    const emf = (metricName: string, statistic: string): cloudwatch.IMetric => {
      const extra = extraDimensions[metricName];
      if (extra) {
        const fn = statistic === 'Sum' ? 'SUM' : statistic === 'Maximum' ? 'MAX' : 'AVG';
        const schema = [emfNamespace, ...[...extra, 'service'].sort()].join(', ');
        return new cloudwatch.MathExpression({
          expression: `SELECT ${fn}(${metricName}) FROM SCHEMA(${schema}) WHERE service = '${emfService}'`,
          label: metricName,
          period: Duration.minutes(ALARM_PERIOD_MINUTES),
          usingMetrics: {},
        });
      }
      return new cloudwatch.Metric({
        namespace: emfNamespace,
        metricName,
        dimensionsMap: { service: emfService },
        statistic,
        period: Duration.minutes(ALARM_PERIOD_MINUTES),
      });
    };

    const alarm = (
      id: string,
      description: string,
      metric: cloudwatch.IMetric,
      threshold = 1,
      evaluationPeriods = 1,
      /** A liveness alarm: breaching below the threshold, and when the metric is missing. */
      liveness = false,
    ) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: `${prefix}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: liveness
          ? cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD
          : cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: liveness
          ? cloudwatch.TreatMissingData.BREACHING
          : cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    // The deadline-escalation alarms: one definition with the local stack (shared/config/alarms.ts).
    for (const definition of deadlineAlarms({ overdueThreshold: props.overdueThreshold })) {
      alarm(
        definition.id,
        definition.description,
        emf(definition.metricName, definition.statistic),
        definition.threshold,
      );
    }
    // Three sweeps are due every 15 minutes; none completed (or no data at all) is an alarm.
    alarm(
      'SweeperNotRunning',
      'The deadline sweeper (reconciliation of overdue and stuck requests) has not completed a run in 15 minutes: it is failing, timing out or not scheduled. Missing data counts as breaching.',
      new cloudwatch.Metric({
        namespace: emfNamespace,
        metricName: emfMetrics.sweepCompleted,
        dimensionsMap: { service: emfService },
        statistic: 'Sum',
        period: Duration.minutes(15),
      }),
      1,
      1,
      true,
    );
    // Step Functions keeps at most 1,000,000 open executions per account and region: alarm at 80 %.
    alarm(
      'OpenExecutionsNearQuota',
      'Open investigations (each an open Step Functions execution) reached 80% of the 1,000,000 open-executions quota per account and region: raise the quota or split the cell.',
      emf(emfMetrics.openInvestigations, 'Maximum'),
      800_000,
    );
    alarm(
      'ComplaintEscalations',
      'A complaint was not handled by its deadline and went to the next supervisor level.',
      emf(emfMetrics.complaintEscalations, 'Sum'),
    );
    alarm(
      'DeliveryDeadLetters',
      'A delivery to a department failed after every retry and was recorded as a dead letter.',
      emf(emfMetrics.deadLetters, 'Sum'),
    );
    alarm(
      'WorkflowStepFailed',
      'A workflow step of an open request failed after its retries (logged at ERROR with the request id); the request resumes from its stored state.',
      emf(emfMetrics.stepFailed, 'Sum'),
    );
    const machine = props.stateMachine;
    if (machine) {
      alarm(
        'FailedExecutions',
        'Certificate-request executions failed, timed out or were aborted.',
        new cloudwatch.MathExpression({
          expression: 'failed + timedOut + aborted',
          label: 'failed, timed-out and aborted executions',
          period: Duration.minutes(5),
          usingMetrics: {
            failed: machine.metricFailed({ statistic: 'Sum' }),
            timedOut: machine.metricTimedOut({ statistic: 'Sum' }),
            aborted: machine.metricAborted({ statistic: 'Sum' }),
          },
        }),
      );
      alarm(
        'ExecutionThrottles',
        'Step Functions throttled certificate-request executions.',
        machine.metricThrottled({ statistic: 'Sum', period: Duration.minutes(5) }),
      );
      alarm(
        'StateTransitionThrottles',
        'Step Functions throttled state transitions (the account-wide transition bucket is empty).',
        sfnStateTransitionMetric('ThrottledEvents'),
      );
      // Task tokens (findings), executions started by intake and repairs: the API calls that may throttle.
      for (const api of ['SendTaskSuccess', 'StartExecution']) {
        alarm(
          `${api}Throttles`,
          `Step Functions throttled ${api} calls (API rate quota).`,
          new cloudwatch.Metric({
            namespace: 'AWS/States',
            metricName: 'ThrottledEvents',
            dimensionsMap: { APIName: api },
            statistic: 'Sum',
            period: Duration.minutes(5),
          }),
        );
      }
      alarm(
        'TableThrottles',
        'DynamoDB throttled requests to the certflow table.',
        props.table.metricThrottledRequestsForOperations({
          operations: [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.QUERY],
          period: Duration.minutes(5),
        }),
      );
    }
    for (const fn of props.functions) {
      if (fn.spec.trigger.kind === 'schedule') {
        // A scheduled run that approaches its timeout is the first sign that its work outgrows it.
        const timeoutMs = (fn.spec.timeoutSeconds ?? 30) * 1000;
        alarm(
          `${fn.spec.name}-NearTimeout`,
          `A run of ${fn.spec.name} took more than 80% of its ${timeoutMs / 1000} s timeout.`,
          fn.function.metricDuration({ statistic: 'Maximum', period: Duration.minutes(5) }),
          Math.round(timeoutMs * 0.8),
        );
      }
      alarm(
        `${fn.spec.name}-Errors`,
        `The ${fn.spec.name} function failed (${fn.spec.description}).`,
        fn.function.metricErrors({ statistic: 'Sum', period: Duration.minutes(5) }),
      );
      alarm(
        `${fn.spec.name}-Throttles`,
        `Lambda throttled the ${fn.spec.name} function.`,
        fn.function.metricThrottles({ statistic: 'Sum', period: Duration.minutes(5) }),
      );
    }
    alarm(
      'Api5xx',
      'The HTTP API answered with server errors.',
      props.api.httpApi.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
      5,
    );
    // 429s: the HTTP API has no metric of its own for them; a metric filter on its JSON access logs.
    const tooMany = new logs.MetricFilter(this, 'Api429Filter', {
      logGroup: props.api.accessLogs,
      metricNamespace: emfNamespace,
      metricName: 'ApiTooManyRequests',
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricValue: '1',
      defaultValue: 0,
    });
    alarm(
      'Api429',
      'The HTTP API answered 429 Too Many Requests (stage or route throttling): intake is being refused.',
      tooMany.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
      10,
    );
    if (props.deadlineScheduleGroup) {
      const scheduler = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/Scheduler',
          metricName,
          dimensionsMap: { ScheduleGroup: props.deadlineScheduleGroup! },
          statistic: 'Sum',
          period: Duration.minutes(5),
        });
      alarm(
        'DeadlineSchedulesFailing',
        'EventBridge Scheduler dropped, throttled or could not deliver a deadline warning (DeadlineTimer).',
        new cloudwatch.MathExpression({
          expression: 'dropped + throttled + targetErrors',
          label: 'dropped, throttled and failed deadline-timer invocations',
          period: Duration.minutes(5),
          usingMetrics: {
            dropped: scheduler('InvocationDroppedCount'),
            throttled: scheduler('InvocationThrottleCount'),
            targetErrors: scheduler('TargetErrorCount'),
          },
        }),
      );
    }
    if (props.schedulerDeadLetters) {
      alarm(
        'SweeperUndelivered',
        'EventBridge Scheduler could not invoke the deadline sweeper (message in its dead-letter queue).',
        props.schedulerDeadLetters.metricApproximateNumberOfMessagesVisible({
          statistic: 'Maximum',
          period: Duration.minutes(5),
        }),
      );
    }

    const graph = (title: string, metrics: cloudwatch.IMetric[], width = 8) =>
      new cloudwatch.GraphWidget({ title, left: metrics, width, height: 6 });
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${prefix}`,
      defaultInterval: Duration.days(7),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: `# certflow ${props.stage}\nRequests, decisions and deadlines from the handlers' metrics (namespace \`${emfNamespace}\`).`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph('Requests', [
        emf(emfMetrics.requestsReceived, 'Sum'),
        emf(emfMetrics.rateLimited, 'Sum'),
        emf(emfMetrics.findingsAccepted, 'Sum'),
        emf(emfMetrics.exchangeAnswered, 'Sum'),
        emf(emfMetrics.certificatesIssued, 'Sum'),
        emf(emfMetrics.refused, 'Sum'),
      ]),
      graph(
        'Decisions by outcome',
        outcomeMetrics.map((name) => emf(name, 'Sum')),
      ),
      graph('Deadlines and deliveries', [
        emf(emfMetrics.overdue, 'Maximum'),
        emf(emfMetrics.warnings, 'Sum'),
        emf(emfMetrics.escalations, 'Sum'),
        emf(emfMetrics.stepFailed, 'Sum'),
        emf(emfMetrics.repaired, 'Sum'),
        emf(emfMetrics.sweepCompleted, 'Sum'),
        emf(emfMetrics.openInvestigations, 'Maximum'),
        emf(emfMetrics.deliveries, 'Sum'),
        emf(emfMetrics.deadLetters, 'Sum'),
      ]),
      graph('Accountability', [
        emf(emfMetrics.complaintsReceived, 'Sum'),
        emf(emfMetrics.complaintEscalations, 'Sum'),
        emf(emfMetrics.poorRatings, 'Sum'),
      ]),
    );
    this.dashboard.addWidgets(
      ...(machine
        ? [
            graph('Executions', [
              machine.metricStarted({ statistic: 'Sum' }),
              machine.metricSucceeded({ statistic: 'Sum' }),
              machine.metricFailed({ statistic: 'Sum' }),
            ]),
          ]
        : []),
      graph('API', [
        props.api.httpApi.metricCount({ statistic: 'Sum' }),
        props.api.httpApi.metricClientError({ statistic: 'Sum' }),
        props.api.httpApi.metricServerError({ statistic: 'Sum' }),
      ]),
      graph('API latency (p90, ms)', [props.api.httpApi.metricLatency({ statistic: 'p90' })]),
    );
    this.dashboard.addWidgets(
      graph(
        'Handler errors',
        props.functions.map((fn) => fn.function.metricErrors({ statistic: 'Sum', label: fn.spec.name })),
        12,
      ),
      graph(
        'Handler duration (p90, ms)',
        props.functions.map((fn) => fn.function.metricDuration({ statistic: 'p90', label: fn.spec.name })),
        12,
      ),
    );
  }
}
