/**
 * `@aws-lambda-powertools/parameters/ssm` where the officer settings are not read (see client-ssm.ts, the
 * same decision: infra/bundling.ts `readsOfficerSettings`).
 */
import { absentClass } from './absent.ts';

export const SSMProvider = absentClass(
  '@aws-lambda-powertools/parameters/ssm',
  'SSMProvider',
  'secrets (officerSettings; staff routes: staffAuth=oidc)',
);
