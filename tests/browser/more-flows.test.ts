/**
 * More of the pages in Chromium against the real local stack: an organisation applying with a letter,
 * an incident kind with its event, an investigation refused from the console (and the reason reaching the
 * citizen), wrong tokens, keyboard use, and failures the API is made to give (catalogue down, 429).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { bodyOf, defaultPolicy } from '#shared/policy/policy.ts';
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

async function badge(page: Page): Promise<string | null> {
  return page.locator('#status-badge').textContent();
}

async function submit(page: Page): Promise<{ requestId: string; token: string }> {
  await page.click('#submit');
  await page.waitForURL(/\/requests\/[^/#]+#token=/);
  await waitReady(page);
  const match = /\/requests\/([^/#]+)#token=(.+)$/.exec(page.url());
  if (!match?.[1] || !match[2]) throw new Error(`unexpected status URL ${page.url()}`);
  return { requestId: decodeURIComponent(match[1]), token: decodeURIComponent(match[2]) };
}

describe.runIf(chromiumPath)('more of the web pages in Chromium', () => {
  const suite = useBrowserSuite();
  const url = suite.url;

  it('lets an employer apply with a letter for a criminal record check, issued on the spot', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'unit-applicant');
    await page.goto(url('/'));
    await waitReady(page);
    await page.locator('#proof-CRIMINAL_RECORD').check();
    await page.selectOption('#askedBy', 'EMPLOYER');
    await page.selectOption('[id="purpose.code"]', 'EMPLOYMENT');
    await page.fill('[id="subject.name"]', P.zhangWei.name);
    await page.fill('[id="subject.idNumber"]', P.zhangWei.idNumber);
    // The organisation's own fields appear only for UNIT; the agent's power of attorney stays hidden.
    expect(await page.locator('[id="applicant.unitName"]').isHidden()).toBe(true);
    await page.locator('#applicant-kind-UNIT').check();
    expect(await page.locator('[id="applicant.unitName"]').isVisible()).toBe(true);
    expect(await page.locator('[id="applicant.powerOfAttorneyRef"]').isHidden()).toBe(true);
    await page.fill('[id="applicant.unitName"]', '长春某科技有限公司');
    await page.fill('[id="applicant.letterRef"]', 'HR-2026-118');
    await page.fill('[id="applicant.name"]', '李主任');
    await page.fill('[id="applicant.phone"]', '0431-88880000');
    await expectAccessible(page);
    await submit(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('已出具证明');
    expect(errors).toEqual([]);
  });

  it('lets an agent with a power of attorney apply: a hukou cancellation for the inheritance', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'agent-applicant');
    await page.goto(url('/?proof=HUKOU_CANCELLATION'));
    await waitReady(page);
    await page.selectOption('#askedBy', 'BANK');
    await page.selectOption('[id="purpose.code"]', 'INHERITANCE');
    await page.fill('[id="subject.name"]', P.liXiuying.name);
    await page.fill('[id="subject.idNumber"]', P.liXiuying.idNumber);
    await page.locator('#applicant-kind-AGENT').check();
    expect(await page.locator('[id="applicant.unitName"]').isHidden()).toBe(true);
    // Without the power of attorney the page stops before sending.
    await page.fill('[id="applicant.name"]', P.wangJianguo.name);
    await page.fill('[id="applicant.idNumber"]', P.wangJianguo.idNumber);
    await page.fill('[id="applicant.phone"]', '13800000000');
    await page.click('#submit');
    await expect
      .poll(() => page.locator('[id="applicant.powerOfAttorneyRef-error"]').textContent())
      .toBe('此项必填');
    await page.fill('[id="applicant.powerOfAttorneyRef"]', 'WT-2026-001');
    await submit(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('已出具证明');
    expect(errors).toEqual([]);
  });

  it('refuses an unnatural-death certificate from the console, and the citizen reads the reason', async () => {
    const citizen = await openPage(suite.browser.context, 'refused-citizen');
    const page = citizen.page;
    await page.goto(url('/?proof=UNNATURAL_DEATH'));
    await waitReady(page);
    // An incident kind asks for the event.
    expect(await page.locator('#event-fieldset').isVisible()).toBe(true);
    expect(await page.locator('#related-fieldset').isHidden()).toBe(true);
    await page.selectOption('#askedBy', 'COURT');
    await page.selectOption('[id="purpose.code"]', 'INHERITANCE');
    await page.fill('[id="subject.name"]', P.qianWeidong.name);
    await page.fill('[id="subject.idNumber"]', P.qianWeidong.idNumber);
    await page.fill('[id="event.date"]', '2026-11-02');
    await page.fill('[id="event.place"]', '长春市朝阳区义和路');
    await page.fill('[id="applicant.name"]', P.huangLi.name);
    await page.fill('[id="applicant.idNumber"]', P.huangLi.idNumber);
    await page.fill('[id="applicant.phone"]', '13800000000');
    const { requestId } = await submit(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('调查核实中');

    const officer = await openPage(suite.browser.context, 'refused-console');
    const console = officer.page;
    await console.goto(url('/console?station=CC-YHL'));
    await waitReady(console);
    // A wrong password is refused at the provider's form, which stays; the right one signs in.
    await console.click('#login button[type=submit]');
    await console.waitForURL(/\/oidc\/interaction\//);
    await console.fill('#username', 'demo-officer');
    await console.fill('#password', 'not-the-password');
    await console.click('#sign-in');
    await expect.poll(() => console.locator('#login-error').textContent()).toContain('密码不正确');
    await console.fill('#password', suite.stack.officerPassword);
    await console.click('#sign-in');
    await console.waitForURL((u) => u.pathname === '/console', { waitUntil: 'commit' });
    await console.waitForFunction(() => !new URLSearchParams(location.search).has('code'));
    await waitReady(console);
    await console.locator(`button[data-open="${requestId}"]`).click();
    await expect.poll(() => console.locator('#detail-facts').textContent()).toContain(requestId);
    // Refusing needs a reason: the page says so before sending anything.
    await console.check('#outcome-refuted');
    await console.click('#finding-submit');
    await expect.poll(() => console.locator('#finding-note-error').textContent()).toContain('必须说明理由');
    await console.fill('#finding-note', '案件尚在侦查，死亡原因未能认定。');
    await console.click('#finding-submit');
    await expect.poll(() => console.locator('#finding-status').textContent()).toBe('已记录核实结果。');

    await page.reload();
    await waitReady(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('核实后不予出具');
    expect(await page.locator('#decision').textContent()).toContain('案件尚在侦查');
    // No certificate: the refusal's written reply (书面告知) with the officer's reason and how to appeal.
    expect(await page.locator('#certificate-title').textContent()).toBe('不予出具证明书面告知书');
    expect(await page.locator('#certificate-statement').textContent()).toContain('救济途径');
    await expectAccessible(page);
    expect(citizen.errors).toEqual([]);
  });

  it('ends the officer’s session when the access token expires, and signs out at the provider', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'sign-out');
    await page.goto(url('/console'));
    await waitReady(page);
    await signInThroughProvider(page, 'demo-officer', suite.stack.officerPassword);
    expect(await page.locator('#workspace').isVisible()).toBe(true);
    // The session ends with its access token: one already past its expiry is a sign-in form again.
    await page.evaluate(() => {
      const key = 'certflow.oidc.officer';
      const s = JSON.parse(sessionStorage.getItem(key) ?? '{}');
      sessionStorage.setItem(key, JSON.stringify({ ...s, expiresAt: Date.now() - 1 }));
    });
    await page.reload();
    await waitReady(page);
    expect(await page.locator('#login').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('certflow.oidc.officer'))).toBeNull();
    // Sign out: the provider asks, ends its session and sends the browser back to the console.
    await signInThroughProvider(page, 'demo-officer', suite.stack.officerPassword);
    await page.click('#logout');
    await page.waitForURL(/\/oidc\/session\/end/);
    await page.click('#confirm-sign-out');
    await page.waitForURL((u) => u.pathname === '/console');
    await waitReady(page);
    expect(await page.locator('#login').isVisible()).toBe(true);
    expect(await page.locator('#workspace').isVisible()).toBe(false);
    // The next sign-in asks for the password again.
    await page.click('#login button[type=submit]');
    await page.waitForURL(/\/oidc\/interaction\//);
    expect(await page.locator('#password').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('asks for the access token when the link has none or a wrong one', async () => {
    const { page } = await openPage(suite.browser.context, 'status-token');
    await page.goto(url('/?proof=NAME'));
    await waitReady(page);
    await page.selectOption('#askedBy', 'BANK');
    await page.selectOption('[id="purpose.code"]', 'OTHER');
    await page.fill('[id="subject.name"]', P.linXiao.name);
    await page.fill('[id="subject.idNumber"]', P.linXiao.idNumber);
    await page.fill('[id="applicant.name"]', P.linXiao.name);
    await page.fill('[id="applicant.idNumber"]', P.linXiao.idNumber);
    await page.fill('[id="applicant.phone"]', '13800000000');
    const { requestId, token } = await submit(page);

    // Another browser tab has no sessionStorage of this one: with a wrong token in the link, it asks.
    const other = await openPage(suite.browser.context, 'status-token-other');
    await other.page.goto(url(`/requests/${requestId}#token=wrong`));
    await waitReady(other.page);
    expect(await other.page.locator('#token-form').isVisible()).toBe(true);
    expect(await other.page.locator('#token-error').textContent()).toContain('凭证无效');
    expect(await other.page.locator('#request').isHidden()).toBe(true);
    await expectAccessible(other.page);
    await other.page.fill('#access-token', token);
    await other.page.click('#token-form button[type=submit]');
    await expect.poll(() => badge(other.page), { timeout: 30_000 }).toBe('不予出具');
  });

  it('works from the keyboard: skip link, kind search, choosing a kind', async () => {
    const { page } = await openPage(suite.browser.context, 'keyboard');
    await page.goto(url('/'));
    await waitReady(page);
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    await page.focus('#kind-search');
    await page.keyboard.type('婚姻状况');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await expect.poll(() => page.locator('#treatment').textContent()).toContain('民政');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.value)).toBe(
      'MARITAL_STATUS',
    );
  });

  it('words the deadline as the catalogue gives it: another figure in the policy, another text', async () => {
    // Prepare: the real catalogue, its service standard changed as a one-line policy edit would change it.
    const { page, errors } = await openPage(suite.browser.context, 'policy-deadline');
    await page.route('**/v1/catalogue', async (route) => {
      const response = await route.fetch();
      const body = await response.json();
      body.service.investigationWorkingDays = 7;
      await route.fulfill({ response, json: body });
    });
    // Act
    await page.goto(url('/?proof=KINSHIP'));
    await waitReady(page);
    // Assert: the advice before submitting says 7, not 5.
    const advice = await page.locator('#treatment-notice .advice').textContent();
    expect(advice).toContain('7个工作日');
    expect(advice).not.toContain('5个工作日');
    await page.unroute('**/v1/catalogue');
    expect(errors).toEqual([]);
  });

  it('says plainly when the catalogue cannot be loaded or intake is busy (429)', async () => {
    const { page } = await openPage(suite.browser.context, 'api-failures');
    await page.route('**/v1/catalogue', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/problem+json',
        body: '{"status":503,"title":"down"}',
      }),
    );
    await page.goto(url('/'));
    await waitReady(page);
    expect(await page.locator('#kind-list [role="alert"]').textContent()).toContain('证明目录加载失败');
    await page.unroute('**/v1/catalogue');

    await page.route('**/v1/requests', (route) =>
      route.fulfill({
        status: 429,
        headers: { 'retry-after': '42', 'content-type': 'application/problem+json' },
        body: JSON.stringify({
          type: '/problems/too-many-requests',
          title: 'Too many requests',
          status: 429,
        }),
      }),
    );
    await page.goto(url('/?proof=IDENTITY'));
    await waitReady(page);
    await page.selectOption('#askedBy', 'BANK');
    await page.selectOption('[id="purpose.code"]', 'OTHER');
    await page.fill('[id="subject.name"]', P.zhangWei.name);
    await page.fill('[id="subject.idNumber"]', P.zhangWei.idNumber);
    await page.fill('[id="applicant.name"]', P.zhangWei.name);
    await page.fill('[id="applicant.idNumber"]', P.zhangWei.idNumber);
    await page.fill('[id="applicant.phone"]', '13800000000');
    await page.click('#submit');
    await expect.poll(() => page.locator('#error-summary').textContent()).toContain('42 秒后再试');
    expect(page.url()).toBe(url('/?proof=IDENTITY'));
  });
  it('answers a connected notary by exchange: no certificate, and the page says who got the answer', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'exchange');
    await page.goto(url('/?proof=KINSHIP'));
    await waitReady(page);
    await page.selectOption('#askedBy', 'NOTARY');
    await page.selectOption('[id="purpose.code"]', 'INHERITANCE');
    await page.fill('[id="subject.name"]', P.wangFang.name);
    await page.fill('[id="subject.idNumber"]', P.wangFang.idNumber);
    await page.fill('[id="relatedPerson.name"]', P.wangJianguo.name);
    await page.fill('[id="relatedPerson.idNumber"]', P.wangJianguo.idNumber);
    await page.selectOption('[id="relatedPerson.relation"]', 'FATHER');
    await page.fill('[id="applicant.name"]', P.wangFang.name);
    await page.fill('[id="applicant.idNumber"]', P.wangFang.idNumber);
    await page.fill('[id="applicant.phone"]', '13800000000');
    await submit(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('已通过信息流转答复');
    const decision = await page.locator('#decision').textContent();
    expect(decision).toContain('已将核查结果直接答复');
    // The notary's name as the policy gives it (公证机构; the pages keep no name table of their own).
    expect(decision).toContain(bodyOf(defaultPolicy, 'NOTARY')?.name.zh);
    expect(await page.locator('#certificate').isHidden()).toBe(true);
    expect(errors).toEqual([]);
  });

  // Last: it moves the stack's clock 8 days forward. The clock starts on Monday 2026-11-23 (stack.ts):
  // the deadline is the end of Monday 30 Nov (5 working days), level 1 runs to the end of Wednesday 2 Dec,
  // so Tuesday 1 Dec is inside level 1 whatever day the suite runs on.
  it('marks a request escalated past its deadline, in the console and on the status page', async () => {
    const { page } = await openPage(suite.browser.context, 'escalated');
    await page.goto(url('/?proof=KINSHIP'));
    await waitReady(page);
    await page.selectOption('#askedBy', 'COURT');
    await page.selectOption('[id="purpose.code"]', 'LITIGATION');
    await page.fill('[id="subject.name"]', P.zhaoLei.name);
    await page.fill('[id="subject.idNumber"]', P.zhaoLei.idNumber);
    await page.fill('[id="relatedPerson.name"]', P.zhaoMin.name);
    await page.fill('[id="relatedPerson.idNumber"]', P.zhaoMin.idNumber);
    await page.selectOption('[id="relatedPerson.relation"]', 'SISTER');
    await page.fill('[id="applicant.name"]', P.zhaoMin.name);
    await page.fill('[id="applicant.idNumber"]', P.zhaoMin.idNumber);
    await page.fill('[id="applicant.phone"]', '13800000000');
    const { requestId } = await submit(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('调查核实中');

    const post = (path: string, body: unknown) =>
      fetch(url(path), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('/_local/clock', { advance: 'P8D' })).status).toBe(200);
    expect((await post('/_local/sweep', {})).status).toBe(200);

    await page.reload();
    await waitReady(page);
    await expect.poll(() => badge(page), { timeout: 30_000 }).toBe('已超期，上级督办中');
    expect(await page.locator('#summary').textContent()).toContain('督办级别');

    const officer = await openPage(suite.browser.context, 'escalated-console');
    await officer.page.goto(url('/console?station=CC-YHL'));
    await waitReady(officer.page);
    await signInThroughProvider(officer.page, 'demo-officer', suite.stack.officerPassword);
    const row = officer.page.locator('#queue li', {
      has: officer.page.locator(`button[data-open="${requestId}"]`),
    });
    await row.waitFor();
    expect(await row.getAttribute('class')).toContain('escalated');
    expect(await row.textContent()).toContain('督办1级');
    await expectAccessible(officer.page);
  });
});
