/**
 * Debian's Chromium for the browser tests, driven by playwright-core. When it is missing the tests skip
 * and say how to install it (`apt-get install chromium`), never fail and never silently pass.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';

/**
 * `CERTFLOW_CHROMIUM`, when set, is the only candidate (set it to a missing path to see the skip);
 * otherwise Debian's `/usr/bin/chromium`.
 */
const CANDIDATES = process.env.CERTFLOW_CHROMIUM
  ? [process.env.CERTFLOW_CHROMIUM]
  : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium executable, or undefined when none is installed. */
export const chromiumPath: string | undefined = CANDIDATES.find((path) => existsSync(path));

export const SKIP_MESSAGE = [
  '',
  '┌─ browser tests SKIPPED: Chromium is not installed.',
  '│  Install it from Debian packages and run them again:',
  '│    sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium',
  '│  (or point CERTFLOW_CHROMIUM at a Chromium/Chrome executable)',
  '│  then: npx vitest run --project browser',
  '└─',
  '',
].join('\n');

/** Flags that keep Chromium quiet on a closed network and inside containers. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

export interface LaunchedBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context over a fresh user-data-dir (removed again on close). */
export async function launchChromium(
  options: { viewport?: { width: number; height: number } } = {},
): Promise<LaunchedBrowser> {
  if (!chromiumPath) throw new Error('Chromium is not installed');
  const userDataDir = await mkdtemp(join(tmpdir(), 'certflow-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  });
  return {
    context,
    async close() {
      await context.close().catch(() => undefined);
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

export type { Browser };
