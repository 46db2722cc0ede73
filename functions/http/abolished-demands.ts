/**
 * The abolished-demand tracker (issue 13.3):
 *  - GET /v1/transparency/abolished-demands?month=YYYY-MM — public, aggregate only: per asking body and
 *    kind, how many requests were declined because the kind is abolished or provable by the hukou booklet
 *    (and, once complaints land, upheld ABOLISHED_DEMAND complaints); all time without `month`.
 *  - GET /v1/transparency/abolished-demands/reports/{month} — a supervisor's copy of the monthly report
 *    (schedule/abolished-demand-report.ts), 404 before it is produced.
 */
import { ABOLISHED_DEMAND_OUTCOMES } from '#shared/domain/citizen.ts';
import { notFound } from '#shared/http/problem.ts';
import { MonthSchema } from '#shared/schemas/citizen.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { requireSupervisor } from '../edge/auth.ts';
import { HttpError, httpHandler, json, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { abolishedDemandFigures } from '../use-cases/abolished-demands.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    if (event.routeKey === 'GET /v1/transparency/abolished-demands/reports/{month}') {
      await requireSupervisor(deps, event, {
        zh: '月度报告需要督导员登录',
        en: 'the monthly reports need a supervisor sign-in',
      });
      const month = validate(MonthSchema, event.pathParameters?.month);
      const report = await deps.store.getAbolishedDemandReport(month);
      if (report === undefined) throw new HttpError(notFound());
      return json(200, report);
    }
    const month = event.queryStringParameters?.month;
    const period = month === undefined ? 'ALL' : validate(MonthSchema, month);
    const figures = await abolishedDemandFigures(deps, period);
    return json(
      200,
      { ...figures, outcomes: [...ABOLISHED_DEMAND_OUTCOMES] },
      { 'cache-control': 'public, max-age=60' },
    );
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
