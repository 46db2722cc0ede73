/** The Lambda entry deps of the functions that verify or sign department messages (as staff-deps.ts). */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type Deps, defaultDeps } from '../deps.ts';
import { departmentDirectoryFromEnv } from './departments.ts';

/** `deps` (default: `defaultDeps()`) with the department directory from the environment added. */
export function departmentDeps(deps: Deps = defaultDeps()): Deps {
  if (!deps.departments) {
    const departments = departmentDirectoryFromEnv(
      process.env,
      deps.tracer.captureAWSv3Client(new SecretsManagerClient({})),
    );
    if (departments) deps.departments = departments;
  }
  return deps;
}
