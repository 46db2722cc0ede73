/**
 * The citizen pages in Chromium against the real local stack: /my-data (sign in with ID number, phone and
 * the code from the SMS outbox, who asked about me, lost links; "lost your link?" from the status page)
 * and /transparency (the abolished-demand tracker), each with axe checks.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { signedHeaders } from '#shared/webhooks/signature.ts';
import { chromiumPath } from './chromium.ts';
import { expectAccessible, openPage, skipUnlessChromium, useBrowserSuite, waitReady } from './helpers.ts';

skipUnlessChromium();

describe.runIf(chromiumPath)('the citizen pages in Chromium', () => {
  const suite = useBrowserSuite();
  const url = suite.url;

  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(url(path), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { requestId: string; accessToken: string },
    };
  }

  /** Files the demo scenario with `phone`, as the applicant would at the form. */
  async function file(id: string, phone: string): Promise<string> {
    const body = structuredClone(demoScenarios.find((s) => s.id === id)!.body) as {
      applicant: Record<string, unknown>;
    };
    body.applicant.phone = phone;
    const answer = await post('/v1/requests', body);
    expect(answer.status).toBe(202);
    const { requestId, accessToken } = answer.body;
    await expect
      .poll(
        async () =>
          (
            (await (
              await fetch(url(`/v1/requests/${requestId}`), {
                headers: { authorization: `Bearer ${accessToken}` },
              })
            ).json()) as { status: string }
          ).status,
        { timeout: 20_000 },
      )
      .toBe('DECLINED');
    return requestId as string;
  }

  async function codeFor(phone: string): Promise<string> {
    let code: string | undefined;
    await expect
      .poll(
        async () => {
          const box = (await (await fetch(url(`/_local/notifications?to=%2B86${phone}`))).json()) as {
            messages: { key: string; text: string }[];
          };
          code = box.messages.find((m) => m.key === 'recoveryCode')?.text.match(/\d{6}/)?.[0];
          return code;
        },
        { timeout: 10_000 },
      )
      .toMatch(/^\d{6}$/);
    return code!;
  }

  it('signs a citizen in with the SMS code, shows who asked about them and gives back their links', async () => {
    const phone = '13911110001';
    const requestId = await file('identity', phone);
    // A department asks about the person with no legal purpose.
    const raw = JSON.stringify({
      question: 'HUKOU_STATUS',
      subject: { idNumber: P.zhangWei.idNumber },
      purpose: '随便问问',
      reference: 'N-77',
    });
    const asked = await fetch(url('/v1/exchange/queries?department=NOTARY'), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...signedHeaders(
          [suite.stack.departments.NOTARY!.secret],
          `msg_${randomUUID()}`,
          await stackSeconds(),
          raw,
        ),
      },
      body: raw,
    });
    expect(asked.status).toBe(200);

    // "Lost your link?" on the status page leads to /my-data.
    const { page, errors } = await openPage(suite.browser.context, 'my-data');
    await page.goto(url(`/requests/${requestId}`));
    await waitReady(page);
    await page.click('#lost-link');
    await page.waitForURL(/\/my-data#links$/);
    await waitReady(page);
    await expectAccessible(page);
    // Empty fields are named, then the pair asks for a code.
    await page.click('#ask-submit');
    expect(await page.locator('#id-number-error').isVisible()).toBe(true);
    await page.fill('#id-number', P.zhangWei.idNumber);
    await page.fill('#phone', phone);
    await page.click('#ask-submit');
    await page.locator('#code-form').waitFor({ state: 'visible' });
    await expectAccessible(page);
    // A wrong code is refused, the right one from the outbox signs in.
    const code = await codeFor(phone);
    await page.fill('#code', code === '000000' ? '111111' : '000000');
    await page.click('#code-submit');
    await expect.poll(() => page.locator('#message [role="alert"]').textContent()).toContain('验证码不正确');
    await page.fill('#code', code);
    await page.click('#code-submit');
    await page.locator('#signed-in').waitFor({ state: 'visible' });
    const rows = page.locator('#tracker-table tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#tracker-table').textContent()).toContain('公证机构');
    expect(await page.locator('#tracker-table tr.no-purpose').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#without-purpose').isVisible()).toBe(true);
    // The answer in words, not the API's keys and codes.
    // (The notary's query without a legal purpose, the one row so marked.)
    const answer = page.locator('#tracker-table tbody tr.no-purpose td:nth-child(5)');
    expect(await answer.textContent()).toContain('户籍在册：是');
    expect(await answer.textContent()).toContain('户籍状态：正常');
    expect(await answer.textContent()).not.toMatch(/onRecord|ACTIVE|"/);
    const link = page.locator(`#request-links a[href^="/requests/${requestId}#token="]`);
    expect(await link.count()).toBe(1);
    expect(await page.content()).not.toContain(
      P.zhangWei.idNumber.slice(6, 14) + P.zhangWei.idNumber.slice(14),
    );
    await expectAccessible(page);
    // English, then the link works.
    await page.click('#lang-toggle');
    expect(await page.locator('#tracker-title').textContent()).toBe('Who asked about me');
    expect(await page.locator('#tracker-table').textContent()).toContain('no legal purpose stated');
    expect(await answer.textContent()).toContain('on the registry: yes; hukou status: active');
    await expectAccessible(page);
    await link.click();
    await page.waitForURL(new RegExp(`/requests/${requestId}#token=`));
    await waitReady(page);
    await expect.poll(() => page.locator('#status-badge').isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('shows the abolished-demand tracker with a chart and the table', async () => {
    await file('identity', '13911110002');
    await file('unlisted-county-demand', '13911110002');
    const { page, errors } = await openPage(suite.browser.context, 'transparency');
    await page.goto(url('/transparency'));
    await waitReady(page);
    await page.locator('#lines').waitFor();
    const text = (await page.locator('#lines').textContent()) ?? '';
    expect(text).toMatch(/银行|the bank/);
    expect(await page.locator('figure.chart svg[role="img"]').count()).toBe(1);
    await expectAccessible(page);
    const english = 'Bodies still demanding abolished certificates';
    const before = await page.locator('h1').textContent();
    await page.click('#lang-toggle');
    await expect
      .poll(() => page.locator('h1').textContent())
      .toBe(before === english ? '违规索要证明公示' : english);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  async function stackSeconds(): Promise<number> {
    const health = (await (await fetch(url('/healthz'))).json()) as { now: string };
    return Math.floor(Date.parse(health.now) / 1000);
  }
});
