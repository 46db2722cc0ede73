/**
 * POST /v1/exchange/queries?department={CODE} — ad-hoc verification by a connected department, signed
 * with its Standard Webhooks secret. The department is named by the `department` query parameter (or
 * the `x-certflow-department` header).
 *
 * Primary course:
 *  1. Verify the signature (401), validate the body (400), require a connected department (403).
 *  2. De-duplicate on webhook-id (a replay gets the first answer).
 *  3. Answer from the registry and keep query and answer as an exchange record (masked subject).
 */

import { newRequestId } from '#shared/certificates/certificates.ts';
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import { conflict, forbidden } from '#shared/http/problem.ts';
import { isConnected } from '#shared/policy/policy.ts';
import { ExchangeQuerySchema } from '#shared/schemas/intake.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { requireSignedDepartment } from '../lib/auth.ts';
import { answerQuestion } from '../lib/exchange-answers.ts';
import { HttpError, header, httpHandler, json, jsonBody, validate } from '../lib/http.ts';

const TTL_SECONDS = 7 * 24 * 3600;

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    // 1.
    const { raw, value } = jsonBody(event);
    const code = event.queryStringParameters?.department ?? header(event, 'x-certflow-department');
    const { department, webhookId } = await requireSignedDepartment(deps, event, code, raw);
    const query = validate(ExchangeQuerySchema, value);
    if (!isConnected(deps.policy, department.code) || !department.connected) throw new HttpError(forbidden());
    // 2.
    const now = deps.clock.now();
    const at = new Date(now).toISOString();
    const claim = await deps.store.claimWebhook(
      department.code,
      webhookId,
      at,
      Math.floor(now / 1000) + TTL_SECONDS,
    );
    if (!claim.claimed) {
      if (claim.existing.state === 'DONE' && claim.existing.response) {
        return json(claim.existing.response.statusCode, claim.existing.response.body, {
          'webhook-replayed': 'true',
        });
      }
      throw new HttpError(conflict({ zh: '该消息正在处理中', en: 'this message is being processed' }));
    }
    // 3.
    try {
      const registry = await deps.registry();
      const answer = answerQuestion(
        registry,
        query.question,
        query.subject.idNumber,
        query.relatedPerson?.idNumber,
      );
      const exchangeId = `q_${newRequestId(now, deps.random(16))}`;
      const subject = {
        ...(query.subject.name ? { name: maskName(query.subject.name) } : {}),
        idNumber: maskIdNumber(query.subject.idNumber),
      };
      await deps.store.putExchangeRecord({
        exchangeId,
        department: department.code,
        origin: 'QUERY',
        mechanism: 'AD_HOC_VERIFICATION',
        question: query.question,
        subject,
        answer,
        source: 'population-registry',
        answeredAt: at,
        purpose: query.purpose,
        reference: query.reference,
      });
      const body = {
        exchangeId,
        question: query.question,
        answer,
        answeredAt: at,
        source: 'population-registry',
      };
      await deps.store.completeWebhook(
        department.code,
        webhookId,
        { statusCode: 200, body },
        at,
        Math.floor(now / 1000) + TTL_SECONDS,
      );
      deps.metrics.addMetric('ExchangeQueryAnswered', 'Count', 1);
      return json(200, body);
    } catch (error) {
      await deps.store.releaseWebhook(department.code, webhookId);
      throw error;
    }
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
