/**
 * POST /v1/registry/changes — the population registry's change feed: one change (death, hukou
 * cancellation, name or gender change, migration) as the registry recorded it, from the registry's own
 * system (a `REGISTRY` token) or staff (an officer acting for the recording station, or a supervisor).
 * Idempotent by `changeId`: the same change again answers 200 as before; the id with other facts is a 409.
 *
 * Primary course:
 *  1. Require the registry system or staff (401 / 403), validate the body (400; an unknown station is a
 *     400 naming `station`), staff must act for the station (403).
 *  2. Record it and put it in its subscribers' feeds (use-cases/periodic-exchange.ts `recordChange`).
 *  3. Answer 201 (new) or 200 (replay) with how many subscribers it goes to.
 */
import { forbidden, problem, unauthorized } from '#shared/http/problem.ts';
import { makeRegistryChangeSchema } from '#shared/schemas/exchange.ts';
import { type Deps, lazyHandler } from '../deps.ts';
import { actorOf, actsFor, bearerToken, callerOf } from '../edge/auth.ts';
import { HttpError, httpHandler, json, jsonBody, validate } from '../edge/http.ts';
import { staffDeps } from '../edge/staff-deps.ts';
import { recordChange } from '../use-cases/periodic-exchange.ts';

export function createHandler(deps: Deps) {
  const schema = makeRegistryChangeSchema({ now: () => new Date(deps.clock.now()) });
  return httpHandler(deps, async (event) => {
    // 1.
    const token = bearerToken(event);
    const claims = event.requestContext.authorizer?.jwt?.claims;
    if (token === undefined && !claims) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
    const { principal, authenticated } = await callerOf(deps, event, token);
    if (!principal && !authenticated) throw new HttpError(unauthorized(), { 'www-authenticate': 'Bearer' });
    if (!principal || principal.role === 'DEPARTMENT') throw new HttpError(forbidden());
    const { value } = jsonBody(event);
    const change = validate(schema, value);
    const registry = await deps.registry();
    if (!registry.station(change.station)) {
      throw new HttpError(
        problem(400, {
          errors: [
            { path: 'station', message: '户籍登记库中没有该派出所 / no such station in the registry' },
          ],
        }),
      );
    }
    if (principal.role !== 'REGISTRY' && !actsFor(principal, change.station))
      throw new HttpError(forbidden());
    // 2.
    const result = await recordChange(deps, change, actorOf(principal));
    // 3.
    return json(result.replayed ? 200 : 201, {
      changeId: result.change.changeId,
      type: result.change.type,
      recordedAt: result.change.recordedAt,
      subscribers: result.subscribers,
      replayed: result.replayed,
    });
  });
}

export const handler = lazyHandler(() => createHandler(staffDeps()));
