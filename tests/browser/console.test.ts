/**
 * The officer console in Chromium against the real local stack, signed in through the local OpenID
 * provider: find a request by its reference, claim it, reveal the ID numbers with a reason (audited),
 * confirm, see and print the certificate; filters and the done list; 375 px without sideways scrolling;
 * the requests filed here and handled elsewhere (收受分离), the disputed exchange answers to check (结果反馈)
 * and a request's filing.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
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

/** No sideways scrolling: the page is no wider than the window. */
async function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);
}

describe.runIf(chromiumPath)('the officer console in Chromium', () => {
  const suite = useBrowserSuite();
  const url = suite.url;

  async function file(
    id: string,
    extra: Record<string, unknown> = {},
  ): Promise<{ requestId: string; accessToken: string }> {
    const answer = await fetch(url('/v1/requests'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...scenario(id).body, ...extra }),
    });
    expect(answer.status).toBe(202);
    return (await answer.json()) as { requestId: string; accessToken: string };
  }

  it('finds a request by reference, claims it, reveals (audited), confirms and prints the certificate', async () => {
    const { requestId, accessToken } = await file('kinship-investigate');
    const reference = requestId.slice(-8);
    const { page, errors } = await openPage(suite.browser.context, 'console-casework');
    await page.goto(url('/console?station=CC-YHL'));
    await waitReady(page);
    await signInThroughProvider(page, 'demo-officer', suite.stack.officerPassword);
    // The row tells requests apart: reference, kind, masked names, filed date, deadline, officer.
    const row = page.locator('#queue li', { hasText: reference });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('亲属关系');
    expect(text).toContain('赵*');
    expect(text).toContain('受理');
    expect(text).toContain('期限');
    expect(text).toContain('未认领');
    await expectAccessible(page);

    // Search by the 8-character reference: the one match opens.
    await page.fill('#search-q', reference.toLowerCase());
    await page.click('#search-form button[type=submit]');
    await expect.poll(() => page.locator('#detail-facts').textContent()).toContain(requestId);
    expect(await page.locator('#queue-status').textContent()).toContain('1');

    // Reveal before claiming: refused, nothing shown.
    await page.fill('#reveal-reason', '核对兄妹关系');
    await page.click('#reveal-submit');
    await expect.poll(() => page.locator('#reveal-reason-error').textContent()).toContain('认领');
    expect(await page.locator('#revealed').isHidden()).toBe(true);

    // Claim, then reveal with a reason: full ID numbers, and the reveal in the history with the officer.
    await page.click('#claim');
    await expect.poll(() => page.locator('#casework-status').textContent()).toContain('demo-officer');
    await page.click('#reveal-submit');
    const subjectId = (scenario('kinship-investigate').body as { subject: { idNumber: string } }).subject
      .idNumber;
    await expect.poll(() => page.locator('#revealed').textContent()).toContain(subjectId);
    await expect.poll(() => page.locator('#detail-history').textContent()).toContain('查看完整身份信息');
    expect(await page.locator('#detail-history').textContent()).toContain('核对兄妹关系');
    await expectAccessible(page);

    // Mine: the claimed request is in the officer's own list.
    await page.selectOption('#filter-assignee', 'me');
    await expect
      .poll(() => page.locator('#queue li').allTextContents())
      .toEqual(expect.arrayContaining([expect.stringContaining(reference)]));
    for (const text of await page.locator('#queue li').allTextContents())
      expect(text).toContain('demo-officer');

    // Confirm: the certificate appears in the console, with its statement and number.
    await page.check('#outcome-confirmed');
    await page.fill('#finding-note', '经走访核实，二人为兄妹。');
    await page.click('#finding-submit');
    await page.locator('#console-certificate').waitFor({ state: 'visible', timeout: 20_000 });
    expect(await page.locator('#console-cert-statement').textContent()).toContain(subjectId);
    await expectAccessible(page);

    // The print view holds the certificate only.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#console-certificate').isVisible()).toBe(true);
    expect(await page.locator('#queue').isVisible()).toBe(false);
    expect(await page.locator('#detail-history').isVisible()).toBe(false);
    expect(await page.locator('#print-certificate').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });

    // The done list has it, closed.
    await page.selectOption('#filter-assignee', '');
    await page.click('#view-done');
    await expect.poll(() => page.locator('#queue').textContent()).toContain(reference);
    expect(await page.locator('#queue li', { hasText: reference }).textContent()).toContain('办结');
    expect(errors).toEqual([]);

    // The citizen's status page after closure: the station by name, address and hours (from the registry's
    // data), when it closed, the certificate — no station code, no staff id, no open-stage guidance.
    const citizen = await openPage(suite.browser.context, 'status-closed');
    await citizen.page.goto(url(`/requests/${requestId}#token=${encodeURIComponent(accessToken)}`));
    await waitReady(citizen.page);
    await expect
      .poll(() => citizen.page.locator('#status-badge').textContent(), { timeout: 20_000 })
      .toBe('已出具证明');
    const summary = (await citizen.page.locator('#summary').textContent()) ?? '';
    expect(summary).toContain('义和路派出所');
    expect(summary).toContain('长春市朝阳区义和路100号');
    expect(summary).toContain('周一至周五');
    expect(summary).toContain('办结时间');
    const whole = (await citizen.page.locator('main').textContent()) ?? '';
    expect(whole).not.toContain('CC-YHL');
    expect(whole).not.toContain('demo-officer');
    expect(await citizen.page.locator('#decision-body').textContent()).not.toContain('您可以这样办');
    await expectAccessible(citizen.page);
    expect(citizen.errors).toEqual([]);
  });

  it('works at 375 px without sideways scrolling, signed in, with a request open', async () => {
    await file('criminal-record-investigate');
    const { page, errors } = await openPage(suite.browser.context, 'console-phone');
    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(url('/console?station=CC-YHL'));
    await waitReady(page);
    expect(await fitsWidth(page)).toBe(true);
    await signInThroughProvider(page, 'demo-officer', suite.stack.officerPassword);
    await page.locator('#queue li').first().waitFor({ timeout: 20_000 });
    expect(await fitsWidth(page)).toBe(true);
    await page.locator('#queue button[data-open]').first().click();
    await page.locator('#detail-body').waitFor({ state: 'visible' });
    expect(await fitsWidth(page)).toBe(true);
    await expectAccessible(page);
    // Assign it to another officer from the form: the status line and the history name them.
    await page.fill('#assign-officer', 'li.wei');
    await page.click('#assign-form button[type=submit]');
    await expect.poll(() => page.locator('#casework-status').textContent()).toContain('li.wei');
    await expect.poll(() => page.locator('#detail-history').textContent()).toContain('→ li.wei');
    expect(await fitsWidth(page)).toBe(true);
    expect(errors).toEqual([]);
  });

  /** A department's signed POST (Standard Webhooks), timed by the stack's (pinned) clock. */
  async function signedPost(department: string, path: string, body: unknown) {
    const health = (await (await fetch(url('/healthz'))).json()) as { now: string };
    const raw = JSON.stringify(body);
    const answer = await fetch(url(path), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(
          [suite.stack.departments[department]!.secret],
          `msg_${randomUUID()}`,
          Math.floor(Date.parse(health.now) / 1000),
          raw,
        ),
      },
      body: raw,
    });
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  }

  it('shows the requests filed here and handled elsewhere, the disputed answers to check, and the filing', async () => {
    // Prepare: a request filed at CC-YHL about a family of JL-DSL (handled there, collected at CC-YHL);
    // a notary disputes an exchange answer about 黄丽, registered at CC-YHL.
    const { requestId } = await file('head-and-other-member', {
      filing: { station: 'CC-YHL', collectAt: 'CC-YHL' },
    });
    const reference = requestId.slice(-8).toUpperCase();
    const asked = await signedPost('NOTARY', '/v1/exchange/queries?department=NOTARY', {
      question: 'HUKOU_STATUS',
      subject: { idNumber: P.huangLi.idNumber, name: P.huangLi.name },
      purpose: 'INHERITANCE',
      reference: 'N-CHECK-1',
    });
    expect(asked.status).toBe(200);
    const disputed = await signedPost(
      'NOTARY',
      `/v1/exchange/records/${asked.body.exchangeId as string}/feedback?department=NOTARY`,
      { outcome: 'DISPUTED', reason: '当事人称户口已迁出' },
    );
    expect(disputed.status).toBe(200);

    // Act: the officer opens CC-YHL's console.
    const { page, errors } = await openPage(suite.browser.context, 'console-accepted');
    await page.goto(url('/console?station=CC-YHL'));
    await waitReady(page);
    await signInThroughProvider(page, 'demo-officer', suite.stack.officerPassword);

    // Assess: filed here, role ACCEPTING, handled at JL-DSL, collected here.
    const row = page.locator('#accepted li', { hasText: reference });
    await expect.poll(() => row.count(), { timeout: 20_000 }).toBe(1);
    expect(await page.locator('#accepted-title').textContent()).toContain('收受分离');
    const text = (await row.textContent()) ?? '';
    expect(text).toContain('受理所');
    expect(text).toContain('承办: ');
    expect(text).toContain('JL-DSL');
    expect(text).toContain('领取: ');
    expect(text).toContain('CC-YHL');
    expect(await page.locator('#queue li', { hasText: reference }).count()).toBe(0);
    // The check: the question, the body, the reason, the exchange record.
    const check = page.locator('#checks li', { hasText: asked.body.exchangeId as string });
    await expect.poll(() => check.count()).toBe(1);
    const checkText = (await check.textContent()) ?? '';
    expect(checkText).toContain('户籍状态');
    expect(checkText).toContain('当事人称户口已迁出');
    expect(checkText).toContain('黄*');
    expect(checkText).not.toContain(P.huangLi.idNumber);
    await expectAccessible(page);

    // Opening the accepted request shows its filing: filed here, handled at JL-DSL, collected here.
    await row.locator('button[data-open]').click();
    await expect.poll(() => page.locator('#detail-facts').textContent()).toContain(requestId);
    const facts = (await page.locator('#detail-facts').textContent()) ?? '';
    expect(facts).toContain('受理地点');
    expect(facts).toContain('承办派出所');
    expect(facts).toContain('领取地点');

    // In English, the same labels.
    await page.click('#lang-toggle');
    await expect
      .poll(() => page.locator('#accepted-title').textContent())
      .toBe('Filed here, handled at the competent station');
    expect(await row.textContent()).toContain('Filing station');
    expect(await page.locator('#checks-title').textContent()).toBe('Disputed exchange answers to check');
    expect(await page.locator('#checks li').first().textContent()).toContain('Reason');
    expect(await page.locator('#detail-facts').textContent()).toContain('Collected at');
    await expectAccessible(page);

    // The done list shows neither.
    await page.click('#view-done');
    await expect.poll(() => page.locator('#accepted-box').isHidden()).toBe(true);
    expect(await page.locator('#checks-box').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });
});
