/** The CloudFront router maps clean page paths exactly as the web build's `pageFileForPath` does. */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '#infra/bundling.ts';
import { siteRouterCode } from '#infra/constructs/web.ts';

type Router = (event: { request: { uri: string } }) => { uri: string };
let pageFileForPath: (path: string) => string | undefined;
const router = new Function(`${siteRouterCode}; return handler;`)() as Router;

beforeAll(async () => {
  ({ pageFileForPath } = (await import(join(repoRoot, 'web/build.ts'))) as {
    pageFileForPath: typeof pageFileForPath;
  });
});

const paths = [
  '/',
  '/index.html',
  '/requests/abc-123_X',
  '/requests/abc/',
  '/requests/',
  '/requests/a/b',
  '/verify',
  '/verify/',
  '/verify.html',
  '/console',
  '/dashboard/',
  '/dashboard.html',
  '/platform',
  '/platform.html',
  '/api',
  '/api.html',
  '/assets/site-abc.css',
  '/status.html',
  '/v1/catalogue',
  '/unknown',
];

describe('site router (CloudFront Function)', () => {
  it.each(paths)('routes %s like the local static site', (path) => {
    const routed = router({ request: { uri: path } }).uri;
    expect(routed).toBe(pageFileForPath(path) ?? path);
  });
});
