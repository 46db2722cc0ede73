/**
 * `npm run screenshots`: starts the local stack in-process, files every demo scenario, lets one
 * investigation run past its deadline, then takes a screenshot of each page into docs/screenshots/
 * (PNG, 1100 px wide; the intake form also at phone size; the citizen pages `transparency-en`, `my-data-en`). Needs Chromium and, for readable Chinese,
 * a CJK font (Debian: fonts-noto-cjk or fonts-wqy-microhei).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { demoPeople as P } from '#local/demo/demo-people.ts';
import { demoScenarios } from '#local/demo/demo-scenarios.ts';
import { startLocalStack } from '#local/stack.ts';
import { chromiumPath, launchChromium, SKIP_MESSAGE } from './chromium.ts';
import { signInThroughProvider } from './sign-in.ts';

const OUT = process.argv[2] ?? 'docs/screenshots';

if (!chromiumPath) {
  console.error(SKIP_MESSAGE);
  process.exit(1);
}

const stack = await startLocalStack({
  port: 0,
  inMemory: true,
  testClock: true,
  clockStart: '2026-11-23T02:00:00Z',
  rateLimit: 0,
  logLevel: 'SILENT',
});
const base = stack.url;

async function post(body: unknown): Promise<{ requestId: string; accessToken: string }> {
  const response = await fetch(`${base}/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202)
    throw new Error(`intake answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { requestId: string; accessToken: string };
}

async function waitFor(id: string, token: string, done: (status: string) => boolean) {
  for (let i = 0; i < 200; i += 1) {
    const view = (await (
      await fetch(`${base}/v1/requests/${id}`, { headers: { authorization: `Bearer ${token}` } })
    ).json()) as { status: string };
    if (done(view.status)) return view;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`request ${id} did not settle`);
}

async function ready(page: Page) {
  await page.locator('html[data-ready]').waitFor({ timeout: 30_000 });
  await page.waitForTimeout(200);
}

try {
  await mkdir(OUT, { recursive: true });
  // Every demo scenario, so the dashboard has something to count.
  const filed = new Map<string, { requestId: string; accessToken: string }>();
  for (const scenario of demoScenarios) {
    const accepted = await post(scenario.body);
    filed.set(scenario.id, accepted);
    await waitFor(accepted.requestId, accepted.accessToken, (s) => s !== 'RECEIVED' && s !== 'CHECKING');
  }
  // Investigations: one confirmed in time, the others run a week past their deadline (warned, then
  // escalated), and one of those is confirmed late — so the on-time rate has something to show.
  const investigations = demoScenarios
    .filter((s) => s.expected.outcome === 'INVESTIGATE')
    .map((s) => filed.get(s.id))
    .filter((a) => a !== undefined);
  const confirm = async (a: { requestId: string; accessToken: string }) => {
    await waitFor(a.requestId, a.accessToken, (s) => s === 'INVESTIGATING' || s === 'ESCALATED');
    const response = await fetch(`${base}/v1/requests/${a.requestId}/findings`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${stack.credentials.officerToken}`,
      },
      body: JSON.stringify({ outcome: 'CONFIRMED', facts: { method: 'visit' }, note: '走访核实属实' }),
    });
    if (response.status !== 202)
      throw new Error(`finding answered ${response.status}: ${await response.text()}`);
    await waitFor(a.requestId, a.accessToken, (s) => s === 'ISSUED');
  };
  const [onTime, late] = investigations;
  if (onTime) await confirm(onTime);
  await fetch(`${base}/_local/clock`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advance: 'P8D' }),
  });
  await stack.sweep();
  if (late) await confirm(late);
  // A fresh investigation stays in the queue (due in 5 working days).
  const fresh = await post({
    proof: 'KINSHIP',
    purpose: { code: 'LITIGATION' },
    askedBy: 'COURT',
    subject: { name: P.zhaoLei.name, idNumber: P.zhaoLei.idNumber },
    relatedPerson: { name: P.zhaoMin.name, idNumber: P.zhaoMin.idNumber, relation: 'SISTER' },
    applicant: { kind: 'SELF', name: P.zhaoMin.name, idNumber: P.zhaoMin.idNumber, phone: '13800000000' },
  });
  await waitFor(fresh.requestId, fresh.accessToken, (s) => s === 'INVESTIGATING');

  const browser = await launchChromium({ viewport: { width: 1100, height: 900 } });
  const page = await browser.context.newPage();
  const shot = async (name: string) => {
    await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });
    console.log(`wrote ${join(OUT, `${name}.png`)}`);
  };

  // 1. The intake form, a kind chosen: its treatment is shown before submitting.
  await page.goto(`${base}/?proof=KINSHIP`);
  await ready(page);
  await page.selectOption('#askedBy', 'NOTARY');
  await page.selectOption('[id="purpose.code"]', 'STUDY_ABROAD');
  await page.fill('[id="subject.name"]', P.huangXiaoyu.name);
  await page.fill('[id="subject.idNumber"]', P.huangXiaoyu.idNumber);
  await page.fill('[id="relatedPerson.name"]', P.huangLi.name);
  await page.fill('[id="relatedPerson.idNumber"]', P.huangLi.idNumber.slice(0, 17));
  await page.locator('[id="relatedPerson.idNumber"]').blur();
  await shot('intake');
  await page.goto(`${base}/?proof=IDENTITY`);
  await ready(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.locator('#treatment').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(OUT, 'intake-phone.png') });
  console.log(`wrote ${join(OUT, 'intake-phone.png')}`);
  await page.setViewportSize({ width: 1100, height: 900 });

  // 2. Status pages: declined (Ms Huang), issued on the spot (certificate, QR), investigating.
  const statusUrl = (a: { requestId: string; accessToken: string }) =>
    `${base}/requests/${a.requestId}#token=${encodeURIComponent(a.accessToken)}`;
  const huang = filed.get('huang-kinship');
  const nameChange = filed.get('name-change');
  if (!huang || !nameChange) throw new Error('demo scenarios missing');
  await page.goto(statusUrl(huang));
  await ready(page);
  await shot('status-declined');
  await page.goto(statusUrl(nameChange));
  await ready(page);
  await page.locator('#qr svg').waitFor();
  await shot('status-issued');
  await page.emulateMedia({ media: 'print' });
  await shot('status-issued-print');
  await page.emulateMedia({ media: 'screen' });
  await page.goto(statusUrl(fresh));
  await ready(page);
  await shot('status-investigating');

  // 3. Verification, through the certificate's own link.
  const link = await page.goto(statusUrl(nameChange)).then(async () => {
    await ready(page);
    return page.locator('#verify-link').getAttribute('href');
  });
  await page.goto(`${base}${link}`);
  await ready(page);
  await shot('verify');

  // 4. The officer console: the station's queue and one request.
  await page.goto(`${base}/console?station=CC-YHL`);
  await ready(page);
  await signInThroughProvider(page, 'demo-officer', stack.credentials.officerPassword);
  await page.locator(`button[data-open="${fresh.requestId}"]`).click();
  await page.locator('#detail-body').waitFor();
  // Claimed, and the full ID numbers revealed with a reason (an audited event in the history).
  await page.click('#claim');
  await page.locator('#casework-status').filter({ hasText: 'demo-officer' }).waitFor();
  await page.fill('#reveal-reason', '核对兄妹关系（走访前）');
  await page.click('#reveal-submit');
  await page.locator('#revealed').waitFor();
  await page.waitForTimeout(300);
  await shot('console');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: join(OUT, 'console-phone.png') });
  console.log(`wrote ${join(OUT, 'console-phone.png')}`);
  await page.setViewportSize({ width: 1100, height: 900 });
  // Confirmed: the certificate in the console, and what the counter prints.
  await page.fill('#finding-note', '经走访核实，二人为兄妹。');
  await page.click('#finding-submit');
  await page.locator('#console-certificate').waitFor({ state: 'visible', timeout: 30_000 });
  await page.waitForTimeout(300);
  await shot('console-certificate');
  await page.emulateMedia({ media: 'print' });
  await shot('console-certificate-print');
  await page.emulateMedia({ media: 'screen' });

  // 5. The dashboard.
  await page.goto(`${base}/dashboard`);
  await ready(page);
  await signInThroughProvider(page, 'demo-supervisor', stack.credentials.supervisorPassword);
  await page.locator('#stat-avoided').waitFor();
  await page.waitForTimeout(300);
  await page.locator('#sup-lists ul').first().waitFor();
  await page.waitForTimeout(300);
  await shot('dashboard');
  // Supervision: an overdue request opened from the list, with its audit trail.
  await page.locator('#sup-lists button[data-open]').first().click();
  await page.locator('#sup-trail').waitFor();
  await page.locator('#sup-detail').screenshot({ path: join(OUT, 'dashboard-supervision.png') });
  console.log(`wrote ${join(OUT, 'dashboard-supervision.png')}`);
  await page.click('#lang-toggle');
  await shot('dashboard-en');

  // 6. The citizen pages (in English, as the dashboard was left): the abolished-demand tracker, then
  //    王建国 signed in with the code from the SMS outbox — who asked about him, his links.
  await page.goto(`${base}/transparency`);
  await ready(page);
  await page.locator('#lines').waitFor();
  await shot('transparency-en');
  await page.goto(`${base}/my-data`);
  await ready(page);
  await page.fill('#id-number', P.wangJianguo.idNumber);
  await page.fill('#phone', '13800000000');
  await page.click('#ask-submit');
  await page.locator('#code-form').waitFor({ state: 'visible' });
  const box = (await (await fetch(`${base}/_local/notifications?to=%2B8613800000000`)).json()) as {
    messages: { key: string; text: string }[];
  };
  const code = box.messages.find((m) => m.key === 'recoveryCode')?.text.match(/\d{6}/)?.[0] ?? '';
  await page.fill('#code', code);
  await page.click('#code-submit');
  await page.locator('#signed-in').waitFor({ state: 'visible' });
  await shot('my-data-en');

  await browser.close();
} finally {
  await stack.end();
}
