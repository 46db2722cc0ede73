/**
 * GET /v1/stations/{station}/queue — the officer console's work list: the station's open investigations
 * (INVESTIGATING, ESCALATED), by deadline, through the byOwner index. Officer / supervisor token acting
 * for the station. Names and ID numbers are masked; the full request is one GET away. On the first page,
 * `accepted`: requests filed here and handled at the competent station (收受分离, role ACCEPTING; the
 * items above have role HANDLING), and `checks`: the registry checks disputed exchange answers opened at the station (结果反馈), oldest first.
 */
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import { forbidden } from '#shared/http/problem.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actsFor, requireStaff } from '../edge/auth.ts';
import { HttpError, httpHandler, json, limitParam, withCursor } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

/**
 * 收受分离: the requests filed at this station (newest first, first page only), each with its role here
 * (ACCEPTING), the competent station that handles it, its status and where it is collected.
 */
async function acceptedHere(deps: Deps, station: string) {
  const entries = await deps.store.listAccepted(station, { limit: 50 });
  const requests = await Promise.all(entries.map((e) => deps.store.getRequest(e.requestId)));
  return requests.flatMap((r) => {
    if (!r) return [];
    const input = r.input as { subject: { name: string; idNumber: string }; filing?: { collectAt?: string } };
    return [
      {
        requestId: r.requestId,
        role: 'ACCEPTING' as const,
        proof: r.proof,
        status: r.status,
        acceptedAt: r.acceptedAt,
        ...(r.station ? { handlingStation: r.station } : {}),
        collectAt: input.filing?.collectAt ?? station,
        ...(r.deadline ? { deadline: r.deadline } : {}),
        subject: { name: maskName(input.subject.name), idNumber: maskIdNumber(input.subject.idNumber) },
        links: { self: `/v1/requests/${r.requestId}` },
      },
    ];
  });
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const principal = await requireStaff(deps, event);
    const station = event.pathParameters?.station ?? '';
    if (!actsFor(principal, station)) throw new HttpError(forbidden());
    const q = event.queryStringParameters ?? {};
    const limit = limitParam(q.limit, 50, 200);
    const page = await withCursor(() =>
      deps.store.listStationQueue(station, {
        limit,
        ...(q.cursor ? { cursor: q.cursor } : {}),
      }),
    );
    const now = new Date(deps.clock.now()).toISOString();
    const checks = q.cursor ? [] : await deps.exchange.listStationChecks(station);
    const accepted = q.cursor ? [] : await acceptedHere(deps, station);
    return json(200, {
      station,
      items: page.items.map((r) => {
        const input = r.input as {
          subject: { name: string; idNumber: string };
          askedBy?: string;
          purpose?: { code?: string };
        };
        return {
          requestId: r.requestId,
          role: 'HANDLING' as const,
          proof: r.proof,
          status: r.status,
          acceptedAt: r.acceptedAt,
          deadline: r.deadline,
          deadlineProvisional: r.deadlineProvisional === true,
          overdue: r.deadline !== undefined && r.deadline < now,
          warned: r.warnedFor !== undefined && r.warnedFor === r.deadline,
          escalationLevel: r.escalationLevel,
          askedBy: input.askedBy,
          purpose: input.purpose?.code,
          subject: { name: maskName(input.subject.name), idNumber: maskIdNumber(input.subject.idNumber) },
          reason: r.decision?.reason,
          waiting: r.taskToken !== undefined,
          links: { self: `/v1/requests/${r.requestId}`, findings: `/v1/requests/${r.requestId}/findings` },
        };
      }),
      ...(page.cursor ? { cursor: page.cursor } : {}),
      ...(accepted.length > 0 ? { accepted } : {}),
      ...(checks.length > 0 ? { checks } : {}),
    });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
