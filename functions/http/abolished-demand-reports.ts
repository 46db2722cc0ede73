/**
 * GET /v1/transparency/abolished-demands/reports/{month} — the supervisors' copy of a month's
 * abolished-demand report (schedule/abolished-demand-report.ts): the report, its SHA-256 digest (what
 * every signed copy to the bodies carried) and who it went to. Supervisor sign-in (401 otherwise); 404
 * before the report of that month is produced.
 */
import { notFound } from '#shared/http/problem.ts';
import { MonthParamSchema } from '#shared/schemas/citizen.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireSupervisorSignIn } from '../edge/auth.ts';
import { HttpError, httpHandler, json, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    await requireSupervisorSignIn(deps, event, {
      zh: '月度报告需要督导员登录',
      en: 'the monthly reports need a supervisor sign-in',
    });
    const month = validate(MonthParamSchema, { month: event.pathParameters?.month }).month;
    const report = await deps.store.getAbolishedDemandReport(month);
    if (report === undefined) throw new HttpError(notFound());
    return json(200, report);
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
