/**
 * Everything that can be redeployed from source at any time: one function per registry entry, the
 * certificate-request state machine, the HTTP API, the web pages, the sweeper's schedule, alarms and the
 * dashboard. It reads the stateful stack's table, key, secrets and user pool.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionSpec } from '#functions/function-list.ts';
import { repoRoot } from './bundling.ts';
import { type CertflowConfig, InvalidContextError } from './config.ts';
import { CertflowApi } from './constructs/api.ts';
import { CertflowFunction } from './constructs/certflow-function.ts';
import { CertflowMonitoring } from './constructs/monitoring.ts';
import { CertflowWeb } from './constructs/web.ts';
import { CertificateWorkflow, stateMachineArnFor } from './constructs/workflow.ts';
import { envNames } from './environment.ts';
import { emfNamespace, emfService } from './metrics.ts';

export interface StatefulResources {
  readonly table: ITableV2;
  readonly dataKey: IKey;
  readonly departmentSecrets: ISecret;
  readonly tokenSecret: ISecret;
  readonly userPool: cognito.IUserPool;
  readonly consoleClient: cognito.IUserPoolClient;
}

export interface StatelessStackProps extends StackProps {
  readonly config: CertflowConfig;
  readonly stateful: StatefulResources;
  /** Registry entries to deploy (those whose handler file exists). */
  readonly functions: readonly FunctionSpec[];
  /** The certificate-request ASL definition as data, placeholders unsubstituted. */
  readonly workflowDefinition?: unknown;
  /** Folder of the built web pages; no web distribution when absent. */
  readonly webAssetsDir?: string;
  /** The edge stack's web ACL (used unless the context gives webAclArn). */
  readonly webAclArn?: string;
}

/** The SSM parameter operators write the officer settings to (never part of the template). */
export function officerSettingsParameterName(stage: string): string {
  return `/certflow/${stage}/officer-settings`;
}

export class StatelessStack extends Stack {
  readonly functions: ReadonlyMap<string, CertflowFunction>;
  readonly workflow?: CertificateWorkflow;
  readonly api: CertflowApi;
  readonly web?: CertflowWeb;
  readonly sweeperSchedules: scheduler.Schedule[] = [];
  readonly sweeperDeadLetters?: sqs.Queue;
  readonly monitoring: CertflowMonitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const stage = config.stage;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const logRemovalPolicy = stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const machineArns = stateMachineArnFor(this, stage);
    const parameterName = officerSettingsParameterName(stage);
    const resources = {
      table: stateful.table,
      tableKey: stateful.dataKey,
      stateMachineArn: machineArns.machine,
      executionArnPattern: machineArns.executions,
      departmentSecrets: stateful.departmentSecrets,
      officerSettingsParameterName: parameterName,
      officerSettingsParameterArn: this.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: parameterName.slice(1),
      }),
    };
    const commonEnvironment: Record<string, string> = {
      [envNames.stage]: stage,
      // A CloudFormation dynamic reference: resolved at deploy time, the value never is in the template.
      [envNames.tokenSecret]: stateful.tokenSecret.secretValue.unsafeUnwrap(),
      // Behind CloudFront the handler sees edge addresses, not citizens: the per-client limit is the edge
      // stack's WAF rule (rateLimitPerClient), never the handler's.
      [envNames.rateLimitPerMinute]: '0',
      [envNames.powertoolsService]: emfService,
      [envNames.powertoolsNamespace]: emfNamespace,
      [envNames.userPoolId]: stateful.userPool.userPoolId,
      [envNames.userPoolClientId]: stateful.consoleClient.userPoolClientId,
    };
    if (config.webDomainName) commonEnvironment[envNames.publicBaseUrl] = `https://${config.webDomainName}`;
    const registryFile = join(repoRoot, config.registryFile);
    const holidaysFile = config.holidaysFile ? join(repoRoot, config.holidaysFile) : undefined;
    if (holidaysFile && !existsSync(holidaysFile)) {
      throw new InvalidContextError(`holidaysFile: ${config.holidaysFile} does not exist`);
    }

    const functions = new Map<string, CertflowFunction>();
    for (const spec of props.functions) {
      functions.set(
        spec.name,
        new CertflowFunction(this, spec.name, {
          spec,
          stage,
          resources,
          logRetention,
          logRemovalPolicy,
          commonEnvironment,
          registryFile: existsSync(registryFile) ? registryFile : undefined,
          holidaysFile,
          sms: { provider: config.smsProvider, gatewayUrl: config.smsGatewayUrl },
        }),
      );
    }
    this.functions = functions;
    const all = [...functions.values()];

    if (props.workflowDefinition !== undefined) {
      const stepFunctions = new Map<string, CertflowFunction>();
      for (const fn of all) if (fn.spec.placeholder) stepFunctions.set(fn.spec.placeholder, fn);
      this.workflow = new CertificateWorkflow(this, 'CertificateRequest', {
        stage,
        definition: props.workflowDefinition,
        stepFunctions,
        logRetention,
        logRemovalPolicy,
      });
    }

    this.api = new CertflowApi(this, 'Api', {
      stage,
      functions: all,
      userPool: stateful.userPool,
      userPoolClient: stateful.consoleClient,
      staffAuth: config.staffAuth,
      rateLimit: config.apiRateLimit,
      burstLimit: config.apiBurstLimit,
      intakeRateLimit: config.intakeRateLimit,
      intakeBurstLimit: config.intakeBurstLimit,
      corsOrigins: [
        ...(config.webDomainName ? [`https://${config.webDomainName}`] : []),
        ...config.webOrigins,
      ],
      domain:
        config.apiDomainName && config.apiCertificateArn
          ? { name: config.apiDomainName, certificateArn: config.apiCertificateArn }
          : undefined,
      logRetention,
      logRemovalPolicy,
    });

    if (props.webAssetsDir) {
      this.web = new CertflowWeb(this, 'Web', {
        stage,
        assetsDir: props.webAssetsDir,
        apiEndpoint: this.api.url,
        webAclArn: config.webAclArn ?? props.webAclArn,
        // The pages sign staff in at the user pool (its hosted sign-in, infra/stateful-stack.ts).
        ...(config.staffAuth === 'cognito'
          ? {
              authConfig: {
                issuer: `https://cognito-idp.${this.region}.amazonaws.com/${stateful.userPool.userPoolId}`,
                clientId: stateful.consoleClient.userPoolClientId,
                scope: 'openid profile',
              },
            }
          : {}),
        domain:
          config.webDomainName && config.webCertificateArn
            ? { name: config.webDomainName, certificateArn: config.webCertificateArn }
            : undefined,
      });
    }

    const scheduled = all.filter((fn) => fn.spec.trigger.kind === 'schedule');
    if (scheduled.length > 0) {
      this.sweeperDeadLetters = new sqs.Queue(this, 'ScheduleDeadLetters', {
        queueName: `certflow-${stage}-schedule-dead-letters`,
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      });
      for (const fn of scheduled) {
        if (fn.spec.trigger.kind !== 'schedule') continue;
        const every = fn.spec.trigger.everyMinutes;
        // A run older than one period (at most 6 hours, Lambda's limit for async events) is superseded.
        const maxEventAge = Duration.minutes(Math.min(Math.max(every, 1), 360));
        // The scheduler invokes asynchronously; a failed run is not retried by Lambda: the next scheduled
        // run is the retry (it finds the same due requests), and two runs never overlap through retries.
        fn.function.configureAsyncInvoke({
          retryAttempts: 0,
          maxEventAge,
        });
        this.sweeperSchedules.push(
          new scheduler.Schedule(this, `${fn.spec.name}Schedule`, {
            scheduleName: `certflow-${stage}-${fn.spec.name}`,
            description: `Invokes ${fn.spec.name} every ${every} minutes`,
            schedule: scheduler.ScheduleExpression.rate(Duration.minutes(every)),
            target: new schedulerTargets.LambdaInvoke(fn.function, {
              deadLetterQueue: this.sweeperDeadLetters,
              retryAttempts: 2,
              maxEventAge,
            }),
          }),
        );
      }
    }

    this.monitoring = new CertflowMonitoring(this, 'Monitoring', {
      stage,
      alarmEmail: config.alarmEmail,
      overdueThreshold: config.overdueAlarmThreshold,
      functions: all,
      stateMachine: this.workflow?.stateMachine,
      table: stateful.table,
      api: this.api,
      schedulerDeadLetters: this.sweeperDeadLetters,
    });

    // What operators and the README's "Deploy to AWS" need after a deploy.
    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'HTTP API default endpoint' });
    if (this.api.domainName) {
      new CfnOutput(this, 'ApiCustomDomain', { value: this.api.domainName.name });
      new CfnOutput(this, 'ApiDomainTarget', {
        value: this.api.domainName.regionalDomainName,
        description: 'DNS: point the API custom domain here (CNAME or alias)',
      });
    }
    if (this.web) {
      new CfnOutput(this, 'WebUrl', {
        value: `https://${config.webDomainName ?? this.web.distribution.distributionDomainName}`,
        description: 'Web pages (and /v1 API, same origin)',
      });
      new CfnOutput(this, 'DistributionDomain', {
        value: this.web.distribution.distributionDomainName,
        description: 'DNS: point the web custom domain here (CNAME or alias)',
      });
    }
    if (this.workflow)
      new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'OfficerSettingsParameter', { value: parameterName });
  }
}
