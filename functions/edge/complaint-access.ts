/**
 * Who may see a complaint: its own access token (the complainant), or a supervisor acting for its station
 * (the assigned supervisor level; a supervisor acts for `*`). Officers never see complaints — one may be
 * about them. Anything else is a 404, like a complaint that does not exist (the requests' rule, auth.ts).
 */
import { hashesEqual, sha256Hex } from '#shared/certificates/ids-and-codes.ts';
import type { ComplaintRecord } from '#shared/domain/complaint.ts';
import { notFound, unauthorized } from '#shared/http/problem.ts';
import type { Principal } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';
import { actsFor, bearerToken, callerOf } from './auth.ts';
import { HttpError, type HttpEvent } from './http.ts';

/** The shape of a complaint id in a path (anything else is a 404 without a read). */
export const COMPLAINT_ID = /^[0-9A-Za-z_-]{1,100}$/;

export async function requireComplaintAccess(
  deps: Deps,
  event: HttpEvent,
  complaint: ComplaintRecord | undefined,
): Promise<{ kind: 'complainant' } | { kind: 'supervisor'; principal: Principal }> {
  const token = bearerToken(event);
  const claims = event.requestContext.authorizer?.jwt?.claims;
  if (token === undefined && !claims) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
  if (complaint && token !== undefined && hashesEqual(sha256Hex(token), complaint.accessTokenHash))
    return { kind: 'complainant' };
  const { principal } = await callerOf(deps, event, token);
  if (
    !complaint ||
    !principal ||
    principal.role !== 'SUPERVISOR' ||
    !actsFor(principal, complaint.station ?? '*')
  )
    throw new HttpError(notFound());
  return { kind: 'supervisor', principal };
}
