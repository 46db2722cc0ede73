/** GET /v1/catalogue — every proof kind of the policy, issuable or abolished (public, cacheable). */
import { catalogueView } from '#shared/policy/policy.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json } from '../edge/http.ts';

export function createHandler(deps: Deps) {
  const body = catalogueView(deps.policy);
  return httpHandler(deps, async () => json(200, body, { 'cache-control': 'public, max-age=300' }));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
