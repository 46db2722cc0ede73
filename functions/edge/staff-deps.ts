/** The Lambda entry deps of the staff routes (breaks the deps.ts ↔ staff.ts cycle: neither imports the other's values). */
import { SSMClient } from '@aws-sdk/client-ssm';
import { type Deps, defaultDeps } from '../deps.ts';
import { staffDirectoryFromEnv } from './staff.ts';

/**
 * The default deps of a staff route's Lambda entry: `defaultDeps()` plus the staff directory from the
 * environment (none without `CERTFLOW_USER_POOL_ID`). Only the staff routes import this module, so the
 * other functions' bundles carry neither the SSM client nor the JWT verifier.
 */
export function staffDeps(): Deps {
  const deps = defaultDeps();
  if (!deps.staff) {
    const staff = staffDirectoryFromEnv(process.env, {
      ssm: deps.tracer.captureAWSv3Client(new SSMClient({})),
    });
    if (staff) deps.staff = staff;
  }
  return deps;
}
