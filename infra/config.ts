/**
 * Deployment settings of the CDK app, read from CDK context (`cdk.json`, `-c key=value`) and checked with
 * zod so that a typo fails at synth time with the name of the setting, not at deploy time.
 *
 * Nothing here is a secret: department secrets and officer settings live in Secrets Manager / SSM and are
 * written there by operators (see the README's "Deploy to AWS").
 */
import { z } from 'zod';
import { DEFAULT_OVERDUE_THRESHOLD } from '#shared/config/alarms.ts';

const boolish = z
  .union([z.boolean(), z.enum(['true', 'false'])])
  .transform((v) => v === true || v === 'true');

const csv = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

const intFrom = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** CloudWatch Logs accepts only these retention periods (days). */
export const logRetentionDaysAllowed = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * Region when neither context nor the CLI profile names one: Beijing (`cn-north-1`, partition `aws-cn`),
 * so the Jilin cell's resident data stays on the mainland by default (issue 18). A standard-partition
 * region must be named (`-c region=…`).
 */
export const defaultRegion = 'cn-north-1';

/** The AWS China regions (partition `aws-cn`): no Cognito user pools, no CloudFront functions or OAC. */
export function isChinaRegion(region: string): boolean {
  return region.startsWith('cn-');
}

/** The region a deployment lands in: context, else the CLI profile's, else `defaultRegion`. */
export function regionOf(config: { region?: string | undefined }): string {
  return config.region ?? process.env.CDK_DEFAULT_REGION ?? defaultRegion;
}

const contextObject = z.object({
  /** Stage name, part of every stack and resource name: `dev`, `staging`, `prod`… */
  stage: z
    .string()
    .regex(/^[a-z][a-z0-9-]{0,15}$/, 'stage: lower-case letters, digits and "-", at most 16 characters')
    .default('dev'),
  /** AWS region (default: the CLI profile's, else defaultRegion); the account comes from the credentials. */
  region: z
    .string()
    .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'region: an AWS region code such as ap-east-1')
    .optional(),
  /** Where the supervisors' alarm topic sends e-mail; no subscription when absent. */
  alarmEmail: z.email('alarmEmail: an e-mail address').optional(),
  /** Custom domain of the HTTP API (needs apiCertificateArn, an ACM certificate in the same region). */
  apiDomainName: z.string().min(3).optional(),
  apiCertificateArn: z.string().startsWith('arn:', 'apiCertificateArn: an ACM certificate ARN').optional(),
  /** Custom domain of the web pages (needs webCertificateArn, an ACM certificate in us-east-1). */
  webDomainName: z.string().min(3).optional(),
  webCertificateArn: z.string().startsWith('arn:', 'webCertificateArn: an ACM certificate ARN').optional(),
  /** Further browser origins allowed by CORS (the CloudFront origin of the web pages is always allowed). */
  webOrigins: csv.default([]),
  /** ARN of a CloudFront web ACL (WAF, created in us-east-1) to attach to the web distribution. */
  webAclArn: z.string().startsWith('arn:', 'webAclArn: a WAFv2 web ACL ARN').optional(),
  /** Folder of built web assets to upload; default: web/dist if it exists, else web/. */
  webAssets: z.string().optional(),
  /** Retention of every function's, the state machine's and the API's log group. */
  logRetentionDays: intFrom(1, 3653)
    .refine((d) => (logRetentionDaysAllowed as readonly number[]).includes(d), {
      message: `logRetentionDays: one of ${logRetentionDaysAllowed.join(', ')}`,
    })
    .default(90),
  /**
   * How officers and supervisors authenticate: `cognito` (user pool + JWT authorizer) or `tokens`
   * (interim: opaque staff tokens from `npm run admin -- staff add`, verified by the handlers).
   */
  staffAuth: z.enum(['cognito', 'tokens', 'oidc']).optional(),
  /**
   * `staffAuth: oidc`: the staff's OpenID issuer (any provider with a discovery document at
   * `{issuer}/.well-known/openid-configuration`; in the China regions, where there is no Cognito) and the
   * pages' client id there. The API's JWT authorizer and the handlers verify its access tokens.
   */
  oidcIssuerUrl: z.url({ protocol: /^https$/ }).optional(),
  oidcClientId: z.string().min(1).max(255).optional(),
  /** The `aud` the issuer's access tokens carry, if it sets one (infra/identity.ts). */
  oidcAudience: z.string().min(1).max(255).optional(),
  /**
   * Prefix of the user pool's hosted sign-in domain (`PREFIX.auth.REGION.amazoncognito.com`, unique in
   * the region); default `certflow-STAGE-staff`. The sign-in calls back to `/console` and `/dashboard`
   * of `webDomainName` and every `webOrigins` entry.
   */
  signInDomainPrefix: z
    .string()
    .regex(
      /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'signInDomainPrefix: lower-case letters, digits, hyphens',
    )
    .optional(),
  /** Steady-state request rate and burst of the HTTP API stage (all routes). */
  apiRateLimit: intFrom(1, 10_000).default(50),
  apiBurstLimit: intFrom(1, 5_000).default(100),
  /** Tighter limits on the public intake route (the local stack limits per client address instead). */
  intakeRateLimit: intFrom(1, 10_000).default(10),
  intakeBurstLimit: intFrom(1, 5_000).default(20),
  /**
   * Intake requests a minute per viewer address, as the local gateway's `--rate-limit` (default 120): a
   * WAF rate-based rule on CloudFront (the us-east-1 edge stack; WAF's minimum is 10). 0 = none. The
   * handler's own count (`CERTFLOW_RATE_LIMIT`) is off on AWS: behind CloudFront it sees edge addresses.
   */
  rateLimitPerClient: intFrom(0, 2_000_000_000)
    .refine((n) => n === 0 || n >= 10, 'rateLimitPerClient: 0 (none) or at least 10 (the WAF minimum)')
    .default(120),
  /** Population registry file bundled with the functions (repository-relative). */
  registryFile: z.string().min(1).default('shared/registry/demo-registry.json'),
  /**
   * Holiday supplement (`CERTFLOW_HOLIDAYS_FILE`) bundled with the functions that compute working-day deadlines
   * (`access.workingDayCalendar`); none: the calendar's own data.
   */
  holidaysFile: z.string().min(1).optional(),
  /**
   * How SMS to applicants leave (`CERTFLOW_SMS_PROVIDER` on the sending functions): `sns` (Amazon SNS,
   * the default; `sns:Publish` to phone numbers only, granted to the functions that send), `http` (an SMS
   * gateway at `smsGatewayUrl`: the AWS China regions, where SNS does not send SMS to mainland numbers),
   * `none`.
   */
  smsProvider: z.enum(['sns', 'http', 'none']).default('sns'),
  smsGatewayUrl: z.url({ protocol: /^https$/ }).optional(),
  /** Open requests past their deadline before the overdue alarm fires. */
  overdueAlarmThreshold: intFrom(1, 1_000_000).default(DEFAULT_OVERDUE_THRESHOLD),
  /**
   * Reserve Lambda concurrency as the function list says (intake 100 as a floor; metrics 5 and
   * deliveries 50 as ceilings). Off for an account whose concurrency quota is still the new-account
   * default (Lambda keeps 100 unreserved, so reserving needs a quota above 255).
   */
  reservedConcurrency: boolish.default(true),
  /** Run the cdk-nag AwsSolutions checks during synth (default on). */
  nag: boolish.default(true),
  /** Synthesize even if some registry entries have no handler file yet (they are left out, with a warning). */
  allowMissingHandlers: boolish.default(false),
});

export const contextSchema = contextObject
  .refine((c) => (c.apiDomainName === undefined) === (c.apiCertificateArn === undefined), {
    message: 'apiDomainName and apiCertificateArn go together',
    path: ['apiCertificateArn'],
  })
  .refine((c) => (c.webDomainName === undefined) === (c.webCertificateArn === undefined), {
    message: 'webDomainName and webCertificateArn go together',
    path: ['webCertificateArn'],
  })
  .refine((c) => (c.oidcIssuerUrl === undefined) === (c.oidcClientId === undefined), {
    message: 'oidcIssuerUrl and oidcClientId go together',
    path: ['oidcClientId'],
  })
  .refine((c) => c.oidcAudience === undefined || c.oidcIssuerUrl !== undefined, {
    message: 'oidcAudience needs oidcIssuerUrl',
    path: ['oidcAudience'],
  })
  .refine((c) => c.staffAuth !== 'oidc' || c.oidcIssuerUrl !== undefined, {
    message: 'staffAuth oidc needs oidcIssuerUrl and oidcClientId',
    path: ['oidcIssuerUrl'],
  })
  .refine((c) => c.oidcIssuerUrl === undefined || c.staffAuth === undefined || c.staffAuth === 'oidc', {
    message: 'oidcIssuerUrl signs staff in at that issuer: leave out staffAuth, or set it to oidc',
    path: ['staffAuth'],
  })
  .refine((c) => !(isChinaRegion(regionOf(c)) && c.staffAuth === 'cognito'), {
    message:
      'staffAuth: Cognito user pools are not available in the AWS China regions; use oidc (oidcIssuerUrl) or tokens',
    path: ['staffAuth'],
  })
  // Default staff sign-in: an OpenID issuer if one is given; else Cognito in the standard partition and
  // the handler-verified staff tokens in China (no Cognito there).
  .transform((c) => ({
    ...c,
    staffAuth:
      c.staffAuth ??
      (c.oidcIssuerUrl
        ? ('oidc' as const)
        : isChinaRegion(regionOf(c))
          ? ('tokens' as const)
          : ('cognito' as const)),
  }));

export type CertflowConfig = z.output<typeof contextSchema>;

export class InvalidContextError extends Error {
  override name = 'InvalidContextError';
}

/** Parses the CDK context values (strings from `-c`, or JSON values from cdk.json). */
export function parseConfig(context: Record<string, unknown>): CertflowConfig {
  const result = contextSchema.safeParse(context);
  if (!result.success) {
    const detail = result.error.issues
      .map((i) => `${i.path.join('.') || '(context)'}: ${i.message}`)
      .join('; ');
    throw new InvalidContextError(`Invalid CDK context for certflow: ${detail}`, { cause: result.error });
  }
  return result.data;
}

/** The context keys this app reads, for `readContext`. */
export const contextKeys = Object.keys(contextObject.shape) as (keyof CertflowConfig)[];
