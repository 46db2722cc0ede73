/**
 * What a page costs to load: the bytes transferred (compressed as a browser accepts them) for its HTML,
 * JavaScript and CSS, and the time until it is interactive in Chromium (the page's `certflow-ready`
 * performance mark: first data on screen, controls wired). Used by `npm run bench:web`.
 */
import { get as httpGet } from 'node:http';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../tests/browser/chromium.ts';

export interface TransferSizes {
  readonly html: number;
  readonly js: number;
  readonly css: number;
  /** Uncompressed JS, for comparison. */
  readonly jsRaw: number;
  readonly requests: number;
}

/** The body as sent on the wire (fetch would decompress it). */
function wire(url: string, encoding: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const request = httpGet(url, { headers: { 'accept-encoding': encoding } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks)));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

async function size(url: string, encoding: string): Promise<{ transferred: number; raw: number }> {
  const transferred = (await wire(url, encoding)).length;
  const raw = (await wire(url, 'identity')).length;
  return { transferred, raw };
}

/** Sizes of a page and the scripts and stylesheets it links, as transferred with `encoding`. */
export async function transferSizes(pageUrl: string, encoding = 'br'): Promise<TransferSizes> {
  const compressedHtml = await wire(pageUrl, encoding);
  const html = (await wire(pageUrl, 'identity')).toString('utf8');
  let js = 0;
  let jsRaw = 0;
  let css = 0;
  let requests = 1;
  for (const match of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    const s = await size(new URL(match[1] ?? '', pageUrl).href, encoding);
    js += s.transferred;
    jsRaw += s.raw;
    requests += 1;
  }
  for (const match of html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g)) {
    css += (await size(new URL(match[1] ?? '', pageUrl).href, encoding)).transferred;
    requests += 1;
  }
  return { html: compressedHtml.length, js, css, jsRaw, requests };
}

export interface Timing {
  /** Median milliseconds from navigation start to the `certflow-ready` mark. */
  readonly interactiveMs: number;
  readonly domContentLoadedMs: number;
  readonly runs: number;
}

/**
 * Time to interactive, median of `runs` cold loads (a fresh browser context each, so nothing is cached).
 * `session` is put into sessionStorage first (e.g. an officer token), as if the user had signed in.
 */
export async function timeToInteractive(
  pageUrl: string,
  options: { runs?: number; session?: Readonly<Record<string, string>> } = {},
): Promise<Timing | undefined> {
  if (!chromiumPath) return undefined;
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const runs = options.runs ?? 5;
  const interactive: number[] = [];
  const dcl: number[] = [];
  try {
    for (let i = 0; i < runs; i += 1) {
      const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      if (options.session) {
        await context.addInitScript((entries: Record<string, string>) => {
          for (const [k, v] of Object.entries(entries)) sessionStorage.setItem(k, v);
        }, options.session);
      }
      const page = await context.newPage();
      await page.goto(pageUrl);
      await page.locator('html[data-ready]').waitFor({ timeout: 30_000 });
      const timing = await page.evaluate(() => {
        const ready = performance.getEntriesByName('certflow-ready')[0]?.startTime ?? Number.NaN;
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return { ready, dcl: nav?.domContentLoadedEventEnd ?? Number.NaN };
      });
      interactive.push(timing.ready);
      dcl.push(timing.dcl);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { interactiveMs: median(interactive), domContentLoadedMs: median(dcl), runs };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function kb(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}
