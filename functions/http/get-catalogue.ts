/**
 * GET /v1/catalogue — every proof kind of the policy version in force today (the stack's clock), issuable
 * or abolished, and every loaded version with its effective date (public, cacheable).
 */
import { catalogueView } from '#shared/policy/catalogue.ts';
import { policyInForce } from '#shared/policy/policy.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json } from '../edge/http.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async () => {
    const body = catalogueView(policyInForce(deps.policies, new Date(deps.clock.now())), deps.policies);
    return json(200, body, { 'cache-control': 'public, max-age=300' });
  });
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
