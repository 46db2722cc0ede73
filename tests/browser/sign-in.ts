/** Staff sign-in in a browser page through the local OpenID provider (no vitest: screenshots.ts uses it). */
import type { Page } from 'playwright-core';

/**
 * Signs in on a staff page (console, dashboard) the way a person does: the page's sign-in button, the
 * local OpenID provider's login form (username, password), back to the page with the code exchanged.
 * Ends when the page is back and ready.
 */
export async function signInThroughProvider(page: Page, username: string, password: string): Promise<void> {
  const back = new URL(page.url()).pathname;
  await page.click('#login button[type=submit]');
  await page.waitForURL(/\/oidc\/interaction\//);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('#sign-in');
  // Back on the page (the code is exchanged and removed from the address by history.replaceState).
  await page.waitForURL((u) => u.pathname === back, { waitUntil: 'commit' });
  await page.waitForFunction(() => !new URLSearchParams(location.search).has('code'));
  await page.locator('html[data-ready]').waitFor({ timeout: 30_000 });
}
