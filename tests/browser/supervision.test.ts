/**
 * The supervisors' dashboard in Chromium against the real local stack, signed in through the local OpenID
 * provider: a request passes its deadline (test clock), the supervisor opens it from the overdue list and
 * reads its audit trail, exports CSV (BOM, RFC 4180), and sees the deadline alarm that fired.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { scenario } from '#tests/e2e/helpers.ts';
import { chromiumPath } from './chromium.ts';
import {
  expectAccessible,
  openPage,
  signInThroughProvider,
  skipUnlessChromium,
  useBrowserSuite,
  waitReady,
} from './helpers.ts';

skipUnlessChromium();

describe.runIf(chromiumPath)('supervision on the dashboard in Chromium', () => {
  const suite = useBrowserSuite();
  const url = suite.url;

  it('opens an overdue request from the list with its audit trail, exports CSV, shows the alarm', async () => {
    const filed = await fetch(url('/v1/requests'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(scenario('kinship-investigate').body),
    });
    const { requestId } = (await filed.json()) as { requestId: string };
    const reference = requestId.slice(-8);
    // Wait until it is under investigation, then let the deadline pass (and the escalation with it).
    await expect
      .poll(
        async () =>
          (
            (await (
              await fetch(url(`/v1/requests/${requestId}`), {
                headers: { authorization: `Bearer ${suite.stack.supervisorToken}` },
              })
            ).json()) as { status: string }
          ).status,
        { timeout: 20_000 },
      )
      .toBe('INVESTIGATING');
    await fetch(url('/_local/clock'), { method: 'POST', body: JSON.stringify({ advance: 'P8D' }) });
    await expect
      .poll(
        async () =>
          (
            (await (
              await fetch(url(`/v1/requests/${requestId}`), {
                headers: { authorization: `Bearer ${suite.stack.supervisorToken}` },
              })
            ).json()) as { status: string }
          ).status,
        { timeout: 20_000 },
      )
      .toBe('ESCALATED');

    const { page, errors } = await openPage(suite.browser.context, 'supervision');
    await page.goto(url('/dashboard'));
    await waitReady(page);
    await signInThroughProvider(page, 'demo-supervisor', suite.stack.supervisorPassword);
    const list = page.locator('#sup-lists');
    await expect.poll(() => list.textContent(), { timeout: 20_000 }).toContain(reference);
    // Per-station figures name the station.
    expect(await page.locator('#sup-figures').textContent()).toContain('义和路派出所');
    await expectAccessible(page);

    // Drill down: the request and its audit trail.
    await page
      .locator(`#sup-lists ul[aria-labelledby="sup-overdue"] button[data-open="${requestId}"]`)
      .click();
    await expect.poll(() => page.locator('#sup-trail').textContent()).toContain('超期上报督办');
    expect(await page.locator('#sup-detail-title').textContent()).toContain(reference);
    await expectAccessible(page);

    // CSV export: BOM, CRLF, the request's row.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#sup-export-requests')]);
    expect(download.suggestedFilename()).toMatch(/^certflow-overdue-escalated-.*\.csv$/);
    const csv = await readFile((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv).toContain('\r\n');
    expect(csv).toContain(`overdue,${requestId},${reference},KINSHIP,`);

    // The deadline alarm that fired (the same definition CDK deploys as a CloudWatch alarm).
    await page.locator('#sup-alarms').waitFor({ state: 'visible' });
    expect(await page.locator('#sup-alarm-history').textContent()).toContain('Escalations → ALARM');

    // In English the alarms, the opened request and the complaints section are drawn again in English.
    await page.click('#lang-toggle');
    await expect.poll(() => page.locator('#sup-alarm-list').textContent()).toContain('(threshold 1)');
    const chinese = /[\u3400-\u9fff]/;
    expect(await page.locator('#sup-alarms').textContent()).not.toMatch(chinese);
    expect(await page.locator('#sup-trail').textContent()).toContain('Escalated to a supervisor');
    expect(await page.locator('#sup-trail').textContent()).not.toContain('超期上报督办');
    expect(await page.locator('#complaint-supervision').textContent()).toContain('Complaints to decide');
    expect(await page.locator('#complaint-supervision').textContent()).not.toMatch(chinese);
    await page.click('#lang-toggle');
    await expect.poll(() => page.locator('#sup-alarm-list').textContent()).toContain('（阈值 1）');

    // At 375 px nothing scrolls sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth),
    ).toBe(true);
    expect(errors).toEqual([]);
  });

  it('keeps the report for supervisors: an officer sign-in gets no lists', async () => {
    const answer = await fetch(url('/v1/supervision?from=2026-11-01&to=2026-11-30'), {
      headers: { authorization: `Bearer ${suite.stack.officerToken}` },
    });
    expect(answer.status).toBe(403);
  });
});
