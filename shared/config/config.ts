/**
 * Configuration of the functions, read from the environment once (flag → env var → default is the
 * local stack's job; here it is env var → default). Every variable is checked; a bad value is a
 * ConfigError naming it. AWS endpoints come from the SDK's own `AWS_ENDPOINT_URL_DYNAMODB` /
 * `AWS_ENDPOINT_URL_SFN`, so nothing here knows where it runs.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface FunctionConfig {
  /** `CERTFLOW_TABLE_NAME` (default `certflow`). */
  tableName: string;
  /** `CERTFLOW_STATE_MACHINE_ARN`: the certificate-request state machine (Intake, DeadlineSweeper). */
  stateMachineArn: string;
  /**
   * `CERTFLOW_COMPLAINT_STATE_MACHINE_ARN`: the complaint state machine (FileComplaint; empty elsewhere).
   */
  complaintStateMachineArn?: string;
  /**
   * The token secret: derives access tokens and verification codes (HMAC), which are stored only as
   * hashes. At least 32 characters. On AWS the environment holds only its Secrets Manager ARN
   * (`CERTFLOW_TOKEN_SECRET_ARN`, `tokenSecretId`) and the Lambda entry fetches the value at init
   * (functions/edge/token-secret.ts) and assigns it here; elsewhere `CERTFLOW_TOKEN_SECRET` gives it.
   * Reading it where neither is set (a function whose `access.secrets` does not list `token`) or before the
   * fetch throws a ConfigError: never an HMAC under an empty key.
   */
  tokenSecret: string;
  /** `CERTFLOW_TOKEN_SECRET_ARN`: the token secret's Secrets Manager ARN or name (AWS). */
  tokenSecretId?: string | undefined;
  /** `CERTFLOW_RATE_LIMIT`: intake requests a minute per client address; 0 = no limit (default 120). */
  rateLimitPerMinute: number;
  /** `CERTFLOW_REGISTRY_FILE`: the population registry file (default: the demo registry). */
  registryFile: string | undefined;
  /** `CERTFLOW_PUBLIC_BASE_URL`: prefix of links in answers (default: none, links are paths). */
  publicBaseUrl: string;
  /**
   * `CERTFLOW_HOLIDAYS_FILE`: a holiday supplement (`{ years, holidays, workdays }`, see
   * shared/domain/calendar.ts) merged over chinese-days' data for every deadline (default: none).
   */
  holidaysFile?: string | undefined;
  /**
   * `CERTFLOW_SMS_PROVIDER`: how SMS to applicants leave — `none` (default: nothing sent), `sns` (Amazon
   * SNS), `http` (an SMS gateway at `CERTFLOW_SMS_GATEWAY_URL`: the China regions' provider).
   */
  smsProvider?: 'none' | 'sns' | 'http';
  /** `CERTFLOW_SMS_GATEWAY_URL`: the gateway of `smsProvider: http` (https URL). */
  smsGatewayUrl?: string | undefined;
  /**
   * One-time schedules on EventBridge Scheduler (the functions that make deadline warnings):
   * `CERTFLOW_SCHEDULE_GROUP`, `CERTFLOW_SCHEDULE_TARGET_ARN` (the DeadlineTimer function),
   * `CERTFLOW_SCHEDULE_ROLE_ARN` (the role the scheduler assumes). All three or none.
   */
  schedules?: { group: string; targetArn: string; roleArn: string } | undefined;
}

export const ENV = {
  tableName: 'CERTFLOW_TABLE_NAME',
  stateMachineArn: 'CERTFLOW_STATE_MACHINE_ARN',
  complaintStateMachineArn: 'CERTFLOW_COMPLAINT_STATE_MACHINE_ARN',
  tokenSecret: 'CERTFLOW_TOKEN_SECRET',
  tokenSecretId: 'CERTFLOW_TOKEN_SECRET_ARN',
  /** The Secrets Manager secret of the SMS gateway's bearer token (`smsProvider: http`; deps.ts). */
  smsGatewayTokenId: 'CERTFLOW_SMS_GATEWAY_TOKEN_ARN',
  /** The Secrets Manager secret of CloudFront's origin header (functions/edge/origin-verify.ts). */
  originVerifyId: 'CERTFLOW_ORIGIN_VERIFY_ARN',
  rateLimitPerMinute: 'CERTFLOW_RATE_LIMIT',
  registryFile: 'CERTFLOW_REGISTRY_FILE',
  publicBaseUrl: 'CERTFLOW_PUBLIC_BASE_URL',
  holidaysFile: 'CERTFLOW_HOLIDAYS_FILE',
  smsProvider: 'CERTFLOW_SMS_PROVIDER',
  smsGatewayUrl: 'CERTFLOW_SMS_GATEWAY_URL',
  scheduleGroup: 'CERTFLOW_SCHEDULE_GROUP',
  scheduleTargetArn: 'CERTFLOW_SCHEDULE_TARGET_ARN',
  scheduleRoleArn: 'CERTFLOW_SCHEDULE_ROLE_ARN',
} as const;

export function parseRateLimit(value: string | undefined, name: string): number {
  if (value === undefined || value === '') return 120;
  if (!/^\d{1,7}$/.test(value))
    throw new ConfigError(`${name} must be a whole number ≥ 0, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The token secret's name in Secrets Manager (AWS: infra/stateful-stack.ts; the local stack's service). */
export const tokenSecretName = (stage: string) => `certflow/${stage}/token-secret`;

/** A token secret's minimum length (characters). */
export const MIN_TOKEN_SECRET_LENGTH = 32;

/**
 * Defines `config.tokenSecret` as a checked slot: assigning checks the length (ConfigError), reading an
 * empty slot throws a ConfigError naming why (`unset`). Returns the config.
 */
export function withTokenSecretSlot<C extends { tokenSecret: string }>(config: C, unset: string): C {
  let value = '';
  Object.defineProperty(config, 'tokenSecret', {
    enumerable: true,
    configurable: true,
    get: () => {
      if (value === '') throw new ConfigError(unset);
      return value;
    },
    set: (next: string) => {
      if (typeof next !== 'string' || next.length < MIN_TOKEN_SECRET_LENGTH)
        throw new ConfigError(`the token secret must have at least ${MIN_TOKEN_SECRET_LENGTH} characters`);
      value = next;
    },
  });
  return config;
}

export function configFromEnv(env: Record<string, string | undefined> = process.env): FunctionConfig {
  const tokenSecret = env[ENV.tokenSecret] || undefined;
  const tokenSecretId = env[ENV.tokenSecretId] || undefined;
  if (tokenSecret !== undefined && tokenSecret.length < MIN_TOKEN_SECRET_LENGTH)
    throw new ConfigError(`${ENV.tokenSecret} must have at least ${MIN_TOKEN_SECRET_LENGTH} characters`);
  // Optional: only the functions that start or resume executions need it (and the state machine's own
  // steps cannot be given it without a dependency cycle in CDK).
  const stateMachineArn = env[ENV.stateMachineArn] ?? '';
  if (stateMachineArn !== '' && !stateMachineArn.startsWith('arn:')) {
    throw new ConfigError(`${ENV.stateMachineArn} must be a state machine ARN`);
  }
  const complaintStateMachineArn = env[ENV.complaintStateMachineArn] ?? '';
  if (complaintStateMachineArn !== '' && !complaintStateMachineArn.startsWith('arn:')) {
    throw new ConfigError(`${ENV.complaintStateMachineArn} must be a state machine ARN`);
  }
  const smsProvider = env[ENV.smsProvider] || 'none';
  if (smsProvider !== 'none' && smsProvider !== 'sns' && smsProvider !== 'http')
    throw new ConfigError(`${ENV.smsProvider} must be none, sns or http, got ${JSON.stringify(smsProvider)}`);
  const smsGatewayUrl = env[ENV.smsGatewayUrl] || undefined;
  if (smsProvider === 'http' && !/^https?:\/\/\S+$/.test(smsGatewayUrl ?? ''))
    throw new ConfigError(`${ENV.smsGatewayUrl} must be the gateway's URL when ${ENV.smsProvider} is http`);
  const group = env[ENV.scheduleGroup] || undefined;
  const targetArn = env[ENV.scheduleTargetArn] || undefined;
  const roleArn = env[ENV.scheduleRoleArn] || undefined;
  if (
    (group || targetArn || roleArn) &&
    !(group && targetArn?.startsWith('arn:') && roleArn?.startsWith('arn:'))
  )
    throw new ConfigError(
      `${ENV.scheduleGroup}, ${ENV.scheduleTargetArn} and ${ENV.scheduleRoleArn} go together (the two ARNs as ARNs)`,
    );
  const config: FunctionConfig = {
    tableName: env[ENV.tableName] || 'certflow',
    stateMachineArn,
    complaintStateMachineArn,
    tokenSecret: '',
    tokenSecretId,
    rateLimitPerMinute: parseRateLimit(env[ENV.rateLimitPerMinute], ENV.rateLimitPerMinute),
    registryFile: env[ENV.registryFile] || undefined,
    publicBaseUrl: (env[ENV.publicBaseUrl] ?? '').replace(/\/$/, ''),
    holidaysFile: env[ENV.holidaysFile] || undefined,
    smsProvider,
    smsGatewayUrl,
    schedules: group && targetArn && roleArn ? { group, targetArn, roleArn } : undefined,
  };
  withTokenSecretSlot(
    config,
    tokenSecretId
      ? `the token secret (${ENV.tokenSecretId}) has not been fetched yet`
      : `neither ${ENV.tokenSecret} nor ${ENV.tokenSecretId} is set: this function has no token secret`,
  );
  if (tokenSecret !== undefined) config.tokenSecret = tokenSecret;
  return config;
}
