/**
 * The connected departments (secrets, endpoint, connection), read from the Secrets Manager secret
 * `CERTFLOW_DEPARTMENT_SECRETS_ARN` through Powertools Parameters (`SecretsProvider`, cached
 * `DEPARTMENTS_MAX_AGE_SECONDS`): the same code path on AWS and on the local stack, whose
 * Secrets Manager-compatible service (local/secretsmanager.ts) holds the document. Format and parsing:
 * shared/config/departments.ts.
 *
 * Only the Lambda entries that verify or sign department messages use `departmentDeps()`
 * (department-deps.ts), so the other bundles carry no Secrets Manager client.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  type DepartmentConfig,
  DepartmentSecretsError,
  departmentOf,
  parseDepartmentSecrets,
} from '#shared/config/departments.ts';
import type { Deps } from '../deps.ts';

export const DEPARTMENT_ENV = { secretId: 'CERTFLOW_DEPARTMENT_SECRETS_ARN' } as const;

/** How long the document is cached (seconds): an `npm run admin` change takes effect within this. */
export const DEPARTMENTS_MAX_AGE_SECONDS = 60;

export class DepartmentDirectory {
  readonly #provider: SecretsProvider;

  /** `secretId`: the secret's ARN or name. */
  constructor(
    client: SecretsManagerClient,
    readonly secretId: string,
    private readonly maxAgeSeconds = DEPARTMENTS_MAX_AGE_SECONDS,
  ) {
    this.#provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  /**
   * The department `code`, or undefined if the document does not name it. Throws DepartmentSecretsError
   * for a document that is not valid (a 500: operators must fix it), and Powertools' GetParameterError
   * when the secret cannot be read.
   */
  async get(code: string): Promise<DepartmentConfig | undefined> {
    const value = await this.#provider.get(this.secretId, { maxAge: this.maxAgeSeconds });
    if (typeof value !== 'string') throw new DepartmentSecretsError(`${this.secretId}: no SecretString`);
    return departmentOf(parseDepartmentSecrets(value, this.secretId), code);
  }
}

/** The directory from `CERTFLOW_DEPARTMENT_SECRETS_ARN`, or undefined where it is not set. */
export function departmentDirectoryFromEnv(
  env: Record<string, string | undefined> = process.env,
  client: SecretsManagerClient = new SecretsManagerClient({}),
): DepartmentDirectory | undefined {
  const secretId = env[DEPARTMENT_ENV.secretId];
  return secretId ? new DepartmentDirectory(client, secretId) : undefined;
}

/** The deps' department directory; a DepartmentSecretsError (a 500) where none is configured. */
export function departmentsOf(deps: Deps): DepartmentDirectory {
  if (!deps.departments)
    throw new DepartmentSecretsError(`${DEPARTMENT_ENV.secretId} is not set: no department directory`);
  return deps.departments;
}
