/**
 * POST /v1/requests — intake.
 *
 * Primary course:
 *  1. Parse and validate the body (415 / 400 / 413; nothing is stored for a bad request).
 *  2. Count the request against the client address's limit (429 with Retry-After past it).
 *  3. With an Idempotency-Key, steps 4 runs once per key (Powertools idempotency, records on the app
 *     table, shared/store/idempotency.ts): the same key with the same body answers with the first
 *     request's id, with another body 422, while the first is still running 409 with Retry-After (as the
 *     IETF Idempotency-Key header draft says); the in-progress window is the Lambda's remaining time.
 *     Past that window (the first invocation died: crash, kill, timeout) Powertools runs step 4 again, so
 *     step 4 first links the key to the request id it is about to file (`linkIdempotencyKey`,
 *     put-if-absent): a key linked before files nothing new but answers with its first request (stored
 *     now under that id if the crash came before it was), and with another body 422.
 *  4. Store the request (RECEIVED, version 1, the access token only as a hash) and its first event.
 *  5. Start the workflow execution named after the request (idempotent). If that fails the request is
 *     still accepted: the deadline sweeper starts the workflow of any request left RECEIVED.
 *  6. Answer 202 with the request id and the access token.
 * Intake sends no SMS (no `access.sms`: its bundle carries no SMS client): the applicant's "accepted"
 * message is sent by the workflow's first step, CheckRules, once, before the decision's message
 * (functions/workflow/check-rules.ts). Every path that stores a request starts its workflow (or the
 * deadline sweeper does), so every accepted request still gets it.
 */
import {
  IdempotencyAlreadyInProgressError,
  IdempotencyConfig,
  IdempotencyValidationError,
  makeIdempotent,
} from '@aws-lambda-powertools/idempotency';
import type { Context } from 'aws-lambda';
import { deriveAccessToken, newRequestId, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { conflict, idempotencyKeyReused, problem, tooManyRequests } from '#shared/http/problem.ts';
import { policyInForce } from '#shared/policy/policy.ts';
import { type IntakeRequest, makeIntakeRequestSchema } from '#shared/schemas/intake.ts';
import { IDEMPOTENCY_KEY_PREFIX, IDEMPOTENCY_TTL_SECONDS } from '#shared/store/idempotency.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { HttpError, type HttpEvent, header, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { fileNewRequest } from '../use-cases/citizens.ts';
import { startWorkflow } from '../use-cases/workflow.ts';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,100}$/;

export function requestLinks(deps: Deps, requestId: string) {
  return { self: `${deps.config.publicBaseUrl}/v1/requests/${requestId}` };
}

export function createHandler(deps: Deps) {
  // One schema per policy version; ID numbers born after the stack's clock are rejected.
  const schemas = new Map(
    deps.policies.map((p) => [
      p.policyVersion,
      makeIntakeRequestSchema(p, { now: () => new Date(deps.clock.now()) }),
    ]),
  );
  return httpHandler(deps, async (event: HttpEvent, context: Context) => {
    // 1. Validated against the version in force today (the day of acceptance).
    const { value } = jsonBody(event);
    const inForce = policyInForce(deps.policies, new Date(deps.clock.now()));
    const body = validate(schemas.get(inForce.policyVersion) ?? makeIntakeRequestSchema(inForce), value);
    await requireKnownStations(deps, body);
    const key = header(event, 'idempotency-key');
    if (key !== undefined && !IDEMPOTENCY_KEY.test(key)) {
      throw new HttpError(
        problem(400, {
          errors: [
            {
              path: 'Idempotency-Key',
              message: '幂等键须为1–100个可见ASCII字符 / must be 1–100 visible ASCII characters',
            },
          ],
        }),
      );
    }
    // 2.
    const now = deps.clock.now();
    const limit = deps.config.rateLimitPerMinute;
    if (limit > 0) {
      const windowStart = Math.floor(now / 60_000) * 60_000;
      const client = event.requestContext.http.sourceIp;
      if (
        !(await deps.store.hitRateLimit(client, windowStart, limit, Math.floor(windowStart / 1000) + 120))
      ) {
        const retryAfter = Math.max(1, Math.ceil((windowStart + 60_000 - now) / 1000));
        deps.metrics.addMetric('IntakeRateLimited', 'Count', 1);
        throw new HttpError(tooManyRequests(retryAfter), { 'retry-after': String(retryAfter) });
      }
    }
    // 3. + 4.
    const accept = async (input: { key?: string; body: IntakeRequest }) => ({
      requestId:
        input.key === undefined
          ? await storeRequest(deps, input.body, newRequestId(now, deps.random(16)), now)
          : await storeLinkedRequest(deps, input.key, input.body, now),
    });
    const requestId =
      key === undefined ? (await accept({ body })).requestId : await once(deps, accept, key, body, context);
    // 5.
    await startWorkflow(deps, requestId, requestId);
    // 6.
    const accessToken = deriveAccessToken(deps.config.tokenSecret, requestId);
    return json(
      202,
      { requestId, accessToken, status: 'RECEIVED', links: requestLinks(deps, requestId) },
      { location: `/v1/requests/${requestId}` },
    );
  });
}

/** 收受分离: the filing and collection stations must be stations of the registry (400 naming the field). */
async function requireKnownStations(deps: Deps, body: IntakeRequest): Promise<void> {
  if (!body.filing) return;
  const registry = await deps.registry();
  const errors = (['station', 'collectAt'] as const)
    .filter((f) => body.filing?.[f] !== undefined && registry.station(body.filing[f]!) === undefined)
    .map((f) => ({
      path: `filing.${f}`,
      message: '户籍登记库中没有该派出所 / no such station in the registry',
    }));
  if (errors.length > 0) throw new HttpError(problem(400, { errors }));
}

/**
 * Step 4 under an Idempotency-Key `key`: links the key's SHA-256 to a new request id first
 * (`linkIdempotencyKey`: put-if-absent, `expiresAt` `IDEMPOTENCY_TTL_SECONDS` of real time on, as
 * Powertools' own record, whose clock is `Date.now()`), then stores the request under it. When the key was
 * linked before — a retry after the invocation that linked it died before Powertools marked the key
 * COMPLETED — nothing new is filed: the first request id is returned, the request stored under it (with
 * the link's `acceptedAt`) if the crash came before it was, and filed for search again (idempotent) in
 * case the crash came between. Throws HttpError 422 (`idempotencyKeyReused`) when the first body differs,
 * as Powertools' payload validation does while its record lives.
 */
async function storeLinkedRequest(
  deps: Deps,
  key: string,
  body: IntakeRequest,
  now: number,
): Promise<string> {
  const bodyHash = sha256Hex(JSON.stringify(body));
  const realNow = Math.floor(Date.now() / 1000);
  const { linked, link } = await deps.store.linkIdempotencyKey(
    {
      keyHash: sha256Hex(key),
      requestId: newRequestId(now, deps.random(16)),
      bodyHash,
      acceptedAt: new Date(now).toISOString(),
      expiresAt: realNow + IDEMPOTENCY_TTL_SECONDS,
    },
    realNow,
  );
  if (linked) return storeRequest(deps, body, link.requestId, now);
  if (link.bodyHash !== bodyHash) throw new HttpError(idempotencyKeyReused());
  deps.logger.info('idempotency key retried after an unfinished intake', { requestId: link.requestId });
  return storeRequest(deps, body, link.requestId, Date.parse(link.acceptedAt), { refile: true });
}

/**
 * Step 4: stores a new request `requestId` (RECEIVED, accepted at `acceptedMs`, epoch ms) and its first
 * event unless it is stored already (put-if-absent); returns `requestId`. A request filed at a station
 * (收受分离) is first noted in that station's part of the queue (the competent station is found by the
 * rule check and handles it). A new request is filed for search; with `refile`, an existing one too.
 */
async function storeRequest(
  deps: Deps,
  body: IntakeRequest,
  requestId: string,
  acceptedMs: number,
  options: { refile?: boolean } = {},
): Promise<string> {
  const acceptedAt = new Date(acceptedMs).toISOString();
  if (body.filing?.station)
    await deps.store.putAcceptance({ requestId, station: body.filing.station, acceptedAt });
  const created = await deps.store.createRequest(
    {
      requestId,
      status: 'RECEIVED',
      proof: body.proof,
      input: body,
      accessTokenHash: sha256Hex(deriveAccessToken(deps.config.tokenSecret, requestId)),
      acceptedAt,
      updatedAt: acceptedAt,
      escalationLevel: 0,
      executionName: requestId,
    },
    {
      type: 'RECEIVED',
      actor: body.applicant.kind === 'UNIT' ? 'applicant:unit' : 'applicant',
      detail: { proof: body.proof, askedBy: body.askedBy },
    },
  );
  if (created || options.refile) {
    // Filed for the console's search (keyed hashes of names and ID numbers) before anyone can look, and
    // for lost-link recovery under its applicant's ID number and phone (HMAC keys).
    await fileNewRequest(deps, { requestId, proof: body.proof, acceptedAt, input: body });
  }
  if (created) {
    deps.metrics.addMetric('RequestAccepted', 'Count', 1);
    deps.logger.info('request accepted', { requestId, proof: body.proof, askedBy: body.askedBy });
  }
  return requestId;
}

/**
 * Step 3: runs `accept` once per Idempotency-Key (hashed with SHA-256) for `body`, through Powertools'
 * idempotency on `deps.idempotency()`; a later call with the key returns the first `{ requestId }`.
 * Throws HttpError 422 for the key with another body, 409 (Retry-After: 1) while the first still runs.
 */
async function once(
  deps: Deps,
  accept: (input: { key?: string; body: IntakeRequest }) => Promise<{ requestId: string }>,
  key: string,
  body: IntakeRequest,
  context: Context,
): Promise<string> {
  const idempotent = makeIdempotent(accept, {
    persistenceStore: deps.idempotency(),
    keyPrefix: IDEMPOTENCY_KEY_PREFIX,
    config: new IdempotencyConfig({
      eventKeyJmesPath: 'key',
      payloadValidationJmesPath: 'body',
      expiresAfterSeconds: IDEMPOTENCY_TTL_SECONDS,
      hashFunction: 'sha256',
      lambdaContext: context,
    }),
  });
  try {
    return (await idempotent({ key, body })).requestId;
  } catch (error) {
    if (error instanceof IdempotencyValidationError) throw new HttpError(idempotencyKeyReused());
    if (error instanceof IdempotencyAlreadyInProgressError) {
      throw new HttpError(
        conflict({
          zh: '使用该幂等键的请求仍在处理中，请稍后重试',
          en: 'A request with this Idempotency-Key is still being processed; retry shortly',
        }),
        { 'retry-after': '1' },
      );
    }
    throw error;
  }
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
