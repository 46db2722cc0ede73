/** The Lambda entry deps of the staff routes (breaks the deps.ts ↔ staff.ts cycle: neither imports the other's values). */
import { SSMClient } from '@aws-sdk/client-ssm';
import { type Deps, defaultDeps } from '../deps.ts';
import { staffDirectoryFromEnv } from './staff.ts';

/**
 * The default deps of a staff route's Lambda entry: `defaultDeps()` plus the staff directory from the
 * environment (none without an issuer or user pool). Only the staff routes import this module, so the
 * other functions' bundles carry no JWT verifier; the SSM client (made only where the officer settings
 * parameter is set) is in a staff route's bundle only where the deployment needs the fallback
 * (`staffAuth=oidc`; infra/bundling.ts `readsOfficerSettings`), a stand-in elsewhere.
 */
export function staffDeps(): Deps {
  const deps = defaultDeps();
  if (!deps.staff) {
    const staff = staffDirectoryFromEnv(process.env, {
      ssm: () => deps.tracer.captureAWSv3Client(new SSMClient({})),
      log: deps.logger,
    });
    if (staff) deps.staff = staff;
  }
  return deps;
}
