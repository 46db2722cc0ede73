/**
 * The static site the local gateway serves for non-API paths: routing, content types, compression,
 * caching, conditional requests and security headers. Needs no browser.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  acceptedEncodings,
  CONTENT_SECURITY_POLICY,
  createStaticSite,
  type StaticSite,
} from '#local/static-site.ts';
import { buildSite, PAGES, pageFileForPath, writeSite } from '../../web/build.ts';

let site: StaticSite;

beforeAll(() => {
  site = createStaticSite();
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await site('GET', path, headers);
  if (!response) throw new Error(`no response for ${path}`);
  return response;
}

function scriptOf(html: string): string {
  const match = /<script type="module" src="([^"]+)"><\/script>/.exec(html);
  if (!match?.[1]) throw new Error('no module script in the page');
  return match[1];
}

describe('static site', () => {
  it.each([
    ['/', 'intake'],
    ['/requests/req_01JABCDEF', 'status'],
    ['/verify', 'verify'],
    ['/verify?number=X&code=Y', 'verify'],
    ['/console', 'console'],
    ['/dashboard', 'dashboard'],
  ])('serves %s as the %s page, with security headers and revalidation', async (path, page) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['x-frame-options']).toBe('DENY');
    const html = response.body.toString('utf8');
    expect(html).toContain(`data-page="${page}"`);
    expect(html).toContain('<html lang="zh-CN">');
    // No inline script or style: the CSP forbids both.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('leaves API paths, unknown paths and traversal attempts to the gateway', async () => {
    for (const path of [
      '/v1/catalogue',
      '/healthz',
      '/_local/clock',
      '/nope',
      '/assets/../package.json',
      '/%2e%2e/x',
    ]) {
      expect(await site('GET', path, {}), path).toBeUndefined();
    }
  });

  it('serves hashed assets for a year, compressed with brotli or gzip as accepted', async () => {
    const html = (await get('/')).body.toString('utf8');
    const script = scriptOf(html);
    expect(script).toMatch(/^\/assets\/intake-[A-Z0-9]+\.js$/);

    const plain = await get(script);
    expect(plain.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['content-encoding']).toBeUndefined();

    const br = await get(script, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(plain.body.length);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gzip = await get(script, { 'Accept-Encoding': 'gzip, br;q=0' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body).equals(plain.body)).toBe(true);
    expect(gzip.headers['content-length']).toBe(String(gzip.body.length));
  });

  it('answers a matching If-None-Match with 304 and no body', async () => {
    const first = await get('/verify');
    const etag = first.headers.etag;
    expect(etag).toMatch(/^".+"$/);
    const again = await get('/verify', { 'if-none-match': `W/${etag}, "other"` });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    const changed = await get('/verify', { 'if-none-match': '"stale"' });
    expect(changed.status).toBe(200);
  });

  it('answers HEAD without a body and other methods with 405', async () => {
    const head = await site('HEAD', '/', {});
    expect(head?.status).toBe(200);
    expect(head?.body.length).toBe(0);
    const post = await site('POST', '/console', {});
    expect(post?.status).toBe(405);
    expect(post?.headers.allow).toBe('GET, HEAD');
    expect(post?.headers['content-type']).toBe('application/problem+json');
    expect(JSON.parse(post!.body.toString('utf8')).title).toBe('不支持该方法 / Method not allowed');
  });

  it('parses Accept-Encoding with quality values', () => {
    expect([...acceptedEncodings('br;q=0, gzip;q=0.5')]).toEqual(['gzip']);
    expect(acceptedEncodings('*').has('br')).toBe(true);
    expect(acceptedEncodings(undefined).size).toBe(0);
  });

  it('maps only well-formed page paths', () => {
    expect(pageFileForPath('/requests/abc-123_X')).toBe('/status.html');
    expect(pageFileForPath('/requests/')).toBeUndefined();
    expect(pageFileForPath('/requests/a/b')).toBeUndefined();
    expect(pageFileForPath('/dashboard/')).toBe('/dashboard.html');
  });

  it('keeps every page under 100 KB of compressed JavaScript', async () => {
    const files = await buildSite();
    for (const page of PAGES) {
      const html = files.get(page.file)?.body.toString('utf8') ?? '';
      const script = files.get(scriptOf(html));
      expect(script, page.name).toBeDefined();
      expect(gzipSync(script?.body ?? Buffer.alloc(0)).length, page.name).toBeLessThan(100 * 1024);
    }
  });

  it('writes the same files to a folder for S3, every page naming assets that exist', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'certflow-web-'));
    try {
      const written = await writeSite(dir);
      expect(written.length).toBeGreaterThanOrEqual(PAGES.length + 2);
      for (const page of PAGES) {
        const html = await readFile(join(dir, page.file), 'utf8');
        for (const match of html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)) {
          expect(existsSync(join(dir, match[1] ?? '')), `${page.file} → ${match[1]}`).toBe(true);
        }
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
