/**
 * The officer console (/console): the officer signs in with OpenID Connect (code + PKCE, lib/oidc.ts; the
 * session in sessionStorage only, ending with the access token); a station's open requests by deadline or
 * its finished ones (GET /v1/stations/{station}/queue?view=…, filtered by status, kind, officer and
 * overdue on the server), search by number, reference, name or ID number (POST /v1/requests/search);
 * a request's facts and history (GET /v1/requests/{id}); claiming or assigning it (POST …/assignee),
 * revealing full ID numbers with a reason (POST …/reveal), recording a finding (POST …/findings), and
 * after issue the certificate with its print view (lib/casework.ts). Rows and casework: lib/casework.ts.
 * With the open queue, the queue's `accepted` (requests filed here and handled at the competent station,
 * 收受分离, role ACCEPTING) and `checks` (disputed exchange answers to check, 结果反馈); a request's
 * `filing` (filed at, handled at, collected at) among its facts.
 */
import { api } from '../lib/api.ts';
import {
  deadlineSpan,
  parseFacts,
  person,
  proofName,
  queueQuery,
  renderCertificate,
  renderFilters,
  renderRevealed,
  requestRow,
  rowItem,
  urgency,
} from '../lib/casework.ts';
import { bodyName, loadCatalogue, purposeName } from '../lib/catalogue.ts';
import { CONSOLE_DICT as DICT } from '../lib/console-text.ts';
import { announce, byId, clear, h } from '../lib/dom.ts';
import { beijingDateTime } from '../lib/format.ts';
import { historyDetail } from '../lib/history.ts';
import { onLangChange, t, tr } from '../lib/i18n.ts';
import { HISTORY_TYPES, label, OUTCOMES, STATUSES } from '../lib/labels.ts';
import { beginSignIn, completeSignIn, signOut as endSession, session } from '../lib/oidc.ts';
import { localise, markReady, problemMessage, startPage } from '../lib/page.ts';
import type {
  ConsoleRow,
  RequestView,
  Revealed,
  SearchResult,
  StationQueue,
  Stations,
} from '../lib/types.ts';

type QueueItem = ConsoleRow;
type StationItem = Stations['stations'][number];
type AcceptedItem = NonNullable<StationQueue['accepted']>[number];
type CheckItem = NonNullable<StationQueue['checks']>[number];

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
/** 收受分离: requests filed here and handled at the competent station (the queue's first page). */
let accepted: AcceptedItem[] = [];
/** Registry checks opened at this station by disputed exchange answers (结果反馈). */
let checks: CheckItem[] = [];
let cursor: string | undefined;
/** The station whose queue is shown (none before the first load). */
let loadedStation: string | undefined;
let selected: RequestView | undefined;
let stations: StationItem[] = [];
/** Open requests by deadline, or finished ones newest first. */
let view: 'open' | 'done' = 'open';
/** The search the list shows (undefined: the station's queue). */
let searching: string | undefined;

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
  searching = undefined;
  const query = queueQuery(view, more ? cursor : undefined);
  const result = await api<StationQueue>(`/v1/stations/${encodeURIComponent(station)}/queue?${query}`, {
    token,
  });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    status.textContent = problemMessage(result.problem);
    items = [];
    accepted = [];
    checks = [];
    renderQueue();
    markReady();
    return;
  }
  loadedStation = station;
  items = [...(more ? items : []), ...(result.data.items ?? [])];
  if (!more) {
    accepted = result.data.accepted ?? [];
    checks = result.data.checks ?? [];
  }
  cursor = result.data.cursor;
  byId('more').hidden = !cursor;
  if (view === 'open') items.sort((a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'));
  renderQueue();
  markReady();
}

/** A request filed here and handled elsewhere (收受分离): role, competent station, where it is collected. */
function acceptedItem(item: AcceptedItem): HTMLLIElement {
  return requestRow(item, {
    classes: [urgency(item) ?? '', selected?.requestId === item.requestId ? 'selected' : ''],
    tags: [h('span', { class: 'tag' }, t('console.roleAccepting'))],
    names: item.subject.name,
    meta: [
      h(
        'span',
        {},
        `${t('row.filed')} `,
        h('time', { datetime: item.acceptedAt }, beijingDateTime(item.acceptedAt, false)),
      ),
      item.handlingStation
        ? h('span', {}, ` · ${t('console.handledAt')}: ${stationLabel(item.handlingStation) ?? ''}`)
        : null,
      h('span', {}, ` · ${t('console.collectAt')}: ${stationLabel(item.collectAt) ?? ''}`),
      item.deadline ? deadlineSpan(item.deadline) : null,
    ],
  });
}

/** A disputed exchange answer to check against the station's registry (结果反馈). */
function checkItem(check: CheckItem): HTMLLIElement {
  const subject = check.subject as { name?: string; idNumber?: string };
  return h(
    'li',
    { class: 'row' },
    h(
      'div',
      { class: 'row-head' },
      h('strong', {}, tr(check.questionName)),
      h('span', {}, bodyName(check.department)),
    ),
    h('div', { class: 'row-names' }, [subject.name, subject.idNumber].filter(Boolean).join(' · ')),
    h('div', {}, `${t('console.checkReason')}: `, h('span', {}, check.reason)),
    h(
      'div',
      { class: 'row-meta hint' },
      h(
        'span',
        {},
        `${t('console.checkOpened')} `,
        h('time', { datetime: check.openedAt }, beijingDateTime(check.openedAt, false)),
      ),
      h('span', {}, ` · ${t('console.checkExchange')}: `, h('span', { class: 'mono' }, check.exchangeId)),
    ),
  );
}

function renderSideLists(): void {
  const showing = !searching && view === 'open';
  const acceptedList = byId('accepted');
  clear(acceptedList);
  for (const item of showing ? accepted : []) acceptedList.append(acceptedItem(item));
  byId('accepted-box').hidden = !showing || accepted.length === 0;
  const checkList = byId('checks');
  clear(checkList);
  for (const check of showing ? checks : []) checkList.append(checkItem(check));
  byId('checks-box').hidden = !showing || checks.length === 0;
}

function renderQueue(): void {
  renderSideLists();
  const list = byId('queue');
  clear(list);
  for (const item of items) list.append(rowItem(item, selected?.requestId === item.requestId));
  const marks = items.map((item) => urgency(item));
  byId('queue-status').textContent = searching
    ? t('console.searchResults', { q: searching, count: items.length })
    : !loadedStation
      ? t('console.chooseStation')
      : items.length === 0
        ? t('console.empty')
        : view === 'done'
          ? t('console.doneCount', { count: items.length })
          : t('console.count', {
              count: items.length,
              overdue: marks.filter((m) => m === 'overdue').length,
              soon: marks.filter((m) => m === 'due-soon').length,
              escalated: items.filter((item) => (item.escalationLevel ?? 0) > 0).length,
            });
}

function setView(next: 'open' | 'done'): void {
  view = next;
  byId('view-open').setAttribute('aria-pressed', String(view === 'open'));
  byId('view-done').setAttribute('aria-pressed', String(view === 'done'));
  byId<HTMLSelectElement>('filter-status').value = '';
  byId('filter-overdue').closest('label')!.hidden = view === 'done';
  byId<HTMLInputElement>('filter-overdue').checked = false;
  renderFilters(view);
  void loadQueue();
}

async function search(): Promise<void> {
  const q = byId<HTMLInputElement>('search-q').value.trim();
  if (!q || !token) return;
  const station = byId<HTMLInputElement>('station').value.trim().toUpperCase();
  const result = await api<SearchResult>('/v1/requests/search', {
    method: 'POST',
    token,
    body: { q, ...(station ? { station } : {}) },
  });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    byId('queue-status').textContent = problemMessage(result.problem);
    return;
  }
  searching = q;
  items = result.data.items ?? [];
  cursor = undefined;
  byId('more').hidden = true;
  renderQueue();
  const only = items.length === 1 ? items[0] : undefined;
  if (only) await openRequest(only.requestId, true);
}

function fact(list: HTMLElement, key: string, value: string | Node | undefined): void {
  if (value === undefined || value === '') return;
  list.append(h('dt', {}, t(key)), h('dd', {}, value));
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
  // 收受分离: where it was filed, which station handles it, where the certificate is collected.
  if (view.filing) {
    fact(
      list,
      'f.filedAt',
      view.filing.acceptedAt === 'ONLINE' ? t('console.online') : stationLabel(view.filing.acceptedAt),
    );
    fact(list, 'f.handledAt', stationLabel(view.filing.handledAt));
    fact(list, 'f.collectAt', stationLabel(view.filing.collectAt));
  }
  const row = items.find((item) => item.requestId === view.requestId);
  fact(list, 'f.assignee', row?.assignee ?? t('console.unassigned'));
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
  byId('casework').hidden = !waiting;
  renderCertificate(view);
}

/** Claims the selected request (no officer) or assigns it to the officer typed in. */
async function assign(officer?: string): Promise<void> {
  if (!selected || !token) return;
  const status = byId('casework-status');
  const result = await api<ConsoleRow>(`/v1/requests/${encodeURIComponent(selected.requestId)}/assignee`, {
    method: 'POST',
    token,
    body: officer ? { officer } : {},
  });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    status.textContent =
      result.status === 403 && result.problem.detail
        ? localise(result.problem.detail)
        : problemMessage(result.problem);
    return;
  }
  const updated = result.data;
  items = items.map((item) => (item.requestId === updated.requestId ? updated : item));
  if (!items.some((item) => item.requestId === updated.requestId)) items.push(updated);
  status.textContent = t('console.assigned', { officer: updated.assignee ?? '' });
  announce(status.textContent);
  await openRequest(updated.requestId, false);
}

/** Reveals the people in full to the investigating officer, with the reason (audited). */
async function reveal(): Promise<void> {
  if (!selected || !token) return;
  const reason = byId<HTMLTextAreaElement>('reveal-reason').value.trim();
  fieldError('reveal-reason', reason.length < 4 ? t('console.reasonRequired') : undefined);
  if (reason.length < 4) return byId('reveal-reason').focus();
  const result = await api<Revealed>(`/v1/requests/${encodeURIComponent(selected.requestId)}/reveal`, {
    method: 'POST',
    token,
    body: { reason },
  });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    const field = result.problem.errors?.find((e) => e.path === 'reason');
    const detail =
      result.status === 403 && result.problem.detail ? localise(result.problem.detail) : undefined;
    fieldError('reveal-reason', field ? localise(field.message) : (detail ?? problemMessage(result.problem)));
    return;
  }
  const box = byId('revealed');
  renderRevealed(box, result.data);
  const id = selected.requestId;
  await openRequest(id, false);
  renderRevealed(byId('revealed'), result.data);
}

async function openRequest(requestId: string, focus: boolean): Promise<void> {
  if (!token) return;
  const result = await api<RequestView>(`/v1/requests/${encodeURIComponent(requestId)}`, { token });
  if (!result.ok) {
    if (result.status === 401) return signOut(problemMessage(result.problem));
    byId('queue-status').textContent = problemMessage(result.problem);
    return;
  }
  if (selected?.requestId !== result.data.requestId) {
    byId('revealed').hidden = true;
    clear(byId('revealed'));
    byId('casework-status').textContent = '';
  }
  selected = result.data;
  byId('finding-status').textContent = '';
  renderDetail();
  renderQueue();
  if (focus) byId('detail').focus();
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
byId<HTMLFormElement>('search-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void search();
});
byId('view-open').addEventListener('click', () => setView('open'));
byId('view-done').addEventListener('click', () => setView('done'));
byId<HTMLFormElement>('filters').addEventListener('change', () => void loadQueue());
byId('claim').addEventListener('click', () => void assign());
byId<HTMLFormElement>('assign-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const officer = byId<HTMLInputElement>('assign-officer').value.trim();
  if (officer) void assign(officer);
});
byId<HTMLFormElement>('reveal-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void reveal();
});
byId('print-certificate').addEventListener('click', () => window.print());
for (const list of ['queue', 'accepted']) {
  byId(list).addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-open]');
    if (button?.dataset.open) void openRequest(button.dataset.open, true);
  });
}
byId<HTMLFormElement>('finding-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void recordFinding();
});
onLangChange(() => {
  renderFilters(view);
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
  renderFilters(view);
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
