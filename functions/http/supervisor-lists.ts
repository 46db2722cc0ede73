/**
 * The supervisor's lists (signed-in supervisor; 401 / 403 otherwise), one function for three read-only
 * routes:
 * - GET /v1/complaints[?status=ASSIGNED|ESCALATED|ACCEPTED|UPHELD|NOT_UPHELD] — complaints by deadline
 *   (concluded ones: newest finish first); without `status` the waiting ones (ASSIGNED, ESCALATED).
 *   Contacts masked: the whole complaint is one GET away (GET /v1/complaints/{id}).
 * - GET /v1/reviews — ratings at or below the policy's threshold (好差评 差评), open for review.
 * - GET /v1/accountability?officer=… — an officer's accountability records (upheld complaints), newest
 *   first, and their rating figures (count, average); `?body=CODE` instead: an asking body's records (upheld
 *   ABOLISHED_DEMAND complaints).
 */
import {
  COMPLAINT_STATUSES,
  type ComplaintStatus,
  complaintView,
  isComplaintFinal,
} from '#shared/domain/complaint.ts';
import { problem } from '#shared/http/problem.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireSupervisor } from '../edge/auth.ts';
import { HttpError, type HttpEvent, httpHandler, json, limitParam } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

function badParam(path: string, zh: string, en: string): HttpError {
  return new HttpError(problem(400, { errors: [{ path, message: `${zh} / ${en}` }] }));
}

async function complaints(deps: Deps, event: HttpEvent) {
  const q = event.queryStringParameters ?? {};
  const limit = limitParam(q.limit, 50, 200);
  if (q.status !== undefined && !(COMPLAINT_STATUSES as readonly string[]).includes(q.status))
    throw badParam('status', '状态不对', `status must be one of ${COMPLAINT_STATUSES.join(', ')}`);
  const statuses: ComplaintStatus[] = q.status ? [q.status as ComplaintStatus] : ['ASSIGNED', 'ESCALATED'];
  const items = [];
  let cursor: string | undefined;
  for (const status of statuses) {
    const page = await deps.accountability.listComplaints(status, {
      limit,
      ...(q.cursor && q.status ? { cursor: q.cursor } : {}),
    });
    items.push(...page.items);
    if (q.status) cursor = page.cursor;
  }
  // Concluded complaints come newest finish first, page after page (the store's order); the rest by deadline.
  if (!statuses.every(isComplaintFinal))
    items.sort((a, b) => (a.deadline ?? a.acceptedAt).localeCompare(b.deadline ?? b.acceptedAt));
  const now = new Date(deps.clock.now()).toISOString();
  return {
    items: items.map((c) => {
      const { history: _history, ...view } = complaintView(c, { staff: true });
      return {
        ...view,
        overdue: c.deadline !== undefined && c.deadline < now,
        links: { self: `/v1/complaints/${c.complaintId}` },
      };
    }),
    ...(cursor ? { cursor } : {}),
  };
}

async function reviews(deps: Deps, event: HttpEvent) {
  const q = event.queryStringParameters ?? {};
  const page = await deps.accountability.listOpenReviews({
    limit: limitParam(q.limit, 50, 200),
    ...(q.cursor ? { cursor: q.cursor } : {}),
  });
  return {
    items: page.items.map((r) => ({
      requestId: r.requestId,
      score: r.score,
      text: r.text,
      at: r.at,
      ...(r.station ? { station: r.station } : {}),
      ...(r.officer ? { officer: r.officer } : {}),
      links: { request: `/v1/requests/${r.requestId}` },
    })),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

async function accountability(deps: Deps, event: HttpEvent) {
  const q = event.queryStringParameters ?? {};
  const officer = q.officer?.trim() ?? '';
  const options = { limit: limitParam(q.limit, 50, 200), ...(q.cursor ? { cursor: q.cursor } : {}) };
  if (officer === '' && q.body !== undefined) {
    // An asking body's records: upheld ABOLISHED_DEMAND complaints (the abolished-demand tracker's input).
    if (!/^[A-Z][A-Z0-9_]{1,59}$/.test(q.body)) throw badParam('body', '单位代码格式不对', 'not a body code');
    const page = await deps.accountability.listAccountability({ body: q.body! }, options);
    return { body: q.body, records: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) };
  }
  if (officer.length < 1 || officer.length > 100)
    throw badParam(
      'officer',
      '请用?officer=指明民警（或?body=单位代码）',
      'name the officer: ?officer=… (or ?body=CODE)',
    );
  const page = await deps.accountability.listAccountability({ officer }, options);
  const ratings = await deps.accountability.officerRatings(officer);
  const count = ratings.reduce((n, r) => n + r.count, 0);
  const sum = ratings.reduce((s, r) => s + r.score * r.count, 0);
  const threshold = deps.accountabilityPolicy.rating.reviewAtOrBelow;
  return {
    officer,
    records: page.items,
    ratings: {
      count,
      average: count > 0 ? Math.round((sum / count) * 100) / 100 : null,
      poor: ratings.filter((r) => r.score <= threshold).reduce((n, r) => n + r.count, 0),
    },
    ...(page.cursor ? { cursor: page.cursor } : {}),
  };
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    await requireSupervisor(deps, event);
    const route = event.routeKey;
    if (route === 'GET /v1/reviews') return json(200, await reviews(deps, event));
    if (route === 'GET /v1/accountability') return json(200, await accountability(deps, event));
    return json(200, await complaints(deps, event));
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
