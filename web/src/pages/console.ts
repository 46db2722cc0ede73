/**
 * The officer console (/console): the officer signs in with OpenID Connect (code + PKCE, lib/oidc.ts; the
 * session in sessionStorage only, ending with the access token), a station's open
 * requests ordered by deadline (GET /v1/stations/{station}/queue) with overdue and due-soon rows marked,
 * a request's facts and history (GET /v1/requests/{id}) and recording a finding (POST …/findings).
 */
import { api } from '../lib/api.ts';
import { bodyName, kindName, loadCatalogue, purposeName } from '../lib/catalogue.ts';
import { announce, byId, clear, h } from '../lib/dom.ts';
import { beijingDateTime, msUntil } from '../lib/format.ts';
import { historyDetail } from '../lib/history.ts';
import { type Dictionary, onLangChange, t, tr, trName } from '../lib/i18n.ts';
import { HISTORY_TYPES, label, OUTCOMES, RELATIONS, STATUSES } from '../lib/labels.ts';
import { beginSignIn, completeSignIn, signOut as endSession, session } from '../lib/oidc.ts';
import { localise, markReady, problemMessage, startPage } from '../lib/page.ts';
import type { RequestView, StationQueue, Stations } from '../lib/types.ts';

const DICT: Dictionary = {
  'console.title': { zh: '民警工作台', en: 'Officer console' },
  'console.loginTitle': { zh: '登录', en: 'Sign in' },
  'console.signInHint': {
    zh: '使用工作人员账号登录（本地演示：demo-officer，密码见数据目录中的 demo-credentials.json 的 officerPassword）。登录在本标签页有效，到期或关闭即结束。',
    en: 'Sign in with your staff account (local demo: demo-officer, password officerPassword in demo-credentials.json in the data directory). The sign-in holds in this tab until it expires or the tab closes.',
  },
  'console.login': { zh: '登录', en: 'Sign in' },
  'console.expired': { zh: '登录已到期，请重新登录。', en: 'Your sign-in expired: sign in again.' },
  'console.signInFailed': { zh: '登录未完成，请重试。', en: 'Sign-in did not complete: try again.' },
  'console.logout': { zh: '退出', en: 'Sign out' },
  'console.station': { zh: '派出所', en: 'Station' },
  'console.load': { zh: '加载队列', en: 'Load queue' },
  'console.queue': { zh: '待办队列（按期限排序）', en: 'Queue (by deadline)' },
  'console.queueCaption': {
    zh: '本所未办结的申请，期限最早的在前',
    en: 'Open requests of the station, earliest deadline first',
  },
  'console.colDeadline': { zh: '期限（北京时间）', en: 'Deadline (Beijing time)' },
  'console.colProof': { zh: '证明事项', en: 'Proof' },
  'console.colStatus': { zh: '状态', en: 'Status' },
  'console.colOpen': { zh: '操作', en: 'Action' },
  'console.chooseStation': {
    zh: '请选择（或输入代码）派出所并加载队列。',
    en: 'Choose a station (or type its code) and load its queue.',
  },
  'console.more': { zh: '加载更多', en: 'Load more' },
  'console.open': { zh: '查看', en: 'Open' },
  'console.openLabel': { zh: '查看申请 {id}', en: 'Open request {id}' },
  'console.overdue': { zh: '已超期', en: 'Overdue' },
  'console.dueSoon': { zh: '即将到期', en: 'Due soon' },
  'console.level': { zh: '督办{level}级', en: 'Escalation {level}' },
  'console.loading': { zh: '正在加载…', en: 'Loading…' },
  'console.count': {
    zh: '共 {count} 件未办结：超期 {overdue} 件，即将到期 {soon} 件，上级督办中 {escalated} 件。',
    en: '{count} open: {overdue} overdue, {soon} due soon, {escalated} escalated.',
  },
  'console.empty': { zh: '队列为空：本所没有待办申请。', en: 'The queue is empty.' },
  'console.detail': { zh: '申请详情', en: 'Request' },
  'console.detailEmpty': { zh: '在左侧队列中选择一件申请。', en: 'Choose a request from the queue.' },
  'console.history': { zh: '办理记录', en: 'History' },
  'console.findingTitle': { zh: '记录核实结果', en: 'Record a finding' },
  'console.outcome': { zh: '结果', en: 'Outcome' },
  'console.confirmed': { zh: '核实属实，出具证明', en: 'Confirmed: issue the certificate' },
  'console.refuted': { zh: '核实不实，不予出具', en: 'Refuted: refuse' },
  'console.facts': { zh: '核实的事实', en: 'Facts established' },
  'console.optional': { zh: '（选填）', en: '(optional)' },
  'console.factsHint': {
    zh: '每行一项，格式“项目：内容”，如“调查方式：走访邻居”。',
    en: 'One per line, as “item: value”, e.g. “method: visited the neighbours”.',
  },
  'console.factsInvalid': { zh: '第 {line} 行缺少“：”', en: 'Line {line} has no “:”' },
  'console.note': {
    zh: '意见（不予出具时必填，将告知申请人）',
    en: 'Note (required to refuse; the applicant sees it)',
  },
  'console.noteRequired': { zh: '不予出具时必须说明理由', en: 'Give the reason for refusing' },
  'console.record': { zh: '提交核实结果', en: 'Record the finding' },
  'console.recording': { zh: '正在提交…', en: 'Recording…' },
  'console.recorded': { zh: '已记录核实结果。', en: 'Finding recorded.' },
  'console.notWaiting': {
    zh: '该申请不在调查核实中，无需记录。',
    en: 'This request is not under investigation.',
  },
  'f.requestId': { zh: '申请编号', en: 'Request' },
  'f.proof': { zh: '证明事项', en: 'Proof' },
  'f.status': { zh: '状态', en: 'Status' },
  'f.accepted': { zh: '受理', en: 'Accepted' },
  'f.deadline': { zh: '期限', en: 'Deadline' },
  'f.subject': { zh: '证明对象', en: 'Subject' },
  'f.related': { zh: '相关人', en: 'Related person' },
  'f.event': { zh: '事件', en: 'Event' },
  'f.applicant': { zh: '申请人', en: 'Applicant' },
  'f.askedBy': { zh: '要求单位', en: 'Asked by' },
  'f.purpose': { zh: '用途', en: 'Purpose' },
  'f.decision': { zh: '决定', en: 'Decision' },
  'f.reason': { zh: '理由', en: 'Reason' },
  'f.station': { zh: '派出所', en: 'Station' },
};

type QueueItem = StationQueue['items'][number];
type StationItem = Stations['stations'][number];

const DUE_SOON_MS = 24 * 60 * 60 * 1000;
const STATION_KEY = 'certflow.console.station';

startPage(DICT);

let token = session('officer')?.accessToken;
let expiryTimer: number | undefined;

/** Signs out (with a message) when the session's access token ends. */
function watchExpiry(): void {
  window.clearTimeout(expiryTimer);
  const s = session('officer');
  if (!s) return;
  expiryTimer = window.setTimeout(() => signOut(t('console.expired')), Math.max(0, s.expiresAt - Date.now()));
}
let items: QueueItem[] = [];
let cursor: string | undefined;
/** The station whose queue is shown (none before the first load). */
let loadedStation: string | undefined;
let selected: RequestView | undefined;
let stations: StationItem[] = [];

/** A station's name and code, from the list the officer acts for (the code alone if not in it). */
function stationLabel(code: string | undefined): string | undefined {
  const station = stations.find((s) => s.code === code);
  return station ? `${station.name}（${station.code}）` : code;
}

/**
 * The station picker: the stations the officer acts for become the options of the station field
 * (a datalist: pick one, or type a code). With exactly one, it is chosen and its queue loaded.
 */
async function loadStations(): Promise<void> {
  if (!token) return;
  const result = await api<Stations>('/v1/stations', { token });
  if (!result.ok) {
    if (result.status === 401) signOut(problemMessage(result.problem));
    return;
  }
  stations = result.data.stations ?? [];
  const list = byId('station-list');
  clear(list);
  for (const s of stations) {
    const where = [s.city, s.county].filter(Boolean).join(' ');
    list.append(h('option', { value: s.code, label: where ? `${s.name} · ${where}` : s.name }));
  }
  const input = byId<HTMLInputElement>('station');
  const only = stations.length === 1 ? stations[0] : undefined;
  if (only && !input.value) {
    input.value = only.code;
    void loadQueue();
  }
  renderDetail();
}

function proofName(code: string): string {
  const name = kindName(code);
  return name ? trName(name) : code;
}

/** Overdue and warned come from the API (the stack's clock); the browser's clock is only a fallback. */
function urgency(item: {
  deadline?: string;
  overdue?: boolean;
  warned?: boolean;
}): 'overdue' | 'due-soon' | undefined {
  if (!item.deadline) return undefined;
  const left = msUntil(item.deadline);
  if (item.overdue ?? left < 0) return 'overdue';
  if (item.warned || left < DUE_SOON_MS) return 'due-soon';
  return undefined;
}

function showWorkspace(): void {
  byId('login').hidden = Boolean(token);
  byId('workspace').hidden = !token;
}

async function loadQueue(more = false): Promise<void> {
  const station = byId<HTMLInputElement>('station').value.trim().toUpperCase();
  if (!station || !token) return;
  try {
    sessionStorage.setItem(STATION_KEY, station);
  } catch {
    // not remembered
  }
  const status = byId('queue-status');
  status.textContent = t('console.loading');
  const query = more && cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
  const result = await api<StationQueue>(`/v1/stations/${encodeURIComponent(station)}/queue${query}`, {
    token,
  });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    status.textContent = problemMessage(result.problem);
    items = [];
    renderQueue();
    markReady();
    return;
  }
  loadedStation = station;
  items = [...(more ? items : []), ...(result.data.items ?? [])];
  cursor = result.data.cursor;
  byId('more').hidden = !cursor;
  items.sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
  renderQueue();
  markReady();
}

function renderQueue(): void {
  const body = byId('queue').querySelector('tbody');
  if (!body) return;
  clear(body);
  let overdue = 0;
  let soon = 0;
  for (const item of items) {
    const mark = urgency(item);
    if (mark === 'overdue') overdue += 1;
    if (mark === 'due-soon') soon += 1;
    const row = h(
      'tr',
      {
        class:
          [
            mark ?? '',
            item.escalationLevel ? 'escalated' : '',
            selected?.requestId === item.requestId ? 'selected' : '',
          ]
            .join(' ')
            .trim() || undefined,
      },
      h(
        'td',
        {},
        item.deadline ? h('time', { datetime: item.deadline }, beijingDateTime(item.deadline, false)) : '—',
        mark
          ? h(
              'span',
              { class: `tag ${mark}` },
              mark === 'overdue' ? t('console.overdue') : t('console.dueSoon'),
            )
          : null,
      ),
      h(
        'td',
        {},
        proofName(item.proof),
        item.subject?.name ? h('span', { class: 'hint' }, ` · ${item.subject.name}`) : null,
      ),
      h(
        'td',
        {},
        label(STATUSES, item.status),
        item.escalationLevel
          ? h('span', { class: 'tag overdue' }, t('console.level', { level: item.escalationLevel }))
          : null,
      ),
      h(
        'td',
        {},
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            'data-open': item.requestId,
            'aria-label': t('console.openLabel', { id: item.requestId }),
          },
          t('console.open'),
        ),
      ),
    );
    body.append(row);
  }
  byId('queue-status').textContent = !loadedStation
    ? t('console.chooseStation')
    : items.length === 0
      ? t('console.empty')
      : t('console.count', {
          count: items.length,
          overdue,
          soon,
          escalated: items.filter((item) => (item.escalationLevel ?? 0) > 0).length,
        });
}

function fact(list: HTMLElement, key: string, value: string | Node | undefined): void {
  if (value === undefined || value === '') return;
  list.append(h('dt', {}, t(key)), h('dd', {}, value));
}

function person(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const p = value as Record<string, unknown>;
  const parts = [
    p.name,
    p.idNumber,
    typeof p.relation === 'string' ? label(RELATIONS, p.relation) : undefined,
  ];
  if (typeof p.unitName === 'string') parts.unshift(p.unitName);
  if (typeof p.phone === 'string') parts.push(p.phone);
  return parts.filter((x) => typeof x === 'string' && x).join(' · ');
}

function renderDetail(): void {
  const view = selected;
  byId('detail-empty').hidden = Boolean(view);
  byId('detail-body').hidden = !view;
  if (!view) return;
  const input = (view.input ?? {}) as Record<string, unknown>;
  // The queue item carries what the request view does not (masked subject, asking body, purpose).
  const queued = items.find((item) => item.requestId === view.requestId);
  const list = byId('detail-facts');
  clear(list);
  fact(list, 'f.requestId', h('span', { class: 'mono' }, view.requestId));
  fact(list, 'f.proof', proofName(view.proof));
  fact(list, 'f.status', label(STATUSES, view.status));
  fact(list, 'f.station', stationLabel(view.station));
  fact(list, 'f.accepted', beijingDateTime(view.acceptedAt));
  if (view.deadline) {
    const mark = urgency({ ...view, ...queued });
    fact(
      list,
      'f.deadline',
      h(
        'span',
        {},
        beijingDateTime(view.deadline),
        mark
          ? h(
              'span',
              { class: `tag ${mark}` },
              mark === 'overdue' ? t('console.overdue') : t('console.dueSoon'),
            )
          : null,
      ),
    );
  }
  fact(list, 'f.subject', person(input.subject ?? queued?.subject));
  fact(list, 'f.related', person(input.relatedPerson));
  const event = input.event as Record<string, unknown> | undefined;
  if (event) fact(list, 'f.event', [event.date, event.place].filter(Boolean).join(' · '));
  fact(list, 'f.applicant', person(input.applicant));
  const askedBy = (input.askedBy ?? queued?.askedBy) as string | undefined;
  if (askedBy) fact(list, 'f.askedBy', [bodyName(askedBy), input.askedByName].filter(Boolean).join(' · '));
  const purpose = (input.purpose ?? (queued?.purpose ? { code: queued.purpose } : undefined)) as
    | Record<string, unknown>
    | undefined;
  if (purpose && typeof purpose.code === 'string') {
    fact(list, 'f.purpose', [purposeName(purpose.code), purpose.text].filter(Boolean).join(' · '));
  }
  if (view.decision) {
    fact(list, 'f.decision', label(OUTCOMES, view.decision.outcome));
    fact(list, 'f.reason', tr(view.decision.reason));
  }
  const history = byId('detail-history');
  clear(history);
  for (const entry of view.history ?? []) {
    const detail = historyDetail(entry);
    history.append(
      h(
        'li',
        {},
        h('time', { datetime: entry.at }, beijingDateTime(entry.at)),
        h('strong', {}, label(HISTORY_TYPES, entry.type)),
        detail ? h('span', { class: 'hint' }, ` — ${detail}`) : null,
      ),
    );
  }
  const waiting = view.status === 'INVESTIGATING' || view.status === 'ESCALATED';
  byId('finding-form').hidden = !waiting;
}

async function openRequest(requestId: string, focus: boolean): Promise<void> {
  if (!token) return;
  const result = await api<RequestView>(`/v1/requests/${encodeURIComponent(requestId)}`, { token });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    byId('queue-status').textContent = problemMessage(result.problem);
    return;
  }
  selected = result.data;
  byId('finding-status').textContent = '';
  renderDetail();
  renderQueue();
  if (focus) byId('detail').focus();
}

function parseFacts(text: string): { facts: Record<string, string>; badLine?: number } {
  const facts: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const match = /^([^:：]+)[:：](.*)$/.exec(line);
    if (!match) return { facts, badLine: i + 1 };
    facts[(match[1] ?? '').trim()] = (match[2] ?? '').trim();
  }
  return { facts };
}

function fieldError(id: string, message: string | undefined): void {
  const box = byId(`${id}-error`);
  box.hidden = !message;
  box.textContent = message ?? '';
  byId(id).setAttribute('aria-invalid', message ? 'true' : 'false');
}

async function recordFinding(): Promise<void> {
  if (!selected || !token) return;
  const outcome =
    document.querySelector<HTMLInputElement>('input[name="outcome"]:checked')?.value === 'REFUTED'
      ? 'REFUTED'
      : 'CONFIRMED';
  const note = byId<HTMLTextAreaElement>('finding-note').value.trim();
  const parsed = parseFacts(byId<HTMLTextAreaElement>('finding-facts').value);
  fieldError(
    'finding-facts',
    parsed.badLine ? t('console.factsInvalid', { line: parsed.badLine }) : undefined,
  );
  fieldError('finding-note', outcome === 'REFUTED' && !note ? t('console.noteRequired') : undefined);
  if (parsed.badLine) return byId('finding-facts').focus();
  if (outcome === 'REFUTED' && !note) return byId('finding-note').focus();
  const button = byId<HTMLButtonElement>('finding-submit');
  const status = byId('finding-status');
  button.disabled = true;
  status.textContent = t('console.recording');
  try {
    const result = await api(`/v1/requests/${encodeURIComponent(selected.requestId)}/findings`, {
      method: 'POST',
      token,
      body: { outcome, facts: parsed.facts, ...(note ? { note } : {}) },
    });
    if (!result.ok) {
      if (result.status === 401) return signOut(problemMessage(result.problem));
      for (const error of result.problem.errors ?? []) {
        if (error.path === 'note') fieldError('finding-note', localise(error.message));
        if (error.path.startsWith('facts')) fieldError('finding-facts', localise(error.message));
      }
      status.textContent = result.status === 409 ? t('console.notWaiting') : problemMessage(result.problem);
      return;
    }
    byId<HTMLTextAreaElement>('finding-note').value = '';
    byId<HTMLTextAreaElement>('finding-facts').value = '';
    status.textContent = t('console.recorded');
    announce(t('console.recorded'));
    const id = selected.requestId;
    // The workflow resumes asynchronously: read the request again shortly.
    await new Promise((resolve) => window.setTimeout(resolve, 600));
    await openRequest(id, false);
    status.textContent = t('console.recorded');
    await loadQueue();
  } finally {
    button.disabled = false;
  }
}

/** Forgets the session on this page (a 401, the expiry); the message says why. */
function signOut(message?: string): void {
  token = undefined;
  void endSession('officer', false);
  window.clearTimeout(expiryTimer);
  selected = undefined;
  items = [];
  stations = [];
  clear(byId('station-list'));
  showWorkspace();
  const box = byId('login-error');
  box.hidden = !message;
  box.textContent = message ?? '';
  byId('sign-in').focus();
}

byId<HTMLFormElement>('login').addEventListener('submit', (event) => {
  event.preventDefault();
  byId<HTMLButtonElement>('sign-in').disabled = true;
  beginSignIn('officer').catch(() => {
    byId<HTMLButtonElement>('sign-in').disabled = false;
    signOut(t('console.signInFailed'));
  });
});
byId('logout').addEventListener('click', () => {
  // endSession reads the ID token (the logout hint) before signOut forgets the session.
  void endSession('officer', true);
  signOut();
});
byId('more').addEventListener('click', () => void loadQueue(true));
byId<HTMLFormElement>('station-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void loadQueue();
});
byId('queue').addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-open]');
  if (button?.dataset.open) void openRequest(button.dataset.open, true);
});
byId<HTMLFormElement>('finding-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void recordFinding();
});
onLangChange(() => {
  renderQueue();
  renderDetail();
});

try {
  byId<HTMLInputElement>('station').value =
    new URLSearchParams(location.search).get('station') ?? sessionStorage.getItem(STATION_KEY) ?? '';
} catch {
  // no storage
}
showWorkspace();
void (async () => {
  await loadCatalogue();
  renderQueue();
  renderDetail();
})();
// Keep the queue fresh while the console is open and visible.
window.setInterval(() => {
  if (document.visibilityState === 'visible' && token && loadedStation) void loadQueue();
}, 60_000);
void (async () => {
  const back = await completeSignIn('officer').catch(() => ({ kind: 'error' as const, error: 'network' }));
  if (back.kind === 'signed-in') token = back.session.accessToken;
  if (back.kind === 'error') signOut(t('console.signInFailed'));
  // Back from the provider, the address has its `?station=` again.
  const station = byId<HTMLInputElement>('station');
  if (back.kind !== 'none' && !station.value)
    station.value = new URLSearchParams(location.search).get('station') ?? '';
  showWorkspace();
  watchExpiry();
  if (token) void loadStations();
  if (token && byId<HTMLInputElement>('station').value) void loadQueue();
  else markReady();
})();
