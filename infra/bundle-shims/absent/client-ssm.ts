/**
 * `@aws-sdk/client-ssm` in the bundles of functions that read no officer settings in the deployment (see
 * absent.ts and infra/bundling.ts `readsOfficerSettings`): every function but the Cognito trigger, unless
 * staff sign in at a generic OpenID issuer (`staffAuth=oidc`). functions/edge/staff.ts makes its client only
 * where `CERTFLOW_OFFICER_SETTINGS_PARAMETER` is set, which CDK sets exactly where this stand-in is not used.
 */
import { absentClass } from './absent.ts';

export const SSMClient = absentClass(
  '@aws-sdk/client-ssm',
  'SSMClient',
  'secrets (officerSettings; staff routes: staffAuth=oidc)',
);
