/**
 * StaffTokenClaims — the staff user pool's pre token generation trigger (Cognito, event version V2_0):
 * writes the stations an officer acts for into the officer's ACCESS token, as the `stations` claim
 * (functions/edge/staff.ts `stationsClaimValue`: codes separated by spaces), so that the staff routes take
 * them from the token and carry no SSM client.
 *
 * - Source: the officer settings, SSM SecureString `CERTFLOW_OFFICER_SETTINGS_PARAMETER`
 *   (`{ "officers": { "<username>": { "stations": ["CC-YHL"] } } }`), read through Powertools Parameters'
 *   SSMProvider (`OfficerSettingsSource`) and cached five minutes: an edit takes effect at the next sign-in
 *   or token refresh after that.
 * - Who: a user in the `officer` group and not in `supervisor` (groups as Cognito sends them in
 *   `request.groupConfiguration.groupsToOverride`). A supervisor acts for every station by group; other
 *   users get nothing. An officer the settings do not name gets no claim (a warning here, and the staff
 *   routes then give them no station).
 * - Failure: settings that cannot be read or are invalid throw (OfficerSettingsError, or the SDK's error):
 *   Cognito then refuses the officer's sign-in rather than issue a token that would silently grant nothing.
 *   An event that is not a V2/V3 pre token generation event throws too (Cognito's response would ignore
 *   an access-token claim in a V1_0 event).
 *
 * Cognito: https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-lambda-pre-token-generation.html
 * (V2_0 `response.claimsAndScopeOverrideDetails.accessTokenGeneration.claimsToAddOrOverride`; the Essentials
 * or Plus feature plan). The event is checked with Powertools parser's `PreTokenGenerationTriggerSchemaV2AndV3`.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { PreTokenGenerationTriggerSchemaV2AndV3 } from '@aws-lambda-powertools/parser/schemas/cognito';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import {
  OfficerSettingsSource,
  STAFF_ENV,
  STAFF_GROUPS,
  STATIONS_CLAIM,
  StaffConfigError,
  stationsClaimValue,
} from '../edge/staff.ts';

export class TokenEventError extends Error {
  override name = 'TokenEventError';
}

/** What the handler logs with (the local stack's and Lambda's Powertools Logger). */
export interface TokenClaimsDeps {
  readonly logger: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** The officer settings of the environment (`CERTFLOW_OFFICER_SETTINGS_PARAMETER`), through a new SSM client. */
export function officerSettingsFromEnv(env: Record<string, string | undefined> = process.env) {
  const parameter = env[STAFF_ENV.officerSettingsParameter];
  if (!parameter)
    throw new StaffConfigError(
      `${STAFF_ENV.officerSettingsParameter} is not set: StaffTokenClaims lists officerSettings in functions/function-list.ts`,
    );
  return new OfficerSettingsSource(new SSMClient({}), parameter);
}

/**
 * `(event) => event` with the officer's stations added to the access token's claims. `settings` is made on
 * the first officer's event (the local stack builds every function's handler and never invokes this one).
 */
export function createHandler(
  deps: TokenClaimsDeps,
  settings: () => OfficerSettingsSource = officerSettingsFromEnv,
) {
  let source: OfficerSettingsSource | undefined;
  return async (event: PreTokenGenerationV2TriggerEvent): Promise<PreTokenGenerationV2TriggerEvent> => {
    const parsed = PreTokenGenerationTriggerSchemaV2AndV3.safeParse(event);
    if (!parsed.success || parsed.data.version === '1' || !parsed.data.userName)
      throw new TokenEventError(
        `not a V2_0 pre token generation event with a user name: ${parsed.success ? `version ${parsed.data.version}` : parsed.error.message}`,
      );
    const { userName, triggerSource } = parsed.data;
    const groups = parsed.data.request.groupConfiguration.groupsToOverride;
    if (!groups.includes(STAFF_GROUPS.officer) || groups.includes(STAFF_GROUPS.supervisor)) return event;
    source ??= settings();
    let stations: string[];
    try {
      stations = await source.stationsOf(userName);
    } catch (error) {
      deps.logger.error('officer settings unreadable: the sign-in is refused', {
        username: userName,
        parameter: source.parameterName,
        error: error as Error,
      });
      throw error;
    }
    if (stations.length === 0) {
      deps.logger.warn('officer not named in the officer settings: no stations claim, no station', {
        username: userName,
        parameter: source.parameterName,
      });
      return event;
    }
    const value = stationsClaimValue(stations);
    deps.logger.info('stations claim', { username: userName, triggerSource, stations: value });
    event.response = {
      claimsAndScopeOverrideDetails: {
        ...event.response?.claimsAndScopeOverrideDetails,
        accessTokenGeneration: {
          ...event.response?.claimsAndScopeOverrideDetails?.accessTokenGeneration,
          claimsToAddOrOverride: {
            ...event.response?.claimsAndScopeOverrideDetails?.accessTokenGeneration?.claimsToAddOrOverride,
            [STATIONS_CLAIM]: value,
          },
        },
      },
    };
    return event;
  };
}

let built: ReturnType<typeof createHandler> | undefined;

/** The Lambda entry (Powertools Logger of the environment: `POWERTOOLS_SERVICE_NAME`, `POWERTOOLS_LOG_LEVEL`). */
export const handler = (event: PreTokenGenerationV2TriggerEvent) => {
  built ??= createHandler({ logger: new Logger() });
  return built(event);
};
