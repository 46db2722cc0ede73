/**
 * One Lambda function of the registry, built the one way certflow builds them: Node.js 22 on arm64 (x86_64
 * where a function reads secrets in a region whose extension layer is x86_64 only), an
 * esbuild ESM bundle (minified, source maps, AWS SDK bundled), its own log group with retention, X-Ray
 * tracing, its own role, and exactly the grants its registry `access` names — nothing more.
 */
import { Duration, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DEPARTMENTS_MAX_AGE_SECONDS } from '#functions/edge/departments.ts';
import { ORIGIN_VERIFY_MAX_AGE_SECONDS } from '#functions/edge/origin-verify.ts';
import { TOKEN_SECRET_MAX_AGE_SECONDS } from '#functions/edge/token-secret.ts';
import type { FunctionSpec } from '#functions/function-list.ts';
import { certflowTable } from '#shared/store/table-definition.ts';
import {
  type BundleDeployment,
  bundleAliases,
  checkBundledData,
  entryPath,
  esbuildShared,
  lockFile,
  readsOfficerSettings,
  repoRoot,
} from '../bundling.ts';
import { bundledHolidaysPath, bundledRegistryPath, envNames, lambdaTaskRoot } from '../environment.ts';
import { idNumberProtection } from './log-protection.ts';
import {
  leadingKeysCondition,
  stateMachineActionScope,
  tableActionsOf,
  tableKeyActions,
} from './permissions.ts';
import { secretsExtensionFor } from './secrets-extension.ts';

/** The resources a function may be granted access to; which ones it gets depends on its `access`. */
export interface FunctionResources {
  readonly table: ITableV2;
  readonly tableKey: IKey;
  readonly stateMachineArn: string;
  /** `arn:…:execution:<state machine name>:*` */
  readonly executionArnPattern: string;
  /** The complaint state machine (workflows/complaint.ts). */
  readonly complaintStateMachineArn: string;
  /** `arn:…:execution:<complaint state machine name>:*` */
  readonly complaintExecutionArnPattern: string;
  readonly departmentSecrets: ISecret;
  /** The token secret: its ARN goes to the environment of the functions that list `token`, never its value. */
  readonly tokenSecret: ISecret;
  readonly officerSettingsParameterName: string;
  readonly officerSettingsParameterArn: string;
}

export interface CertflowFunctionProps {
  readonly spec: FunctionSpec;
  readonly stage: string;
  readonly resources: FunctionResources;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
  /** Set for every function (stage, Powertools names, Cognito ids…; never a secret or a reference to one). */
  readonly commonEnvironment: Readonly<Record<string, string>>;
  /** Population registry file copied into the bundle (read at `bundledRegistryPath`). */
  readonly registryFile?: string;
  /** Holiday supplement copied into the bundle (read at `bundledHolidaysPath`) with `access.workingDayCalendar`. */
  readonly holidaysFile?: string;
  /** The SMS provider of the functions whose `access.sms` is set. */
  readonly sms?: { provider: 'sns' | 'http' | 'none'; gatewayUrl?: string | undefined };
  /** Apply `spec.reservedConcurrency` (context `reservedConcurrency`). */
  readonly reserveConcurrency?: boolean;
  /**
   * How staff sign in (infra/identity.ts; default `cognito`): with `oidc` only do the staff routes read the
   * officer settings themselves (bundle, grant and environment: infra/bundling.ts `readsOfficerSettings`).
   */
  readonly staffAuth?: 'cognito' | 'tokens' | 'oidc';
  /**
   * Whether the deployment has the CloudFront origin-verify secret (infra/stateless-stack.ts, with web
   * assets): every HTTP function then reads it, so it gets the Parameters and Secrets extension.
   */
  readonly originVerify?: boolean;
}

/** The Lambda function name of a registry entry in a stage (`certflow-{stage}-{name}`). */
export function functionNameOf(stage: string, name: string): string {
  return `certflow-${stage}-${name}`;
}

export class CertflowFunction extends Construct {
  readonly spec: FunctionSpec;
  readonly function: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: CertflowFunctionProps) {
    super(scope, id);
    // The bundle carries shared/policy's data, checked only in outline at import: validate it in full here.
    checkBundledData();
    const { spec, resources } = props;
    this.spec = spec;
    const stack = Stack.of(this);
    const functionName = functionNameOf(props.stage, spec.name);
    // What of the deployment decides this bundle's contents (and, for the officer settings, the grant).
    const deployment: BundleDeployment = {
      smsProvider: props.sms?.provider ?? 'none',
      staffAuth: props.staffAuth ?? 'cognito',
    };

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
      dataProtectionPolicy: idNumberProtection(),
    });

    const reads = spec.access.secrets.filter(
      (secret) => secret !== 'officerSettings' || readsOfficerSettings(spec.access, spec.trigger, deployment),
    );
    // An own role instead of the AWSLambdaBasicExecutionRole managed policy: writes to its log group only.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `certflow ${props.stage} ${spec.name}: ${spec.access.table} table, [${spec.access.stateMachine.join(', ')}] workflow${reads.length > 0 ? `, reads ${reads.join(', ')}` : ''}`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    // Every handler's config names the table and the state machine (names only: access is granted below).
    const environment: Record<string, string> = {
      ...props.commonEnvironment,
      // Stack traces in the logs point at the TypeScript sources (the bundle ships its .map file).
      NODE_OPTIONS: '--enable-source-maps',
      [envNames.tableName]: resources.table.tableName,
      [envNames.stateMachineArn]: resources.stateMachineArn,
      [envNames.complaintStateMachineArn]: resources.complaintStateMachineArn,
    };
    // Data files travel in the bundle; the handlers' config points at them.
    const dataFiles: [source: string, target: string][] = [];
    // The population registry (personal data) only in the bundles of the functions that read it.
    if (props.registryFile && spec.access.registry) {
      environment[envNames.registryFile] = bundledRegistryPath;
      dataFiles.push([props.registryFile, bundledRegistryPath]);
    }
    // The holiday supplement only where working-day deadlines are computed (the others carry no calendar).
    if (props.holidaysFile && spec.access.workingDayCalendar) {
      environment[envNames.holidaysFile] = bundledHolidaysPath;
      dataFiles.push([props.holidaysFile, bundledHolidaysPath]);
    }
    const { access } = spec;

    if (access.table !== 'none') {
      const tableArn = resources.table.tableArn;
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'Table',
          actions: tableActionsOf(access),
          resources: [
            tableArn,
            ...certflowTable.globalSecondaryIndexes.map((index) => `${tableArn}/index/${index.indexName}`),
          ],
          // Only the partition keys the function touches (access.keys; the local stack checks the same list).
          ...(access.keys ? { conditions: leadingKeysCondition(access.keys) } : {}),
        }),
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'TableKeyThroughDynamoDB',
          actions: [...tableKeyActions[access.table]],
          resources: [resources.tableKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${stack.region}.${stack.urlSuffix}` } },
        }),
      );
    }

    if (access.stateMachine.length > 0) {
      const onMachine = access.stateMachine.filter((a) => stateMachineActionScope[a] === 'stateMachine');
      const onExecutions = access.stateMachine.filter((a) => stateMachineActionScope[a] === 'execution');
      if (onMachine.length > 0) {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'StateMachine',
            actions: onMachine.map((a) => `states:${a}`),
            resources: [resources.stateMachineArn],
          }),
        );
      }
      if (onExecutions.length > 0) {
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'Executions',
            actions: onExecutions.map((a) => `states:${a}`),
            resources: [resources.executionArnPattern],
          }),
        );
      }
    }

    const complaintActions = access.complaintMachine ?? [];
    const onComplaintMachine = complaintActions.filter((a) => stateMachineActionScope[a] === 'stateMachine');
    const onComplaintExecutions = complaintActions.filter((a) => stateMachineActionScope[a] === 'execution');
    if (onComplaintMachine.length > 0) {
      // StartExecution and the task-token actions are authorised on the state machine's ARN.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ComplaintStateMachine',
          actions: onComplaintMachine.map((a) => `states:${a}`),
          resources: [resources.complaintStateMachineArn],
        }),
      );
    }
    if (onComplaintExecutions.length > 0) {
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ComplaintExecutions',
          actions: onComplaintExecutions.map((a) => `states:${a}`),
          resources: [resources.complaintExecutionArnPattern],
        }),
      );
    }

    // Each secret or setting granted on its own resource, only to the functions that list it (issue 18).
    const secretArns: string[] = [];
    if (access.secrets.includes('token')) {
      environment[envNames.tokenSecretId] = resources.tokenSecret.secretArn;
      secretArns.push(resources.tokenSecret.secretArn);
    }
    if (access.secrets.includes('departments')) {
      environment[envNames.departmentSecretsArn] = resources.departmentSecrets.secretArn;
      secretArns.push(resources.departmentSecrets.secretArn);
    }
    if (secretArns.length > 0) {
      // Granted on the role (not through the secret/key resource policies, which live in the stateful
      // stack and would then depend on this one). GetSecretValue only: the Parameters and Secrets
      // extension, which calls with the function's role, calls nothing else.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ReadSecrets',
          actions: ['secretsmanager:GetSecretValue'],
          resources: secretArns,
        }),
      );
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'SecretsKeyThroughSecretsManager',
          actions: ['kms:Decrypt'],
          resources: [resources.tableKey.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': `secretsmanager.${stack.region}.${stack.urlSuffix}` },
          },
        }),
      );
    }
    // The officer settings: the Cognito trigger, and the staff routes only where tokens carry no stations.
    if (readsOfficerSettings(access, spec.trigger, deployment)) {
      environment[envNames.officerSettingsParameter] = resources.officerSettingsParameterName;
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'OfficerSettings',
          actions: ['ssm:GetParameter'],
          resources: [resources.officerSettingsParameterArn],
        }),
      );
    }

    if (access.sms && props.sms && props.sms.provider !== 'none') {
      environment[envNames.smsProvider] = props.sms.provider;
      if (props.sms.gatewayUrl) environment[envNames.smsGatewayUrl] = props.sms.gatewayUrl;
      if (props.sms.provider === 'sns') {
        // SMS only: Publish to a phone number has no ARN; every topic and endpoint ARN is excluded.
        this.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            sid: 'SmsOnly',
            actions: ['sns:Publish'],
            notResources: ['arn:*:sns:*:*:*'],
          }),
        );
      }
    }

    const entry = entryPath(spec.entry);
    const isHttp = spec.trigger.kind === 'http';
    // Every Secrets Manager secret is read through the AWS Parameters and Secrets Lambda Extension
    // (functions/edge/secrets-extension.ts): the layer only where one is read — the token or department
    // secrets, the SMS gateway's token (smsProvider http), the origin-verify secret (HTTP behind CloudFront).
    // Its cache TTL is the smallest max age of those secrets; the grants above and in the stateless stack
    // stay per secret.
    const maxAges = [
      ...(access.secrets.includes('token') ? [TOKEN_SECRET_MAX_AGE_SECONDS] : []),
      ...(access.secrets.includes('departments') ? [DEPARTMENTS_MAX_AGE_SECONDS] : []),
      ...(access.sms && props.sms?.provider === 'http' ? [TOKEN_SECRET_MAX_AGE_SECONDS] : []),
      ...(isHttp && props.originVerify ? [ORIGIN_VERIFY_MAX_AGE_SECONDS] : []),
    ];
    const extension =
      maxAges.length > 0 ? secretsExtensionFor(this, Duration.seconds(Math.min(...maxAges))) : undefined;
    this.function = new NodejsFunction(this, 'Function', {
      functionName,
      description: spec.description.slice(0, 256),
      entry: entry.path,
      handler: 'handler',
      projectRoot: repoRoot,
      depsLockFilePath: lockFile,
      runtime: lambda.Runtime.NODEJS_22_X,
      // arm64, unless the region has the extension for x86_64 only (the China regions; see secrets-extension.ts).
      architecture: extension?.architecture ?? lambda.Architecture.ARM_64,
      ...(extension ? { paramsAndSecrets: extension.layer } : {}),
      memorySize: spec.memoryMb ?? 512,
      timeout: Duration.seconds(spec.timeoutSeconds ?? (isHttp ? 10 : 30)),
      ...(props.reserveConcurrency && spec.reservedConcurrency !== undefined
        ? { reservedConcurrentExecutions: spec.reservedConcurrency }
        : {}),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment,
      bundling: {
        format: OutputFormat.ESM,
        target: esbuildShared.target,
        minify: esbuildShared.minify,
        sourceMap: true,
        sourceMapMode: SourceMapMode.DEFAULT,
        sourcesContent: false,
        mainFields: [...esbuildShared.mainFields],
        // `charset` is not passed to esbuild by this aws-cdk-lib version: pass the flag itself.
        esbuildArgs: {
          '--charset': esbuildShared.charset,
          ...Object.fromEntries(
            // The deployment above: SMS provider and staff sign-in.
            Object.entries(bundleAliases(spec, deployment)).map(([from, to]) => [`--alias:${from}`, to]),
          ),
        },
        banner: esbuildShared.banner,
        bundleAwsSDK: true,
        externalModules: [...esbuildShared.external],
        forceDockerBundling: false,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) =>
            dataFiles.map(
              ([source, target]) => `cp "${source}" "${output}${target.slice(lambdaTaskRoot.length)}"`,
            ),
        },
      },
    });
  }
}
