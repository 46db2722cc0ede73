/**
 * The OpenAPI document: valid OpenAPI 3.1, the same routes as the function list (method, path and
 * who may call), and the committed shared/openapi/openapi.json and shared/openapi/api-types.ts up to date.
 */
import { readFile } from 'node:fs/promises';
import { compileErrors, validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { type FunctionSpec, functions } from '#functions/function-list.ts';
import { openApiDocument } from '#shared/openapi/document.ts';
import { DOCUMENT_FILE, renderOpenApiFiles, TYPES_FILE } from '#shared/openapi/generate.ts';

type Operation = { security?: Record<string, string[]>[]; responses?: Record<string, unknown> };
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

function documentRoutes(doc: ReturnType<typeof openApiDocument>): Map<string, Operation> {
  const routes = new Map<string, Operation>();
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, Operation | undefined>)[method];
      if (op) routes.set(`${method.toUpperCase()} ${path}`, op);
    }
  }
  return routes;
}

function functionListRoutes(): Map<string, 'public' | 'token' | 'signed' | 'citizen'> {
  const routes = new Map<string, 'public' | 'token' | 'signed' | 'citizen'>();
  for (const spec of functions as readonly FunctionSpec[]) {
    if (spec.trigger.kind !== 'http') continue;
    for (const route of spec.trigger.routes) routes.set(route, spec.trigger.auth);
  }
  return routes;
}

describe('the OpenAPI document', () => {
  const doc = openApiDocument();

  it('validates as OpenAPI 3.1 (@readme/openapi-parser)', async () => {
    expect(doc.openapi).toBe('3.1.0');
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.specification).toBe('OpenAPI');
  });

  it('the validator rejects a broken document (the check can fail)', async () => {
    const broken = structuredClone(doc) as unknown as Record<string, unknown>;
    const paths = broken.paths as Record<string, Record<string, { responses?: unknown }>>;
    // An operation without responses and a path parameter missing from the path are both errors.
    delete paths['/v1/catalogue']!.get!.responses;
    paths['/v1/stations/{station}/queue'] = { get: paths['/v1/catalogue']!.get! };
    const result = await validate(broken as never);
    expect(result.valid).toBe(false);
  });

  it('has exactly the HTTP routes of the function list, same method and path', () => {
    expect([...documentRoutes(doc).keys()].sort()).toEqual([...functionListRoutes().keys()].sort());
  });

  it("says who may call each route as the registry's auth does", () => {
    const ops = documentRoutes(doc);
    for (const [route, auth] of functionListRoutes()) {
      const schemes = (ops.get(route)?.security ?? []).flatMap((s) => Object.keys(s));
      if (auth === 'public') expect(schemes, route).toEqual([]);
      // A token route takes a staff token, or only the citizen's own access token (rating a request).
      if (auth === 'token')
        expect(
          schemes.filter((x) => x === 'staffToken' || x === 'accessToken'),
          route,
        ).not.toEqual([]);
      if (auth === 'signed') expect(schemes, route).toContain('departmentSignature');
      if (auth === 'citizen') expect(schemes, route).toEqual(['citizenSession']);
    }
  });

  it('answers every error with problem+json and names the security schemes and webhooks', () => {
    for (const [route, op] of documentRoutes(doc)) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (Number(status) < 400) continue;
        const content = (response as { content?: Record<string, unknown> }).content ?? {};
        expect(Object.keys(content), `${route} ${status}`).toEqual(['application/problem+json']);
      }
    }
    expect(Object.keys(doc.components?.securitySchemes ?? {}).sort()).toEqual([
      'accessToken',
      'citizenSession',
      'departmentSignature',
      'staffToken',
    ]);
    expect(Object.keys(doc.webhooks ?? {})).toEqual(['departmentDelivery', 'changesDelivery']);
  });

  it('the committed shared/openapi/openapi.json and shared/openapi/api-types.ts are up to date (npm run openapi)', async () => {
    const { document, types } = await renderOpenApiFiles();
    expect(await readFile(DOCUMENT_FILE, 'utf8')).toBe(document);
    expect(await readFile(TYPES_FILE, 'utf8')).toBe(types);
  });
});
