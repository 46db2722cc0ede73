/**
 * The environment variables the CDK app sets on the functions. The names the handlers already read come
 * from `shared/config/config.ts` (`ENV`), so they are written once; the others are what the AWS
 * deployment adds (Cognito, department secrets, officer settings) for the handlers to read there.
 */
import { DEPARTMENT_ENV } from '#functions/edge/departments.ts';
import { STAFF_ENV } from '#functions/edge/staff.ts';
import { ENV } from '#shared/config/config.ts';

export const envNames = {
  ...ENV,
  /** Secrets Manager secret holding the department secrets (functions with `secrets`). */
  departmentSecretsArn: DEPARTMENT_ENV.secretId,
  /** SSM parameter (name) with the officer settings (functions with `secrets`). */
  officerSettingsParameter: 'CERTFLOW_OFFICER_SETTINGS_PARAMETER',
  /** An OpenID issuer (not Cognito) that issues officer and supervisor tokens (infra/identity.ts). */
  oidcIssuer: STAFF_ENV.issuer,
  oidcClientId: STAFF_ENV.clientId,
  oidcAudience: STAFF_ENV.audience,
  /** Cognito user pool that issues officer and supervisor tokens (JWT issuer = its URL). */
  userPoolId: 'CERTFLOW_USER_POOL_ID',
  /** App client of the officer console (the JWT `client_id`). */
  userPoolClientId: 'CERTFLOW_USER_POOL_CLIENT_ID',
  stage: 'CERTFLOW_STAGE',
  powertoolsService: 'POWERTOOLS_SERVICE_NAME',
  powertoolsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
} as const;

/** Lambda's code directory: files copied next to the bundle are read from here. */
export const lambdaTaskRoot = '/var/task';

/** Where the population registry file sits inside every bundle (copied there at bundling). */
export const bundledRegistryPath = `${lambdaTaskRoot}/population-registry.json`;

/** Where the optional holiday supplement sits inside every bundle. */
export const bundledHolidaysPath = `${lambdaTaskRoot}/holidays.json`;
