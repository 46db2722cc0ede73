/**
 * GET /v1/exchange/records?department={CODE}&limit=&cursor= — result feedback (结果反馈): a department's
 * exchange records, newest first, paginated. Signed by that department (Standard Webhooks over an empty
 * body), or a department token of it, or an officer / supervisor token.
 */
import { problem } from '#shared/http/problem.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { bearerToken, callerOf, departmentParam, requireSignedDepartment } from '../edge/auth.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { HttpError, type HttpEvent, header, httpHandler, json, limitParam } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

async function authorize(deps: Deps, event: HttpEvent, department: string | undefined): Promise<void> {
  const token = bearerToken(event);
  if (token !== undefined && header(event, 'webhook-signature') === undefined) {
    const { principal } = await callerOf(deps, event, token);
    if (principal?.role === 'OFFICER' || principal?.role === 'SUPERVISOR') return;
    if (principal?.role === 'DEPARTMENT' && principal.department === department) return;
    throw new HttpError(problem(401));
  }
  await requireSignedDepartment(deps, event, department, '');
}

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const q = event.queryStringParameters ?? {};
    const department = departmentParam(event);
    await authorize(deps, event, department);
    const limit = limitParam(q.limit, 20, 100);
    const page = await deps.store.listExchangeRecords(department, {
      limit,
      cursor: q.cursor,
    });
    return json(200, {
      department,
      records: page.items,
      ...(page.cursor
        ? {
            cursor: page.cursor,
            links: {
              next: `/v1/exchange/records?department=${department}&limit=${limit}&cursor=${page.cursor}`,
            },
          }
        : {}),
    });
  });
}

export const handler = lazyHandler(() => createHandler(departmentDeps(staffDeps())));
