/** The public HTTP API (docs/api.md), same origin. Errors come back as problem+json. */
import type { components } from '#shared/openapi/api-types.ts';

export type FieldError = NonNullable<components['schemas']['Problem']['errors']>[number];

/** The API's problem (shared/openapi/openapi.json `Problem`); a network failure is status 0 with no `type`. */
export type Problem = Partial<components['schemas']['Problem']> & { readonly status: number };

export type ApiResult<T> =
  | { readonly ok: true; readonly status: number; readonly data: T }
  | {
      readonly ok: false;
      readonly status: number;
      readonly problem: Problem;
      /** Seconds from a Retry-After header (429). */
      readonly retryAfter?: number;
    };

export interface ApiOptions {
  readonly method?: 'GET' | 'POST';
  readonly body?: unknown;
  readonly token?: string;
  readonly idempotencyKey?: string;
  readonly signal?: AbortSignal;
}

export async function api<T>(path: string, options: ApiOptions = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    return { ok: false, status: 0, problem: { status: 0, title: 'network', detail: String(error) } };
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return { ok: true, status: response.status, data: parsed as T };
  const problem =
    parsed && typeof parsed === 'object'
      ? ({ ...(parsed as object), status: response.status } as Problem)
      : { status: response.status, title: response.statusText };
  const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
  return {
    ok: false,
    status: response.status,
    problem,
    ...(Number.isFinite(retryAfter) ? { retryAfter } : {}),
  };
}

/** A random key per submission attempt (crypto.randomUUID needs a secure context; fall back). */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
