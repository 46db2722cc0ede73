/**
 * GET /v1/transparency/abolished-demands?month=YYYY-MM — the abolished-demand tracker (issue 13.3), public
 * and aggregate only: per asking body and kind, how many requests were declined because the kind is
 * abolished or provable by the hukou booklet (and upheld ABOLISHED_DEMAND complaints, once complaints
 * land: `countUpheldAbolishedDemandComplaint`); all time without `month`. The supervisors' monthly
 * reports: abolished-demand-reports.ts.
 */
import { ABOLISHED_DEMAND_OUTCOMES } from '#shared/domain/citizen.ts';
import { MonthParamSchema } from '#shared/schemas/citizen.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json, validate } from '../edge/http.ts';
import { abolishedDemandFigures } from '../use-cases/abolished-demands.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const month = event.queryStringParameters?.month;
    const period = month === undefined ? 'ALL' : validate(MonthParamSchema, { month }).month;
    const figures = await abolishedDemandFigures(deps, period);
    return json(
      200,
      { ...figures, outcomes: [...ABOLISHED_DEMAND_OUTCOMES] },
      { 'cache-control': 'public, max-age=60' },
    );
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
