/**
 * GET /v1/openapi.json — the OpenAPI 3.1 document of this API, public and cacheable. It serves the
 * committed shared/openapi/openapi.json, which `npm run openapi` generates from the zod schemas
 * (shared/openapi/document.ts) and tests/unit/openapi/document.test.ts keeps up to date: the Lambda bundle
 * carries the JSON (≈ 36 KB) instead of the generator, and nothing is computed at cold start.
 */
import document from '#shared/openapi/openapi.json' with { type: 'json' };
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json } from '../edge/http.ts';

export function createHandler(deps: Deps) {
  return httpHandler(deps, async () => json(200, document, { 'cache-control': 'public, max-age=300' }));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
