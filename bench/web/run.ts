/**
 * `npm run bench:web`: for each page, the bytes a browser transfers (HTML, JavaScript and CSS, brotli and
 * gzip) and the time to interactive in Chromium, against the real local stack started in-process
 * (or a running one: CERTFLOW_BROWSER_STACK=http://127.0.0.1:4000). Prints figures; never fails on them.
 * Aim: under 100 KB of compressed JavaScript per page.
 */
import { demoScenarios } from '#shared/registry/demo-scenarios.ts';
import { chromiumPath } from '../../tests/browser/chromium.ts';
import { startStack } from '../../tests/browser/stack.ts';
import { kb, timeToInteractive, transferSizes } from './measure.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const JS_BUDGET = 100 * 1024;

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok)
    throw new Error(`${init?.method ?? 'GET'} ${url} → ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

const stack = await startStack();
try {
  const base = stack.baseUrl;
  // An issued certificate, so the status and verification pages show everything they can.
  const scenario = demoScenarios.find((s) => s.id === 'name-change');
  if (!scenario) throw new Error('demo scenario name-change is missing');
  const accepted = await json<{ requestId: string; accessToken: string }>(`${base}/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(scenario.body),
  });
  let certificate: { number: string; verificationCode: string } | undefined;
  for (let i = 0; i < 100 && !certificate; i += 1) {
    const view = await json<{ certificate?: { number: string; verificationCode: string } }>(
      `${base}/v1/requests/${accepted.requestId}`,
      { headers: { authorization: `Bearer ${accepted.accessToken}` } },
    );
    certificate = view.certificate;
    if (!certificate) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!certificate) throw new Error('the demo request was not issued');

  const pages: { name: string; path: string; session?: Record<string, string> }[] = [
    { name: 'intake /', path: '/' },
    {
      name: 'status /requests/{id}',
      path: `/requests/${accepted.requestId}#token=${encodeURIComponent(accepted.accessToken)}`,
    },
    {
      name: 'verify /verify',
      path: `/verify?number=${encodeURIComponent(certificate.number)}&code=${encodeURIComponent(certificate.verificationCode)}`,
    },
    {
      name: 'console /console',
      path: '/console?station=CC-GLL',
      session: { 'certflow.officerToken': stack.officerToken },
    },
    {
      name: 'dashboard /dashboard',
      path: '/dashboard',
      session: { 'certflow.supervisorToken': stack.supervisorToken },
    },
    { name: 'api /api', path: '/api' },
  ];

  console.log(`certflow web pages against ${base}`);
  console.log(
    chromiumPath
      ? `time to interactive: median of ${RUNS} cold loads in ${chromiumPath} (certflow-ready mark)`
      : 'time to interactive: not measured (Chromium is not installed: apt-get install chromium)',
  );
  const rows: string[][] = [
    ['page', 'HTML br', 'JS br', 'JS gzip', 'JS raw', 'CSS br', 'total br', 'requests', 'DCL ms', 'TTI ms'],
  ];
  for (const page of pages) {
    const url = new URL(page.path, base).href;
    const br = await transferSizes(url, 'br');
    const gzip = await transferSizes(url, 'gzip');
    const timing = await timeToInteractive(url, {
      runs: RUNS,
      ...(page.session ? { session: page.session } : {}),
    });
    rows.push([
      page.name,
      kb(br.html),
      kb(br.js),
      kb(gzip.js),
      kb(br.jsRaw),
      kb(br.css),
      kb(br.html + br.js + br.css),
      String(br.requests),
      timing ? timing.domContentLoadedMs.toFixed(0) : '—',
      timing ? timing.interactiveMs.toFixed(0) : '—',
    ]);
    if (gzip.js > JS_BUDGET)
      console.log(`  note: ${page.name} ships ${kb(gzip.js)} of gzip JavaScript, over the 100 KB aim`);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  for (const row of rows) console.log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
} finally {
  await stack.stop();
}
