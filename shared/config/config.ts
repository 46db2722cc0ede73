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
   * `CERTFLOW_TOKEN_SECRET`: derives access tokens and verification codes (HMAC), which are stored only
   * as hashes. At least 32 characters.
   */
  tokenSecret: string;
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

export function configFromEnv(env: Record<string, string | undefined> = process.env): FunctionConfig {
  const tokenSecret = env[ENV.tokenSecret] ?? '';
  if (tokenSecret.length < 32)
    throw new ConfigError(`${ENV.tokenSecret} must be set (at least 32 characters)`);
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
  return {
    tableName: env[ENV.tableName] || 'certflow',
    stateMachineArn,
    complaintStateMachineArn,
    tokenSecret,
    rateLimitPerMinute: parseRateLimit(env[ENV.rateLimitPerMinute], ENV.rateLimitPerMinute),
    registryFile: env[ENV.registryFile] || undefined,
    publicBaseUrl: (env[ENV.publicBaseUrl] ?? '').replace(/\/$/, ''),
    holidaysFile: env[ENV.holidaysFile] || undefined,
    smsProvider,
    smsGatewayUrl,
    schedules: group && targetArn && roleArn ? { group, targetArn, roleArn } : undefined,
  };
}
