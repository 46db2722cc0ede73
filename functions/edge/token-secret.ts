/**
 * The token secret (HMAC key of access tokens, verification codes, citizen sessions and search keys) read
 * from Secrets Manager through Powertools Parameters (`SecretsProvider`), cached
 * `TOKEN_SECRET_MAX_AGE_SECONDS`: the environment holds only the secret's ARN (`CERTFLOW_TOKEN_SECRET_ARN`),
 * never its value, and only the functions whose `access.secrets` lists `token` get that ARN and
 * `secretsmanager:GetSecretValue` on it (infra/constructs/certflow-function.ts).
 *
 * The same class reads the CloudFront origin header's value (edge/origin-verify.ts). It serves the local stack, whose Secrets Manager-compatible service (local/secretsmanager.ts)
 * holds the secret local/credentials.ts made: one code path on AWS and locally.
 */
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigError, type FunctionConfig } from '#shared/config/config.ts';

// Also the client class, for functions/deps.ts's dynamic import of this module: a dynamic import of the
// package itself would keep every command, schema and error class of the service in the bundle (esbuild
// keeps a materialised namespace whole; bench/PERF-NOTES.md round 4).
export { SecretsManagerClient };

/**
 * How long a fetched value is used before it is fetched again (seconds): a replaced secret (after a
 * compromise; README "Token secret") takes effect within this, without a redeploy.
 */
export const TOKEN_SECRET_MAX_AGE_SECONDS = 300;

/**
 * One Secrets Manager secret's value, cached (Powertools SecretsProvider): the token secret, and the same way
 * the origin-verify header value (origin-verify.ts).
 */
export class SecretSource {
  readonly #provider: SecretsProvider;

  /** `secretId`: the secret's ARN or name; its SecretString is the key itself (≥ 32 characters). */
  constructor(
    client: SecretsManagerClient,
    readonly secretId: string,
    private readonly maxAgeSeconds = TOKEN_SECRET_MAX_AGE_SECONDS,
  ) {
    this.#provider = new SecretsProvider({ awsSdkV3Client: client });
  }

  /**
   * The secret's value: from the cache while younger than `maxAgeSeconds`, else (or with `forceFetch`)
   * fetched (GetSecretValue) into the cache. Throws ConfigError for a secret without a SecretString, Powertools'
   * GetParameterError when it cannot be read.
   */
  async get(options: { forceFetch?: boolean } = {}): Promise<string> {
    const value = await this.#provider.get(this.secretId, {
      maxAge: this.maxAgeSeconds,
      ...(options.forceFetch ? { forceFetch: true } : {}),
    });
    if (typeof value !== 'string' || value === '')
      throw new ConfigError(`${this.secretId}: the secret has no SecretString`);
    return value;
  }

  /** Fetches (or takes from the cache) the value into `config.tokenSecret`; returns the config. */
  async into<C extends Pick<FunctionConfig, 'tokenSecret'>>(config: C): Promise<C> {
    config.tokenSecret = await this.get();
    return config;
  }
}
