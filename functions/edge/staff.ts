/**
 * Officers and supervisors signed in with Cognito (the AWS deployment, `staffAuth=cognito`).
 *
 * - Role: the `cognito:groups` claim (`supervisor` wins over `officer`; neither: not staff).
 * - Stations: a supervisor acts for every station (`*`); an officer for the stations the officer settings
 *   give their username — the SSM parameter `CERTFLOW_OFFICER_SETTINGS_PARAMETER`, JSON
 *   `{ "officers": { "<username>": { "stations": ["CC-YHL"] } } }`, read once and cached for a few minutes.
 * - Where the claims come from: the API Gateway JWT authorizer (`requestContext.authorizer.jwt.claims`,
 *   already verified by the gateway), or, on a route without a gateway authorizer (`GET
 *   /v1/requests/{id}`), the handler's own verification of the bearer JWT (aws-jwt-verify: the user pool's
 *   JWKS, issuer, client id, `token_use` access, expiry).
 *
 * Without `CERTFLOW_USER_POOL_ID` (the local stack) there is no directory and only the opaque staff tokens
 * of the table are known.
 */
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { FetchError, JwtBaseError } from 'aws-jwt-verify/error';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { z } from 'zod';
import type { Principal } from '#shared/store/model.ts';
import { looksLikeJwt } from './auth.ts';

export const STAFF_ENV = {
  userPoolId: 'CERTFLOW_USER_POOL_ID',
  userPoolClientId: 'CERTFLOW_USER_POOL_CLIENT_ID',
  officerSettingsParameter: 'CERTFLOW_OFFICER_SETTINGS_PARAMETER',
} as const;

export const STAFF_GROUPS = { officer: 'officer', supervisor: 'supervisor' } as const;

/** How long the officer settings are cached (an edit in SSM takes effect within this). */
export const OFFICER_SETTINGS_TTL_MS = 5 * 60_000;

export class StaffConfigError extends Error {
  override name = 'StaffConfigError';
}

export class OfficerSettingsError extends Error {
  override name = 'OfficerSettingsError';
}

export const OfficerSettingsSchema = z.object({
  officers: z.record(
    z.string().min(1),
    z.object({ stations: z.array(z.string().regex(/^[A-Z0-9-]{2,40}$/, 'station code')) }),
  ),
});
export type OfficerSettings = z.output<typeof OfficerSettingsSchema>;

/** The groups of a claims object: a JWT array, or API Gateway's flattened `[a b]` string (or `a,b`). */
export function groupsOf(claims: Record<string, unknown>): string[] {
  const value = claims['cognito:groups'];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((g) => g !== '');
}

/** The username of an access token (`username`) or an ID token (`cognito:username`). */
export function usernameOf(claims: Record<string, unknown>): string | undefined {
  const name = claims.username ?? claims['cognito:username'];
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export type StationsOf = (username: string) => Promise<string[]>;

/**
 * The principal of verified claims, or undefined when they carry no staff group (an authenticated user
 * who is not staff) or no username.
 */
export async function principalFromClaims(
  claims: Record<string, unknown>,
  stationsOf: StationsOf,
): Promise<Principal | undefined> {
  const name = usernameOf(claims);
  if (name === undefined) return undefined;
  const groups = groupsOf(claims);
  if (groups.includes(STAFF_GROUPS.supervisor)) return { role: 'SUPERVISOR', name, stations: ['*'] };
  if (groups.includes(STAFF_GROUPS.officer))
    return { role: 'OFFICER', name, stations: (await stationsOf(name)).filter((s) => s !== '*') };
  return undefined;
}

/**
 * The officer settings from SSM (decrypted) through Powertools Parameters (`SSMProvider`), cached
 * `maxAgeSeconds` (Powertools' cache, on the system clock); a failed read is not cached. A value that is
 * not valid settings is an OfficerSettingsError naming the parameter and the field.
 */
export class OfficerSettingsSource {
  readonly #provider: SSMProvider;

  constructor(
    ssm: SSMClient,
    readonly parameterName: string,
    private readonly maxAgeSeconds = OFFICER_SETTINGS_TTL_MS / 1000,
  ) {
    this.#provider = new SSMProvider({ awsSdkV3Client: ssm });
  }

  async settings(): Promise<OfficerSettings> {
    const text = await this.#provider.get(this.parameterName, { decrypt: true, maxAge: this.maxAgeSeconds });
    if (text === undefined) throw new OfficerSettingsError(`${this.parameterName}: parameter has no value`);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new OfficerSettingsError(`${this.parameterName}: not JSON`, { cause });
    }
    const parsed = OfficerSettingsSchema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
      throw new OfficerSettingsError(`${this.parameterName}: invalid officer settings at ${where}`, {
        cause: parsed.error,
      });
    }
    return parsed.data;
  }

  /** An officer the settings do not name acts for no station. */
  readonly stationsOf: StationsOf = async (username) =>
    (await this.settings()).officers[username]?.stations ?? [];
}

/** What verifies a bearer JWT (aws-jwt-verify's CognitoJwtVerifier, or a test's). */
export interface JwtVerifier {
  verify(token: string): Promise<JwtPayload>;
}

export function cognitoAccessTokenVerifier(userPoolId: string, clientId: string) {
  return CognitoJwtVerifier.create({
    userPoolId,
    clientId,
    tokenUse: 'access',
    groups: [STAFF_GROUPS.officer, STAFF_GROUPS.supervisor],
  });
}

/** Staff identities on AWS: principals from gateway claims or from a bearer JWT verified here. */
export class StaffDirectory {
  constructor(
    private readonly verifier: JwtVerifier,
    private readonly stationsOf: StationsOf,
  ) {}

  /** Claims the API Gateway JWT authorizer already verified. */
  fromClaims(claims: Record<string, unknown>): Promise<Principal | undefined> {
    return principalFromClaims(claims, this.stationsOf);
  }

  /**
   * Verifies a bearer JWT (signature with the pool's keys, issuer, client id, token use, expiry, a staff
   * group). An invalid token is undefined; the JWKS being unreachable is an error (500, not a 401).
   */
  async fromJwt(token: string): Promise<Principal | undefined> {
    if (!looksLikeJwt(token)) return undefined;
    let claims: JwtPayload;
    try {
      claims = await this.verifier.verify(token);
    } catch (error) {
      if (error instanceof JwtBaseError && !(error instanceof FetchError)) return undefined;
      throw error;
    }
    return this.fromClaims(claims as Record<string, unknown>);
  }
}

/** The directory of the AWS deployment, or undefined without `CERTFLOW_USER_POOL_ID` (local stack). */
export function staffDirectoryFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: { ssm?: SSMClient } = {},
): StaffDirectory | undefined {
  const userPoolId = env[STAFF_ENV.userPoolId];
  if (!userPoolId) return undefined;
  const clientId = env[STAFF_ENV.userPoolClientId];
  if (!clientId)
    throw new StaffConfigError(`${STAFF_ENV.userPoolClientId} must be set with ${STAFF_ENV.userPoolId}`);
  const verifier = cognitoAccessTokenVerifier(userPoolId, clientId);
  const parameter = env[STAFF_ENV.officerSettingsParameter];
  // Functions without the grant (no `access.secrets`) have no parameter: their officers act for no station.
  const stationsOf: StationsOf = parameter
    ? new OfficerSettingsSource(options.ssm ?? new SSMClient({}), parameter).stationsOf
    : async () => [];
  return new StaffDirectory(verifier, stationsOf);
}
