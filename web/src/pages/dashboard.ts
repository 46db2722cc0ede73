/**
 * The supervisors' dashboard (/dashboard): GET /v1/metrics/summary drawn as inline-SVG charts — counts by
 * outcome and status (and over time when the summary has a series), the on-time rate, escalations and
 * overdue requests, and what the reform saved (certificates avoided, trips and yuan saved). The supervisor
 * signs in with OpenID Connect (code + PKCE, lib/oidc.ts; the session in sessionStorage only, ending with
 * the access token) and the access token is sent along.
 */
import { api } from '../lib/api.ts';
import { catalogue, investigationDays, loadCatalogue } from '../lib/catalogue.ts';
import { type Bar, barChart, columnChart, ringChart, type SeriesPoint } from '../lib/charts.ts';
import { loadComplaintSupervision, renderComplaintSupervision } from '../lib/complaint-supervision.ts';
import { byId, clear, h } from '../lib/dom.ts';
import { beijingDate, beijingDateTime, number } from '../lib/format.ts';
import { type Dictionary, onLangChange, t } from '../lib/i18n.ts';
import { label, OUTCOMES, STATUSES } from '../lib/labels.ts';
import { beginSignIn, completeSignIn, signOut as endSession, session } from '../lib/oidc.ts';
import { markReady, problemMessage, startPage } from '../lib/page.ts';
import { fillStations, loadSupervision, renderSupervision, startSupervision } from '../lib/supervision.ts';
import type { MetricsSummary, Stations } from '../lib/types.ts';

const DICT: Dictionary = {
  'dashboard.title': { zh: '监督看板', en: 'Dashboard' },
  'dashboard.lead': {
    zh: '全部申请的办理结果、按期办结率、超期督办，以及改革为群众节省了什么。',
    en: 'Outcomes of all requests, the on-time rate, escalations, and what the reform saved citizens.',
  },
  'dashboard.loginTitle': { zh: '登录', en: 'Sign in' },
  'dashboard.signInHint': {
    zh: '按派出所的数字需要督导员登录（本地演示：demo-supervisor，密码见 demo-credentials.json 的 supervisorPassword）。',
    en: 'Per-station figures need a supervisor sign-in (local demo: demo-supervisor, password supervisorPassword in demo-credentials.json).',
  },
  'dashboard.expired': { zh: '登录已到期，请重新登录。', en: 'Your sign-in expired: sign in again.' },
  'dashboard.signInFailed': { zh: '登录未完成，请重试。', en: 'Sign-in did not complete: try again.' },
  'dashboard.login': { zh: '登录', en: 'Sign in' },
  'dashboard.logout': { zh: '退出', en: 'Sign out' },
  'dashboard.refresh': { zh: '刷新', en: 'Refresh' },
  'dashboard.updated': { zh: '更新于 {time}', en: 'Updated {time}' },
  'dashboard.saved': { zh: '改革节省了什么', en: 'What the reform saved' },
  'dashboard.service': { zh: '办理情况', en: 'Service' },
  'dashboard.avoided': { zh: '免开证明（件）', en: 'Certificates avoided' },
  'dashboard.trips': { zh: '群众少跑（趟）', en: 'Trips saved' },
  'dashboard.yuan': { zh: '节省路费（元）', en: 'Yuan saved' },
  'dashboard.total': { zh: '申请总数', en: 'Requests' },
  'dashboard.issued': { zh: '出具证明', en: 'Certificates issued' },
  'dashboard.onTime': { zh: '按期办结率', en: 'On-time rate' },
  'dashboard.onTimeCaption': {
    zh: '需调查的申请中，在{days}个工作日期限内办结的比例。',
    en: 'Share of investigated requests decided within the {days}-working-day deadline.',
  },
  'dashboard.overdue': { zh: '当前超期', en: 'Overdue now' },
  'dashboard.escalations': { zh: '超期督办中', en: 'Escalated now' },
  'dashboard.onTimeBase': {
    zh: '基于 {count} 件有期限的已办结申请。',
    en: 'From {count} decided requests that had a deadline.',
  },
  'dashboard.onTimeNone': {
    zh: '尚无有期限的已办结申请。',
    en: 'No request with a deadline has been decided yet.',
  },
  'dashboard.open': { zh: '办理中', en: 'Open' },
  'dashboard.byOutcome': { zh: '按决定统计', en: 'By outcome' },
  'dashboard.byStatus': { zh: '按状态统计', en: 'By status' },
  'dashboard.overTime': { zh: '每日申请（按结果）', en: 'Requests per day, by result' },
  'dashboard.data': { zh: '查看数据表', en: 'Show the figures' },
  'dashboard.count': { zh: '件数', en: 'Count' },
  'dashboard.date': { zh: '日期', en: 'Date' },
  'dashboard.avoidedKey': { zh: '免开证明', en: 'Avoided' },
  'dashboard.issuedKey': { zh: '出具', en: 'Issued' },
  'dashboard.otherKey': { zh: '其他', en: 'Other' },
};

type Summary = MetricsSummary;

startPage(DICT);

let token = session('supervisor')?.accessToken;
let summary: Summary | undefined;
let loadedAt: string | undefined;

function stat(id: string, name: string, value: number | undefined, suffix = ''): HTMLElement {
  return h(
    'div',
    { class: 'stat', id },
    h('span', { class: 'value' }, value === undefined ? '—' : `${number(value, 1)}${suffix}`),
    h('span', { class: 'name' }, name),
  );
}

const OUTCOME_TONES: Readonly<Record<string, Bar['tone']>> = {
  DECLINED_PROVABLE_BY_HUKOU: 'ok',
  DECLINED_NO_LEGAL_BASIS: 'ok',
  DECLINED_NOT_POLICE_INFORMATION: 'ok',
  ANSWERED_BY_EXCHANGE: 'ok',
  DECLINED_APPLICANT_NOT_ENTITLED: 'muted',
  ISSUE_ON_THE_SPOT: 'info',
  INVESTIGATE: 'warn',
};
const STATUS_TONES: Readonly<Record<string, Bar['tone']>> = {
  DECLINED: 'ok',
  ANSWERED_BY_EXCHANGE: 'ok',
  ISSUED: 'info',
  INVESTIGATING: 'warn',
  ESCALATED: 'bad',
  REFUSED: 'muted',
  RECEIVED: 'muted',
  CHECKING: 'muted',
};

function series(source: Summary): SeriesPoint[] {
  const avoided = new Set([
    'DECLINED_PROVABLE_BY_HUKOU',
    'DECLINED_NO_LEGAL_BASIS',
    'DECLINED_NOT_POLICE_INFORMATION',
    'ANSWERED_BY_EXCHANGE',
  ]);
  return source.series.map((day) => {
    const values = { avoided: 0, issued: 0, other: 0 };
    for (const [key, v] of Object.entries(day.byOutcome)) {
      if (avoided.has(key)) values.avoided += v;
      else if (key === 'ISSUE_ON_THE_SPOT') values.issued += v;
      else values.other += v;
    }
    return { label: beijingDate(day.date).replace(/^\d{4}年/, ''), values };
  });
}

function render(): void {
  if (!summary) return;
  const s = summary;
  const { byOutcome, byStatus, total, onTimeRate: onTime } = s;
  const open =
    (byStatus.RECEIVED ?? 0) +
    (byStatus.CHECKING ?? 0) +
    (byStatus.INVESTIGATING ?? 0) +
    (byStatus.ESCALATED ?? 0);

  const saved = byId('saved');
  clear(saved);
  saved.append(
    stat('stat-avoided', t('dashboard.avoided'), s.certificatesAvoided),
    stat('stat-trips', t('dashboard.trips'), s.tripsSaved),
    stat('stat-yuan', t('dashboard.yuan'), s.yuanSaved),
  );
  const service = byId('service');
  clear(service);
  service.append(
    stat('stat-total', t('dashboard.total'), total),
    stat('stat-issued', t('dashboard.issued'), s.certificatesIssued),
    stat('stat-open', t('dashboard.open'), open),
    stat('stat-overdue', t('dashboard.overdue'), s.overdueNow),
    stat('stat-escalations', t('dashboard.escalations'), s.escalatedNow),
  );

  const charts = byId('charts');
  clear(charts);
  const outcomeBars = Object.keys({
    ...Object.fromEntries(Object.keys(OUTCOME_TONES).map((k) => [k, 0])),
    ...byOutcome,
  }).map((code) => ({
    label: label(OUTCOMES, code),
    value: byOutcome[code] ?? 0,
    tone: OUTCOME_TONES[code] ?? 'info',
  }));
  charts.append(barChart(t('dashboard.byOutcome'), outcomeBars, t('dashboard.data'), t('dashboard.count')));
  const statusBars = Object.keys({
    ...Object.fromEntries(Object.keys(STATUS_TONES).map((k) => [k, 0])),
    ...byStatus,
  }).map((code) => ({
    label: label(STATUSES, code),
    value: byStatus[code] ?? 0,
    tone: STATUS_TONES[code] ?? 'info',
  }));
  charts.append(barChart(t('dashboard.byStatus'), statusBars, t('dashboard.data'), t('dashboard.count')));
  const decided = s.decidedWithDeadline;
  const base =
    decided === undefined
      ? ''
      : decided === 0
        ? t('dashboard.onTimeNone')
        : t('dashboard.onTimeBase', { count: decided });
  charts.append(
    ringChart(
      t('dashboard.onTime'),
      onTime ?? undefined,
      `${t('dashboard.onTimeCaption', { days: investigationDays() })} ${base}`.trim(),
    ),
  );
  const points = series(s);
  if (points.length > 0) {
    charts.append(
      columnChart(
        t('dashboard.overTime'),
        points,
        [
          { key: 'avoided', label: t('dashboard.avoidedKey'), tone: 'ok' },
          { key: 'issued', label: t('dashboard.issuedKey'), tone: 'info' },
          { key: 'other', label: t('dashboard.otherKey'), tone: 'warn' },
        ],
        t('dashboard.data'),
        t('dashboard.date'),
      ),
    );
  }
  const at = s.at ?? loadedAt;
  byId('updated').textContent = at ? t('dashboard.updated', { time: beijingDateTime(at) }) : '';
}

async function load(): Promise<void> {
  const [result] = await Promise.all([
    api<Summary>('/v1/metrics/summary', token ? { token } : {}),
    catalogue() ? undefined : loadCatalogue(),
  ]);
  if (!result.ok) {
    if (result.status === 401 || result.status === 403) {
      signOut(token ? problemMessage(result.problem) : undefined);
      return;
    }
    const box = byId('load-error');
    box.hidden = false;
    box.textContent = problemMessage(result.problem);
    return;
  }
  byId('load-error').hidden = true;
  summary = result.data;
  loadedAt = new Date().toISOString();
  byId('login').hidden = true;
  byId('board').hidden = false;
  render();
  // The supervisors' report and lists (lib/supervision.ts) need the sign-in.
  if (token) {
    byId('supervision').hidden = false;
    const stations = await api<Stations>('/v1/stations', { token });
    if (stations.ok) fillStations(stations.data.stations ?? []);
    await loadSupervision();
    await loadComplaintSupervision(token);
  }
  markReady();
}

/** Forgets the session on this page (a 401, the expiry); the message says why. */
function signOut(message?: string): void {
  token = undefined;
  void endSession('supervisor', false);
  window.clearTimeout(expiryTimer);
  byId('board').hidden = true;
  byId('supervision').hidden = true;
  byId('login').hidden = false;
  byId<HTMLButtonElement>('sign-in').disabled = false;
  const box = byId('login-error');
  box.hidden = !message;
  box.textContent = message ?? '';
}

let expiryTimer: number | undefined;
/** Signs out (with a message) when the session's access token ends. */
function watchExpiry(): void {
  window.clearTimeout(expiryTimer);
  const s = session('supervisor');
  if (!s) return;
  expiryTimer = window.setTimeout(
    () => signOut(t('dashboard.expired')),
    Math.max(0, s.expiresAt - Date.now()),
  );
}

byId<HTMLFormElement>('login').addEventListener('submit', (event) => {
  event.preventDefault();
  byId<HTMLButtonElement>('sign-in').disabled = true;
  beginSignIn('supervisor').catch(() => signOut(t('dashboard.signInFailed')));
});
byId('refresh').addEventListener('click', () => void load());
byId('logout').addEventListener('click', () => {
  // endSession reads the ID token (the logout hint) before signOut forgets the session.
  void endSession('supervisor', true);
  signOut();
});
onLangChange(() => {
  render();
  renderSupervision();
  renderComplaintSupervision();
});
startSupervision(() => token);

void (async () => {
  const back = await completeSignIn('supervisor').catch(() => ({ kind: 'error' as const, error: 'network' }));
  if (back.kind === 'signed-in') token = back.session.accessToken;
  if (back.kind === 'error') signOut(t('dashboard.signInFailed'));
  watchExpiry();
  if (token) void load();
  else {
    byId('login').hidden = false;
    markReady();
  }
})();
