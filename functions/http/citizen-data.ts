/**
 * What a signed-in citizen sees (bearer: the session of POST /v1/citizen/sessions):
 *  - GET /v1/citizen/exchange-records?cursor= — the data tracker ("who asked about me", after Estonia's
 *    andmejälgija): every exchange record about the person — which body asked, when, for what purpose (a
 *    purpose that is none of the policy's is shown as such), what was answered, under which rule. Newest first.
 *  - GET /v1/citizen/requests — lost-link recovery: the requests filed with this ID number and phone, each
 *    with a fresh status link (`/requests/{id}#token=…`).
 */
import { deriveAccessToken } from '#shared/certificates/ids-and-codes.ts';
import { dataTrackerEntry } from '#shared/domain/citizen.ts';
import { kindOf } from '#shared/policy/policy.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { bearerToken } from '../edge/auth.ts';
import { httpHandler, json, limitParam } from '../edge/http.ts';
import { citizenSessionOf } from '../use-cases/citizens.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async (event) => {
    const session = citizenSessionOf(deps, bearerToken(event));
    const noStore = { 'cache-control': 'no-store' };
    if (event.routeKey === 'GET /v1/citizen/requests') {
      const links = await deps.store.listCitizenRequests(session.citizen, session.phone);
      const requests = [];
      for (const link of links) {
        const request = await deps.store.getRequest(link.requestId);
        if (request === undefined) continue;
        const accessToken = deriveAccessToken(deps.config.tokenSecret, link.requestId);
        requests.push({
          requestId: link.requestId,
          proof: link.proof,
          kindName: kindOf(deps.policy, request.proof)?.name ?? { zh: link.proof, en: link.proof },
          acceptedAt: link.acceptedAt,
          status: request.status,
          accessToken,
          statusLink: `${deps.config.publicBaseUrl}/requests/${link.requestId}#token=${encodeURIComponent(accessToken)}`,
        });
      }
      return json(200, { requests }, noStore);
    }
    const q = event.queryStringParameters ?? {};
    const page = await deps.store.listCitizenExchanges(session.citizen, {
      limit: limitParam(q.limit, 50, 100),
      ...(q.cursor ? { cursor: q.cursor } : {}),
    });
    const entries = page.items.map((r) => dataTrackerEntry(deps.policy, r));
    return json(
      200,
      {
        entries,
        withoutLegalPurpose: entries.filter((e) => !e.purpose.legal).length,
        ...(page.cursor ? { cursor: page.cursor } : {}),
      },
      noStore,
    );
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
