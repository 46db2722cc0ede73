/**
 * GET /v1/openapi.json — the OpenAPI 3.1 document of this API (shared/openapi/document.ts), public and
 * cacheable. Built once per function instance from the zod schemas the handlers validate with.
 */
import { openApiDocument } from '#shared/openapi/document.ts';
import { type Deps, defaultDeps, lazyHandler } from '../deps.ts';
import { httpHandler, json } from '../lib/http.ts';

export function createHandler(deps: Deps) {
  const body = openApiDocument();
  return httpHandler(deps, async () => json(200, body, { 'cache-control': 'public, max-age=300' }));
}

export const handler = lazyHandler(() => createHandler(defaultDeps()));
