/**
 * The public platform page (/platform, 查询、监督、举报) and the dashboard's supervision section in
 * Chromium against the real local stack: the per-station figures as charts and a table, a complaint filed
 * through the form (its text shown as text, never as HTML), field errors from the API, the abolished-demand
 * fields, English, the phone layout, a supervisor upholding it on the dashboard and the complainant seeing
 * the finding — with axe-core checks of each state.
 */
import { describe, expect, it } from 'vitest';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
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

/** Typed by a "citizen": markup that must stay text everywhere. */
const TEXT = '派出所让我跑了三趟 <img src=x onerror="window.__pwned=1"> <b>加粗</b>';

describe.runIf(chromiumPath)('the public platform page', () => {
  const suite = useBrowserSuite();
  const url = suite.url;
  let complaintLink = '';

  it('shows the stations’ figures as charts with their table, and is accessible', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'platform');
    await page.goto(url('/platform'));
    await waitReady(page);
    // Every registry station is a row; nothing personal is on the page.
    await expect.poll(() => page.locator('#supervision-table tbody tr').count()).toBe(3);
    expect(await page.locator('#supervision-table tbody').textContent()).toContain('义和路派出所');
    expect(await page.locator('#supervision-charts svg[role="img"]').count()).toBe(4);
    expect(await page.locator('#supervision-policy').textContent()).toContain('5个工作日');
    // The complaint kinds are the policy's names, from the API.
    const kinds = await page.locator('#kind option').allTextContents();
    expect(kinds).toEqual(expect.arrayContaining(['应开不开', '吃拿卡要', '故意为难']));
    expect(await page.locator('a[href="/transparency"]').count()).toBeGreaterThanOrEqual(1);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('shows the API’s field errors at their fields, and the abolished-demand fields only for that kind', async () => {
    const { page } = await openPage(suite.browser.context, 'platform-errors');
    await page.goto(url('/platform'));
    await waitReady(page);
    expect(await page.locator('#abolished-fields').isHidden()).toBe(true);
    await page.selectOption('#kind', 'ABOLISHED_DEMAND');
    expect(await page.locator('#abolished-fields').isVisible()).toBe(true);
    await page.selectOption('#c-station', 'CC-YHL');
    await page.fill('#c-text', '单位要我开亲属关系证明');
    await page.fill('#c-name', '黄小雨');
    await page.fill('#c-phone', '12');
    await page.click('#complaint-submit');
    await expect.poll(() => page.locator('[id="contact.phone-error"]').isVisible()).toBe(true);
    expect(await page.locator('[id="body-error"]').textContent()).toContain('单位');
    expect(await page.locator('#c-phone').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#complaint-accepted').count()).toBe(0);
    await expectAccessible(page);
  });

  it('files a complaint through the form and shows its text as text', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'platform-file');
    await page.goto(url('/platform'));
    await waitReady(page);
    await page.selectOption('#kind', 'OBSTRUCTION');
    await page.selectOption('#c-station', 'CC-YHL');
    await page.fill('#c-officer', '王警官');
    await page.fill('#c-text', TEXT);
    await page.fill('#c-name', '黄小雨');
    await page.fill('#c-phone', '13812345678');
    await page.click('#complaint-submit');
    await page.locator('#complaint-accepted').waitFor();
    complaintLink = (await page.locator('#complaint-link').getAttribute('href')) ?? '';
    expect(complaintLink).toMatch(/\/platform#complaint=C[0-9A-Z]+&token=cft_/);
    await expect.poll(() => page.locator('#complaint-text').textContent()).toBe(TEXT);
    expect(await page.locator('#complaint-status img, #complaint-status b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Its workflow assigns it to the bureau above the station; the progress form reads it again.
    await expect
      .poll(
        async () => {
          await page.click('#complaint-status-form button[type=submit]');
          return page.locator('#complaint-status-value').textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('已交上级督导部门办理');
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('lets a supervisor uphold it on the dashboard; the complainant’s link shows the finding', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'dashboard-complaints');
    await page.goto(url('/dashboard'));
    await waitReady(page);
    await signInThroughProvider(page, 'demo-supervisor', suite.stack.supervisorPassword);
    const card = page.locator('article.complaint', { hasText: '王警官' });
    await card.waitFor();
    // Masked in the list, as text.
    expect(await card.textContent()).toContain('138****5678');
    expect(await card.locator('.complaint-text').textContent()).toBe(TEXT);
    expect(await card.locator('img').count()).toBe(0);
    await expectAccessible(page);
    await card.locator('textarea').fill('经查属实，已约谈');
    await card.locator('input[value="NOT_UPHELD"]').check();
    // A switch of language draws the section again in English and keeps what was typed and chosen.
    await page.click('#lang-toggle');
    await expect.poll(() => page.locator('#supervision-title').textContent()).toBe('Complaints to decide');
    expect(await card.locator('textarea').inputValue()).toBe('经查属实，已约谈');
    expect(await card.locator('input[value="NOT_UPHELD"]').isChecked()).toBe(true);
    await page.click('#lang-toggle');
    await expect.poll(() => page.locator('#supervision-title').textContent()).toBe('投诉督办');
    expect(await card.locator('textarea').inputValue()).toBe('经查属实，已约谈');
    await card.locator('input[value="UPHELD"]').check();
    await card.locator('button[type=submit]').click();
    await expect.poll(() => card.locator('.notice.ok').count()).toBe(1);
    expect(errors).toEqual([]);

    const own = await openPage(suite.browser.context, 'platform-finding');
    await own.page.goto(complaintLink);
    await waitReady(own.page);
    await expect
      .poll(
        async () => {
          await own.page.click('#complaint-status-form button[type=submit]');
          return own.page.locator('#complaint-status-value').textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('经查属实');
    expect(await own.page.locator('#complaint-finding').textContent()).toBe('经查属实，已约谈');
    await own.page.click('#lang-toggle');
    expect(await own.page.locator('h1').textContent()).toBe('Query · Supervise · Report');
    expect(await own.page.locator('#complaint-status-value').textContent()).toBe('Upheld');
    await expectAccessible(own.page);
    expect(own.errors).toEqual([]);
  });

  it('lets the applicant rate a closed request once on its status page; a poor rating reaches the supervisor', async () => {
    const body = demoScenarios.find((x) => x.id === 'kinship-on-the-spot')!.body;
    const filed = (await (
      await fetch(url('/v1/requests'), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json()) as { requestId: string; accessToken: string };
    const { page, errors } = await openPage(suite.browser.context, 'rating');
    await page.goto(url(`/requests/${filed.requestId}?lang=zh#token=${filed.accessToken}`));
    await waitReady(page);
    await page.locator('#rating').waitFor({ timeout: 15_000 });
    await expectAccessible(page);
    await page.click('#rating-submit');
    expect(await page.locator('#rating-error').textContent()).toBe('请选择评分');
    await page.check('#rating-score-2');
    await page.fill('#rating-text', '等了很久');
    await page.click('#rating-submit');
    await expect.poll(() => page.locator('#rating-done').textContent()).toContain('督导人员会回访');
    const again = await fetch(url(`/v1/requests/${filed.requestId}/rating`), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${filed.accessToken}` },
      body: JSON.stringify({ score: 5 }),
    });
    expect(again.status).toBe(409);
    const reviews = (await (
      await fetch(url('/v1/reviews'), { headers: { authorization: `Bearer ${suite.stack.supervisorToken}` } })
    ).json()) as { items: { requestId: string; text: string }[] };
    expect(reviews.items).toEqual([
      expect.objectContaining({ requestId: filed.requestId, text: '等了很久' }),
    ]);
    expect(errors).toEqual([]);

    // The supervisor closes the review on the dashboard (差评回访): a remark is required; then it is gone.
    const board = await openPage(suite.browser.context, 'dashboard-review');
    await board.page.goto(url('/dashboard'));
    await waitReady(board.page);
    await signInThroughProvider(board.page, 'demo-supervisor', suite.stack.supervisorPassword);
    const item = board.page.locator(`#reviews li[data-request="${filed.requestId}"]`);
    await item.waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toContain('等了很久');
    await expectAccessible(board.page);
    await item.locator('button[type=submit]').click();
    await expect.poll(() => item.locator('.field-error').textContent()).toMatch(/\S/);
    expect(await item.locator('textarea').getAttribute('aria-invalid')).toBe('true');
    await item.locator('input[value="NO_FAULT"]').check();
    await item.locator('textarea').fill('已电话回访，等候时间在承诺时限内，已解释');
    await item.locator('button[type=submit]').click();
    // The review is closed: the list no longer has it (the page reloads it).
    await expect
      .poll(() => board.page.locator(`#reviews li[data-request="${filed.requestId}"]`).count())
      .toBe(0);
    const closed = await fetch(url(`/v1/reviews/${filed.requestId}/close`), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${suite.stack.supervisorToken}`,
      },
      body: JSON.stringify({ outcome: 'RECTIFIED', remark: '再次' }),
    });
    expect(closed.status).toBe(409);
    await expectAccessible(board.page);
    expect(board.errors).toEqual([]);
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await openPage(suite.browser.context, 'platform-phone');
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(url('/platform'));
    await waitReady(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
