/**
 * The web pages in Debian's Chromium against the real local stack (in-process, in-memory, test clock):
 * a declined request, one issued on the spot and verified on /verify, one investigated and confirmed from
 * the officer console, the dashboard's counts, field errors, the idempotent double submission, English,
 * the phone layout — and an axe-core accessibility check of every page.
 *
 * Without Chromium the whole file is skipped with a message saying how to install it.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { demoPeople as P } from '#local/demo/demo-people.ts';
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

interface Person {
  readonly name: string;
  readonly idNumber: string;
}

interface IntakeInput {
  readonly proof: string;
  readonly askedBy: string;
  readonly purpose: string;
  readonly subject: Person;
  readonly related?: Person & { readonly relation: string };
  readonly applicant: Person;
}

async function fillIntake(page: Page, input: IntakeInput): Promise<void> {
  await page.locator(`#proof-${input.proof}`).check();
  await page.selectOption('#askedBy', input.askedBy);
  await page.selectOption('[id="purpose.code"]', input.purpose);
  await page.fill('[id="subject.name"]', input.subject.name);
  await page.fill('[id="subject.idNumber"]', input.subject.idNumber);
  if (input.related) {
    await page.fill('[id="relatedPerson.name"]', input.related.name);
    await page.fill('[id="relatedPerson.idNumber"]', input.related.idNumber);
    await page.selectOption('[id="relatedPerson.relation"]', input.related.relation);
  }
  await page.fill('[id="applicant.name"]', input.applicant.name);
  await page.fill('[id="applicant.idNumber"]', input.applicant.idNumber);
  await page.fill('[id="applicant.phone"]', '13800000000');
}

/** Submits and waits for the status page; returns the request id from the URL. */
async function submitAndOpenStatus(page: Page): Promise<string> {
  await page.click('#submit');
  await page.waitForURL(/\/requests\/[^/#]+#token=/);
  await waitReady(page);
  const match = /\/requests\/([^/#]+)#token=/.exec(page.url());
  if (!match?.[1]) throw new Error(`unexpected status URL ${page.url()}`);
  return decodeURIComponent(match[1]);
}

async function waitForStatus(page: Page, text: string): Promise<void> {
  await expect.poll(async () => page.locator('#status-badge').textContent(), { timeout: 30_000 }).toBe(text);
}

describe.runIf(chromiumPath)('web pages in Chromium', () => {
  const suite = useBrowserSuite();
  const url = suite.url;

  it('shows each kind’s treatment before submitting, and files a declined request (Ms Huang’s kinship)', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'declined');
    await page.goto(url('/'));
    await waitReady(page);
    await expectAccessible(page);

    // Prepare: the catalogue tells the citizen at once that "prove that I am me" needs no certificate.
    await page.fill('#kind-search', '身份');
    await page.locator('#proof-IDENTITY').check();
    await expect.poll(() => page.locator('#treatment').textContent()).toContain('您不需要开具证明');
    expect(await page.locator('#related-fieldset').isHidden()).toBe(true);
    await page.fill('#kind-search', '');

    // Act: the mother–daughter certificate of one household, for the notary.
    await fillIntake(page, {
      proof: 'KINSHIP',
      askedBy: 'NOTARY',
      purpose: 'STUDY_ABROAD',
      subject: P.huangXiaoyu,
      related: { ...P.huangLi, relation: 'MOTHER' },
      applicant: P.huangLi,
    });
    expect(await page.locator('#related-fieldset').isVisible()).toBe(true);
    expect(await page.locator('#event-fieldset').isHidden()).toBe(true);
    await expect
      .poll(() => page.locator('[id="subject.idNumber-error"]').textContent())
      .toContain('校验通过');
    const requestId = await submitAndOpenStatus(page);

    // Assess: declined under rule 5 (the booklet shows the relation to the head), with reason and guidance, and the trail.
    await waitForStatus(page, '不予出具');
    const decision = await page.locator('#decision').textContent();
    expect(decision).toContain('户口簿、身份证可证明');
    // Codes never show to citizens: no rule id on the page.
    expect(decision).not.toContain('jilin-2021/R5-booklet-shows-relation-to-head');
    expect(await page.locator('#summary').textContent()).toContain(requestId);
    expect(await page.locator('#timeline li').count()).toBeGreaterThanOrEqual(2);
    // The decline is a written reply (书面告知), printable and verifiable like a certificate.
    expect(await page.locator('#certificate-title').textContent()).toBe('不予出具证明书面告知书');
    const reply = (await page.locator('#certificate-statement').textContent()) ?? '';
    expect(reply).toContain('救济途径');
    expect(reply).toContain('可凭');
    await expectAccessible(page);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#certificate-statement').isVisible()).toBe(true);
    await page.emulateMedia({ media: 'screen' });

    // The token lives in the fragment and in sessionStorage: a reload without the fragment still works.
    await page.goto(url(`/requests/${requestId}`));
    await waitReady(page);
    await waitForStatus(page, '不予出具');
    expect(errors).toEqual([]);
  });

  it('issues a name-change certificate on the spot, prints it and verifies it on /verify', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'on-the-spot');
    await page.goto(url('/'));
    await waitReady(page);
    await fillIntake(page, {
      proof: 'NAME_CHANGE',
      askedBy: 'EMPLOYER',
      purpose: 'EMPLOYMENT',
      subject: P.chenSiyuan,
      applicant: P.chenSiyuan,
    });
    await submitAndOpenStatus(page);
    await waitForStatus(page, '已出具证明');

    const number = (await page.locator('#certificate-number').textContent()) ?? '';
    const code = (await page.locator('#verification-code').textContent()) ?? '';
    expect(number).not.toBe('');
    expect(code).not.toBe('');
    // The QR code points at the verification page with both.
    await page.locator('#qr svg').waitFor();
    const qrTarget = await page.locator('#qr').getAttribute('data-url');
    expect(qrTarget).toBe(
      url(`/verify?number=${encodeURIComponent(number)}&code=${encodeURIComponent(code)}`),
    );
    await expectAccessible(page);

    // The print view drops the page furniture and keeps the certificate.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.site-header').isHidden()).toBe(true);
    expect(await page.locator('#print').isHidden()).toBe(true);
    expect(await page.locator('#certificate').isVisible()).toBe(true);
    // It says what it certifies: the statement of the kind's form with the full name and ID number.
    const statement = (await page.locator('#certificate-statement').textContent()) ?? '';
    expect(statement).toContain(`兹证明：${P.chenSiyuan.name}（公民身份号码：${P.chenSiyuan.idNumber}）`);
    expect(statement).toContain(`证明编号：${number}`);
    await expectAccessible(page);
    await page.emulateMedia({ media: 'screen' });

    // Verify through the link, as the asking body would.
    await page.click('#verify-link');
    await page.waitForURL(/\/verify\?/);
    await waitReady(page);
    await expect.poll(() => page.locator('#verify-outcome').textContent()).toContain('证明真实有效');
    expect(await page.locator('#verify-subject').textContent()).toBe('陈*远');
    // The masked statement, to check against the paper.
    const masked = (await page.locator('#verify-statement').textContent()) ?? '';
    expect(masked).toContain('兹证明：陈*远');
    expect(masked).not.toContain(P.chenSiyuan.idNumber);
    await expectAccessible(page);

    // A wrong code is "not found", said plainly.
    await page.fill('#code', 'AAAAAAAAAA');
    await page.click('#verify-form button[type=submit]');
    await expect.poll(() => page.locator('#result').textContent()).toContain('编号或查验码不正确');
    expect(errors).toEqual([]);
  });

  it('investigates a kinship not on record, then an officer confirms it from the console', async () => {
    const citizen = await openPage(suite.browser.context, 'investigated-citizen');
    const page = citizen.page;
    await page.goto(url('/'));
    await waitReady(page);
    await fillIntake(page, {
      proof: 'KINSHIP',
      askedBy: 'COURT',
      purpose: 'LITIGATION',
      subject: P.zhaoLei,
      related: { ...P.zhaoMin, relation: 'SISTER' },
      applicant: P.zhaoMin,
    });
    const requestId = await submitAndOpenStatus(page);
    await waitForStatus(page, '调查核实中');
    expect(await page.locator('#summary').textContent()).toContain('北京时间');

    // The officer signs in, loads the station's queue and opens the request.
    const officer = await openPage(suite.browser.context, 'investigated-console');
    const console = officer.page;
    await console.goto(url('/console'));
    await waitReady(console);
    await expectAccessible(console);
    await signInThroughProvider(console, 'demo-officer', suite.stack.officerPassword);
    // The station picker offers the stations the officer acts for (GET /v1/stations).
    await expect
      .poll(() =>
        console
          .locator('#station-list option')
          .evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value)),
      )
      .toEqual(['CC-YHL', 'CC-GLL', 'JL-DSL']);
    expect(await console.locator('#station-list option[value="CC-YHL"]').getAttribute('label')).toContain(
      '义和路派出所',
    );
    await console.fill('#station', 'CC-YHL');
    await console.click('#station-form button[type=submit]');
    const open = console.locator(`button[data-open="${requestId}"]`);
    await open.waitFor();
    await open.click();
    await expect.poll(() => console.locator('#detail-facts').textContent()).toContain(requestId);
    // The filed facts (the API's `input` for staff): related person and applicant, ID numbers masked.
    const facts = (await console.locator('#detail-facts').textContent()) ?? '';
    const masked = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;
    expect(facts).toContain(P.zhaoMin.name);
    expect(facts).toContain(masked(P.zhaoMin.idNumber));
    expect(facts).not.toContain(P.zhaoMin.idNumber);
    expect(facts).not.toContain(P.zhaoLei.idNumber);
    await expectAccessible(console);

    // Record the finding.
    await console.check('#outcome-confirmed');
    await console.fill('#finding-facts', '调查方式：走访邻居\n结论：兄妹关系属实');
    await console.fill('#finding-note', '经走访核实，二人为兄妹。');
    await console.click('#finding-submit');
    await expect.poll(() => console.locator('#finding-status').textContent()).toBe('已记录核实结果。');

    // The citizen's page (polling) shows the certificate.
    await page.reload();
    await waitReady(page);
    await waitForStatus(page, '已出具证明');
    expect(await page.locator('#certificate-number').textContent()).not.toBe('');
    expect(citizen.errors).toEqual([]);
    expect(officer.errors).toEqual([]);
  });

  it('shows the dashboard’s counts as the API reports them', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'dashboard');
    await page.goto(url('/dashboard'));
    await waitReady(page);
    await signInThroughProvider(page, 'demo-supervisor', suite.stack.supervisorPassword);
    await page.locator('#stat-avoided').waitFor();
    const summary = (await (
      await fetch(url('/v1/metrics/summary'), {
        headers: { authorization: `Bearer ${suite.stack.supervisorToken}` },
      })
    ).json()) as { certificatesAvoided: number; tripsSaved: number; yuanSaved: number };
    // The earlier tests filed one declined request (an avoided certificate) at least.
    expect(summary.certificatesAvoided).toBeGreaterThanOrEqual(1);
    const shown = async (id: string) =>
      Number(((await page.locator(`#${id} .value`).textContent()) ?? '').replace(/[^\d.]/g, ''));
    expect(await shown('stat-avoided')).toBe(summary.certificatesAvoided);
    expect(await shown('stat-trips')).toBe(summary.tripsSaved);
    expect(await shown('stat-yuan')).toBe(summary.yuanSaved);
    expect(await page.locator('#charts svg[role="img"]').count()).toBeGreaterThanOrEqual(3);
    // The summary's 30-day series (finished requests per Beijing day) is drawn as the per-day chart.
    expect((summary as unknown as { series: unknown[] }).series).toHaveLength(30);
    const perDay = page.locator('#charts figure', { hasText: '每日申请' });
    await expect.poll(() => perDay.count()).toBe(1);
    expect(await perDay.locator('svg[role="img"]').getAttribute('aria-label')).toMatch(/^每日申请/);
    await expectAccessible(page);
    expect(errors).toEqual([]);
  });

  it('files once when the answer to the first submission is lost and the citizen submits again', async () => {
    const { page } = await openPage(suite.browser.context, 'idempotent');
    await page.goto(url('/'));
    await waitReady(page);
    await fillIntake(page, {
      proof: 'GOOD_CONDUCT',
      askedBy: 'EMPLOYER',
      purpose: 'EMPLOYMENT',
      subject: P.zhangWei,
      applicant: P.zhangWei,
    });
    const keys: string[] = [];
    const accepted: string[] = [];
    await page.route('**/v1/requests', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      const response = await route.fetch();
      accepted.push(((await response.json()) as { requestId: string }).requestId);
      // The first answer never reaches the page, as on a dropped connection.
      if (accepted.length === 1) await route.abort('connectionreset');
      else await route.fulfill({ response });
    });
    await page.click('#submit');
    await expect.poll(() => page.locator('#error-summary').isVisible()).toBe(true);
    // A double click on the retry sends one request: the button is disabled while it is in flight.
    await page.dblclick('#submit');
    await page.waitForURL(/\/requests\//);
    expect(keys).toHaveLength(2);
    expect(keys[0]).toBe(keys[1]);
    expect(new Set(accepted).size).toBe(1);
    expect(page.url()).toContain(`/requests/${accepted[0]}`);
  });

  it('shows the API’s problem+json errors at their fields', async () => {
    const { page } = await openPage(suite.browser.context, 'field-errors');
    await page.goto(url('/'));
    await waitReady(page);
    // The same person as subject and related person passes the page's own checks; the API refuses it.
    await fillIntake(page, {
      proof: 'KINSHIP',
      askedBy: 'BANK',
      purpose: 'INHERITANCE',
      subject: P.wangFang,
      related: { ...P.wangFang, relation: 'FATHER' },
      applicant: P.wangFang,
    });
    await page.click('#submit');
    const error = page.locator('[id="relatedPerson.idNumber-error"]');
    await expect.poll(() => error.textContent()).toContain('同一人');
    expect(await page.locator('[id="relatedPerson.idNumber"]').getAttribute('aria-invalid')).toBe('true');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('error-summary');
    await expectAccessible(page);
    // In English the API's answer is shown again in English, at the field and in the summary.
    await page.click('#lang-toggle');
    await expect
      .poll(() => error.textContent())
      .toContain('someone other than the person the certificate is about');
    expect(await page.locator('#error-summary-list').textContent()).toContain(
      'someone other than the person the certificate is about',
    );
    expect(await page.locator('#error-summary-list').textContent()).not.toContain('同一人');
    await page.click('#lang-toggle');
    await expect.poll(() => error.textContent()).toContain('同一人');
  });

  it('shows its own field errors again in the other language, and keeps what was typed', async () => {
    const { page, errors } = await openPage(suite.browser.context, 'field-errors-language');
    await page.goto(url('/?lang=zh'));
    await waitReady(page);
    await page.fill('[id="subject.name"]', P.wangFang.name);
    await page.click('#submit');
    const summary = page.locator('#error-summary');
    await expect.poll(() => summary.isVisible()).toBe(true);
    expect(await summary.textContent()).toContain('此项必填');
    // Corrected since the submit: the kind. Switching language shows what is still wrong, in English.
    await page.locator('#proof-NAME_CHANGE').check();
    await page.click('#lang-toggle');
    await expect.poll(() => summary.textContent()).toContain('This is required');
    const text = (await summary.textContent()) ?? '';
    expect(text).not.toMatch(/[\u3400-\u9fff]/);
    expect(text).not.toContain('Choose what');
    expect(await page.locator('[id="askedBy-error"]').textContent()).toBe('This is required');
    expect(await page.locator('[id="subject.name"]').inputValue()).toBe(P.wangFang.name);
    expect(await page.locator('#proof-NAME_CHANGE').isChecked()).toBe(true);
    // The focus stays on the switch (only a submit moves it to the summary).
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('lang-toggle');
    await page.click('#lang-toggle');
    await expect.poll(() => page.locator('[id="askedBy-error"]').textContent()).toBe('此项必填');
    expect(errors).toEqual([]);
  });

  it('checks ID numbers as they are typed', async () => {
    const { page } = await openPage(suite.browser.context, 'id-check');
    await page.goto(url('/'));
    await waitReady(page);
    const input = page.locator('[id="subject.idNumber"]');
    const message = page.locator('[id="subject.idNumber-error"]');
    const wrongCheckDigit = `${P.wangFang.idNumber.slice(0, 17)}${P.wangFang.idNumber[17] === '0' ? '1' : '0'}`;
    await input.fill(wrongCheckDigit);
    await expect.poll(() => message.textContent()).toContain('校验位错误');
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await input.fill(P.wangFang.idNumber.toLowerCase());
    await expect.poll(() => message.textContent()).toContain('校验通过');
    await input.fill('2201041980A');
    await expect.poll(() => message.textContent()).toContain('只能包含数字');
  });

  it('switches to English and back, and keeps the choice', async () => {
    const { page } = await openPage(suite.browser.context, 'english');
    await page.goto(url('/verify'));
    await waitReady(page);
    await page.click('#lang-toggle');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.locator('h1').textContent()).toBe('Verify a certificate');
    await expectAccessible(page);
    await page.goto(url('/'));
    await waitReady(page);
    expect(await page.locator('h1').textContent()).toBe('Apply for a certificate');
    await expect.poll(() => page.locator('#kind-list').textContent()).toContain('Kinship');
    await expectAccessible(page);
    await page.click('#lang-toggle');
    expect(await page.locator('h1').textContent()).toBe('申请证明');
  });

  it('fits a phone screen without sideways scrolling', async () => {
    const { page } = await openPage(suite.browser.context, 'phone');
    await page.setViewportSize({ width: 360, height: 740 });
    for (const path of ['/', '/verify', '/console', '/dashboard', '/my-data', '/transparency', '/api']) {
      await page.goto(url(path));
      await waitReady(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
  });
});
