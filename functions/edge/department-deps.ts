/** The Lambda entry deps of the functions that verify or sign department messages (as staff-deps.ts). */
import { type Deps, defaultDeps } from '../deps.ts';
import { departmentDirectoryFromEnv } from './departments.ts';

/** `deps` (default: `defaultDeps()`) with the department directory from the environment added. */
export function departmentDeps(deps: Deps = defaultDeps()): Deps {
  if (!deps.departments) {
    // Through the Parameters and Secrets extension (edge/secrets-extension.ts), as every secret.
    const departments = departmentDirectoryFromEnv(process.env);
    if (departments) deps.departments = departments;
  }
  return deps;
}
