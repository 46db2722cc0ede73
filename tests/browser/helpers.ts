/**
 * Helpers of the browser tests: the suite's stack and browser, pages that record console errors,
 * axe-core accessibility checks, screenshots on failure into test-output/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { chromiumPath, type LaunchedBrowser, launchChromium, SKIP_MESSAGE } from './chromium.ts';
import { type BrowserStack, startStack } from './stack.ts';

export const OUTPUT_DIR = join(process.cwd(), 'test-output', 'browser');

let axeSource: string | undefined;

async function axe(): Promise<string> {
  if (!axeSource) {
    const require = createRequire(import.meta.url);
    axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  }
  return axeSource;
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[]; readonly failureSummary?: string }[];
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) on the page as it is now; returns the violations, each as a
 * readable line so that a failure says what is wrong and where.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, so the pages' CSP (no inline scripts) does not block it.
  await page.evaluate(await axe());
  const violations = (await page.evaluate(async () => {
    const w = window as unknown as {
      axe: { run: (context: Document, options: unknown) => Promise<{ violations: unknown[] }> };
    };
    const result = await w.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations;
  })) as AxeViolation[];
  return violations.map(
    (v) =>
      `${v.id} (${v.impact ?? 'n/a'}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => JSON.stringify(n.target))
        .join(', ')}`,
  );
}

export async function expectAccessible(page: Page): Promise<void> {
  expect(await accessibilityViolations(page)).toEqual([]);
}

/** A new page that fails the test on uncaught page errors and saves a screenshot if the test fails. */
export async function openPage(
  context: BrowserContext,
  name: string,
): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/status of (4\d\d)/.test(message.text())) errors.push(message.text());
  });
  onTestFailed(async () => {
    await mkdir(OUTPUT_DIR, { recursive: true });
    const file = join(OUTPUT_DIR, `${name.replace(/[^\w-]+/g, '-')}-${Date.now()}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
    console.error(
      `screenshot of the failed page: ${file}${errors.length ? `\npage errors: ${errors.join('\n')}` : ''}`,
    );
  });
  return { page, errors };
}

export async function waitReady(page: Page): Promise<void> {
  await page.locator('html[data-ready]').waitFor({ timeout: 30_000 });
}

/** Without Chromium: says how to install it and registers one skipped test, so the file is not silently empty. */
export function skipUnlessChromium(): void {
  if (chromiumPath) return;
  console.warn(SKIP_MESSAGE);
  it('SKIPPED: Chromium is not installed (apt-get install chromium), browser tests not run', (ctx) => {
    ctx.skip();
  });
}

export interface BrowserSuite {
  readonly stack: BrowserStack;
  readonly browser: LaunchedBrowser;
  /** The absolute URL of a path on the stack. */
  url(path: string): string;
}

/**
 * Call inside a `describe`: starts the stack and Chromium before its tests and closes them after.
 * `stack` and `browser` are readable inside the tests (not at collection time).
 */
export function useBrowserSuite(): BrowserSuite {
  let stack: BrowserStack | undefined;
  let browser: LaunchedBrowser | undefined;
  beforeAll(async () => {
    stack = await startStack();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the ${what} is read before beforeAll started it`);
    return value;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get browser() {
      return started(browser, 'browser');
    },
    url: (path) => new URL(path, started(stack, 'stack').baseUrl).href,
  };
}

export { signInThroughProvider } from './sign-in.ts';
