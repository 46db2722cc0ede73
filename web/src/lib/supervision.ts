/**
 * The supervisors' part of the dashboard (/dashboard): GET /v1/supervision for a Beijing day range and a
 * station — per-station and per-officer figures, the overdue and escalated requests with drill-down to the
 * request and its audit trail (GET /v1/requests/{id}), CSV export (lib/csv.ts) — and, on the local stack,
 * the deadline-escalation alarms that fired (GET /_local/alarms; on AWS they are CloudWatch alarms).
 */
import { type ApiResult, api } from './api.ts';
import { proofName, rowItem } from './casework.ts';
import { downloadCsv, toCsv } from './csv.ts';
import { byId, clear, h } from './dom.ts';
import { beijingDateTime } from './format.ts';
import { historyDetail } from './history.ts';
import { type Dictionary, registerDictionary, t, tr } from './i18n.ts';
import { HISTORY_TYPES, label, OUTCOMES, STATUSES } from './labels.ts';
import { problemMessage } from './page.ts';
import type { ConsoleRow, RequestView, Supervision } from './types.ts';

export const SUPERVISION_DICT: Dictionary = {
  'sup.title': { zh: '督办', en: 'Supervision' },
  'sup.from': { zh: '起始日期', en: 'From' },
  'sup.to': { zh: '截止日期', en: 'To' },
  'sup.station': { zh: '派出所', en: 'Station' },
  'sup.allStations': { zh: '全部派出所', en: 'All stations' },
  'sup.show': { zh: '查询', en: 'Show' },
  'sup.stations': { zh: '各派出所', en: 'Per station' },
  'sup.officers': { zh: '各承办民警', en: 'Per officer' },
  'sup.overdue': { zh: '超期申请', en: 'Overdue requests' },
  'sup.escalated': { zh: '上级督办中的申请', en: 'Escalated requests' },
  'sup.none': { zh: '无。', en: 'None.' },
  'sup.colStation': { zh: '派出所', en: 'Station' },
  'sup.colOpen': { zh: '办理中', en: 'Open' },
  'sup.colOverdue': { zh: '超期', en: 'Overdue' },
  'sup.colEscalated': { zh: '督办中', en: 'Escalated' },
  'sup.colFinished': { zh: '期间办结', en: 'Closed in range' },
  'sup.colOnTime': { zh: '按期', en: 'On time' },
  'sup.colLate': { zh: '逾期', en: 'Late' },
  'sup.colOfficer': { zh: '民警', en: 'Officer' },
  'sup.exportStations': { zh: '导出CSV（各派出所）', en: 'Export CSV (stations)' },
  'sup.exportRequests': { zh: '导出CSV（超期与督办）', en: 'Export CSV (overdue and escalated)' },
  'sup.truncated': {
    zh: '数据量超过单次读取上限，部分申请未计入。',
    en: 'More requests than one report reads: some are not counted.',
  },
  'sup.request': { zh: '申请 {ref}', en: 'Request {ref}' },
  'sup.requestPlain': { zh: '申请', en: 'Request' },
  'sup.trail': { zh: '办理记录（留痕）', en: 'Audit trail' },
  'sup.close': { zh: '关闭', en: 'Close' },
  'sup.alarms': { zh: '期限告警（本地）', en: 'Deadline alarms (local)' },
  'sup.alarmState': {
    zh: '{alarm}：{state}（阈值 {threshold}）',
    en: '{alarm}: {state} (threshold {threshold})',
  },
  'sup.alarmFired': { zh: '告警', en: 'ALARM' },
  'sup.alarmOk': { zh: '正常', en: 'OK' },
  'sup.list': { zh: '列表', en: 'List' },
};
registerDictionary(SUPERVISION_DICT);

let report: Supervision | undefined;
let tokenOf: () => string | undefined = () => undefined;

/** Beijing's calendar day `days` before today, `YYYY-MM-DD`. */
function beijingDay(offsetDays = 0): string {
  const at = new Date(Date.now() + 8 * 3_600_000 - offsetDays * 86_400_000);
  return at.toISOString().slice(0, 10);
}

/** Wires the supervision form; `token` reads the supervisor's access token. */
export function startSupervision(token: () => string | undefined): void {
  tokenOf = token;
  const from = byId<HTMLInputElement>('sup-from');
  const to = byId<HTMLInputElement>('sup-to');
  if (!from.value) from.value = beijingDay(30);
  if (!to.value) to.value = beijingDay(0);
  byId<HTMLFormElement>('sup-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void loadSupervision();
  });
  byId('sup-export-stations').addEventListener('click', exportStations);
  byId('sup-export-requests').addEventListener('click', exportRequests);
  byId('sup-lists').addEventListener('click', (event) => {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-open]');
    if (button?.dataset.open) void drillDown(button.dataset.open);
  });
  byId('sup-close').addEventListener('click', () => {
    byId('sup-detail').hidden = true;
    opened = undefined;
  });
}

export function fillStations(list: { code: string; name: string }[]): void {
  const select = byId<HTMLSelectElement>('sup-station');
  const value = select.value;
  for (const option of [...select.options].slice(1)) option.remove();
  for (const s of list) select.append(h('option', { value: s.code }, `${s.name}（${s.code}）`));
  select.value = value;
}

export async function loadSupervision(): Promise<void> {
  const token = tokenOf();
  if (!token) return;
  const query = new URLSearchParams({
    from: byId<HTMLInputElement>('sup-from').value,
    to: byId<HTMLInputElement>('sup-to').value,
  });
  const station = byId<HTMLSelectElement>('sup-station').value;
  if (station) query.set('station', station);
  const status = byId('sup-status');
  const result = await api<Supervision>(`/v1/supervision?${query}`, { token });
  if (!result.ok) {
    status.textContent = problemMessage(result.problem);
    return;
  }
  report = result.data;
  status.textContent = report.truncated ? t('sup.truncated') : '';
  renderSupervision();
  await loadAlarms();
}

function table(caption: string, header: string[], rows: (string | number)[][]): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...header.map((c) => h('th', { scope: 'col' }, c)))),
      h(
        'tbody',
        {},
        ...rows.map((r) =>
          h(
            'tr',
            {},
            ...r.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, String(c)) : h('td', {}, String(c)))),
          ),
        ),
      ),
    ),
  );
}

/** Draws the report, the alarms and an opened request (again, after a switch of language). */
export function renderSupervision(): void {
  renderAlarms();
  renderDrillDown();
  if (!report) return;
  const figures = byId('sup-figures');
  clear(figures);
  figures.append(
    table(
      t('sup.stations'),
      [
        t('sup.colStation'),
        t('sup.colOpen'),
        t('sup.colOverdue'),
        t('sup.colEscalated'),
        t('sup.colFinished'),
        t('sup.colOnTime'),
        t('sup.colLate'),
      ],
      report.stations.map((s) => [
        s.name ?? s.station,
        s.open,
        s.overdue,
        s.escalated,
        s.finished,
        s.onTime,
        s.late,
      ]),
    ),
    table(
      t('sup.officers'),
      [t('sup.colOfficer'), t('sup.colOpen'), t('sup.colOverdue'), t('sup.colFinished')],
      report.officers.map((o) => [o.officer, o.open, o.overdue, o.finished]),
    ),
  );
  const lists = byId('sup-lists');
  clear(lists);
  for (const [key, rows] of [
    ['sup.overdue', report.overdue],
    ['sup.escalated', report.escalated],
  ] as const) {
    const id = key.replace('.', '-');
    lists.append(
      h('h3', { id }, t(key)),
      rows.length === 0
        ? h('p', {}, t('sup.none'))
        : h('ul', { class: 'rows', 'aria-labelledby': id }, ...rows.map((r) => rowItem(r, false))),
    );
  }
}

/** The request opened from a list (drawn again in the other language), undefined once closed. */
let opened: ApiResult<RequestView> | undefined;

/** Opens a request from a list: its facts and its audit trail (who did what, when). */
async function drillDown(requestId: string): Promise<void> {
  const token = tokenOf();
  if (!token) return;
  opened = await api<RequestView>(`/v1/requests/${encodeURIComponent(requestId)}`, { token });
  renderDrillDown();
  byId('sup-detail').focus();
}

function renderDrillDown(): void {
  const result = opened;
  const box = byId('sup-detail');
  if (!result) return;
  const body = byId('sup-detail-body');
  clear(body);
  box.hidden = false;
  if (!result.ok) {
    body.append(h('p', {}, problemMessage(result.problem)));
    return;
  }
  const view = result.data;
  byId('sup-detail-title').textContent = t('sup.request', { ref: view.requestId.slice(-8) });
  const facts = h('dl', { class: 'facts' });
  const fact = (name: string, value: string) => facts.append(h('dt', {}, name), h('dd', {}, value));
  fact(t('sup.colStation'), view.station ?? '');
  fact(proofName(view.proof), label(STATUSES, view.status));
  if (view.decision) fact(label(OUTCOMES, view.decision.outcome), tr(view.decision.reason));
  body.append(
    facts,
    h('h4', {}, t('sup.trail')),
    h(
      'ol',
      { class: 'timeline', id: 'sup-trail' },
      ...(view.history ?? []).map((entry) => {
        const detail = historyDetail(entry);
        return h(
          'li',
          {},
          h('time', { datetime: entry.at }, beijingDateTime(entry.at)),
          h('strong', {}, label(HISTORY_TYPES, entry.type)),
          detail ? h('span', { class: 'hint' }, ` — ${detail}`) : null,
        );
      }),
    ),
  );
}

function exportStations(): void {
  if (!report) return;
  const csv = toCsv(
    ['station', 'name', 'open', 'overdue', 'escalated', 'finished', 'onTime', 'late', 'from', 'to'],
    report.stations.map((s) => [
      s.station,
      s.name,
      s.open,
      s.overdue,
      s.escalated,
      s.finished,
      s.onTime,
      s.late,
      report?.from,
      report?.to,
    ]),
  );
  downloadCsv(`certflow-stations-${report.from}-${report.to}.csv`, csv);
}

function exportRequests(): void {
  if (!report) return;
  const row = (list: string, r: ConsoleRow) => [
    list,
    r.requestId,
    r.reference,
    r.proof,
    proofName(r.proof),
    r.status,
    r.station,
    r.assignee,
    r.acceptedAt,
    r.deadline,
    r.escalationLevel,
    r.subject.name,
  ];
  const csv = toCsv(
    [
      'list',
      'requestId',
      'reference',
      'proof',
      'proofName',
      'status',
      'station',
      'officer',
      'acceptedAt',
      'deadline',
      'escalationLevel',
      'subject',
    ],
    [...report.overdue.map((r) => row('overdue', r)), ...report.escalated.map((r) => row('escalated', r))],
  );
  downloadCsv(`certflow-overdue-escalated-${report.from}-${report.to}.csv`, csv);
}

interface Alarms {
  alarms: { id: string; state: string; threshold: number }[];
  transitions: { alarm: string; state: string; at: string; value?: number }[];
}
/** The alarms last loaded (drawn again in the other language). */
let alarms: Alarms | undefined;

/** The alarms that fired on the local stack (the section stays hidden where the route does not exist). */
async function loadAlarms(): Promise<void> {
  const result = await api<Alarms>('/_local/alarms');
  alarms = result.ok ? result.data : undefined;
  renderAlarms();
}

function renderAlarms(): void {
  const section = byId('sup-alarms');
  section.hidden = !alarms;
  if (!alarms) return;
  const list = byId('sup-alarm-list');
  clear(list);
  for (const alarm of alarms.alarms) {
    list.append(
      h(
        'li',
        { class: alarm.state === 'ALARM' ? 'alarm-on' : undefined },
        t('sup.alarmState', {
          alarm: alarm.id,
          state: alarm.state === 'ALARM' ? t('sup.alarmFired') : t('sup.alarmOk'),
          threshold: alarm.threshold,
        }),
      ),
    );
  }
  const fired = byId('sup-alarm-history');
  clear(fired);
  for (const transition of alarms.transitions.slice(0, 20)) {
    fired.append(
      h(
        'li',
        {},
        h('time', { datetime: transition.at }, beijingDateTime(transition.at)),
        ` ${transition.alarm} → ${transition.state}${transition.value === undefined ? '' : ` (${transition.value})`}`,
      ),
    );
  }
}
