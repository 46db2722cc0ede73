/**
 * Alarms for supervisors and a dashboard of what the handlers emit. Every alarm notifies one SNS topic
 * (encrypted, TLS-only) that e-mails the address from context.
 *
 * Alarms: overdue requests, escalations, failed or timed-out executions, errors and throttles of every
 * handler, throttled state-machine executions and table requests, department deliveries given up
 * (dead letters), and sweeper invocations the scheduler could not deliver.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Operation } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
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
          period: Duration.minutes(5),
          usingMetrics: {},
        });
      }
      return new cloudwatch.Metric({
        namespace: emfNamespace,
        metricName,
        dimensionsMap: { service: emfService },
        statistic,
        period: Duration.minutes(5),
      });
    };

    const alarm = (
      id: string,
      description: string,
      metric: cloudwatch.IMetric,
      threshold = 1,
      evaluationPeriods = 1,
    ) => {
      const created = new cloudwatch.Alarm(this, id, {
        alarmName: `${prefix}-${id}`,
        alarmDescription: description,
        metric,
        threshold,
        evaluationPeriods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(action);
      created.addOkAction(action);
      this.alarms.push(created);
      return created;
    };

    alarm(
      'OverdueRequests',
      "Open requests are past their deadline (the policy's investigation deadline, or the escalation deadline).",
      emf(emfMetrics.overdue, 'Maximum'),
      props.overdueThreshold,
    );
    alarm(
      'Escalations',
      'A request reached its deadline and was escalated: a supervisor is alerted.',
      emf(emfMetrics.escalations, 'Sum'),
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
        'TableThrottles',
        'DynamoDB throttled requests to the certflow table.',
        props.table.metricThrottledRequestsForOperations({
          operations: [Operation.GET_ITEM, Operation.PUT_ITEM, Operation.UPDATE_ITEM, Operation.QUERY],
          period: Duration.minutes(5),
        }),
      );
    }
    for (const fn of props.functions) {
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
