/**
 * Credentials at the edge: bearer tokens (a request's access token, or an officer's / supervisor's /
 * department's token, all stored as SHA-256 hashes), on AWS officers' and supervisors' Cognito JWTs
 * (staff.ts), and Standard Webhooks signatures of departments.
 */

import { hashesEqual, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import type { DepartmentConfig } from '#shared/config/departments.ts';
import type { Bilingual } from '#shared/domain/types.ts';
import { notFound, problem, unauthorized } from '#shared/http/problem.ts';
import type { Principal, RequestRecord } from '#shared/store/model.ts';
import { verify, WebhookVerificationError } from '#shared/webhooks/signature.ts';
import type { Deps } from '../deps.ts';
import { departmentsOf } from './departments.ts';
import { HttpError, type HttpEvent, header } from './http.ts';

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Three base64url segments: a JWT to verify, not an opaque token to look up. */
export function looksLikeJwt(token: string): boolean {
  return JWT_SHAPE.test(token);
}

/** A Cognito JWT is longer than an opaque token (≈ 1 KB and more with many groups). */
const JWT_BEARER = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;

export function bearerToken(event: HttpEvent): string | undefined {
  const value = header(event, 'authorization');
  if (value === undefined) return undefined;
  const match =
    value.match(/^Bearer\s+([\x21-\x7e]{8,200})$/i) ??
    (value.length <= 8192 ? value.match(JWT_BEARER) : null);
  return match?.[1];
}

/** The officer, supervisor or department a bearer token belongs to. */
export async function principalOf(deps: Deps, token: string | undefined): Promise<Principal | undefined> {
  if (token === undefined) return undefined;
  return deps.store.getPrincipal(sha256Hex(token));
}

/**
 * Who is calling, by the strongest evidence the event has: the claims API Gateway's JWT authorizer
 * verified (AWS, staff routes), a bearer JWT verified here against the user pool (AWS, routes without a
 * gateway authorizer), else the opaque token of the table (local stack, `staffAuth=tokens`, departments).
 * `authenticated` tells a valid identity that is not staff (403) from no identity (401).
 */
export async function callerOf(
  deps: Deps,
  event: HttpEvent,
  token: string | undefined,
): Promise<{ principal: Principal | undefined; authenticated: boolean }> {
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (deps.staff && claims) return { principal: await deps.staff.fromClaims(claims), authenticated: true };
  if (deps.staff && token !== undefined && looksLikeJwt(token)) {
    const principal = await deps.staff.fromJwt(token);
    return { principal, authenticated: principal !== undefined };
  }
  const principal = await principalOf(deps, token);
  return { principal, authenticated: principal !== undefined };
}

export function actsFor(principal: Principal, station: string | undefined): boolean {
  return principal.stations.includes('*') || (station !== undefined && principal.stations.includes(station));
}

export function actorOf(principal: Principal): string {
  return `${principal.role.toLowerCase()}:${principal.name}`;
}

/** Requires an officer or supervisor token (401 without one, 403 for another kind). */
export async function requireStaff(deps: Deps, event: HttpEvent): Promise<Principal> {
  const token = bearerToken(event);
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (token === undefined && !claims) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
  const { principal, authenticated } = await callerOf(deps, event, token);
  if (!principal && authenticated) throw new HttpError(problem(403));
  if (!principal) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
  if (principal.role !== 'OFFICER' && principal.role !== 'SUPERVISOR') throw new HttpError(problem(403));
  return principal;
}

/** Requires a supervisor: 401 without a staff token, 403 for an officer (or any other identity). */
export async function requireSupervisor(deps: Deps, event: HttpEvent): Promise<Principal> {
  const principal = await requireStaff(deps, event);
  if (principal.role !== 'SUPERVISOR')
    throw new HttpError(
      problem(403, { detail: { zh: '需要督导员登录', en: 'this needs a supervisor sign-in' } }),
    );
  return principal;
}

/**
 * May the bearer see this request? Its own access token, or staff acting for its station.
 * Anything else is a 404 (docs/api.md: a request the caller may not see is unknown).
 */
export async function requireRequestAccess(deps: Deps, event: HttpEvent, request: RequestRecord | undefined) {
  const token = bearerToken(event);
  if (token === undefined) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
  if (request && hashesEqual(sha256Hex(token), request.accessTokenHash))
    return { kind: 'applicant' as const };
  const { principal } = await callerOf(deps, event, token);
  if (!principal && !request) throw new HttpError(notFound());
  if (!principal) throw new HttpError(notFound());
  if (!request) throw new HttpError(notFound());
  // 收受分离: staff of the station where it was filed see it too.
  const filedAt = (request.input as { filing?: { station?: string } } | undefined)?.filing?.station;
  if (
    principal.role === 'DEPARTMENT' ||
    principal.role === 'REGISTRY' ||
    !(actsFor(principal, request.station) || (filedAt !== undefined && actsFor(principal, filedAt)))
  )
    throw new HttpError(notFound());
  return { kind: 'staff' as const, principal };
}

const DEPARTMENT_CODE = /^[A-Z][A-Z_]{1,39}$/;

/** A `webhook-id` we keep (dedup key): 1–255 visible ASCII characters (Standard Webhooks ids are short). */
export const WEBHOOK_ID = /^[\x21-\x7e]{1,255}$/;

/**
 * The department a query names (`?department=CODE`, or the `x-certflow-department` header where the route
 * allows it): required, else a 400 naming `department` — never an empty answer. Named both ways with two
 * different codes is a 400 as well: the call must say which department it is.
 */
export function departmentParam(event: HttpEvent, options: { header?: boolean } = {}): string {
  const fromQuery = event.queryStringParameters?.department;
  const fromHeader = options.header ? header(event, 'x-certflow-department') : undefined;
  if (fromQuery !== undefined && fromHeader !== undefined && fromQuery !== fromHeader) {
    throw new HttpError(
      problem(400, {
        errors: [
          {
            path: 'department',
            message:
              '?department=与x-certflow-department指明了不同的部门 / ?department= and x-certflow-department name different departments',
          },
        ],
      }),
    );
  }
  const code = fromQuery ?? fromHeader;
  if (code === undefined || code === '') {
    throw new HttpError(
      problem(400, {
        errors: [
          {
            path: 'department',
            message: '必须用?department=部门代码指明部门 / name the department: ?department=CODE',
          },
        ],
      }),
    );
  }
  return code;
}

/** Verifies a department's signed message; 401 for an unknown department or any signature problem. */
export async function requireSignedDepartment(
  deps: Deps,
  event: HttpEvent,
  department: string | undefined,
  body: string,
): Promise<{ department: DepartmentConfig; webhookId: string }> {
  const fail = (detail: { zh: string; en: string }) =>
    new HttpError(problem(401, { type: '/problems/bad-signature', detail }));
  if (department === undefined || !DEPARTMENT_CODE.test(department)) {
    throw fail({ zh: '未知的部门', en: 'unknown department' });
  }
  const config = await departmentsOf(deps).get(department);
  if (!config || config.secrets.length === 0) throw fail({ zh: '未知的部门', en: 'unknown department' });
  try {
    const { id } = verify(config.secrets, event.headers, body, deps.clock);
    if (!WEBHOOK_ID.test(id)) {
      throw new HttpError(
        problem(400, {
          errors: [
            {
              path: 'webhook-id',
              message:
                'webhook-id须为1–255个可见ASCII字符 / webhook-id must be 1–255 visible ASCII characters',
            },
          ],
        }),
      );
    }
    return { department: config, webhookId: id };
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      const stale = error.problem === 'STALE_TIMESTAMP' || error.problem === 'FUTURE_TIMESTAMP';
      throw fail(
        stale
          ? {
              zh: '签名时间戳超出5分钟窗口',
              en: `webhook-timestamp outside the 5-minute window (${error.problem})`,
            }
          : { zh: '签名无效或缺少签名头', en: `signature not valid (${error.problem})` },
      );
    }
    throw error;
  }
}

/** 401 (with `WWW-Authenticate: Bearer`, `detail` saying why) unless the bearer is a supervisor. */
export async function requireSupervisorSignIn(
  deps: Deps,
  event: HttpEvent,
  detail: Bilingual,
): Promise<void> {
  const token = bearerToken(event);
  const claims = event.requestContext.authorizer?.jwt?.claims;
  const { principal } =
    token === undefined && !claims ? { principal: undefined } : await callerOf(deps, event, token);
  if (principal?.role !== 'SUPERVISOR')
    throw new HttpError(problem(401, { detail }), { 'www-authenticate': 'Bearer' });
}
