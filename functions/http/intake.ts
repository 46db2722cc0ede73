/**
 * POST /v1/requests — intake.
 *
 * Primary course:
 *  1. Parse and validate the body (415 / 400 / 413; nothing is stored for a bad request).
 *  2. Count the request against the client address's limit (429 with Retry-After past it).
 *  3. With an Idempotency-Key: claim it for this body's hash; the same key with the same body answers
 *     the first request again, with another body 422.
 *  4. Store the request (RECEIVED, version 1, the access token only as a hash) and its first event.
 *  5. Start the workflow execution named after the request (idempotent). If that fails the request is
 *     still accepted: the deadline sweeper starts the workflow of any request left RECEIVED.
 *  6. Answer 202 with the request id and the access token.
 */
import type { Context } from 'aws-lambda';
import { deriveAccessToken, newRequestId, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { idempotencyKeyReused, problem, tooManyRequests } from '#shared/http/problem.ts';
import { policyInForce } from '#shared/policy/policy.ts';
import { makeIntakeRequestSchema } from '#shared/schemas/intake.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { HttpError, type HttpEvent, header, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { notifyApplicant } from '../use-cases/notify.ts';
import { startWorkflow } from '../use-cases/workflow.ts';

const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
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
  return httpHandler(deps, async (event: HttpEvent, _context: Context) => {
    // 1. Validated against the version in force today (the day of acceptance).
    const { value } = jsonBody(event);
    const inForce = policyInForce(deps.policies, new Date(deps.clock.now()));
    const body = validate(schemas.get(inForce.policyVersion) ?? makeIntakeRequestSchema(inForce), value);
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
    // 3.
    let requestId = newRequestId(now, deps.random(16));
    if (key !== undefined) {
      const bodyHash = sha256Hex(JSON.stringify(body));
      const claim = await deps.store.claimIdempotencyKey(
        { key: sha256Hex(key), bodyHash, requestId, createdAt: new Date(now).toISOString() },
        Math.floor(now / 1000) + IDEMPOTENCY_TTL_SECONDS,
      );
      if (!claim.claimed) {
        if (claim.existing.bodyHash !== bodyHash) throw new HttpError(idempotencyKeyReused());
        requestId = claim.existing.requestId;
      }
    }
    // 4.
    const accessToken = deriveAccessToken(deps.config.tokenSecret, requestId);
    const acceptedAt = new Date(now).toISOString();
    const created = await deps.store.createRequest(
      {
        requestId,
        status: 'RECEIVED',
        proof: body.proof,
        input: body,
        accessTokenHash: sha256Hex(accessToken),
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
    // 5.
    if (created) {
      deps.metrics.addMetric('RequestAccepted', 'Count', 1);
      deps.logger.info('request accepted', { requestId, proof: body.proof, askedBy: body.askedBy });
      await notifyApplicant(deps, { requestId, input: body, acceptedAt }, 'accepted');
    }
    await startWorkflow(deps, requestId, requestId);
    // 6.
    return json(
      202,
      { requestId, accessToken, status: 'RECEIVED', links: requestLinks(deps, requestId) },
      { location: `/v1/requests/${requestId}` },
    );
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
