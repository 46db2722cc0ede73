/**
 * POST /v1/exchange/queries?department={CODE} — ad-hoc verification by a connected department, signed
 * with its Standard Webhooks secret. The department is named by the `department` query parameter (or
 * the `x-certflow-department` header).
 *
 * Primary course:
 *  1. Verify the signature (401), validate the body (400), require a connected department (403).
 *  2. De-duplicate on webhook-id (a replay gets the first answer).
 *  3. Answer from the registry (the file with the changes recorded through the change feed laid over it) and keep query and answer as an exchange record (masked subject, the
 *     subject's registration station). A body with a level and region (level-by-level docking, 逐级对接)
 *     is answered by the organ at its level over the subject's region, routed up to the common level and
 *     down again (shared/domain/docking.ts): the record is LEVEL_BY_LEVEL and keeps every hop.
 */

import { newRequestId } from '#shared/certificates/ids-and-codes.ts';
import { dockingRoute } from '#shared/domain/docking.ts';
import { answerExchangeQuery } from '#shared/domain/exchange.ts';
import { maskIdNumber, maskName } from '#shared/domain/id-number.ts';
import { forbidden } from '#shared/http/problem.ts';
import { isConnected, mayAskExchange } from '#shared/policy/policy.ts';
import { makeExchangeQuerySchema } from '#shared/schemas/exchange.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { departmentParam, requireSignedDepartment } from '../edge/auth.ts';
import { answerOnce, claimMessage } from '../edge/dedup.ts';
import { departmentDeps } from '../edge/department-deps.ts';
import { HttpError, httpHandler, jsonBody, validate } from '../edge/http.ts';
import { fileUnderSubjects } from '../use-cases/citizens.ts';
import { registryAsRecorded } from '../use-cases/registry.ts';

export function createHandler(deps: Deps) {
  const schema = makeExchangeQuerySchema({ now: () => new Date(deps.clock.now()) });
  return httpHandler(deps, async (event) => {
    // 1.
    const { raw, value } = jsonBody(event);
    const code = departmentParam(event, { header: true });
    const { department, webhookId } = await requireSignedDepartment(deps, event, code, raw);
    const query = validate(schema, value);
    if (!isConnected(deps.policy, department.code) || !department.connected) throw new HttpError(forbidden());
    if (!mayAskExchange(deps.policy, department.code, query.question)) throw new HttpError(forbidden());
    // 2.
    const claim = await claimMessage(deps, department.code, webhookId);
    if (claim.kind === 'replay') return claim.result;
    // 3.
    return answerOnce(deps, department.code, webhookId, claim, async () => {
      // The registry file with the changes reported through the change feed laid over it.
      const registry = await registryAsRecorded(deps, [
        query.subject.idNumber,
        query.relatedPerson?.idNumber,
      ]);
      // The domain's answer (the same one rule 5 records): masked ID numbers, only what was asked.
      const { answer, source } = answerExchangeQuery(registry, query);
      const registered = registry.person(query.subject.idNumber)?.station;
      const station = registered ? registry.station(registered) : undefined;
      const route = department.level
        ? dockingRoute(
            { level: department.level, ...department.region },
            station ? { city: station.city, county: station.county } : undefined,
            claim.at,
          )
        : undefined;
      const exchangeId = `q_${newRequestId(deps.clock.now(), deps.random(16))}`;
      const subject = {
        ...(query.subject.name ? { name: maskName(query.subject.name) } : {}),
        idNumber: maskIdNumber(query.subject.idNumber),
      };
      const record = await deps.store.putExchangeRecord({
        exchangeId,
        department: department.code,
        origin: 'QUERY',
        mechanism: route ? 'LEVEL_BY_LEVEL' : 'AD_HOC_VERIFICATION',
        question: query.question,
        subject,
        answer,
        source,
        answeredAt: claim.at,
        purpose: query.purpose,
        reference: query.reference,
        ...(station ? { station: station.code } : {}),
        ...(route ? { route } : {}),
      });
      // The data tracker: filed under each person asked about ("who asked about me").
      await fileUnderSubjects(deps, record, [query.subject.idNumber, query.relatedPerson?.idNumber]);
      deps.metrics.addMetric('ExchangeQueryAnswered', 'Count', 1);
      return {
        statusCode: 200,
        body: {
          exchangeId,
          question: query.question,
          answer,
          answeredAt: claim.at,
          source,
          ...(route ? { route } : {}),
        },
      };
    });
  });
}

export const handler = lazyHandler(() => createHandler(departmentDeps()));
