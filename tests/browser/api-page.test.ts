/**
 * The API reference page (/api) in Chromium against the real local stack: it renders every operation of
 * the served OpenAPI document, the webhooks, the security schemes and the schemas, switches to English,
 * raises no page error under the pages' CSP, and passes axe-core.
 */
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#shared/openapi/document.ts';
import { expectAccessible, openPage, skipUnlessChromium, useBrowserSuite, waitReady } from './helpers.ts';

skipUnlessChromium();

describe('the API reference page', () => {
  const suite = useBrowserSuite();

  it('lists every operation of /v1/openapi.json, the webhooks and the schemas', async () => {
    const doc = openApiDocument();
    const { page, errors } = await openPage(suite.browser.context, 'api-page');
    await page.goto(suite.url('/api'));
    await waitReady(page);
    const toc = await page.locator('#api-toc li code').allTextContents();
    const expected = [
      ...Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
      ),
      ...Object.entries(doc.webhooks ?? {}).flatMap(([name, item]) =>
        Object.keys(item).map((method) => `${method.toUpperCase()} ${name}`),
      ),
    ];
    expect(toc.sort()).toEqual(expected.sort());
    await expect
      .poll(() => page.locator('#schema-RequestView td code').first().textContent())
      .toBe('requestId');
    await expect(page.locator('#api-security dt').allTextContents()).resolves.toEqual([
      'accessToken',
      'staffToken',
      'citizenSession',
      'departmentSignature',
    ]);
    // A schema link in an operation leads to the schema's section.
    await page.locator('#op-getRequest a[href="#schema-RequestView"]').first().click();
    expect(page.url()).toMatch(/#schema-RequestView$/);
    await page.click('#lang-toggle');
    await expect.poll(() => page.locator('h1').textContent()).toBe('API reference');
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });
});
