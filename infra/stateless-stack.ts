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
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ORIGIN_VERIFY_HEADER } from '#functions/edge/origin-verify.ts';
import type { FunctionSpec } from '#functions/function-list.ts';
import { repoRoot } from './bundling.ts';
import { type CertflowConfig, InvalidContextError } from './config.ts';
import { CertflowApi, type StaffTokenIssuer } from './constructs/api.ts';
import { CertflowFunction } from './constructs/certflow-function.ts';
import { CertflowMonitoring } from './constructs/monitoring.ts';
import { CertflowWeb } from './constructs/web.ts';
import { CertificateWorkflow, stateMachineArnFor } from './constructs/workflow.ts';
import { envNames } from './environment.ts';
import { type StaffIdentity, staffIdentityOf } from './identity.ts';
import { emfNamespace, emfService } from './metrics.ts';

export interface StatefulResources {
  readonly table: ITableV2;
  readonly dataKey: IKey;
  readonly departmentSecrets: secretsmanager.ISecret;
  readonly tokenSecret: secretsmanager.ISecret;
  /** The staff user pool and the pages' client (Cognito identity only; infra/identity.ts). */
  readonly userPool?: cognito.IUserPool | undefined;
  readonly consoleClient?: cognito.IUserPoolClient | undefined;
}

export interface StatelessStackProps extends StackProps {
  readonly config: CertflowConfig;
  readonly stateful: StatefulResources;
  /** Registry entries to deploy (those whose handler file exists). */
  readonly functions: readonly FunctionSpec[];
  /** The certificate-request ASL definition as data, placeholders unsubstituted. */
  readonly workflowDefinition?: unknown;
  /** The complaint ASL definition (workflows/complaint.ts), placeholders unsubstituted. */
  readonly complaintWorkflowDefinition?: unknown;
  /** Folder of the built web pages; no web distribution when absent. */
  readonly webAssetsDir?: string;
  /** The edge stack's web ACL (used unless the context gives webAclArn). */
  readonly webAclArn?: string;
}

/** The SSM parameter operators write the officer settings to (never part of the template). */
export function officerSettingsParameterName(stage: string): string {
  return `/certflow/${stage}/officer-settings`;
}

/** The gateway's view of the staff identity; a Cognito identity needs the stateful stack's pool. */
function staffIssuerOf(identity: StaffIdentity, stateful: StatefulResources): StaffTokenIssuer {
  if (identity.kind === 'oidc')
    return { kind: 'oidc', issuer: identity.issuer, audience: identity.audience ?? identity.clientId };
  if (identity.kind === 'tokens') return { kind: 'tokens' };
  if (!stateful.userPool || !stateful.consoleClient)
    throw new InvalidContextError("staffAuth=cognito needs the stateful stack's user pool");
  return { kind: 'cognito', userPool: stateful.userPool, client: stateful.consoleClient };
}

/** What the handlers read to verify staff JWTs (functions/edge/staff.ts, `STAFF_ENV`). */
function staffEnvironment(identity: StaffIdentity, staff: StaffTokenIssuer): Record<string, string> {
  if (identity.kind === 'oidc')
    return {
      [envNames.oidcIssuer]: identity.issuer,
      [envNames.oidcClientId]: identity.clientId,
      ...(identity.audience ? { [envNames.oidcAudience]: identity.audience } : {}),
    };
  if (staff.kind === 'cognito')
    return {
      [envNames.userPoolId]: staff.userPool.userPoolId,
      [envNames.userPoolClientId]: staff.client.userPoolClientId,
    };
  return {};
}

export class StatelessStack extends Stack {
  readonly functions: ReadonlyMap<string, CertflowFunction>;
  readonly workflow?: CertificateWorkflow;
  readonly complaintWorkflow?: CertificateWorkflow;
  readonly api: CertflowApi;
  readonly web?: CertflowWeb;
  /** The SMS gateway's bearer token (`smsProvider: http` only). */
  readonly smsGatewayToken?: secretsmanager.Secret;
  /** The value of CloudFront's origin header (standard partition with the web distribution only). */
  readonly originVerifySecret?: secretsmanager.Secret;
  readonly sweeperSchedules: scheduler.Schedule[] = [];
  readonly sweeperDeadLetters?: sqs.Queue;
  /** The group of the per-deadline one-time schedules (EventBridge Scheduler). */
  readonly deadlineSchedules?: scheduler.ScheduleGroup;
  readonly monitoring: CertflowMonitoring;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, stateful } = props;
    const stage = config.stage;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const logRemovalPolicy = stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    const machineArns = stateMachineArnFor(this, stage);
    const complaintMachineArns = stateMachineArnFor(this, stage, 'complaint');
    const parameterName = officerSettingsParameterName(stage);
    const resources = {
      table: stateful.table,
      tableKey: stateful.dataKey,
      stateMachineArn: machineArns.machine,
      executionArnPattern: machineArns.executions,
      complaintStateMachineArn: complaintMachineArns.machine,
      complaintExecutionArnPattern: complaintMachineArns.executions,
      departmentSecrets: stateful.departmentSecrets,
      tokenSecret: stateful.tokenSecret,
      officerSettingsParameterName: parameterName,
      officerSettingsParameterArn: this.formatArn({
        service: 'ssm',
        resource: 'parameter',
        resourceName: parameterName.slice(1),
      }),
    };
    const commonEnvironment: Record<string, string> = {
      [envNames.stage]: stage,
      // Behind CloudFront the handler sees edge addresses, not citizens: the per-client limit is the edge
      // stack's WAF rule (rateLimitPerClient), never the handler's.
      [envNames.rateLimitPerMinute]: '0',
      [envNames.powertoolsService]: emfService,
      [envNames.powertoolsNamespace]: emfNamespace,
    };
    const identity = staffIdentityOf(config);
    const staff = staffIssuerOf(identity, stateful);
    Object.assign(commonEnvironment, staffEnvironment(identity, staff));
    if (config.webDomainName) commonEnvironment[envNames.publicBaseUrl] = `https://${config.webDomainName}`;
    const registryFile = join(repoRoot, config.registryFile);
    const holidaysFile = config.holidaysFile ? join(repoRoot, config.holidaysFile) : undefined;
    if (holidaysFile && !existsSync(holidaysFile)) {
      throw new InvalidContextError(`holidaysFile: ${config.holidaysFile} does not exist`);
    }

    const functions = new Map<string, CertflowFunction>();
    for (const spec of props.functions) {
      // The user pool's trigger exists only with Cognito sign-in (wired below and in the stateful stack).
      if (spec.trigger.kind === 'preTokenGeneration' && staff.kind !== 'cognito') continue;
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
          reserveConcurrency: config.reservedConcurrency,
          staffAuth: identity.kind,
          // With the web assets comes CloudFront and its origin-verify secret, read by every HTTP function.
          originVerify: Boolean(props.webAssetsDir),
        }),
      );
    }
    this.functions = functions;
    const all = [...functions.values()];

    // Cognito invokes the pre token generation trigger (the stateful stack names it in the user pool's
    // LambdaConfig): only this user pool, from this account.
    if (staff.kind === 'cognito') {
      for (const fn of all.filter((f) => f.spec.trigger.kind === 'preTokenGeneration')) {
        fn.function.addPermission('InvokedByUserPool', {
          principal: new iam.ServicePrincipal('cognito-idp.amazonaws.com'),
          sourceArn: staff.userPool.userPoolArn,
          sourceAccount: this.account,
        });
      }
    }

    // The SMS gateway's bearer token (smsProvider http: the China regions' provider), as the other secrets:
    // its ARN and GetSecretValue only for the functions that send. The value is the provider's: put it with
    // `aws secretsmanager put-secret-value` after the first deploy (README "Secrets").
    if (config.smsProvider === 'http') {
      this.smsGatewayToken = new secretsmanager.Secret(this, 'SmsGatewayToken', {
        secretName: `certflow/${stage}/sms-gateway-token`,
        description: `certflow ${stage}: bearer token of the SMS gateway (set by the operator)`,
        generateSecretString: { passwordLength: 32, excludePunctuation: true },
      });
      for (const fn of all.filter((f) => f.spec.access.sms)) {
        fn.function.addEnvironment(envNames.smsGatewayTokenId, this.smsGatewayToken.secretArn);
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadSmsGatewayToken',
            actions: ['secretsmanager:GetSecretValue'],
            resources: [this.smsGatewayToken.secretArn],
          }),
        );
      }
    }

    // One-time schedules (deadline warnings, issue 18): a schedule group for them, the role EventBridge
    // Scheduler assumes to invoke the DeadlineTimer function, and CreateSchedule on that group only (plus
    // PassRole of that role only, to the scheduler only) for the functions whose `access.schedules` is set.
    const timer = all.find((fn) => fn.spec.trigger.kind === 'oneTimeSchedule');
    const scheduling = all.filter((fn) => fn.spec.access.schedules);
    if (timer && scheduling.length > 0) {
      this.deadlineSchedules = new scheduler.ScheduleGroup(this, 'DeadlineSchedules', {
        scheduleGroupName: `certflow-${stage}-deadlines`,
      });
      const invokeRole = new iam.Role(this, 'DeadlineSchedulesRole', {
        assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
          conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
        }),
        description: `certflow ${stage}: EventBridge Scheduler invokes the DeadlineTimer function`,
      });
      invokeRole.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'InvokeDeadlineTimer',
          actions: ['lambda:InvokeFunction'],
          resources: [timer.function.functionArn],
        }),
      );
      const groupSchedules = Stack.of(this).formatArn({
        service: 'scheduler',
        resource: 'schedule',
        resourceName: `${this.deadlineSchedules.scheduleGroupName}/*`,
      });
      for (const fn of scheduling) {
        fn.function.addEnvironment(envNames.scheduleGroup, this.deadlineSchedules.scheduleGroupName);
        fn.function.addEnvironment(envNames.scheduleTargetArn, timer.function.functionArn);
        fn.function.addEnvironment(envNames.scheduleRoleArn, invokeRole.roleArn);
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'CreateDeadlineSchedules',
            actions: ['scheduler:CreateSchedule'],
            resources: [groupSchedules],
          }),
        );
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'PassDeadlineSchedulesRole',
            actions: ['iam:PassRole'],
            resources: [invokeRole.roleArn],
            conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
          }),
        );
      }
    }

    if (props.workflowDefinition !== undefined) {
      const stepFunctions = new Map<string, CertflowFunction>();
      for (const fn of all)
        if (fn.spec.placeholder && (fn.spec.machine ?? 'certificate-request') === 'certificate-request')
          stepFunctions.set(fn.spec.placeholder, fn);
      this.workflow = new CertificateWorkflow(this, 'CertificateRequest', {
        stage,
        definition: props.workflowDefinition,
        stepFunctions,
        logRetention,
        logRemovalPolicy,
      });
    }

    if (props.complaintWorkflowDefinition !== undefined) {
      const stepFunctions = new Map<string, CertflowFunction>();
      for (const fn of all)
        if (fn.spec.placeholder && fn.spec.machine === 'complaint')
          stepFunctions.set(fn.spec.placeholder, fn);
      this.complaintWorkflow = new CertificateWorkflow(this, 'Complaint', {
        stage,
        machine: 'complaint',
        definition: props.complaintWorkflowDefinition,
        stepFunctions,
        logRetention,
        logRemovalPolicy,
      });
    }

    this.api = new CertflowApi(this, 'Api', {
      stage,
      functions: all,
      staffIssuer: staff,
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
      // CloudFront's origin is the execute-api domain, so that endpoint stays enabled; a secret origin
      // header proves a request came through CloudFront (functions/edge/origin-verify.ts). Generated here,
      // with the distribution that sends it: a replaced stack gets a new value on both sides at once.
      this.originVerifySecret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
        secretName: `certflow/${stage}/origin-verify`,
        description: `certflow ${stage}: the header value CloudFront adds to every API request`,
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
      });
      for (const fn of all.filter((f) => f.spec.trigger.kind === 'http')) {
        fn.function.addEnvironment(envNames.originVerifyId, this.originVerifySecret.secretArn);
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'ReadOriginVerifySecret',
            actions: ['secretsmanager:GetSecretValue'],
            resources: [this.originVerifySecret.secretArn],
          }),
        );
      }
      this.web = new CertflowWeb(this, 'Web', {
        originVerify: {
          header: ORIGIN_VERIFY_HEADER,
          value: this.originVerifySecret.secretValue.unsafeUnwrap(),
        },
        stage,
        assetsDir: props.webAssetsDir,
        apiEndpoint: this.api.url,
        webAclArn: config.webAclArn ?? props.webAclArn,
        // The pages sign staff in at the user pool (its hosted sign-in, infra/stateful-stack.ts) or at the
        // configured OpenID issuer, whose discovery document names the endpoints (web/src/lib/oidc.ts).
        ...(staff.kind === 'cognito'
          ? {
              authConfig: {
                issuer: `https://cognito-idp.${this.region}.amazonaws.com/${staff.userPool.userPoolId}`,
                clientId: staff.client.userPoolClientId,
                scope: 'openid profile',
              },
            }
          : identity.kind === 'oidc'
            ? {
                authConfig: { issuer: identity.issuer, clientId: identity.clientId, scope: 'openid profile' },
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
      ...(this.deadlineSchedules ? { deadlineScheduleGroup: this.deadlineSchedules.scheduleGroupName } : {}),
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
    if (this.complaintWorkflow)
      new CfnOutput(this, 'ComplaintStateMachineArn', {
        value: this.complaintWorkflow.stateMachine.stateMachineArn,
      });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.monitoring.topic.topicArn });
    new CfnOutput(this, 'OfficerSettingsParameter', { value: parameterName });
    if (identity.kind === 'oidc') {
      // What the operator registers at the issuer for the pages' public client (code + PKCE).
      const origins = [
        ...(config.webDomainName ? [`https://${config.webDomainName}`] : []),
        ...config.webOrigins,
      ];
      new CfnOutput(this, 'StaffSignInRedirectUris', {
        value:
          origins.flatMap((o) => [`${o}/console`, `${o}/dashboard`]).join(' ') ||
          '(give webDomainName or webOrigins)',
        description: `Register these redirect URIs for client ${identity.clientId} at ${identity.issuer}`,
      });
    }
  }
}
