/**
 * The HTTP edge of every route: a middy chain (Powertools logger with the API Gateway request id as
 * correlation id, EMF metrics, the Powertools parser with a zod schema of the payload 2.0 event) around a
 * thin route function, and ONE error policy: HttpError (< 500) and the use cases' errors (mapped in
 * `httpErrorOf`) are answered as problem+json; anything else is logged and answered as a plain 500 with no internals.
 */
import { isUtf8 } from 'node:buffer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { parser } from '@aws-lambda-powertools/parser/middleware';
import { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas/api-gatewayv2';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import {
  conflict,
  internalError,
  malformedJson,
  notFound,
  PROBLEM_CONTENT_TYPE,
  type Problem,
  payloadTooLarge,
  problem,
  tooManyRequests,
  unsupportedMediaType,
  validationProblem,
} from '#shared/http/problem.ts';
import * as z from '#shared/schemas/zod.ts';
import { InvalidCursorError } from '#shared/store/keys.ts';
import type { Deps } from '../deps.ts';
import {
  NotFoundError,
  NotInvestigatingOfficerError,
  NotSignedInError,
  RateLimitedError,
  SignInFailedError,
  StateConflictError,
  UnknownReferenceError,
} from '../use-cases/errors.ts';

/**
 * API Gateway HTTP API payload format 2.0: Powertools' own schema (`APIGatewayProxyEventV2Schema`), the
 * one the local gateway's events (local/gateway/request-event.ts) are built to, with API Gateway's JWT
 * authorizer claims (`requestContext.authorizer.jwt.claims`) on the staff routes.
 */
export const HttpEventSchema = APIGatewayProxyEventV2Schema;
export type HttpEvent = z.output<typeof HttpEventSchema>;

export interface HttpResult {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

export const MAX_BODY_BYTES = 64 * 1024;

export const CORS_HEADERS: Readonly<Record<string, string>> = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers':
    'authorization, content-type, idempotency-key, webhook-id, webhook-timestamp, webhook-signature',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'retry-after',
};

/** An error the client may see: its problem is the answer. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly problem: Problem,
    readonly headers: Record<string, string> = {},
    options?: { cause?: unknown },
  ) {
    super(`${problem.status} ${problem.title}`, options);
  }
  get status(): number {
    return this.problem.status;
  }
}

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      ...CORS_HEADERS,
      ...headers,
    },
    body: JSON.stringify(body),
  };
}

export function problemResult(p: Problem, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: p.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'cache-control': 'no-store',
      ...CORS_HEADERS,
      ...headers,
    },
    body: JSON.stringify(p),
  };
}

export function header(event: HttpEvent, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(event.headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * The raw body as text (decoded if base64): HttpError 413 when over 64 KiB, 400 naming `body` when its
 * bytes are not valid UTF-8 (API.md: bodies are UTF-8; nothing is read with U+FFFD replacements).
 */
export function rawBody(event: HttpEvent): string {
  const body = event.body ?? '';
  const buffer = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (buffer.length > MAX_BODY_BYTES) throw new HttpError(payloadTooLarge());
  if (!isUtf8(buffer)) {
    throw new HttpError(
      problem(400, {
        errors: [{ path: 'body', message: '请求体不是有效的UTF-8 / the body is not valid UTF-8' }],
      }),
    );
  }
  return buffer.toString('utf8');
}

/** Checks the content type is JSON and parses the body (415 / 400 otherwise). */
export function jsonBody(event: HttpEvent): { raw: string; value: unknown } {
  const raw = rawBody(event);
  const type = (header(event, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json' && !/^application\/[\w.+-]*\+json$/.test(type)) {
    throw new HttpError(unsupportedMediaType());
  }
  try {
    return { raw, value: JSON.parse(raw) };
  } catch (cause) {
    throw new HttpError(malformedJson(), {}, { cause });
  }
}

/** Validates with a zod schema; a failure is a 400 naming every bad field. */
export function validate<S extends z.core.$ZodType>(schema: S, value: unknown): z.output<S> {
  const result = z.safeParse(schema, value);
  // The raw value lets the message tell a missing field ("必填 / is required") from a wrong one.
  if (!result.success) throw new HttpError(validationProblem(result.error, undefined, { value }));
  return result.data;
}

/** The `limit` query parameter of a listing: a whole number from 1 to `max`, else a 400 naming it. */
export function limitParam(text: string | undefined, fallback: number, max: number): number {
  const value = text ?? String(fallback);
  if (!/^\d{1,3}$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new HttpError(
      problem(400, { errors: [{ path: 'limit', message: `须为1–${max} / must be 1–${max}` }] }),
    );
  }
  return Number(value);
}

/**
 * DynamoDB's refusal of an ExclusiveStartKey (`ValidationException`: "The provided starting key is
 * invalid", "… is outside query boundaries …", "… does not match the range key predicate", "The query can
 * return at most one row and cannot be restarted", "Exclusive Start Key must have same size as table's key
 * schema"; dynalite answers with the same texts). Only a cursor a client made up leads there: one the API
 * handed out is the store's own LastEvaluatedKey.
 */
function isStartKeyRefused(error: unknown): boolean {
  return (
    error instanceof Error &&
    error.name === 'ValidationException' &&
    /starting key|cannot be restarted|exclusive start key/i.test(error.message)
  );
}

export type Route = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** A Lambda handler as callers see it: any event in (the parser validates it), a result out. */
export type LambdaHandler<R> = (event: unknown, context: Context) => Promise<R>;

/**
 * The one mapping of use-case errors to HTTP errors: NotFoundError (request, exchange record, complaint)
 * → 404, StateConflictError (not waiting, not assignable, a replay with other facts…) → 409,
 * NotInvestigatingOfficerError → 403, UnknownReferenceError → 400, RateLimitedError → 429 (Retry-After),
 * SignInFailedError and NotSignedInError → 401; a listing `cursor` the API never handed out → 400 naming
 * `cursor` — one that does not decode or is no start key (the store's InvalidCursorError), or one DynamoDB
 * refuses as the ExclusiveStartKey of that read (another partition's key); anything else is returned as it
 * is (an HttpError stays one, the rest become a plain 500).
 */
export function httpErrorOf(error: unknown): unknown {
  if (error instanceof InvalidCursorError || isStartKeyRefused(error))
    return new HttpError(
      problem(400, { errors: [{ path: 'cursor', message: '无效的游标 / not a cursor this API returned' }] }),
    );
  if (error instanceof NotFoundError) return new HttpError(notFound());
  if (error instanceof StateConflictError) return new HttpError(conflict(error.text));
  if (error instanceof NotInvestigatingOfficerError)
    return new HttpError(problem(403, { detail: error.text }));
  if (error instanceof UnknownReferenceError)
    return new HttpError(
      problem(400, { errors: [{ path: error.path, message: `${error.text.zh} / ${error.text.en}` }] }),
    );
  if (error instanceof RateLimitedError)
    return new HttpError(tooManyRequests(error.retryAfterSeconds), {
      'retry-after': String(error.retryAfterSeconds),
    });
  if (error instanceof SignInFailedError) return new HttpError(problem(401, { detail: error.text }));
  if (error instanceof NotSignedInError) return new HttpError(problem(401));
  return error;
}

/** Wraps a route in the middy chain and the error policy. */
export function httpHandler(deps: Deps, route: Route): LambdaHandler<HttpResult> {
  const handler = middy<unknown, HttpResult, Error, Context>()
    .use(captureLambdaHandler(deps.tracer, { captureResponse: false }))
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .before((request) => {
      // The API Gateway request id is the correlation id of every log line of this invocation.
      const id = (request.event as { requestContext?: { requestId?: unknown } } | null)?.requestContext
        ?.requestId;
      if (typeof id === 'string') deps.logger.setCorrelationId(id);
    })
    .use(logMetrics(deps.metrics))
    .use(parser({ schema: HttpEventSchema, safeParse: true }))
    .handler(async (parsed, context) => {
      if (!parsed.success) {
        deps.logger.error('event is not an API Gateway payload 2.0 event', { error: parsed.error.message });
        return problemResult(internalError());
      }
      const event = parsed.data;
      // Behind CloudFront: a call that skipped it (the execute-api URL without the origin header) gets nothing.
      if (deps.originVerify && !(await deps.originVerify.allows(event))) {
        deps.logger.info('request refused', { status: 403, reason: 'not through CloudFront' });
        return problemResult(
          problem(403, {
            detail: {
              zh: '请通过本服务的网址访问接口',
              en: "call the API through the service's web address",
            },
          }),
        );
      }
      if (event.requestContext.http.method === 'OPTIONS') {
        return { statusCode: 204, headers: { ...CORS_HEADERS, 'access-control-max-age': '600' }, body: '' };
      }
      try {
        return await route(event, context);
      } catch (thrown) {
        const error = httpErrorOf(thrown);
        if (error instanceof HttpError && error.status < 500) {
          deps.logger.info('request refused', { status: error.status, type: error.problem.type });
          return problemResult(error.problem, error.headers);
        }
        deps.logger.error('request failed', { error: error as Error });
        return problemResult(internalError());
      }
    });
  return handler as unknown as LambdaHandler<HttpResult>;
}

export { problem };
