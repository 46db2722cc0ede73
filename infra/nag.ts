/**
 * cdk-nag AwsSolutions findings that certflow accepts, each acknowledged on the narrowest construct it
 * concerns (and, for IAM5, the exact wildcard) with the reason a reviewer needs. Everything else must be
 * compliant: the infra tests fail on any unacknowledged error or warning.
 */
import { type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import type { CertflowConfig } from './config.ts';
import { handlerVerifiedTokenRoutes } from './constructs/api.ts';
import type { StatefulStack } from './stateful-stack.ts';
import type { StatelessStack } from './stateless-stack.ts';

function ack(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${id}`, reason });
}

/** `<LogicalId.Arn>` as cdk-nag writes a GetAtt in a finding id. */
function arnRef(scope: IConstruct): string {
  const resource = scope.node.defaultChild as CfnElement;
  return `<${Stack.of(scope).getLogicalId(resource)}.Arn>`;
}

/** The partition as cdk-nag renders it: a literal when CDK knows it, else the pseudo parameter. */
function partitionOf(stack: Stack): string {
  return Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
}

const xrayReason =
  'Resource "*" only for xray:PutTraceSegments and xray:PutTelemetryRecords (X-Ray tracing), which support no ' +
  'resource-level permissions (Service Authorization Reference, AWS X-Ray). The infra tests check that no other action has "*".';

export function suppressAcceptedFindings(
  stateful: StatefulStack,
  stateless: StatelessStack,
  config: CertflowConfig,
): void {
  // --- stateful ---
  ack(
    stateful.departmentSecrets,
    'SMG4',
    'Department secrets are rotated by hand together with each department (Standard Webhooks accepts several ' +
      'signatures during rotation; README "Rotate department secrets"). A Lambda rotation would change a ' +
      'secret the department does not know yet and break its signatures.',
  );
  ack(
    stateful.tokenSecret,
    'SMG4',
    'The token secret keys the HMAC of request access tokens and certificate verification codes already given ' +
      'to citizens; rotating it would invalidate every one of them. Rotation is a planned, manual operation.',
  );

  if (stateless.smsGatewayToken) {
    ack(
      stateless.smsGatewayToken,
      'SMG4',
      "The SMS gateway's token is issued by the SMS provider; it is replaced when the provider issues a new " +
        'one (put-secret-value; the functions read it again within 5 minutes), not by a rotation Lambda.',
    );
  }
  if (stateless.originVerifySecret) {
    ack(
      stateless.originVerifySecret,
      'SMG4',
      "The origin header's value sits in the CloudFront distribution's configuration, which only a deploy " +
        'updates; a rotation Lambda would change it behind CloudFront and cut the API off. It is replaced by a ' +
        'deploy (README "Origin header"), which changes both sides; the handlers refetch on a mismatch.',
    );
  }

  // --- functions ---
  for (const fn of stateless.functions.values()) {
    ack(
      fn.function,
      'L1',
      'certflow targets Node.js 22 (nodejs22.x, supported by Lambda) and its code must also run on the Node.js 20 ' +
        'development machines; the runtime is set once in CertflowFunction and moves to the next LTS after testing.',
    );
    ack(fn.role, 'IAM5[Resource::*]', xrayReason);
    if (fn.spec.access.stateMachine.includes('DescribeExecution')) {
      ack(
        fn.role,
        `IAM5[Resource::arn:${partitionOf(stateless)}:states:${stateless.region}:<AWS::AccountId>:execution:certflow-${config.stage}-certificate-request:*]`,
        'DescribeExecution is granted on the executions of the certificate-request state machine only; execution ' +
          'names are chosen per request at StartExecution, so they cannot be listed in advance.',
      );
    }
    if (fn.spec.access.complaintMachine?.includes('DescribeExecution')) {
      ack(
        fn.role,
        `IAM5[Resource::arn:${partitionOf(stateless)}:states:${stateless.region}:<AWS::AccountId>:execution:certflow-${config.stage}-complaint:*]`,
        'DescribeExecution is granted on the executions of the complaint state machine only; execution names are ' +
          'chosen per complaint at StartExecution, so they cannot be listed in advance.',
      );
    }
  }

  const group = stateless.deadlineSchedules;
  if (group) {
    for (const fn of stateless.functions.values()) {
      if (!fn.spec.access.schedules) continue;
      ack(
        fn.role,
        `IAM5[Resource::arn:${partitionOf(stateless)}:scheduler:${stateless.region}:<AWS::AccountId>:schedule/certflow-${config.stage}-deadlines/*]`,
        'scheduler:CreateSchedule only in the deadline schedule group: one one-time schedule per request and ' +
          'deadline (warn-{requestId}-L{level}), so the names cannot be listed in advance; the schedules ' +
          'delete themselves after firing and can only invoke the DeadlineTimer function through its role.',
      );
    }
  }

  // --- state machines (certificate-request, complaint) ---
  for (const workflow of [stateless.workflow, stateless.complaintWorkflow]) {
    if (!workflow) continue;
    const role = workflow.stateMachine.role;
    ack(
      role,
      'IAM5[Resource::*]',
      'Resource "*" only for the CloudWatch Logs vended-log delivery actions (logs:CreateLogDelivery, ' +
        'logs:GetLogDelivery, …, which Step Functions logging requires and which support no resource-level ' +
        'permissions) and for X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, ' +
        'GetSamplingTargets). The infra tests check that no other action has "*".',
    );
    for (const fn of workflow.invokedFunctions) {
      ack(
        role,
        `IAM5[Resource::${arnRef(fn.function)}:*]`,
        `lambda:InvokeFunction on ${fn.spec.name} and its versions/aliases (CDK grantInvoke); only the functions the ` +
          'definition names are granted.',
      );
    }
  }

  // --- API routes without a gateway authorizer ---
  for (const route of stateless.api.routes) {
    const created = stateless.api.cfnRoutes.get(route.routeKey);
    if (!created || route.gatewayAuth === 'jwt') continue;
    const reason = {
      'none-public': `${route.routeKey} is public by the API contract (docs/api.md): citizens and anyone verifying a certificate call it without an account; the stage and route throttling limit it.`,
      'none-signed': `${route.routeKey} is called by departments, authenticated in the handler by their Standard Webhooks signature over the raw body (HMAC-SHA256, 5-minute window, replay de-duplication), which a gateway authorizer cannot check.`,
      'none-token-in-handler':
        config.staffAuth === 'tokens' && !handlerVerifiedTokenRoutes.includes(route.routeKey)
          ? `${route.routeKey} is a staff route in staffAuth=tokens mode: the handler verifies the bearer token against the hashed staff tokens in the table (issued with npm run admin -- staff add), as on the local stack; Cognito is not used in this mode.`
          : `${route.routeKey} accepts the request's own access token (held by the citizen, not issued by Cognito) as well as officer/supervisor JWTs; the handler verifies either, so a JWT authorizer would lock citizens out.`,
    }[route.gatewayAuth];
    ack(created, 'APIG4', reason);
  }

  // --- scheduler ---
  if (stateless.sweeperDeadLetters) {
    ack(
      stateless.sweeperDeadLetters,
      'SQS3',
      'This queue is itself the dead-letter queue of the sweeper schedule (EventBridge Scheduler target DLQ), ' +
        'which the rule does not recognise (it only sees SQS redrive policies).',
    );
  }
  for (const child of stateless.node.children) {
    if (child.node.id.startsWith('SchedulerRoleForTarget')) {
      for (const fn of stateless.functions.values()) {
        if (fn.spec.trigger.kind !== 'schedule') continue;
        ack(
          child,
          `IAM5[Resource::${arnRef(fn.function)}:*]`,
          `The scheduler's role may invoke ${fn.spec.name} and its versions/aliases (CDK LambdaInvoke target), nothing else.`,
        );
      }
    }
  }

  // --- web ---
  const web = stateless.web;
  if (web) {
    ack(
      web.distribution,
      'CFR1',
      'No geo restriction: citizens abroad (e.g. students asking for a kinship certificate) and departments ' +
        'anywhere must reach the pages and the API.',
    );
    if (!config.webAclArn) {
      ack(
        web.distribution,
        'CFR2',
        'A CloudFront web ACL must live in us-east-1, outside this regional stack; attach one with ' +
          '-c webAclArn=… (README). Without it, API Gateway stage and route throttling bound the load.',
      );
    }
    if (!config.webDomainName) {
      ack(
        web.distribution,
        'CFR4',
        'Without a custom domain the distribution uses the default *.cloudfront.net certificate, whose minimum ' +
          'protocol CloudFront fixes; with -c webDomainName=… the distribution enforces TLSv1.2_2021.',
      );
    }
    for (const child of stateless.node.children) {
      if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
      const reason =
        'CDK-managed BucketDeployment handler (aws-cdk-lib s3-deployment) that copies the built web pages from ' +
        'the CDK asset bucket to the site bucket during deployment; its runtime, basic-execution policy and ' +
        's3 action families are fixed by aws-cdk-lib, and its resources are limited to those two buckets.';
      for (const id of [
        'L1',
        // (aws-cdk-lib writes managed policy ARNs with the partition pseudo parameter, whatever the flags)
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        'IAM5[Action::s3:GetObject*]',
        'IAM5[Action::s3:GetBucket*]',
        'IAM5[Action::s3:List*]',
        'IAM5[Action::s3:DeleteObject*]',
        'IAM5[Action::s3:Abort*]',
        `IAM5[Resource::arn:${partitionOf(stateless)}:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${stateless.region}/*]`,
        `IAM5[Resource::${arnRef(web.bucket)}/*]`,
        // cloudfront:CreateInvalidation/GetInvalidation (invalidating the pages after deploy), granted on "*".
        'IAM5[Resource::*]',
      ]) {
        ack(child, id, reason);
      }
    }
  }
}
