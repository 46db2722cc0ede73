/**
 * The connected departments (secrets, endpoint, connection), read from the Secrets Manager secret
 * `CERTFLOW_DEPARTMENT_SECRETS_ARN` through the AWS Parameters and Secrets Lambda Extension
 * (edge/secrets-extension.ts; its cache TTL in these functions is `DEPARTMENTS_MAX_AGE_SECONDS`, the
 * function keeps the parsed document SECRET_MEMORY_SECONDS): the same code path on AWS and on the local
 * stack, whose Secrets Manager-compatible service (local/secretsmanager.ts) holds the document and answers
 * the extension's GET. Format and parsing: shared/config/departments.ts.
 *
 * Only the Lambda entries that verify or sign department messages use `departmentDeps()`
 * (department-deps.ts).
 */
import {
  type DepartmentConfig,
  DepartmentSecretsError,
  departmentOf,
  parseDepartmentSecrets,
} from '#shared/config/departments.ts';
import type { Deps } from '../deps.ts';
import { CachedSecret, extensionReaderFromEnv, type SecretReader } from './secrets-extension.ts';

export const DEPARTMENT_ENV = { secretId: 'CERTFLOW_DEPARTMENT_SECRETS_ARN' } as const;

/**
 * How long the document is cached (seconds): the extension's TTL in the functions that read it (the
 * smallest of their secrets' max ages), so an `npm run admin` change takes effect within this plus
 * SECRET_MEMORY_SECONDS.
 */
export const DEPARTMENTS_MAX_AGE_SECONDS = 60;

export class DepartmentDirectory {
  readonly #document: CachedSecret<ReturnType<typeof parseDepartmentSecrets>>;

  /**
   * `reader`: the extension (edge/secrets-extension.ts); `secretId`: the secret's ARN or name. The parsed
   * document is kept in memory SECRET_MEMORY_SECONDS (CachedSecret's default).
   */
  constructor(
    reader: SecretReader,
    readonly secretId: string,
  ) {
    this.#document = new CachedSecret(reader, secretId, (value) => {
      if (value === undefined) throw new DepartmentSecretsError(`${secretId}: no SecretString`);
      return parseDepartmentSecrets(value, secretId);
    });
  }

  /**
   * The department `code`, or undefined if the document does not name it. Throws DepartmentSecretsError
   * for a document that is not valid (a 500: operators must fix it), and SecretReadError
   * (edge/secrets-extension.ts) when the secret cannot be read.
   */
  async get(code: string): Promise<DepartmentConfig | undefined> {
    return departmentOf(await this.#document.get(), code);
  }
}

/** The directory from `CERTFLOW_DEPARTMENT_SECRETS_ARN`, or undefined where it is not set. */
export function departmentDirectoryFromEnv(
  env: Record<string, string | undefined> = process.env,
  reader: SecretReader = extensionReaderFromEnv(env),
): DepartmentDirectory | undefined {
  const secretId = env[DEPARTMENT_ENV.secretId];
  return secretId ? new DepartmentDirectory(reader, secretId) : undefined;
}

/** The deps' department directory; a DepartmentSecretsError (a 500) where none is configured. */
export function departmentsOf(deps: Deps): DepartmentDirectory {
  if (!deps.departments)
    throw new DepartmentSecretsError(`${DEPARTMENT_ENV.secretId} is not set: no department directory`);
  return deps.departments;
}
