/**
 * The token secret (HMAC key of access tokens, verification codes, citizen sessions and search keys) read
 * from Secrets Manager through the AWS Parameters and Secrets Lambda Extension (edge/secrets-extension.ts):
 * the environment holds only the secret's ARN (`CERTFLOW_TOKEN_SECRET_ARN`), never its value, and only the
 * functions whose `access.secrets` lists `token` get that ARN, `secretsmanager:GetSecretValue` on it and
 * the extension's layer (infra/constructs/certflow-function.ts). The extension caches the value
 * `TOKEN_SECRET_MAX_AGE_SECONDS` (its `SECRETS_MANAGER_TTL`); the function keeps it SECRET_MEMORY_SECONDS.
 *
 * The same class reads the CloudFront origin header's value (edge/origin-verify.ts) and the SMS gateway's
 * token (functions/deps.ts). It serves the local stack, whose Secrets Manager-compatible service
 * (local/secretsmanager.ts) answers the extension's GET for the secret local/credentials.ts made: one code
 * path on AWS and locally.
 */
import { ConfigError, type FunctionConfig } from '#shared/config/config.ts';
import { CachedSecret, SECRET_MEMORY_SECONDS, type SecretReader } from './secrets-extension.ts';

/**
 * How long a fetched value is used before it is fetched again (seconds): the extension's TTL for the token
 * secret. A replaced secret (after a compromise; README "Token secret") takes effect within this plus
 * SECRET_MEMORY_SECONDS, without a redeploy.
 */
export const TOKEN_SECRET_MAX_AGE_SECONDS = 300;

/**
 * One Secrets Manager secret's value, cached: the token secret, and the same way the origin-verify header
 * value (origin-verify.ts) and the SMS gateway's token.
 */
export class SecretSource {
  readonly #secret: CachedSecret<string>;

  /**
   * `reader`: the extension (edge/secrets-extension.ts); `secretId`: the secret's ARN or name, whose
   * SecretString is the value itself (the token secret: ≥ 32 characters), kept in memory
   * SECRET_MEMORY_SECONDS; `now`: the clock of that memory (milliseconds, default Date.now).
   */
  constructor(
    reader: SecretReader,
    readonly secretId: string,
    now: () => number = Date.now,
  ) {
    this.#secret = new CachedSecret(
      reader,
      secretId,
      (value) => {
        if (value === undefined || value === '')
          throw new ConfigError(`${secretId}: the secret has no SecretString`);
        return value;
      },
      SECRET_MEMORY_SECONDS,
      now,
    );
  }

  /**
   * The secret's value: from memory while younger than the max age, else (or with `forceFetch`) read from
   * the extension. Throws ConfigError for a secret without a SecretString, SecretReadError
   * (edge/secrets-extension.ts) when it cannot be read.
   */
  get(options: { forceFetch?: boolean } = {}): Promise<string> {
    return this.#secret.get(options);
  }

  /** Fetches (or takes from the cache) the value into `config.tokenSecret`; returns the config. */
  async into<C extends Pick<FunctionConfig, 'tokenSecret'>>(config: C): Promise<C> {
    config.tokenSecret = await this.get();
    return config;
  }
}
