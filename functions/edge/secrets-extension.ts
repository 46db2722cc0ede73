/**
 * Secrets Manager secrets read through the AWS Parameters and Secrets Lambda Extension (issue 16): the
 * functions carry no Secrets Manager client (≈ 30–38 KB of SDK and Powertools Parameters per bundle), the
 * extension (a Lambda layer, infra/constructs/certflow-function.ts) calls GetSecretValue and caches the
 * answer for its `SECRETS_MANAGER_TTL`.
 *
 * The contract (AWS Secrets Manager User Guide, "Use AWS Secrets Manager secrets in AWS Lambda functions",
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets_lambda.html, and the Lambda
 * Developer Guide, "Use Secrets Manager secrets in Lambda functions"):
 * `GET http://localhost:{PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, default 2773}/secretsmanager/get?secretId=…`
 * with the header `X-Aws-Parameters-Secrets-Token: {AWS_SESSION_TOKEN}` (the extension refuses a request
 * without it); the body of a 200 is GetSecretValue's JSON (`ARN`, `Name`, `VersionId`, `SecretString`…).
 * Any other status is an error; the body then names it (Secrets Manager's `__type`, or the extension's text).
 * The extension answers only during an invocation, not during the function's init.
 *
 * The local stack serves the same GET on its Secrets Manager-compatible service (local/secretsmanager.ts),
 * whose URL `CERTFLOW_SECRETS_EXTENSION_URL` (or the reader's `baseUrl`) names: one code path on AWS and
 * locally. No secret value is ever put in an error message or a log.
 */
import { ConfigError } from '#shared/config/config.ts';

/** The header that carries the function's session token to the extension. */
export const SECRETS_EXTENSION_TOKEN_HEADER = 'X-Aws-Parameters-Secrets-Token';
/** The extension's port when `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT` is not set. */
export const SECRETS_EXTENSION_DEFAULT_PORT = 2773;
/** Overrides the extension's base URL (the local stack, tests); unset on AWS. */
export const SECRETS_EXTENSION_URL_ENV = 'CERTFLOW_SECRETS_EXTENSION_URL';
/**
 * How long a function keeps a value in its own memory (seconds) before asking the extension again: short,
 * as the extension holds the real cache (its TTL is the secret's max age, e.g. TOKEN_SECRET_MAX_AGE_SECONDS);
 * it only spares the loopback call on every invocation.
 */
export const SECRET_MEMORY_SECONDS = 10;
/** How long a call to the extension may take (ms) before it is a SecretReadError. */
export const SECRETS_EXTENSION_TIMEOUT_MS = 5_000;

/** A secret could not be read: the extension (or the local service) did not answer, or refused. */
export class SecretReadError extends Error {
  override name = 'SecretReadError';
  constructor(
    readonly secretId: string,
    /** The extension's HTTP status; undefined when it did not answer. */
    readonly status: number | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Reads a secret's SecretString (undefined for a secret that holds only SecretBinary). */
export interface SecretReader {
  secretString(secretId: string): Promise<string | undefined>;
}

/**
 * The extension's base URL: `CERTFLOW_SECRETS_EXTENSION_URL` if set (local stack), else
 * `http://localhost:{PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? 2773}`.
 */
export function secretsExtensionUrl(env: Record<string, string | undefined> = process.env): string {
  const override = env[SECRETS_EXTENSION_URL_ENV];
  if (override) return override.replace(/\/+$/, '');
  return `http://localhost:${env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT || SECRETS_EXTENSION_DEFAULT_PORT}`;
}

export interface ExtensionSecretReaderOptions {
  /** Default: secretsExtensionUrl(process.env). */
  baseUrl?: string;
  /** The session token sent in the header; default: `AWS_SESSION_TOKEN` at the time of the call. */
  sessionToken?: () => string | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** Reads secrets from the Parameters and Secrets Lambda Extension (or the local stack's same endpoint). */
export class ExtensionSecretReader implements SecretReader {
  readonly baseUrl: string;
  readonly #token: () => string | undefined;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(options: ExtensionSecretReaderOptions = {}) {
    this.baseUrl = (options.baseUrl ?? secretsExtensionUrl()).replace(/\/+$/, '');
    this.#token = options.sessionToken ?? (() => process.env.AWS_SESSION_TOKEN);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#timeoutMs = options.timeoutMs ?? SECRETS_EXTENSION_TIMEOUT_MS;
  }

  /**
   * The secret's SecretString, or undefined if it has none. Throws ConfigError when there is no session
   * token to send (not in Lambda and none configured), SecretReadError when the extension does not answer
   * in time or answers anything but 200 (message: secret id, status and the error's `__type` or text —
   * never a value), or a 200 whose body is not GetSecretValue's JSON.
   */
  async secretString(secretId: string): Promise<string | undefined> {
    const token = this.#token();
    if (!token)
      throw new ConfigError(
        `${secretId}: AWS_SESSION_TOKEN is not set; the Parameters and Secrets extension refuses a request without it`,
      );
    const url = `${this.baseUrl}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`;
    let response: Response;
    let body: string;
    try {
      response = await this.#fetch(url, {
        headers: { [SECRETS_EXTENSION_TOKEN_HEADER]: token },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      throw new SecretReadError(
        secretId,
        undefined,
        `${secretId}: the Parameters and Secrets extension at ${this.baseUrl} did not answer (${(error as Error).message})`,
        { cause: error },
      );
    }
    if (response.status !== 200)
      throw new SecretReadError(
        secretId,
        response.status,
        `${secretId}: the Parameters and Secrets extension answered ${response.status}${errorDetail(body)}`,
      );
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null)
      throw new SecretReadError(
        secretId,
        200,
        `${secretId}: the extension's answer is not GetSecretValue's JSON`,
      );
    const value = (parsed as { SecretString?: unknown }).SecretString;
    return typeof value === 'string' ? value : undefined;
  }
}

/** `: {__type}: {message}` of an error body (no secret there), else its first 200 characters. */
function errorDetail(body: string): string {
  try {
    const parsed = JSON.parse(body) as { __type?: unknown; message?: unknown; Message?: unknown };
    const parts = [parsed.__type, parsed.message ?? parsed.Message].filter((p) => typeof p === 'string');
    if (parts.length > 0) return `: ${parts.join(': ')}`;
  } catch {
    // not JSON: the extension's own text
  }
  const text = body.trim().slice(0, 200);
  return text ? `: ${text}` : '';
}

/**
 * One secret's value, kept `maxAgeSeconds` in memory (default SECRET_MEMORY_SECONDS); concurrent reads
 * share one call. `parse` turns the SecretString (undefined: none) into the value, or throws.
 */
export class CachedSecret<T> {
  #value: { at: number; value: T } | undefined;
  #pending: Promise<T> | undefined;

  constructor(
    private readonly reader: SecretReader,
    readonly secretId: string,
    private readonly parse: (secretString: string | undefined) => T,
    private readonly maxAgeSeconds = SECRET_MEMORY_SECONDS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The value from memory while younger than the max age, else (or with `forceFetch`) read again. */
  async get(options: { forceFetch?: boolean } = {}): Promise<T> {
    const cached = this.#value;
    if (!options.forceFetch && cached && this.now() - cached.at < this.maxAgeSeconds * 1000)
      return cached.value;
    this.#pending ??= (async () => {
      try {
        const value = this.parse(await this.reader.secretString(this.secretId));
        this.#value = { at: this.now(), value };
        return value;
      } finally {
        this.#pending = undefined;
      }
    })();
    return this.#pending;
  }
}

/** The reader the Lambda entries use: the extension at secretsExtensionUrl(env). */
export function extensionReaderFromEnv(
  env: Record<string, string | undefined> = process.env,
): ExtensionSecretReader {
  return new ExtensionSecretReader({ baseUrl: secretsExtensionUrl(env) });
}
