/**
 * POST /v1/exchange/records/{exchangeId}/feedback?department=CODE — result feedback (结果反馈) from the
 * body that received an answer: `{ outcome: 'ACCEPTED' }` or `{ outcome: 'DISPUTED', reason }`. Signed by
 * that body (Standard Webhooks); another body's record is a 404. A dispute opens a check at the subject's
 * registration station, shown in that station's queue (GET /v1/stations/{station}/queue, `checks`).
 * The same feedback again answers the same; other feedback after the first is a 409.
 */
import { FeedbackBodySchema } from '#shared/schemas/exchange.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentParam, requireSignedDepartment } from '../edge/auth.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { giveFeedback } from '../use-cases/exchange-feedback.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const { raw, value } = jsonBody(event);
    const code = departmentParam(event, { header: true });
    const { department } = await requireSignedDepartment(deps, event, code, raw);
    const body = validate(FeedbackBodySchema, value);
    const exchangeId = event.pathParameters?.exchangeId ?? '';
    return json(200, await giveFeedback(deps, department.code, exchangeId, body));
  });
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
