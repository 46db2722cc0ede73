/**
 * The CDK app, synthesized once (tests/unit/infra/synth.ts) and checked with CDK assertions, cdk-nag,
 * asl-validator and the bundles esbuild wrote. Expectations derive from the function registry, the table
 * definition and the workflow definition, plus concrete checks of what matters most.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import aslValidator from 'asl-validator';
import { Match, Template } from 'aws-cdk-lib/assertions';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORIGIN_VERIFY_HEADER } from '#functions/edge/origin-verify.ts';
import type { FunctionSpec, HttpRoute } from '#functions/function-list.ts';
import { esmRequireBanner, readsOfficerSettings, repoRoot } from '#infra/bundling.ts';
import { handlerVerifiedTokenRoutes, intakeRoute } from '#infra/constructs/api.ts';
import { idNumberPattern } from '#infra/constructs/log-protection.ts';
import { tableActionsOf } from '#infra/constructs/permissions.ts';
import { envNames } from '#infra/environment.ts';
import { emfMetrics, emfNamespace, emfService } from '#infra/metrics.ts';
import { roleGroups, tablePropsFrom } from '#infra/stateful-stack.ts';
import { localSubstitutions } from '#local/workflow-service.ts';
import { deadlineAlarms } from '#shared/config/alarms.ts';
import { LUNAR_DAYS, OFFICIAL_DAYS } from '#shared/domain/calendar-data.ts';
import { tooManyRequests } from '#shared/http/problem.ts';
import { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '#shared/http/security-headers.ts';
import {
  certflowTable,
  STATUS_INDEX,
  STATUS_INDEX_ATTRIBUTES,
  toCreateTableInput,
} from '#shared/store/table-definition.ts';
import { validIdNumber } from '#tests/helpers/domain-id-numbers.ts';
import { LOCAL_PARTITION, PARTITION_PLACEHOLDER } from '#workflows/asl.ts';
import {
  certificateRequestDefinition,
  functionPlaceholdersOf,
  substitute,
} from '#workflows/certificate-request.ts';
import { complaintDefinition } from '#workflows/complaint.ts';
import { type Synthesized, synthesizeOnce, testContext } from './synth.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DeletionPolicy?: string };
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let s: Synthesized;
let statelessResources: Record<string, Resource>;

beforeAll(async () => {
  s = await synthesizeOnce();
  statelessResources = s.stateless.toJSON().Resources as Record<string, Resource>;
}, 240_000);

afterAll(() => {
  if (!s) return;
  rmSync(s.outdir, { recursive: true, force: true });
  if (s.webAssetsDir) rmSync(s.webAssetsDir, { recursive: true, force: true });
});

const prefix = `certflow-${testContext.stage}`;

/** Strings only the working-day calendar's parts put in a bundle (and one only its stand-in does). */
const calendarMarkers = {
  /** shared/domain/calendar.ts' own error text. */
  calendarCode: 'the number of working days must be an integer',
  /** The last year of the State Council schedules, as derived from chinese-days (calendar-data.ts). */
  holidayTable: OFFICIAL_DAYS.at(-1)!,
  /** The lunar dates of 1900–1909 (calendar-data.ts), what provisional years need. */
  lunarTable: LUNAR_DAYS[0]!,
  /** A solar term's key in chinese-days' own code, which no bundle carries any longer. */
  chineseDaysCode: 'grain_in_beard',
  /** infra/bundle-shims/absent/absent.ts' message. */
  standIn: 'the working-day calendar is not in the bundle of',
};
const asArray = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

function resourcesOfType(type: string): [string, Resource][] {
  return Object.entries(statelessResources).filter(([, r]) => r.Type === type);
}

function emfAlarmOf(alarms: Record<string, unknown>[], name: string) {
  return alarms.find((a) => a.AlarmName === name);
}

function functionOf(name: string): [string, Resource] {
  const found = resourcesOfType('AWS::Lambda::Function').find(
    ([, r]) => r.Properties.FunctionName === `${prefix}-${name}`,
  );
  if (!found) throw new Error(`no function ${name}`);
  return found;
}

/** Every statement of the policies attached to the role of the function `name`. */
function statementsOf(name: string): Statement[] {
  const [, fn] = functionOf(name);
  const roleId = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
  return resourcesOfType('AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function envOf(name: string): Record<string, unknown> {
  return (functionOf(name)[1].Properties.Environment as { Variables: Record<string, unknown> }).Variables;
}

function actionsOf(name: string): string[] {
  return statementsOf(name).flatMap((st) => asArray(st.Action));
}

const httpSpecs = () => s.specs.filter((f) => f.trigger.kind === 'http');
const routeKeys = (spec: FunctionSpec): readonly HttpRoute[] =>
  spec.trigger.kind === 'http' ? spec.trigger.routes : [];

describe('synthesis', () => {
  it('synthesizes offline with no unacknowledged cdk-nag AwsSolutions errors or warnings', () => {
    expect(s.nagViolations.map((v) => `${v.ruleName} (${v.severity}) ${v.paths.join(', ')}`)).toEqual([]);
    expect(s.synthError).toBeUndefined();
    expect(s.assembly).toBeDefined();
  });

  it('needs no context lookups and no Docker images', () => {
    const manifest = JSON.parse(readFileSync(join(s.outdir, 'manifest.json'), 'utf8')) as {
      missing?: unknown[];
    };
    expect(manifest.missing ?? []).toEqual([]);
    for (const stack of [s.stacks.stateful, s.stacks.stateless]) {
      const assets = JSON.parse(readFileSync(join(s.outdir, `${stack.artifactId}.assets.json`), 'utf8')) as {
        dockerImages?: Record<string, unknown>;
      };
      expect(Object.keys(assets.dockerImages ?? {})).toEqual([]);
    }
  });

  it('every acknowledged finding carries a reason', () => {
    const acknowledged: [string, string][] = [];
    const visit = (node: { node: { metadata: { type: string; data: unknown }[]; children: unknown[] } }) => {
      for (const entry of node.node.metadata) {
        if (entry.type === 'aws:cdk:acknowledged-rules') {
          // Ours (AwsSolutions); aws-cdk-lib acknowledges some CloudFormation-Validate rules itself.
          const ours = Object.entries(entry.data as Record<string, string>).filter(([id]) =>
            id.startsWith('AwsSolutions'),
          );
          acknowledged.push(...ours);
        }
      }
      for (const child of node.node.children) visit(child as typeof node);
    };
    visit(s.stacks.stateless as never);
    visit(s.stacks.stateful as never);
    expect(acknowledged.length).toBeGreaterThan(0);
    for (const [id, reason] of acknowledged) {
      expect(id).toMatch(/^AwsSolutions::AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, id).toBeGreaterThan(60);
    }
  });

  it('runs every registry entry with its own handler (no stand-ins)', () => {
    expect(s.standIns).toEqual([]);
  });
});

describe('stateful stack', () => {
  it('builds the table from the shared definition: keys, indexes, TTL', () => {
    const expected = toCreateTableInput(certflowTable, 'x');
    s.stateful.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: expected.KeySchema,
      AttributeDefinitions: Match.arrayEquals(
        expected.AttributeDefinitions.map((a) => Match.objectEquals(a as unknown as Record<string, unknown>)),
      ),
      GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes.map((index) =>
        Match.objectLike({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: index.Projection,
        }),
      ),
      TimeToLiveSpecification: { AttributeName: certflowTable.timeToLiveAttribute, Enabled: true },
      BillingMode: expected.BillingMode,
    });
  });

  it('the status index projects a few non-personal attributes (INCLUDE), never ALL', () => {
    const [table] = Object.values(s.stateful.findResources('AWS::DynamoDB::GlobalTable'));
    const indexes = (table as { Properties: { GlobalSecondaryIndexes: Record<string, unknown>[] } })
      .Properties.GlobalSecondaryIndexes;
    const status = indexes.find((i) => i.IndexName === STATUS_INDEX) as {
      Projection: { ProjectionType: string; NonKeyAttributes: string[] };
    };
    expect(status.Projection.ProjectionType).toBe('INCLUDE');
    expect([...status.Projection.NonKeyAttributes].sort()).toEqual([...STATUS_INDEX_ATTRIBUTES].sort());
    expect(indexes.map((i) => i.IndexName)).not.toContain('byStatusDeadline');
    // The migration deploy (`-c legacyStatusIndex=true`) keeps the old index beside the new one.
    expect(
      tablePropsFrom(certflowTable, { legacyStatusIndex: true }).globalSecondaryIndexes?.map((i) => [
        i.indexName,
        i.projectionType,
      ]),
    ).toEqual([
      ['byOpenStatus', 'INCLUDE'],
      ['byOwner', 'ALL'],
      ['byStatusDeadline', 'ALL'],
    ]);
  });

  it('protects the table: PITR, customer-managed KMS key, deletion protection, RETAIN', () => {
    s.stateful.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [
          Match.objectLike({
            DeletionProtectionEnabled: true,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            SSESpecification: {
              KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataKey'), 'Arn'] },
            },
          }),
        ],
      }),
    });
    s.stateful.hasResource('AWS::KMS::Key', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ EnableKeyRotation: true }),
    });
  });

  it('creates the secrets without a value in the template', () => {
    const secrets = s.stateful.findResources('AWS::SecretsManager::Secret');
    expect(Object.keys(secrets).length).toBe(2);
    for (const secret of Object.values(secrets)) {
      expect(secret.Properties.SecretString).toBeUndefined();
      expect(secret.Properties.GenerateSecretString).toBeDefined();
      expect(secret.DeletionPolicy).toBe('Retain');
    }
    const all = JSON.stringify([s.stateful.toJSON(), s.stateless.toJSON()]);
    expect(all).not.toContain('whsec_');
    // No function environment holds a secret value or a dynamic reference to one (issue 18): the functions
    // that use the token secret get its ARN and fetch it at init (functions/edge/token-secret.ts).
    // The one dynamic reference: CloudFront's origin header (the value must be in the distribution's config).
    const references = Object.entries(statelessResources)
      .filter(([, r]) => JSON.stringify(r).includes('{{resolve:secretsmanager:'))
      .map(([, r]) => r.Type);
    expect(references).toEqual(['AWS::CloudFront::Distribution']);
    for (const spec of s.specs) {
      const env = envOf(spec.name);
      expect(JSON.stringify(env).includes('{{resolve:'), spec.name).toBe(false);
      expect(env[envNames.tokenSecret], spec.name).toBeUndefined();
      expect(JSON.stringify(env[envNames.tokenSecretId] ?? null), spec.name).toMatch(
        spec.access.secrets.includes('token') ? /TokenSecret/ : /^null$/,
      );
    }
  });

  it('has a staff user pool with the officer and supervisor groups, MFA and no self sign-up', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      MfaConfiguration: 'ON',
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      UserPoolTier: 'PLUS',
    });
    for (const group of Object.values(roleGroups)) {
      s.stateful.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: group });
    }
  });

  it('wires the pre token generation trigger (V2_0, access-token claims: the Plus plan) to the user pool', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPool', {
      UserPoolTier: 'PLUS',
      LambdaConfig: {
        PreTokenGenerationConfig: {
          LambdaVersion: 'V2_0',
          LambdaArn: {
            'Fn::Join': [
              '',
              Match.arrayWith([Match.stringLikeRegexp(`:function:${prefix}-StaffTokenClaims$`)]),
            ],
          },
        },
      },
    });
    // The function the ARN names is the stateless stack's; Cognito may invoke it for this pool only.
    const [id, fn] = functionOf('StaffTokenClaims');
    expect(fn.Properties.Timeout).toBe(5);
    const permissions = resourcesOfType('AWS::Lambda::Permission').filter(([, r]) =>
      JSON.stringify(r.Properties.FunctionName).includes(id),
    );
    expect(permissions.map(([, r]) => r.Properties)).toEqual([
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': [id, 'Arn'] },
        Principal: 'cognito-idp.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        // The user pool's ARN, exported by the stateful stack.
        SourceArn: { 'Fn::ImportValue': expect.stringMatching(/GetAttStaff\w*Arn/) },
      },
    ]);
    // No permission in the stateful stack (it does not own the function): no cycle between the stacks.
    expect(Object.keys(s.stateful.findResources('AWS::Lambda::Permission'))).toEqual([]);
  });

  it('gives the trigger GetParameter on the officer settings parameter only, and the staff routes no SSM at all', () => {
    const trigger = statementsOf('StaffTokenClaims');
    const ssm = trigger.filter((st) => asArray(st.Action).some((a) => a.startsWith('ssm:')));
    expect(ssm).toHaveLength(1);
    expect(asArray(ssm[0]!.Action)).toEqual(['ssm:GetParameter']);
    expect(JSON.stringify(ssm[0]!.Resource)).toContain(':parameter/certflow/test/officer-settings');
    expect(
      trigger
        .flatMap((st) => asArray(st.Action))
        .filter((a) => !a.startsWith('logs:') && !a.startsWith('xray:')),
    ).toEqual(['ssm:GetParameter']);
    const [, triggerFn] = functionOf('StaffTokenClaims');
    expect(
      (triggerFn.Properties.Environment as { Variables: Record<string, unknown> }).Variables[
        envNames.officerSettingsParameter
      ],
    ).toBe('/certflow/test/officer-settings');
    const staffRoutes = s.specs.filter(
      (spec) => spec.trigger.kind === 'http' && spec.access.secrets.includes('officerSettings'),
    );
    expect(staffRoutes.map((r) => r.name)).toEqual(
      expect.arrayContaining(['StationQueue', 'OfficerFindings']),
    );
    for (const route of staffRoutes) {
      expect(
        actionsOf(route.name).filter((a) => a.startsWith('ssm:')),
        route.name,
      ).toEqual([]);
      const [, fn] = functionOf(route.name);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env[envNames.officerSettingsParameter], route.name).toBeUndefined();
    }
  });

  it('tells the handlers the user pool and its client, not an OpenID issuer (Cognito mode, the default)', () => {
    const [, queue] = functionOf('StationQueue');
    const env = (queue.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[envNames.userPoolId]).toBeDefined();
    expect(env[envNames.userPoolClientId]).toBeDefined();
    expect(env[envNames.oidcIssuer]).toBeUndefined();
  });

  it('offers the pages a hosted sign-in: a public code-grant client calling back to the web origins', () => {
    s.stateful.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'certflow-test-staff' });
    const pageUrls = ['https://portal.example.org/console', 'https://portal.example.org/dashboard'];
    s.stateful.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: Match.arrayWith(['openid']),
      CallbackURLs: pageUrls,
      LogoutURLs: pageUrls,
      SupportedIdentityProviders: ['COGNITO'],
    });
    // The pages learn the issuer (the pool) and the client from /auth-config.json, deployed with them:
    // a second source of the pages' deployment whose deploy-time values are the pool and its client.
    const pages = Object.values(s.stateless.findResources('Custom::CDKBucketDeployment')).find(
      (d) => d.Properties.DistributionPaths !== undefined,
    );
    expect(pages?.Properties.SourceObjectKeys).toHaveLength(2);
    const markers = JSON.stringify(pages?.Properties.SourceMarkers);
    expect(markers).toMatch(/ExportsOutputRefStaff[0-9A-F]+"/);
    expect(markers).toMatch(/ExportsOutputRefStaffConsole[0-9A-F]+"/);
    // No implicit grant, no client secret anywhere in the pool's clients.
    for (const client of Object.values(s.stateful.findResources('AWS::Cognito::UserPoolClient'))) {
      expect(client.Properties.AllowedOAuthFlows ?? []).not.toContain('implicit');
      expect(client.Properties.GenerateSecret).toBe(false);
    }
  });
});

describe('functions', () => {
  it('deploys one function per registry entry: Node.js 22, arm64, X-Ray, own log group with retention', () => {
    expect(
      resourcesOfType('AWS::Lambda::Function').filter(([, r]) =>
        String(r.Properties.FunctionName ?? '').startsWith(prefix),
      ).length,
    ).toBe(s.specs.length);
    for (const spec of s.specs) {
      const [, fn] = functionOf(spec.name);
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      const logGroupId = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(statelessResources[logGroupId]?.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/${prefix}-${spec.name}`,
        RetentionInDays: Number(testContext.logRetentionDays),
      });
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(Object.keys(env)).toEqual(
        expect.arrayContaining([
          envNames.tableName,
          envNames.stateMachineArn,
          envNames.powertoolsService,
          envNames.powertoolsNamespace,
        ]),
      );
      expect(env[envNames.powertoolsNamespace]).toBe(emfNamespace);
    }
  });

  it('gives the Parameters and Secrets extension layer exactly to the functions that read a Secrets Manager secret, its TTL the smallest max age of those secrets', () => {
    let withLayer = 0;
    for (const spec of s.specs) {
      const [, fn] = functionOf(spec.name);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      // This deployment has CloudFront (origin-verify secret: every HTTP function) and SMS through SNS.
      const reads =
        spec.trigger.kind === 'http' || spec.access.secrets.some((x) => x === 'token' || x === 'departments');
      const layers = (fn.Properties.Layers ?? []) as unknown[];
      if (!reads) {
        expect(layers, spec.name).toEqual([]);
        expect(env.SECRETS_MANAGER_TTL, spec.name).toBeUndefined();
        continue;
      }
      withLayer += 1;
      // A literal ARN (the stack names its region): the arm64 layer of ap-northeast-2.
      expect(layers, spec.name).toHaveLength(1);
      expect(String(layers[0]), spec.name).toMatch(
        /^arn:aws:lambda:ap-northeast-2:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
      );
      expect(fn.Properties.Architectures, spec.name).toEqual(['arm64']);
      expect(env, spec.name).toMatchObject({
        PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
        PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
        // 60 s where the origin header is checked (every HTTP function here) or department secrets are read.
        SECRETS_MANAGER_TTL:
          spec.trigger.kind === 'http' || spec.access.secrets.includes('departments') ? '60' : '300',
      });
      // The functions' own override of the extension's URL is for the local stack only.
      expect(env.CERTFLOW_SECRETS_EXTENSION_URL, spec.name).toBeUndefined();
    }
    expect(withLayer).toBeGreaterThan(30);
    expect(withLayer).toBeLessThan(s.specs.length);
  });

  it('grants sns:Publish for SMS only (no topic or endpoint ARN), only to the functions that send', () => {
    for (const spec of s.specs) {
      const publish = statementsOf(spec.name).filter((st) => asArray(st.Action).includes('sns:Publish'));
      const env = (functionOf(spec.name)[1].Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      if (spec.access.sms) {
        expect(publish).toEqual([
          expect.objectContaining({ Effect: 'Allow', NotResource: 'arn:*:sns:*:*:*' }),
        ]);
        expect(publish[0]).not.toHaveProperty('Resource');
        expect(env[envNames.smsProvider]).toBe('sns');
      } else {
        expect(publish).toEqual([]);
        expect(env[envNames.smsProvider]).toBeUndefined();
      }
    }
    expect(s.specs.filter((f) => f.access.sms).map((f) => f.name)).toEqual([
      'CitizenSignIn',
      'DeadlineTimer',
      'CheckRules',
      'IssueCertificate',
      'Decide',
    ]);
  });

  it('grants each function exactly the table and state-machine actions its access names', () => {
    for (const spec of s.specs) {
      const statements = statementsOf(spec.name);
      const table = statements.find((st) => st.Sid === 'Table');
      if (spec.access.table === 'none') expect(table, spec.name).toBeUndefined();
      else expect(asArray(table?.Action ?? []).sort(), spec.name).toEqual(tableActionsOf(spec.access).sort());

      // dynamodb:LeadingKeys exactly where access.keys lists prefixes (the local stack enforces the same).
      const keys = (spec.access as { keys?: readonly string[] }).keys;
      if (table)
        expect(table.Condition, spec.name).toEqual(
          keys ? { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys] } } : undefined,
        );

      const states = statements
        .filter((st) => st.Sid !== 'ComplaintStateMachine' && st.Sid !== 'ComplaintExecutions')
        .flatMap((st) => asArray(st.Action))
        .filter((a) => a.startsWith('states:'));
      expect(states.sort(), spec.name).toEqual(spec.access.stateMachine.map((a) => `states:${a}`).sort());
      const complaint = statements.filter(
        (st) => st.Sid === 'ComplaintStateMachine' || st.Sid === 'ComplaintExecutions',
      );
      const complaintMachine =
        (spec.access as { complaintMachine?: readonly string[] }).complaintMachine ?? [];
      expect(complaint.flatMap((st) => asArray(st.Action)).sort(), spec.name).toEqual(
        complaintMachine.map((a) => `states:${a}`).sort(),
      );
      for (const st of complaint) expect(JSON.stringify(st.Resource), spec.name).toContain('-complaint');

      // Secrets Manager and SSM: GetSecretValue on exactly the secrets the access lists, GetParameter on the
      // officer settings only where listed; nothing else (issue 18).
      const originVerify = statements.filter((st) => st.Sid === 'ReadOriginVerifySecret');
      expect(originVerify.length, spec.name).toBe(spec.trigger.kind === 'http' ? 1 : 0);
      for (const st of originVerify) expect(JSON.stringify(st.Resource)).toContain('OriginVerifySecret');
      const secretStatements = statements.filter(
        (st) =>
          st.Sid !== 'ReadOriginVerifySecret' &&
          asArray(st.Action).some((a) => a.startsWith('secretsmanager:') || a.startsWith('ssm:')),
      );
      const read = secretStatements.filter((st) => st.Sid === 'ReadSecrets');
      const wanted = spec.access.secrets.filter((x) => x !== 'officerSettings');
      expect(read.length, spec.name).toBe(wanted.length > 0 ? 1 : 0);
      for (const st of read) {
        expect(asArray(st.Action), spec.name).toEqual(['secretsmanager:GetSecretValue']);
        const resources = JSON.stringify(st.Resource);
        expect(resources.includes('TokenSecret'), spec.name).toBe(spec.access.secrets.includes('token'));
        expect(resources.includes('DepartmentSecrets'), spec.name).toBe(
          spec.access.secrets.includes('departments'),
        );
      }
      // The officer settings: the Cognito trigger only (the staff routes take the token's claim here).
      const parameter = secretStatements.filter((st) => st.Sid === 'OfficerSettings');
      expect(parameter.length, spec.name).toBe(
        readsOfficerSettings(spec.access, spec.trigger, { staffAuth: s.config.staffAuth }) ? 1 : 0,
      );
      expect(secretStatements.length, spec.name).toBe(read.length + parameter.length);

      expect(actionsOf(spec.name), spec.name).not.toContain('dynamodb:Scan');
      for (const st of statements.filter((x) => x.Resource === '*')) {
        expect(
          asArray(st.Action).every((a) => a.startsWith('xray:')),
          `${spec.name}: ${st.Action}`,
        ).toBe(true);
      }
    }
  });

  it('keeps the intake function away from task tokens and the catalogue away from the table', () => {
    expect(actionsOf('Intake')).toContain('states:StartExecution');
    expect(actionsOf('Intake')).not.toContain('states:SendTaskSuccess');
    expect(actionsOf('GetCatalogue').some((a) => a.startsWith('dynamodb:') || a.startsWith('states:'))).toBe(
      false,
    );
    expect(actionsOf('VerifyCertificate')).not.toContain('dynamodb:PutItem');
  });

  it('bundles each function as minified ESM with the createRequire banner, a source map and the AWS SDK inside', () => {
    for (const spec of s.specs) {
      const [, fn] = functionOf(spec.name);
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const dir = join(s.outdir, `asset.${key}`);
      const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
      expect(code.startsWith(esmRequireBanner), spec.name).toBe(true);
      expect(existsSync(join(dir, 'index.mjs.map')), spec.name).toBe(true);
      // Minified: few, long lines. Bundled SDK: no import of an @aws-sdk package is left for the runtime.
      expect(code.split('\n').length, spec.name).toBeLessThan(Math.max(20, code.length / 2000));
      expect(code, spec.name).not.toMatch(/from\s*["']@aws-sdk\//);
      expect(code, spec.name).not.toMatch(/import\(\s*["']@aws-sdk\//);
      // Credentials from the environment only (infra/bundle-shims/credential-provider-node.ts): the
      // default chain's nested STS and SSO clients are not in the bundle.
      expect(code, spec.name).not.toContain('AssumeRoleWithWebIdentity');
      expect(code, spec.name).not.toContain('GetRoleCredentials');
      // The SNS and Scheduler clients only where the function's access needs them (infra/bundling.ts
      // optionalPackages); no event-stream codec anywhere.
      expect(code.includes('CheckIfPhoneNumberIsOptedOut'), spec.name).toBe(spec.access.sms === true);
      expect(code.includes('ListScheduleGroups'), spec.name).toBe(spec.access.schedules === true);
      // Powertools Tracer and the X-Ray SDK only where the function traces (access.traces).
      expect(code.includes('AWS_XRAY_DAEMON_ADDRESS'), spec.name).toBe(spec.access.traces === true);
      // Powertools idempotency only where a repeated Idempotency-Key is answered (access.idempotencyKeys).
      expect(code.includes('IdempotencyItemAlreadyExistsError'), spec.name).toBe(
        spec.access.idempotencyKeys === true,
      );
      // The Step Functions client only with state-machine actions (its service id, AWSStepFunctions).
      expect(code.includes('AWSStepFunctions'), spec.name).toBe(
        spec.access.stateMachine.length > 0 || (spec.access.complaintMachine?.length ?? 0) > 0,
      );
      expect(code, spec.name).not.toContain('EventStreamCodec');
      expect(statSync(join(dir, 'index.mjs')).size).toBeGreaterThan(0);
      // The population registry (only where it is read) and the holiday supplement (only where working-day
      // deadlines are computed) travel in the bundle, where the config points.
      if (spec.access.registry)
        expect(readFileSync(join(dir, 'population-registry.json'), 'utf8')).toBe(
          readFileSync(join(repoRoot, s.config.registryFile), 'utf8'),
        );
      else expect(existsSync(join(dir, 'population-registry.json')), spec.name).toBe(false);
      const calendar = spec.access.workingDayCalendar === true;
      if (calendar)
        expect(readFileSync(join(dir, 'holidays.json'), 'utf8')).toBe(
          readFileSync(join(repoRoot, testContext.holidaysFile), 'utf8'),
        );
      else expect(existsSync(join(dir, 'holidays.json')), spec.name).toBe(false);
      const env = (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(env[envNames.registryFile]).toBe(
        spec.access.registry ? '/var/task/population-registry.json' : undefined,
      );
      expect(env[envNames.holidaysFile], spec.name).toBe(calendar ? '/var/task/holidays.json' : undefined);
      // The working-day calendar with the tables derived from chinese-days (schedules, and the lunar dates of
      // provisional years) only there too, none of the package itself; the others carry the stand-in
      // (infra/bundle-shims/absent/calendar.ts).
      expect(code.includes(calendarMarkers.calendarCode), `${spec.name} calendar.ts`).toBe(calendar);
      expect(code.includes(calendarMarkers.holidayTable), `${spec.name} schedules`).toBe(calendar);
      expect(code.includes(calendarMarkers.lunarTable), `${spec.name} lunar dates`).toBe(calendar);
      expect(code.includes(calendarMarkers.chineseDaysCode), `${spec.name} chinese-days code`).toBe(false);
      // The stand-in comes with the handlers' shared dependencies (functions/deps.ts `calendar`); a function
      // not built on them (the Cognito trigger StaffTokenClaims) carries neither calendar nor stand-in.
      const onDeps = readFileSync(join(repoRoot, spec.entry), 'utf8').includes("from '../deps.ts'");
      expect(code.includes(calendarMarkers.standIn), `${spec.name} calendar stand-in`).toBe(
        !calendar && onDeps,
      );
      // UTF-8 output: the bilingual catalogue stays Chinese characters, not \u escapes.
      if (spec.name === 'GetCatalogue') expect(code).toContain('证明');
    }
  });

  it('declares access.workingDayCalendar exactly where the bundle computes working-day deadlines (derived from the bundles esbuild wrote)', () => {
    const declared: string[] = [];
    for (const spec of s.specs) {
      const [, fn] = functionOf(spec.name);
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const code = readFileSync(join(s.outdir, `asset.${key}`, 'index.mjs'), 'utf8');
      const calendar = spec.access.workingDayCalendar === true;
      if (calendar) declared.push(spec.name);
      // Tree-shaken: a bundle keeps a `deps.calendar()` call only where some code it runs calls it
      // (property names survive minifying; the stand-in's own message does not contain the call).
      expect(
        /\.calendar\(\)/.test(code),
        `${spec.name} calls deps.calendar(): access.workingDayCalendar must say so (and only then)`,
      ).toBe(calendar);
      // Without the declaration the bundle has the stand-in in place of calendar.ts, so any call of a
      // WorkingDayCalendar method left is the function's own code computing deadlines (e.g. on
      // `defaultCalendar`, which would also ignore the holiday supplement): it needs the calendar.
      if (!calendar)
        expect(
          code.match(
            /\.(workingDaysAfter|workingDaysBefore|workingDaysBetween|isWorkingDay|isCovered|coveredYears)\(/g,
          ) ?? [],
          `${spec.name} computes working days`,
        ).toEqual([]);
    }
    // The rule check (investigation deadline), the warning, the escalations, the complaint deadlines.
    expect(declared.sort()).toEqual(
      expect.arrayContaining([
        'AssignComplaint',
        'CheckRules',
        'DeadlineTimer',
        'Escalate',
        'EscalateComplaint',
      ]),
    );
  });

  /** Invokes a synthesized bundle's handler in a fresh Node process (plain Node, no tsx, no aliases). */
  function invokeBundle(name: string, event: Record<string, unknown>): { statusCode: number; body: string } {
    const [, fn] = functionOf(name);
    const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
    const bundle = pathToFileURL(join(s.outdir, `asset.${key}`, 'index.mjs')).href;
    const script = `const { handler } = await import(${JSON.stringify(bundle)});
const result = await handler(${JSON.stringify(event)}, { functionName: ${JSON.stringify(name)}, awsRequestId: 'x', getRemainingTimeInMillis: () => 10000 });
process.stdout.write('\\n@@result ' + JSON.stringify(result));`;
    const out = execFileSync(
      process.execPath,
      ['--enable-source-maps', '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        env: {
          PATH: process.env.PATH,
          AWS_REGION: testContext.region,
          AWS_ACCESS_KEY_ID: 'bundle-check',
          AWS_SECRET_ACCESS_KEY: 'bundle-check',
          // Nothing may reach AWS: a DynamoDB call would fail fast on this closed port.
          AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:9',
          AWS_ENDPOINT_URL_SFN: 'http://127.0.0.1:9',
          CERTFLOW_TABLE_NAME: 'unused',
          CERTFLOW_STATE_MACHINE_ARN: 'arn:aws:states:ap-northeast-2:123456789012:stateMachine:unused',
          CERTFLOW_TOKEN_SECRET: 'bundle-check-secret-bundle-check-secret-0123',
          CERTFLOW_RATE_LIMIT: '0',
          POWERTOOLS_METRICS_DISABLED: 'true',
        },
      },
    );
    // The handler's own log lines share stdout (as on Lambda); the result is the marked last line.
    return JSON.parse(out.slice(out.lastIndexOf('@@result ') + '@@result '.length)) as {
      statusCode: number;
      body: string;
    };
  }

  /** An API Gateway HTTP API payload 2.0 event of tests/events/apigw-http, with its body replaced. */
  const httpEvent = (fixture: string, body?: unknown) => {
    const event = JSON.parse(
      readFileSync(new URL(`../../events/apigw-http/${fixture}.json`, import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    return { ...event, ...(body === undefined ? {} : { body: JSON.stringify(body) }) };
  };

  it('lists in access.secrets exactly what each bundle reads (derived from the bundles esbuild wrote)', () => {
    for (const spec of s.specs) {
      const [, fn] = functionOf(spec.name);
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      const code = readFileSync(join(s.outdir, `asset.${key}`, 'index.mjs'), 'utf8');
      // Tree-shaken: a bundle keeps `….config.tokenSecret` only where some code it runs derives an HMAC.
      expect(/\.config\.tokenSecret\b/.test(code), `${spec.name} token`).toBe(
        spec.access.secrets.includes('token'),
      );
      expect(code.includes(envNames.departmentSecretsArn), `${spec.name} departments`).toBe(
        spec.access.secrets.includes('departments'),
      );
      // The staff routes' bundles know the officer settings' variable (the fallback's); MetricsSummary's
      // officers need no station.
      if (spec.access.secrets.includes('officerSettings'))
        expect(code.includes(envNames.officerSettingsParameter), `${spec.name} officer settings`).toBe(true);
      // The SSM client (its JSON protocol's target prefix) only where the settings are read: the trigger.
      expect(code.includes('AmazonSSM'), `${spec.name} SSM client`).toBe(
        readsOfficerSettings(spec.access, spec.trigger, { staffAuth: s.config.staffAuth }),
      );
    }
  });

  it('runs the bundles in plain Node: GetCatalogue answers GET /v1/catalogue', () => {
    const result = invokeBundle('GetCatalogue', httpEvent('get-catalogue'));
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as { kinds: { code: string }[] };
    expect(body.kinds.map((k) => k.code)).toContain('KINSHIP');
  }, 60_000);

  it("runs the trigger bundle in plain Node: a supervisor's token is left as Cognito makes it, without SSM", () => {
    const event = JSON.parse(
      readFileSync(new URL('../../events/cognito/pre-token-generation-v2.json', import.meta.url), 'utf8'),
    ) as { request: { groupConfiguration: { groupsToOverride: string[] } } };
    event.request.groupConfiguration.groupsToOverride = ['supervisor'];
    const result = invokeBundle('StaffTokenClaims', event) as unknown as typeof event & {
      response: { claimsAndScopeOverrideDetails: unknown };
    };
    expect(result.request.groupConfiguration.groupsToOverride).toEqual(['supervisor']);
    expect(result.response.claimsAndScopeOverrideDetails).toBeNull();
  }, 60_000);

  it('keeps zod working without its locales: Intake names the bad fields of a bad request', () => {
    const result = invokeBundle(
      'Intake',
      httpEvent('post-request', { proof: 'KINSHIP', subject: { name: '黄小雨', idNumber: '123' } }),
    );
    expect(result.statusCode).toBe(400);
    const problem = JSON.parse(result.body) as { errors: { path: string }[] };
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(['purpose', 'askedBy']));
    // …and no other locale than English is in the bundles (German is one of the ~45 zod ships).
    for (const spec of s.specs) {
      const [, fn] = functionOf(spec.name);
      const key = (fn.Properties.Code as { S3Key: string }).S3Key.replace(/\.zip$/, '');
      expect(readFileSync(join(s.outdir, `asset.${key}`, 'index.mjs'), 'utf8'), spec.name).not.toContain(
        'Ungültige Eingabe',
      );
    }
  }, 60_000);
});

describe('logs', () => {
  it('masks resident ID numbers in every log group of the stateless stack', () => {
    const groups = resourcesOfType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThan(s.specs.length);
    for (const [id, group] of groups) {
      const policy = JSON.stringify(group.Properties.DataProtectionPolicy ?? {});
      expect(policy, id).toContain(idNumberPattern);
      expect(policy, id).toContain('"Deidentify"');
    }
  });

  it('matches ID numbers and nothing shorter (timestamps, phone numbers)', () => {
    const pattern = new RegExp(idNumberPattern);
    fc.assert(fc.property(validIdNumber(), (id) => pattern.test(id)));
    for (const other of [String(Date.now()), '13800000000', '2026-11-28T04:41:25.123Z']) {
      expect(pattern.test(other), other).toBe(false);
    }
  });
});

describe('state machine', () => {
  const machine = () => {
    const [id, resource] = (resourcesOfType('AWS::StepFunctions::StateMachine') as [string, Resource][]).find(
      ([, r]) => String(r.Properties.StateMachineName).endsWith('-certificate-request'),
    )!;
    return { id, props: resource.Properties };
  };
  /** Fake ARNs by placeholder, as a deployed account would have them. */
  const arns = () => ({
    [PARTITION_PLACEHOLDER]: 'aws',
    ...Object.fromEntries(
      functionPlaceholdersOf(certificateRequestDefinition).map((p) => [
        p,
        `arn:aws:lambda:${testContext.region}:123456789012:function:${prefix}-${p.replace(/FunctionArn$/, '')}`,
      ]),
    ),
  });

  it('is a Standard state machine logging ALL events to CloudWatch Logs with tracing on', () => {
    expect(machine().props).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: `${prefix}-certificate-request`,
      LoggingConfiguration: { Level: 'ALL', Destinations: [expect.anything()] },
      TracingConfiguration: { Enabled: true },
    });
  });

  it('substitutes every placeholder with the ARN of the registry function that has it', () => {
    const { [PARTITION_PLACEHOLDER]: partition, ...subs } = machine().props.DefinitionSubstitutions as Record<
      string,
      { 'Fn::GetAtt': [string, string] }
    >;
    expect(Object.keys(subs).sort()).toEqual(functionPlaceholdersOf(certificateRequestDefinition));
    // The partition is CloudFormation's pseudo parameter: arn:aws-cn:states:::lambda:invoke in China.
    expect(partition).toEqual({ Ref: 'AWS::Partition' });
    expect(machine().props.DefinitionString as string).not.toContain('arn:aws:');
    for (const [placeholder, value] of Object.entries(subs)) {
      const spec = s.specs.find((f) => f.placeholder === placeholder);
      expect(spec, placeholder).toBeDefined();
      const [logicalId] = functionOf(spec!.name);
      expect(value).toEqual({ 'Fn::GetAtt': [logicalId, 'Arn'] });
    }
  });

  it('deploys exactly the definition the local stack runs (same substitute())', () => {
    const deployed = JSON.parse(machine().props.DefinitionString as string) as unknown;
    expect(JSON.parse(substitute(deployed, arns()))).toEqual(
      JSON.parse(substitute(certificateRequestDefinition, arns())),
    );
  });

  it('runs, with the local names, exactly what the local stack runs', () => {
    const local = localSubstitutions();
    const deployed = JSON.parse(machine().props.DefinitionString as string) as unknown;
    expect(substitute(deployed, local)).toBe(substitute(certificateRequestDefinition, local));
    // …and each placeholder names the same registry function on both sides.
    const subs = machine().props.DefinitionSubstitutions as Record<
      string,
      { 'Fn::GetAtt': [string, string] }
    >;
    const { [PARTITION_PLACEHOLDER]: localPartition, ...localFunctions } = local;
    expect(localPartition).toBe(LOCAL_PARTITION);
    const used = new Set(functionPlaceholdersOf(certificateRequestDefinition));
    for (const [placeholder, localName] of Object.entries(localFunctions)) {
      if (!used.has(placeholder)) continue; // the complaint machine's (below)
      expect(subs[placeholder]).toEqual({ 'Fn::GetAtt': [functionOf(localName)[0], 'Arn'] });
    }
  });

  it('passes asl-validator after substitution', () => {
    const deployed = JSON.parse(substitute(JSON.parse(machine().props.DefinitionString as string), arns()));
    const result = aslValidator(deployed);
    expect(result.errorsText('\n')).toBe('');
    expect(result.isValid).toBe(true);
    // The validator does catch a broken definition.
    const broken = structuredClone(deployed) as { States: Record<string, { Next?: string }> };
    broken.States.CheckRules = { ...broken.States.CheckRules, Next: 'Nowhere' };
    expect(aslValidator(broken).isValid).toBe(false);
  }, 60_000);

  it('may invoke only the functions of its definition', () => {
    const roleId = (machine().props.RoleArn as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    const statements = resourcesOfType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    const invoked = statements
      .filter((st) => asArray(st.Action).includes('lambda:InvokeFunction'))
      .flatMap((st) => st.Resource as unknown[])
      .map((r) => JSON.stringify(r).match(/"Fn::GetAtt":\["([^"]+)","Arn"\]/)?.[1])
      .filter((id): id is string => id !== undefined);
    const expected = functionPlaceholdersOf(certificateRequestDefinition).map((p) => {
      const spec = s.specs.find((f) => f.placeholder === p)!;
      return functionOf(spec.name)[0];
    });
    expect([...new Set(invoked)].sort()).toEqual(expected.sort());
    for (const st of statements.filter((x) => x.Resource === '*')) {
      expect(asArray(st.Action).every((a) => a.startsWith('xray:') || a.startsWith('logs:'))).toBe(true);
    }
  });
});

describe('complaint state machine', () => {
  const machine = () => {
    const [id, resource] = (resourcesOfType('AWS::StepFunctions::StateMachine') as [string, Resource][]).find(
      ([, r]) => String(r.Properties.StateMachineName).endsWith('-complaint'),
    )!;
    return { id, props: resource.Properties };
  };

  it('is a second Standard state machine, running with the local names exactly what the local stack runs', () => {
    expect(machine().props).toMatchObject({
      StateMachineType: 'STANDARD',
      StateMachineName: `${prefix}-complaint`,
      TracingConfiguration: { Enabled: true },
    });
    const local = localSubstitutions();
    const deployed = JSON.parse(machine().props.DefinitionString as string) as unknown;
    expect(substitute(deployed, local)).toBe(substitute(complaintDefinition, local));
    const subs = machine().props.DefinitionSubstitutions as Record<string, unknown>;
    for (const placeholder of functionPlaceholdersOf(complaintDefinition)) {
      const spec = s.specs.find((f) => f.placeholder === placeholder)!;
      expect(spec.machine).toBe('complaint');
      expect(subs[placeholder]).toEqual({ 'Fn::GetAtt': [functionOf(spec.name)[0], 'Arn'] });
    }
  });

  it('gives FileComplaint StartExecution and ComplaintFindings SendTaskSuccess on it, and nothing on the other', () => {
    expect(actionsOf('FileComplaint')).toEqual(expect.arrayContaining(['states:StartExecution']));
    expect(actionsOf('FileComplaint')).not.toContain('states:SendTaskSuccess');
    expect(actionsOf('ComplaintFindings')).toContain('states:SendTaskSuccess');
    const start = statementsOf('FileComplaint').find((st) => st.Sid === 'ComplaintStateMachine')!;
    expect(JSON.stringify(start.Resource)).toContain(`stateMachine:${prefix}-complaint`);
    expect(statementsOf('FileComplaint').find((st) => st.Sid === 'StateMachine')).toBeUndefined();
  });
});

describe('HTTP API', () => {
  const routes = () =>
    Object.fromEntries(
      resourcesOfType('AWS::ApiGatewayV2::Route').map(([, r]) => [
        r.Properties.RouteKey as string,
        r.Properties,
      ]),
    );

  it('has every route of the registry, and only those', () => {
    const expected = httpSpecs().flatMap((spec) => routeKeys(spec));
    expect(Object.keys(routes()).sort()).toEqual([...expected].sort());
    expect(Object.keys(routes())).toContain('POST /v1/requests');
  });

  it('puts officer and supervisor routes behind the Cognito JWT authorizer, and no others', () => {
    const all = routes();
    for (const spec of httpSpecs()) {
      for (const key of routeKeys(spec)) {
        const jwt =
          spec.trigger.kind === 'http' &&
          spec.trigger.auth === 'token' &&
          !handlerVerifiedTokenRoutes.includes(key);
        expect(all[key]?.AuthorizationType, key).toBe(jwt ? 'JWT' : 'NONE');
      }
    }
    // A citizen's access token must still reach GET /v1/requests/{requestId}: the handler verifies it.
    expect(all['GET /v1/requests/{requestId}']?.AuthorizationType).toBe('NONE');
    expect(all[intakeRoute]?.AuthorizationType).toBe('NONE');
    s.stateless.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [Match.anyValue()],
        Issuer: Match.anyValue(),
      },
    });
  });

  it('lets API Gateway invoke each function only through its own routes', () => {
    const permissions = resourcesOfType('AWS::Lambda::Permission').filter(
      ([, p]) => p.Properties.Principal === 'apigateway.amazonaws.com',
    );
    expect(permissions.length).toBe(httpSpecs().flatMap((spec) => routeKeys(spec)).length);
    for (const [, permission] of permissions) {
      const source = JSON.stringify(permission.Properties.SourceArn);
      expect(source).toMatch(/\/\*\/\*\/v1\//);
    }
  });

  it('uses payload format 2.0 Lambda proxy integrations', () => {
    for (const [, integration] of resourcesOfType('AWS::ApiGatewayV2::Integration')) {
      expect(integration.Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
    }
  });

  it('throttles the stage and the intake route, and writes JSON access logs', () => {
    s.stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: Match.objectLike({
        ThrottlingRateLimit: s.config.apiRateLimit,
        ThrottlingBurstLimit: s.config.apiBurstLimit,
      }),
      RouteSettings: {
        [intakeRoute]: {
          ThrottlingRateLimit: s.config.intakeRateLimit,
          ThrottlingBurstLimit: s.config.intakeBurstLimit,
        },
      },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"routeKey"') },
    });
  });

  it('allows the configured browser origins by CORS', () => {
    s.stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: [testContext.webOrigins],
        AllowHeaders: Match.arrayWith(['authorization', 'idempotency-key']),
      }),
    });
  });
});

describe('web pages', () => {
  it('serves a private bucket through CloudFront with origin access control, and /v1/* from the API', () => {
    s.stateless.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: Match.anyValue(),
    });
    s.stateless.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    s.stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CacheBehaviors: [
          Match.objectLike({
            PathPattern: '/v1/*',
            CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
            AllowedMethods: Match.arrayWith(['POST']),
          }),
        ],
        Logging: Match.anyValue(),
      }),
    });
    expect(resourcesOfType('Custom::CDKBucketDeployment').length).toBeGreaterThan(0);
  });

  it('keeps the execute-api endpoint for CloudFront only: the origin header, checked by every HTTP handler', () => {
    // CloudFront's /v1/* origin is the execute-api domain: disabling it would cut CloudFront off too.
    s.stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', { DisableExecuteApiEndpoint: false });
    const [, distribution] = resourcesOfType('AWS::CloudFront::Distribution')[0] as [string, Resource];
    const origins = (
      distribution.Properties.DistributionConfig as {
        Origins: {
          DomainName: unknown;
          OriginCustomHeaders?: { HeaderName: string; HeaderValue: unknown }[];
        }[];
      }
    ).Origins;
    const api = origins.filter((o) => JSON.stringify(o.DomainName).includes('ApiHttpApi'));
    expect(api).toHaveLength(1);
    expect(api[0]?.OriginCustomHeaders?.map((h) => h.HeaderName)).toEqual([ORIGIN_VERIFY_HEADER]);
    const value = JSON.stringify(api[0]?.OriginCustomHeaders?.[0]?.HeaderValue);
    expect(value).toContain('{{resolve:secretsmanager:');
    expect(value).toContain('OriginVerifySecret');
    // Only the API origin carries it (the bucket gets nothing), and every HTTP handler knows the secret.
    for (const o of origins.filter((x) => !api.includes(x))) expect(o.OriginCustomHeaders).toBeUndefined();
    for (const spec of s.specs)
      expect(envOf(spec.name)[envNames.originVerifyId] !== undefined, spec.name).toBe(
        spec.trigger.kind === 'http',
      );
  });

  it('sends the same security headers as the local pages: one CSP string, in the response headers policy', () => {
    const [[policyId, policy]] = resourcesOfType('AWS::CloudFront::ResponseHeadersPolicy') as [
      [string, Resource],
    ];
    const config = policy.Properties.ResponseHeadersPolicyConfig as {
      SecurityHeadersConfig: Record<string, Record<string, unknown>>;
      CustomHeadersConfig: { Items: { Header: string; Value: string; Override: boolean }[] };
    };
    const security = config.SecurityHeadersConfig;
    expect(security.ContentSecurityPolicy).toEqual({
      ContentSecurityPolicy: CONTENT_SECURITY_POLICY,
      Override: true,
    });
    expect(security.ContentTypeOptions).toEqual({ Override: true });
    expect(security.FrameOptions).toEqual({
      FrameOption: SECURITY_HEADERS['x-frame-options'],
      Override: true,
    });
    expect(security.ReferrerPolicy).toEqual({
      ReferrerPolicy: SECURITY_HEADERS['referrer-policy'],
      Override: true,
    });
    expect(security.StrictTransportSecurity).toMatchObject({ Override: true, IncludeSubdomains: true });
    const modelled = [
      'content-security-policy',
      'x-content-type-options',
      'referrer-policy',
      'x-frame-options',
    ];
    expect(Object.fromEntries(config.CustomHeadersConfig.Items.map((h) => [h.Header, h.Value]))).toEqual(
      Object.fromEntries(Object.entries(SECURITY_HEADERS).filter(([name]) => !modelled.includes(name))),
    );
    s.stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({ ResponseHeadersPolicyId: { Ref: policyId } }),
      }),
    });
  });
});

describe('per-client intake limit at the edge (WAF, us-east-1)', () => {
  const edgeTemplate = () => {
    const edge = s.stacks.edge;
    if (!edge) throw new Error('no edge stack');
    return Template.fromJSON(
      JSON.parse(readFileSync(join(s.outdir, `${edge.artifactId}.template.json`), 'utf8')),
    );
  };

  it('is a CloudFront-scope web ACL in us-east-1 limiting POST /v1/requests per viewer address, as locally', () => {
    expect(s.stacks.edge?.region).toBe('us-east-1');
    expect(s.config.rateLimitPerClient).toBe(120); // the local gateway's default too
    const [acl] = Object.values(edgeTemplate().findResources('AWS::WAFv2::WebACL')) as Resource[];
    expect(acl?.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    type ByteMatch = { FieldToMatch: object; SearchString: string; PositionalConstraint: string };
    type Rule = {
      Statement: {
        RateBasedStatement: Record<string, unknown> & {
          ScopeDownStatement: { AndStatement: { Statements: { ByteMatchStatement: ByteMatch }[] } };
        };
      };
      Action: { Block: { CustomResponse: unknown } };
    };
    const [rule] = acl!.Properties.Rules as Rule[];
    expect(rule!.Statement.RateBasedStatement).toMatchObject({
      Limit: 120,
      EvaluationWindowSec: 60,
      AggregateKeyType: 'IP',
    });
    const scope = rule!.Statement.RateBasedStatement.ScopeDownStatement.AndStatement.Statements.map((st) => [
      Object.keys(st.ByteMatchStatement.FieldToMatch)[0],
      st.ByteMatchStatement.PositionalConstraint,
      st.ByteMatchStatement.SearchString,
    ]);
    expect(scope).toEqual([
      ['Method', 'EXACTLY', 'POST'],
      ['UriPath', 'EXACTLY', '/v1/requests'],
    ]);
    // Past the limit: 429, Retry-After, and the handler's own problem+json body.
    expect(rule!.Action.Block.CustomResponse).toEqual({
      ResponseCode: 429,
      CustomResponseBodyKey: 'too-many-requests',
      ResponseHeaders: [{ Name: 'retry-after', Value: '60' }],
    });
    const body = (acl!.Properties.CustomResponseBodies as Record<string, { Content: string }>)[
      'too-many-requests'
    ];
    expect(JSON.parse(body!.Content)).toEqual(tooManyRequests(60));
  });

  it('limits POST /v1/complaints per viewer address too (policy data over WAF’s 600-second window)', () => {
    const [acl] = Object.values(edgeTemplate().findResources('AWS::WAFv2::WebACL')) as Resource[];
    type Rule = { Name: string; Statement: { RateBasedStatement: Record<string, unknown> } };
    const rule = (acl!.Properties.Rules as Rule[]).find((r) => r.Name === 'ComplaintsPerClient');
    expect(rule?.Statement.RateBasedStatement).toMatchObject({
      Limit: 10,
      EvaluationWindowSec: 600,
      AggregateKeyType: 'IP',
    });
    expect(JSON.stringify(rule)).toContain('/v1/complaints');
  });

  it('is attached to the web distribution (cross-region reference), and the handler does not count edge addresses', () => {
    s.stateless.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: Match.anyValue() }),
    });
    const [, distribution] = resourcesOfType('AWS::CloudFront::Distribution')[0]!;
    expect(JSON.stringify(distribution.Properties)).toMatch(/ExportsReader/);
    const [, intake] = functionOf('Intake');
    const env = (intake.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(env[envNames.rateLimitPerMinute]).toBe('0');
  });
});

describe('schedule, alarms and dashboard', () => {
  it('invokes every scheduled function with EventBridge Scheduler at its registry rate, with a dead-letter queue', () => {
    const scheduled = s.specs.filter((f) => f.trigger.kind === 'schedule');
    expect(scheduled.map((f) => f.name)).toContain('DeadlineSweeper');
    for (const spec of scheduled) {
      if (spec.trigger.kind !== 'schedule') continue;
      const [logicalId] = functionOf(spec.name);
      s.stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: rateExpression(spec.trigger.everyMinutes),
        State: 'ENABLED',
        Target: Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalId, 'Arn'] },
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
      s.stateless.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: logicalId },
        MaximumRetryAttempts: 0,
      });
    }
  });

  it("lets the scheduler's role invoke only the scheduled functions and reach only its dead-letter queue", () => {
    const [sweeperFn] = functionOf('DeadlineSweeper');
    const schedule = resourcesOfType('AWS::Scheduler::Schedule')
      .map(([, r]) => r)
      .find((r) => JSON.stringify(r.Properties.Target).includes(sweeperFn)) as Resource;
    const roleId = (schedule.Properties.Target as { RoleArn: { 'Fn::GetAtt': [string, string] } }).RoleArn[
      'Fn::GetAtt'
    ][0];
    const statements = resourcesOfType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roleId))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect([...new Set(statements.flatMap((st) => asArray(st.Action)))].sort()).toEqual([
      'lambda:InvokeFunction',
      'sqs:SendMessage',
    ]);
    const [sweeperId] = functionOf('DeadlineSweeper');
    const invoked = JSON.stringify(
      statements.filter((st) => asArray(st.Action).includes('lambda:InvokeFunction')),
    );
    expect(invoked).toContain(sweeperId);
  });

  it('copies the population registry only into the bundles of the functions that read it', () => {
    for (const spec of s.specs) {
      const env = (functionOf(spec.name)[1].Properties.Environment as { Variables: Record<string, unknown> })
        .Variables;
      expect(env[envNames.registryFile] !== undefined, spec.name).toBe(spec.access.registry === true);
    }
  });

  it('reserves concurrency: a floor for intake, ceilings for the metrics route and deliveries', () => {
    const reserved = Object.fromEntries(
      s.specs.map((spec) => [spec.name, functionOf(spec.name)[1].Properties.ReservedConcurrentExecutions]),
    );
    expect(reserved).toMatchObject({ Intake: 100, MetricsSummary: 5, DeliverToDepartments: 50 });
    expect(Object.values(reserved).filter((v) => v !== undefined)).toHaveLength(3);
  });

  it('makes deadline warnings one-time schedules: CreateSchedule in its group only, PassRole to the scheduler only', () => {
    s.stateless.hasResourceProperties('AWS::Scheduler::ScheduleGroup', { Name: 'certflow-test-deadlines' });
    for (const spec of s.specs) {
      const statements = statementsOf(spec.name);
      const create = statements.filter((st) => asArray(st.Action).some((a) => a.startsWith('scheduler:')));
      const pass = statements.filter((st) => asArray(st.Action).includes('iam:PassRole'));
      if (spec.access.schedules) {
        expect(create.flatMap((st) => asArray(st.Action))).toEqual(['scheduler:CreateSchedule']);
        expect(JSON.stringify(create[0]!.Resource)).toContain('schedule/certflow-test-deadlines/*');
        expect(pass[0]!.Condition).toEqual({
          StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' },
        });
      } else {
        expect(create, spec.name).toEqual([]);
        expect(pass, spec.name).toEqual([]);
      }
    }
    expect(s.specs.filter((f) => f.access.schedules).map((f) => f.name)).toEqual(['DispatchInvestigation']);
    // The role the schedules run with may invoke the DeadlineTimer function and nothing else.
    const [timerId] = functionOf('DeadlineTimer');
    const roles = resourcesOfType('AWS::IAM::Role').filter(([id]) => id.startsWith('DeadlineSchedulesRole'));
    expect(roles).toHaveLength(1);
    const statements = resourcesOfType('AWS::IAM::Policy')
      .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref === roles[0]![0]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
    expect(statements.flatMap((st) => asArray(st.Action))).toEqual(['lambda:InvokeFunction']);
    expect(JSON.stringify(statements)).toContain(timerId);
    // No function heartbeats a task any more (issue 18).
    expect(JSON.stringify(s.stateless.toJSON())).not.toContain('states:SendTaskHeartbeat');
  });

  it('requires TLS on the alarm topic and the dead-letter queue', () => {
    for (const type of ['AWS::SNS::TopicPolicy', 'AWS::SQS::QueuePolicy']) {
      s.stateless.hasResourceProperties(type, {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('alarms supervisors on overdue requests, escalations, failed executions, dead letters, errors and throttles', () => {
    const alarms = resourcesOfType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const names = alarms.map((a) => a.AlarmName as string);
    for (const id of [
      'OverdueRequests',
      'Escalations',
      'FailedExecutions',
      'DeliveryDeadLetters',
      'ExecutionThrottles',
      'SweeperUndelivered',
      'WorkflowStepFailed',
      'SweeperNotRunning',
      'OpenExecutionsNearQuota',
      'DeadlineSweeper-NearTimeout',
      'DeadlineSchedulesFailing',
      'Api429',
      'StateTransitionThrottles',
      'SendTaskSuccessThrottles',
      'StartExecutionThrottles',
    ]) {
      expect(names).toContain(`${prefix}-${id}`);
    }
    // The liveness alarm cannot go quiet: no data is breaching, and so is a count below one.
    expect(emfAlarmOf(alarms, `${prefix}-SweeperNotRunning`)).toMatchObject({
      MetricName: emfMetrics.sweepCompleted,
      TreatMissingData: 'breaching',
      ComparisonOperator: 'LessThanThreshold',
      Threshold: 1,
    });
    s.stateless.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [Match.objectLike({ MetricName: 'ApiTooManyRequests' })],
    });
    for (const spec of s.specs) {
      expect(names).toContain(`${prefix}-${spec.name}-Errors`);
      expect(names).toContain(`${prefix}-${spec.name}-Throttles`);
    }
    const topic = Object.keys(s.stateless.findResources('AWS::SNS::Topic'))[0];
    for (const alarm of alarms) {
      expect(alarm.AlarmActions, alarm.AlarmName as string).toEqual([{ Ref: topic }]);
    }
    const emfAlarm = (name: string) =>
      alarms.find((a) => a.AlarmName === `${prefix}-${name}`) as Record<string, unknown>;
    expect(emfAlarm('DeliveryDeadLetters')).toMatchObject({
      Namespace: emfNamespace,
      MetricName: emfMetrics.deadLetters,
      Dimensions: [{ Name: 'service', Value: emfService }],
    });
    // Escalations carry a `level` dimension: the alarm sums every level with a Metrics Insights query.
    expect(JSON.stringify(emfAlarm('Escalations').Metrics)).toContain(
      `SELECT SUM(${emfMetrics.escalations}) FROM SCHEMA(${emfNamespace}, level, service)`,
    );
    // The deadline alarms are the definitions the local stack evaluates (shared/config/alarms.ts).
    for (const definition of deadlineAlarms({ overdueThreshold: s.config.overdueAlarmThreshold })) {
      expect(emfAlarm(definition.id), definition.id).toMatchObject({
        Threshold: definition.threshold,
        EvaluationPeriods: definition.evaluationPeriods,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    }
    expect(emfAlarm('OverdueRequests')).toMatchObject({
      MetricName: emfMetrics.overdue,
      Statistic: 'Maximum',
    });
    s.stateless.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: testContext.alarmEmail,
    });
    s.stateless.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
  });

  it('has a dashboard of the metrics the handlers emit', () => {
    const [, dashboard] = resourcesOfType('AWS::CloudWatch::Dashboard')[0] as [string, Resource];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const metric of Object.values(emfMetrics)) expect(body).toContain(metric);
    expect(body).toContain(emfNamespace);
  });
});

/** CDK's rendering of a rate in minutes: whole days as days, whole hours as hours. */
function rateExpression(minutes: number): string {
  if (minutes % 1440 === 0) return `rate(${minutes / 1440} ${minutes === 1440 ? 'day' : 'days'})`;
  if (minutes % 60 === 0) return `rate(${minutes / 60} ${minutes === 60 ? 'hour' : 'hours'})`;
  return `rate(${minutes} minutes)`;
}
