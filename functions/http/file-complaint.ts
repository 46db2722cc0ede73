/**
 * POST /v1/complaints — anyone may file a complaint (投诉举报), no sign-in.
 *
 * Primary course:
 *  1. Parse and validate the body (shared/schemas/complaint.ts: the intake field rules); 400 / 413 / 415
 *     store nothing. A `requestId`, `station`, `body` or `certificateKind` that does not exist is a 400.
 *  2. Rate limits (policy data, shared/policy/accountability.json): per phone number (hashed) per day,
 *     and per client address per hour where the handler sees client addresses (`CERTFLOW_RATE_LIMIT` > 0;
 *     behind CloudFront it is 0 and the edge's WAF rule limits addresses). 429 with Retry-After.
 *  3. Store it ACCEPTED, start its workflow (use-cases/complaints.ts).
 *  4. Answer 202 `{ complaintId, accessToken, status, links }`; the token reads its status.
 */
import { sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import { tooManyRequests } from '#shared/http/problem.ts';
import { ComplaintSchema } from '#shared/schemas/complaint.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { HttpError, type HttpEvent, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { fileComplaint } from '../use-cases/complaints.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Counts one hit of `key` in its window; a 429 (Retry-After: the window's end) past `limit`. */
async function limitOrThrow(deps: Deps, key: string, windowMs: number, limit: number): Promise<void> {
  if (limit <= 0) return;
  const now = deps.clock.now();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const expiresAt = Math.floor((windowStart + 2 * windowMs) / 1000);
  if (await deps.store.hitRateLimit(key, windowStart, limit, expiresAt)) return;
  const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
  deps.metrics.addMetric('ComplaintRateLimited', 'Count', 1);
  throw new HttpError(tooManyRequests(retryAfter), { 'retry-after': String(retryAfter) });
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event: HttpEvent) => {
    // 1.
    const { value } = jsonBody(event);
    const body = validate(ComplaintSchema, value);
    const limits = deps.accountabilityPolicy.limits;
    // 2. + 3. (the limits run after the reference checks, so a 400 counts nothing)
    const { complaintId, accessToken } = await fileComplaint(deps, body, async () => {
      await limitOrThrow(
        deps,
        `complaint-phone:${sha256Hex(body.contact.phone)}`,
        DAY,
        limits.complaintsPerPhonePerDay,
      );
      if (deps.config.rateLimitPerMinute > 0)
        await limitOrThrow(
          deps,
          `complaint-address:${event.requestContext.http.sourceIp}`,
          HOUR,
          limits.complaintsPerAddressPerHour,
        );
    });
    // 4.
    const self = `${deps.config.publicBaseUrl}/v1/complaints/${complaintId}`;
    return json(
      202,
      { complaintId, accessToken, status: 'ACCEPTED', links: { self } },
      { location: `/v1/complaints/${complaintId}` },
    );
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
