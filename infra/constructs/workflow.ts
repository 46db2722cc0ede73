/**
 * A state machine of certflow (the certificate-request one, and the complaint one): Standard type, from the same JSONata ASL the local stack runs
 * (`workflows/`), its `${…FunctionArn}` placeholders filled by CloudFormation through
 * `definitionSubstitutions`, logging ALL to CloudWatch Logs, X-Ray tracing on, and a role that may invoke
 * exactly the functions the definition names.
 */
import { ArnFormat, Aws, type RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { PARTITION_PLACEHOLDER } from '#workflows/asl.ts';
import type { CertflowFunction } from './certflow-function.ts';
import { idNumberProtection } from './log-protection.ts';

export class UnknownPlaceholderError extends Error {
  override name = 'UnknownPlaceholderError';
}

/** `${Name}` placeholders of a definition (the Step Functions definitionSubstitutions syntax). */
export function placeholdersOf(definitionJson: string): string[] {
  return [
    ...new Set([...definitionJson.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1] as string)),
  ].sort();
}

/** The state machines of certflow, by the name their definition module gives them. */
export type MachineName = 'certificate-request' | 'complaint';

export function stateMachineName(stage: string, machine: MachineName = 'certificate-request'): string {
  return `certflow-${stage}-${machine}`;
}

/**
 * The state machine's ARN, built from its fixed name: functions that start or answer executions get it
 * without a reference to the state machine resource (which itself references the step functions' ARNs —
 * a reference back would be a cycle).
 */
export function stateMachineArnFor(
  scope: Construct,
  stage: string,
  machine: MachineName = 'certificate-request',
): { machine: string; executions: string } {
  const stack = Stack.of(scope);
  const name = stateMachineName(stage, machine);
  return {
    machine: stack.formatArn({
      service: 'states',
      resource: 'stateMachine',
      resourceName: name,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
    executions: stack.formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${name}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    }),
  };
}

export interface CertificateWorkflowProps {
  readonly stage: string;
  /** Which state machine (default: certificate-request). */
  readonly machine?: MachineName;
  /** The ASL definition as data (workflows/certificate-request.ts), placeholders unsubstituted. */
  readonly definition: unknown;
  /** Functions that have a registry `placeholder`, by placeholder name. */
  readonly stepFunctions: ReadonlyMap<string, CertflowFunction>;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

export class CertificateWorkflow extends Construct {
  readonly stateMachine: sfn.StateMachine;
  readonly logGroup: logs.LogGroup;
  /** The functions the definition calls (each granted lambda:InvokeFunction, nothing else). */
  readonly invokedFunctions: readonly CertflowFunction[];

  constructor(scope: Construct, id: string, props: CertificateWorkflowProps) {
    super(scope, id);
    const definitionJson = JSON.stringify(props.definition);
    const used = placeholdersOf(definitionJson).filter((name) => name !== PARTITION_PLACEHOLDER);
    const unknown = used.filter((name) => !props.stepFunctions.has(name));
    if (unknown.length > 0) {
      throw new UnknownPlaceholderError(
        `The ${props.machine ?? 'certificate-request'} definition uses placeholders no registry function provides: ${unknown.join(', ')}`,
      );
    }
    const invoked = used.map((name) => props.stepFunctions.get(name) as CertflowFunction);
    this.invokedFunctions = invoked;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      // The /aws/vendedlogs/ prefix keeps the account's CloudWatch Logs resource policy small.
      logGroupName: `/aws/vendedlogs/states/${stateMachineName(props.stage, props.machine)}`,
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
      dataProtectionPolicy: idNumberProtection(),
    });

    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      stateMachineName: stateMachineName(props.stage, props.machine),
      stateMachineType: sfn.StateMachineType.STANDARD,
      definitionBody: sfn.DefinitionBody.fromString(definitionJson),
      definitionSubstitutions: {
        // `arn:${AWS::Partition}:states:::lambda:invoke`: the same definition deploys in aws-cn.
        [PARTITION_PLACEHOLDER]: Aws.PARTITION,
        ...Object.fromEntries(
          used.map((name, i) => [name, (invoked[i] as CertflowFunction).function.functionArn]),
        ),
      },
      // Every event is logged, but not the execution data: inputs carry ID numbers, which are never logged.
      logs: { destination: this.logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      tracingEnabled: true,
    });
    for (const fn of invoked) fn.function.grantInvoke(this.stateMachine);
  }
}
