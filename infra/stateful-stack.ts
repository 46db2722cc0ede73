/**
 * What must outlive every deployment: the certflow table (from the one shared table definition), the
 * customer-managed key that encrypts it, the department secrets and the officers' user pool. Everything here is RETAINed and the
 * table has deletion protection: tearing down the app never deletes data (README: "Tear down").
 */
import { ArnFormat, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { tokenSecretName } from '#shared/config/config.ts';
import {
  certflowTable,
  type KeyAttribute,
  LEGACY_STATUS_INDEX,
  type TableDefinition,
} from '#shared/store/table-definition.ts';

export interface StatefulStackProps extends StackProps {
  readonly stage: string;
  /** Origins of the web pages (`https://host`): the staff sign-in's callback and sign-out URLs. */
  readonly webOrigins?: readonly string[];
  /** Prefix of the hosted sign-in domain (`PREFIX.auth.REGION.amazoncognito.com`); default `certflow-STAGE-staff`. */
  readonly signInDomainPrefix?: string;
  /**
   * Deploy the Cognito user pool of the staff (default true). False when staff sign in at another OpenID
   * issuer (infra/identity.ts: `oidcIssuerUrl`, e.g. in the AWS China regions) or only by tokens.
   */
  readonly cognito?: boolean;
  /**
   * The user pool's pre token generation trigger (V2_0): the Lambda function of that name in this stack's
   * account and region, which the stateless stack deploys (functions/function-list.ts StaffTokenClaims)
   * together with Cognito's permission to invoke it. Named, not referenced, as the workflow's state
   * machines are: the stateless stack depends on this one, never the other way round.
   */
  readonly preTokenGenerationFunctionName?: string;
}

const attributeType = { S: dynamodb.AttributeType.STRING, N: dynamodb.AttributeType.NUMBER } as const;

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: attributeType[key.type] };
}

/** Cognito groups that map to certflow roles (the handlers read them from the `cognito:groups` claim). */
export const roleGroups = { officer: 'officer', supervisor: 'supervisor' } as const;

/**
 * TableV2 properties for a shared table definition (each index with the definition's projection, like the
 * local stack); `legacyStatusIndex` keeps the pre-issue-18 status index beside it for the migration deploy.
 */
export function tablePropsFrom(
  definition: TableDefinition,
  options: { legacyStatusIndex?: boolean } = {},
): Pick<
  dynamodb.TablePropsV2,
  'partitionKey' | 'sortKey' | 'globalSecondaryIndexes' | 'timeToLiveAttribute'
> {
  return {
    partitionKey: attribute(definition.partitionKey),
    sortKey: attribute(definition.sortKey),
    globalSecondaryIndexes: definition.globalSecondaryIndexes
      .map((index) => ({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: attribute(index.sortKey),
        ...(index.include
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.include] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      }))
      .concat(
        options.legacyStatusIndex
          ? [
              {
                // The status index before issue 18 (ALL attributes), kept for one deploy of the migration.
                indexName: LEGACY_STATUS_INDEX,
                partitionKey: { name: 'gsi1pk', type: dynamodb.AttributeType.STRING },
                sortKey: { name: 'gsi1sk', type: dynamodb.AttributeType.STRING },
                projectionType: dynamodb.ProjectionType.ALL,
              },
            ]
          : [],
      ),
    timeToLiveAttribute: definition.timeToLiveAttribute,
  };
}

export class StatefulStack extends Stack {
  readonly table: dynamodb.TableV2;
  readonly dataKey: kms.Key;
  readonly departmentSecrets: secretsmanager.Secret;
  readonly tokenSecret: secretsmanager.Secret;
  /** The staff user pool and the pages' client (absent when `cognito` is false). */
  readonly userPool: cognito.UserPool | undefined;
  readonly consoleClient: cognito.UserPoolClient | undefined;
  /** The hosted sign-in domain (with at least one web origin). */
  readonly signInDomain: cognito.UserPoolDomain | undefined;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { stage } = props;

    this.dataKey = new kms.Key(this, 'DataKey', {
      alias: `alias/certflow-${stage}-data`,
      description: `certflow ${stage}: encrypts the certflow table and the department secrets`,
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: `certflow-${stage}-${certflowTable.logicalName}`,
      ...tablePropsFrom(certflowTable, {
        // Upgrading a stage from before issue 18: deploy once with `-c legacyStatusIndex=true` (keeps the
        // old index while the new one is added: one index change per table update), run
        // `npm run admin -- reindex`, then deploy without it (README "National scale": migration).
        legacyStatusIndex: ['true', true].includes(this.node.tryGetContext('legacyStatusIndex')),
      }),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.dataKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // The value is generated by Secrets Manager at creation (never in the template); operators then put
    // the departments' `whsec_…` secrets in it (README: "Rotate department secrets").
    this.departmentSecrets = new secretsmanager.Secret(this, 'DepartmentSecrets', {
      secretName: `certflow/${stage}/department-secrets`,
      description: `certflow ${stage}: Standard Webhooks secrets of the connected departments (JSON by department code)`,
      encryptionKey: this.dataKey,
      generateSecretString: {
        secretStringTemplate: JSON.stringify({ departments: {} }),
        generateStringKey: 'placeholder',
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Derives request access tokens and certificate verification codes (HMAC; only hashes are stored).
    // Replacing it invalidates every issued access token and verification code: retained, never rotated
    // automatically.
    this.tokenSecret = new secretsmanager.Secret(this, 'TokenSecret', {
      secretName: tokenSecretName(stage),
      description: `certflow ${stage}: HMAC key of request access tokens and verification codes`,
      encryptionKey: this.dataKey,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });

    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'DepartmentSecretsArn', { value: this.departmentSecrets.secretArn });
    new CfnOutput(this, 'TokenSecretArn', { value: this.tokenSecret.secretArn });
    if (props.cognito === false) {
      this.userPool = undefined;
      this.consoleClient = undefined;
      this.signInDomain = undefined;
      return;
    }
    const staff = this.staffUserPool(stage, props);
    this.userPool = staff.userPool;
    this.consoleClient = staff.consoleClient;
    this.signInDomain = staff.signInDomain;
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'ConsoleClientId', { value: this.consoleClient.userPoolClientId });
  }

  /** Officers and supervisors (staff, created by an administrator — no self sign-up, MFA required). */
  private staffUserPool(stage: string, props: StatefulStackProps) {
    const userPool = new cognito.UserPool(this, 'Staff', {
      userPoolName: `certflow-${stage}-staff`,
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    if (props.preTokenGenerationFunctionName) {
      // The officer's stations into the access token (functions/user-pool/staff-token-claims.ts). Access
      // token customisation needs V2_0 and the Essentials or Plus feature plan (Plus above). The function's
      // permission for cognito-idp is the stateless stack's (it owns the function): skipPermissions here.
      const trigger = lambda.Function.fromFunctionAttributes(this, 'PreTokenGeneration', {
        functionArn: this.formatArn({
          service: 'lambda',
          resource: 'function',
          resourceName: props.preTokenGenerationFunctionName,
          arnFormat: ArnFormat.COLON_RESOURCE_NAME,
        }),
        sameEnvironment: false,
        skipPermissions: true,
      });
      userPool.addTrigger(
        cognito.UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG,
        trigger,
        cognito.LambdaVersion.V2_0,
      );
    }
    for (const [role, groupName] of Object.entries(roleGroups)) {
      userPool.addGroup(`Group-${role}`, {
        groupName,
        description: `certflow ${role}s`,
        precedence: role === 'supervisor' ? 1 : 2,
      });
    }
    // The pages' hosted sign-in (web/src/lib/oidc.ts): a public client (no secret) with the authorization
    // code grant, which the pages always use with PKCE S256; callback and sign-out URLs are the console
    // and the dashboard of every web origin (the custom domain and `webOrigins`). Without an origin the
    // client has no OAuth flow (nothing could be called back).
    const origins = props.webOrigins ?? [];
    const pageUrls = origins.flatMap((o) => [`${o}/console`, `${o}/dashboard`]);
    let signInDomain: cognito.UserPoolDomain | undefined;
    if (origins.length > 0) {
      signInDomain = userPool.addDomain('SignIn', {
        cognitoDomain: { domainPrefix: props.signInDomainPrefix ?? `certflow-${stage}-staff` },
        managedLoginVersion: cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
      });
    }
    const consoleClient = userPool.addClient('Console', {
      userPoolClientName: `certflow-${stage}-console`,
      generateSecret: false,
      authFlows: { userSrp: true },
      ...(origins.length > 0
        ? {
            oAuth: {
              flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
              scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.PROFILE],
              callbackUrls: pageUrls,
              logoutUrls: pageUrls,
            },
            supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
          }
        : { disableOAuth: true }),
      preventUserExistenceErrors: true,
      accessTokenValidity: Duration.hours(1),
      idTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.hours(12),
      enableTokenRevocation: true,
    });
    return { userPool, consoleClient, signInDomain };
  }
}
