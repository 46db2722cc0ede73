/**
 * Officers and supervisors signed in with OpenID Connect — one code path for every issuer: the Cognito
 * user pool (AWS, `staffAuth=cognito`), an OpenID issuer given by its discovery URL (AWS China regions,
 * the province's identity platform), and the local stack's own provider (local/oidc.ts).
 *
 * - Verification (aws-jwt-verify's generic `JwtVerifier`): RS256 signature with the issuer's JWKS,
 *   `iss`, expiry, `client_id` = the pages' client (RFC 9068 §2.2; Cognito access tokens carry it too),
 *   `aud` when one is configured, and no ID token (`token_use` must be absent or `access`). The JWKS is
 *   fetched with the runtime's `fetch` (so a local `http://` issuer works) and cached.
 * - Role: the `cognito:groups` or `groups` claim (`supervisor` wins over `officer`; neither: not staff).
 * - Username: `username`, `cognito:username`, `preferred_username`, else `sub`.
 * - Stations: a supervisor acts for every station (`*`); an officer for the `stations` claim of the access
 *   token (`stationsOfClaims`, the one parser of it). The Cognito user pool's pre token generation trigger
 *   (functions/user-pool/staff-token-claims.ts) writes it from the officer settings; the local provider
 *   issues it itself. Only where staff sign in at a generic OpenID issuer (`staffAuth=oidc`), which cannot
 *   run the trigger, does a token lack it: there the staff routes read the officer settings themselves —
 *   the SSM parameter `CERTFLOW_OFFICER_SETTINGS_PARAMETER`, JSON
 *   `{ "officers": { "<username>": { "stations": ["CC-YHL"] } } }`, read once and cached for a few minutes.
 *   Elsewhere the parameter is not in the function's environment, nor the SSM client in its bundle
 *   (infra/bundling.ts `readsOfficerSettings`): an officer token without the claim acts for no station,
 *   with a warning in the log.
 * - Where the claims come from: the API Gateway JWT authorizer (`requestContext.authorizer.jwt.claims`,
 *   already verified by the gateway), or the handler's own verification of the bearer JWT (routes without
 *   a gateway authorizer, and every route of the local stack).
 *
 * Without an issuer (`CERTFLOW_OIDC_ISSUER` or `CERTFLOW_USER_POOL_ID`) there is no directory and only the
 * opaque staff tokens of the table are known (`staffAuth=tokens`, scripts).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import { SSMClient } from '@aws-sdk/client-ssm';
import {
  CognitoJwtInvalidClientIdError,
  CognitoJwtInvalidTokenUseError,
  FetchError,
  JwtBaseError,
} from 'aws-jwt-verify/error';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import type { JwtPayload } from 'aws-jwt-verify/jwt-model';
import { JwtVerifier as AwsJwtVerifier } from 'aws-jwt-verify/jwt-verifier';
import * as z from '#shared/schemas/zod.ts';
import type { Principal } from '#shared/store/model.ts';
import { looksLikeJwt } from './auth.ts';

export const STAFF_ENV = {
  /** An OpenID issuer URL (its `/.well-known/openid-configuration` names the JWKS). */
  issuer: 'CERTFLOW_OIDC_ISSUER',
  /** The pages' client id at that issuer (the `client_id` claim of their access tokens). */
  clientId: 'CERTFLOW_OIDC_CLIENT_ID',
  /** Optional: the `aud` the access tokens must carry. */
  audience: 'CERTFLOW_OIDC_AUDIENCE',
  /** Cognito: the user pool (issuer `https://cognito-idp.{region}.amazonaws.com/{id}`) and its client. */
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
    z.string().check(z.minLength(1)),
    z.object({ stations: z.array(z.string().check(z.regex(/^[A-Z0-9-]{2,40}$/, 'station code'))) }),
  ),
});
export type OfficerSettings = z.output<typeof OfficerSettingsSchema>;

/** The groups of a claims object: a JWT array, or API Gateway's flattened `[a b]` string (or `a,b`). */
export function groupsOf(claims: Record<string, unknown>): string[] {
  const value = claims['cognito:groups'] ?? claims.groups;
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value !== 'string') return [];
  return value
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter((g) => g !== '');
}

/** The username: `username` (Cognito access token, local provider), `cognito:username`, `preferred_username`, `sub`. */
export function usernameOf(claims: Record<string, unknown>): string | undefined {
  const name = claims.username ?? claims['cognito:username'] ?? claims.preferred_username ?? claims.sub;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

export type StationsOf = (username: string) => Promise<string[]>;

const STATION_CODE = /^[A-Z0-9-]{2,40}$/;

/** The access-token claim that names the stations an officer acts for. */
export const STATIONS_CLAIM = 'stations';

/**
 * The value of the `stations` claim the pre token generation trigger writes: the station codes separated
 * by single spaces (`"CC-YHL CC-NG"`, as OAuth's `scope`). A string, because the HTTP API JWT authorizer
 * hands a Lambda function each array claim flattened into one string (`"[CC-YHL CC-NG]"`), while a string
 * claim arrives as it is; and Cognito's `claimsToAddOrOverride` takes strings in every trigger version.
 * Codes are `[A-Z0-9-]{2,40}` (OfficerSettingsSchema), so a space never occurs inside one.
 */
export function stationsClaimValue(stations: readonly string[]): string {
  return stations.join(' ');
}

/**
 * The stations of the `stations` claim, or undefined when the claims have none. Every form it arrives
 * in: the trigger's space-separated string (`"CC-YHL CC-NG"`), a JWT array (the local provider's tokens
 * verified in the handler), and API Gateway's flattened array (`"[CC-YHL CC-NG]"`); commas are separators
 * too. Anything that is not a station code (the wildcard `*` included) is dropped.
 */
export function stationsOfClaims(claims: Record<string, unknown>): string[] | undefined {
  const value = claims[STATIONS_CLAIM];
  if (value === undefined) return undefined;
  const list = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.replace(/^\[|\]$/g, '').split(/[\s,]+/)
      : [];
  return list.filter((s): s is string => typeof s === 'string' && STATION_CODE.test(s));
}

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
  if (groups.includes(STAFF_GROUPS.officer)) {
    const fromToken = stationsOfClaims(claims);
    const stations = fromToken ?? (await stationsOf(name));
    return { role: 'OFFICER', name, stations: stations.filter((s) => s !== '*') };
  }
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

export interface IssuerConfig {
  /** The issuer URL exactly as in the tokens' `iss`. */
  issuer: string;
  /** The pages' client id (`client_id` claim). */
  clientId: string;
  /** The `aud` required, if any (Cognito access tokens have none). */
  audience?: string;
  /** The JWKS URL; default: the issuer's discovery document's `jwks_uri`. */
  jwksUri?: string;
}

/** aws-jwt-verify's fetcher with the runtime's fetch: `http://` (local issuer) as well as `https://`. */
const fetchFetcher: Fetcher = {
  async fetch(uri) {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3_000) });
    if (!response.ok) throw new FetchError(uri, `Status code is ${response.status}, expected 200`);
    return response.arrayBuffer();
  },
};

/** The `jwks_uri` of an issuer's discovery document (OpenID Connect Discovery 1.0 §4). */
export async function discoverJwksUri(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
  const body = JSON.parse(new TextDecoder().decode(await fetchFetcher.fetch(url))) as {
    issuer?: unknown;
    jwks_uri?: unknown;
  };
  if (body.issuer !== issuer || typeof body.jwks_uri !== 'string')
    throw new StaffConfigError(`${url}: discovery document names another issuer or no jwks_uri`);
  return body.jwks_uri;
}

/**
 * The access-token verifier of any OpenID issuer (aws-jwt-verify `JwtVerifier`, RS256/ES256 keys of the
 * JWKS). Without `jwksUri` the discovery document is read at the first verification (and again after a
 * failure).
 */
export function oidcAccessTokenVerifier(config: IssuerConfig): JwtVerifier & {
  cacheJwks(jwks: unknown): void;
} {
  const props = (jwksUri: string) => ({
    issuer: config.issuer,
    audience: config.audience ?? null,
    jwksUri,
    customJwtCheck: ({ payload }: { payload: JwtPayload }) => {
      if (payload.client_id !== config.clientId)
        throw new CognitoJwtInvalidClientIdError(
          "client_id is not the staff pages' client",
          payload.client_id,
          config.clientId,
        );
      if (payload.token_use !== undefined && payload.token_use !== 'access')
        throw new CognitoJwtInvalidTokenUseError('not an access token', payload.token_use, 'access');
    },
  });
  const jwksCache = new SimpleJwksCache({ fetcher: fetchFetcher });
  let verifier: Promise<ReturnType<typeof AwsJwtVerifier.create>> | undefined;
  const make = (jwksUri: string) => AwsJwtVerifier.create(props(jwksUri), { jwksCache });
  if (config.jwksUri) verifier = Promise.resolve(make(config.jwksUri));
  return {
    async verify(token) {
      verifier ??= discoverJwksUri(config.issuer).then(make);
      verifier.catch(() => {
        verifier = undefined;
      });
      return (await verifier).verify(token);
    },
    cacheJwks(jwks) {
      if (!config.jwksUri) throw new StaffConfigError('cacheJwks needs a jwksUri');
      jwksCache.addJwks(config.jwksUri, jwks as never);
    },
  };
}

/** The issuer of a Cognito user pool (the region is the pool id's prefix). */
export function cognitoIssuer(userPoolId: string): string {
  const region = userPoolId.split('_')[0];
  return `https://cognito-idp.${region}.amazonaws.com/${userPoolId}`;
}

/** A Cognito user pool's access tokens, by the same verifier as any issuer. */
export function cognitoAccessTokenVerifier(userPoolId: string, clientId: string) {
  const issuer = cognitoIssuer(userPoolId);
  return oidcAccessTokenVerifier({ issuer, clientId, jwksUri: `${issuer}/.well-known/jwks.json` });
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

/** Where staffDirectoryFromEnv warns: the handlers' Powertools Logger. */
export type StaffLog = Pick<Logger, 'warn'>;

/**
 * The stations of an officer whose token has no `stations` claim, where the deployment reads no officer
 * settings (no `CERTFLOW_OFFICER_SETTINGS_PARAMETER`: Cognito, whose trigger writes the claim, or a function
 * without the grant): none, and a warning naming the officer and what to check.
 */
export function noStationsWithoutClaim(log: StaffLog | undefined): StationsOf {
  return async (username) => {
    log?.warn(
      'officer token has no stations claim and this function reads no officer settings: the officer acts for no station',
      {
        username,
        claim: STATIONS_CLAIM,
        check:
          'Cognito: the officer is named in the officer settings and signed in again after the pre token generation trigger (StaffTokenClaims) was wired; an OpenID issuer: staffAuth=oidc',
      },
    );
    return [];
  };
}

/**
 * The directory of the AWS deployment: an OpenID issuer (`CERTFLOW_OIDC_ISSUER` + `CERTFLOW_OIDC_CLIENT_ID`,
 * optional `CERTFLOW_OIDC_AUDIENCE`) or a Cognito user pool (`CERTFLOW_USER_POOL_ID` +
 * `CERTFLOW_USER_POOL_CLIENT_ID`); undefined with neither. StaffConfigError for an issuer without client.
 * Officers without a `stations` claim: the officer settings where `CERTFLOW_OFFICER_SETTINGS_PARAMETER` is
 * set (`staffAuth=oidc`: only then is it, and the SSM client is in the bundle), else no station and a
 * warning to `options.log`.
 */
export function staffDirectoryFromEnv(
  env: Record<string, string | undefined> = process.env,
  options: { ssm?: () => SSMClient; log?: StaffLog } = {},
): StaffDirectory | undefined {
  const issuer = env[STAFF_ENV.issuer];
  const userPoolId = env[STAFF_ENV.userPoolId];
  let verifier: JwtVerifier;
  if (issuer) {
    const clientId = env[STAFF_ENV.clientId];
    if (!clientId) throw new StaffConfigError(`${STAFF_ENV.clientId} must be set with ${STAFF_ENV.issuer}`);
    const audience = env[STAFF_ENV.audience];
    verifier = oidcAccessTokenVerifier({ issuer, clientId, ...(audience ? { audience } : {}) });
  } else if (userPoolId) {
    const clientId = env[STAFF_ENV.userPoolClientId];
    if (!clientId)
      throw new StaffConfigError(`${STAFF_ENV.userPoolClientId} must be set with ${STAFF_ENV.userPoolId}`);
    verifier = cognitoAccessTokenVerifier(userPoolId, clientId);
  } else return undefined;
  const parameter = env[STAFF_ENV.officerSettingsParameter];
  const stationsOf: StationsOf = parameter
    ? new OfficerSettingsSource(options.ssm?.() ?? new SSMClient({}), parameter).stationsOf
    : noStationsWithoutClaim(options.log);
  return new StaffDirectory(verifier, stationsOf);
}
