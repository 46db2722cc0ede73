/**
 * The public platform (/platform, 查询、监督、举报): query (a request's status link, certificate
 * verification, a complaint's progress), supervision (GET /v1/transparency/accountability: on-time rate,
 * complaints received and upheld, rating averages per station, as charts with their tables) and reporting
 * (POST /v1/complaints). Complaint kinds and station names come from the API (policy data and the
 * registry); bodies and certificate kinds from the catalogue. Every text the public typed is set with
 * textContent (lib/dom.ts), never as HTML. Tokens travel in URL fragments only.
 */
import { api, type FieldError } from '../lib/api.ts';
import { catalogue, loadCatalogue } from '../lib/catalogue.ts';
import { type Bar, barChart } from '../lib/charts.ts';
import { announce, byId, clear, h } from '../lib/dom.ts';
import { beijingDateTime, number } from '../lib/format.ts';
import { type Dictionary, onLangChange, t, tr, trName } from '../lib/i18n.ts';
import { COMPLAINT_STATUSES, label } from '../lib/labels.ts';
import { localise, markReady, problemMessage, startPage } from '../lib/page.ts';
import type { ComplaintAccepted, ComplaintView, TransparencyAccountability } from '../lib/types.ts';

const DICT: Dictionary = {
  'platform.title': { zh: '查询 · 监督 · 举报', en: 'Query · Supervise · Report' },
  'platform.lead': {
    zh: '一个页面办三件事：查询申请进度和证明真伪，看各派出所按期办结、被投诉和评价情况，举报应开不开、吃拿卡要、故意为难。',
    en: 'Three things in one place: look up a request or check a certificate, see how each police station keeps its deadlines, complaints and ratings, and report a refused certificate, favours asked or obstruction.',
  },
  'platform.toc': { zh: '本页内容', en: 'On this page' },
  'platform.query': { zh: '查询', en: 'Query' },
  'platform.supervision': { zh: '监督', en: 'Supervision' },
  'platform.report': { zh: '举报', en: 'Report' },
  'platform.transparencyLink': {
    zh: '已取消证明仍被索要情况',
    en: 'Who still demands abolished certificates',
  },
  'platform.requestTitle': { zh: '申请进度', en: 'A request' },
  'platform.requestHint': {
    zh: '输入受理时给您的申请编号和查询凭证（在您收到的进度链接 #token= 之后）。',
    en: 'Enter the request number and the token you were given (after #token= in your status link).',
  },
  'platform.requestId': { zh: '申请编号', en: 'Request number' },
  'platform.requestToken': { zh: '查询凭证', en: 'Token' },
  'platform.open': { zh: '查看进度', en: 'Show progress' },
  'platform.verifyTitle': { zh: '证明真伪', en: 'Is a certificate genuine?' },
  'platform.verifyHint': {
    zh: '输入证明上的编号和查验码，到查验页核对。',
    en: 'Enter the number and code printed on it; the verification page checks them.',
  },
  'platform.verifyNumber': { zh: '证明编号', en: 'Certificate number' },
  'platform.verifyCode': { zh: '查验码', en: 'Verification code' },
  'platform.verify': { zh: '查验', en: 'Verify' },
  'platform.complaintStatusTitle': { zh: '投诉办理进度', en: 'A complaint’s progress' },
  'platform.complaintId': { zh: '投诉编号', en: 'Complaint number' },
  'platform.complaintToken': { zh: '查询凭证', en: 'Token' },
  'platform.required': { zh: '请填写“{field}”', en: 'Fill in “{field}”' },
  'platform.policy': {
    zh: '投诉由派出所的上级督导部门在{days}个工作日内办结，逾期每次提级并再给{next}个工作日。（{source}）',
    en: 'A complaint is decided by the bureau above the station within {days} working days; each time that passes it moves up a level with {next} more working days. ({source})',
  },
  'platform.tableCaption': {
    zh: '各派出所办理与监督情况（只含汇总数字，不含个人信息）',
    en: 'Service and supervision by police station (totals only, no personal data)',
  },
  'platform.station': { zh: '派出所', en: 'Police station' },
  'platform.finished': { zh: '已办结', en: 'Finished' },
  'platform.onTime': { zh: '按期办结率', en: 'On-time rate' },
  'platform.received': { zh: '收到投诉', en: 'Complaints' },
  'platform.upheld': { zh: '投诉属实', en: 'Upheld' },
  'platform.ratings': { zh: '评价数', en: 'Ratings' },
  'platform.average': { zh: '平均评分', en: 'Average rating' },
  'platform.onTimeChart': { zh: '按期办结率（%）', en: 'On-time rate (%)' },
  'platform.complaintsChart': { zh: '收到的投诉（件）', en: 'Complaints received' },
  'platform.upheldChart': { zh: '经查属实的投诉（件）', en: 'Complaints upheld' },
  'platform.ratingChart': { zh: '平均评分（1–5）', en: 'Average rating (1–5)' },
  'platform.data': { zh: '查看数据表', en: 'Show the figures' },
  'platform.value': { zh: '数值', en: 'Value' },
  'platform.unknownStation': { zh: '未指明派出所', en: 'No station named' },
  'platform.reportHint': {
    zh: '无需登录。请写明申请编号或派出所。您的姓名和电话只有负责处理的督导人员能看到。',
    en: 'No sign-in needed. Name a request number or a police station. Only the supervisors handling it see your name and phone number.',
  },
  'platform.kind': { zh: '投诉类型', en: 'What happened' },
  'platform.requestIdOptional': { zh: '申请编号（如有）', en: 'Request number (if any)' },
  'platform.stationField': { zh: '派出所', en: 'Police station' },
  'platform.chooseStation': {
    zh: '— 请选择（有申请编号可不选）—',
    en: '— choose (not needed with a request number) —',
  },
  'platform.officer': {
    zh: '涉及民警（姓名或警号，可不填）',
    en: 'The officer (name or badge number, optional)',
  },
  'platform.body': { zh: '索要证明的单位', en: 'The body that demanded it' },
  'platform.certificateKind': { zh: '所要的证明', en: 'The certificate it demanded' },
  'platform.choose': { zh: '— 请选择 —', en: '— choose —' },
  'platform.text': { zh: '经过', en: 'What happened, in your words' },
  'platform.name': { zh: '您的姓名', en: 'Your name' },
  'platform.phone': { zh: '联系电话', en: 'Your phone number' },
  'platform.submit': { zh: '提交举报', en: 'Send the report' },
  'platform.sending': { zh: '正在提交…', en: 'Sending…' },
  'platform.accepted': { zh: '已受理，投诉编号：{id}', en: 'Accepted. Complaint number: {id}' },
  'platform.keepLink': {
    zh: '请保存下面的链接，凭它查看办理进度（链接含查询凭证，请勿转发）：',
    en: 'Keep this link to follow it (it carries your token; do not share it):',
  },
  'platform.status': { zh: '状态', en: 'Status' },
  'platform.assignedTo': { zh: '办理单位', en: 'Handled by' },
  'platform.deadline': { zh: '办理期限', en: 'Deadline' },
  'platform.finding': { zh: '处理结论', en: 'Finding' },
  'platform.yourText': { zh: '您反映的情况', en: 'What you reported' },
};

startPage(DICT);

let figures: TransparencyAccountability | undefined;

// --- query ---------------------------------------------------------------------------------------------------

byId<HTMLFormElement>('request-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = byId<HTMLInputElement>('request-id').value.trim();
  const token = byId<HTMLInputElement>('request-token').value.trim();
  const error = byId('request-id-error');
  error.hidden = /^[0-9A-Za-z_-]{1,100}$/.test(id);
  error.textContent = error.hidden ? '' : t('platform.required', { field: t('platform.requestId') });
  if (!error.hidden) return;
  // The token goes in the fragment: never sent to a server (web/README.md).
  location.assign(`/requests/${encodeURIComponent(id)}${token ? `#token=${encodeURIComponent(token)}` : ''}`);
});

let shownComplaint: ComplaintView | undefined;

function renderComplaint(): void {
  const box = byId('complaint-status');
  clear(box);
  const c = shownComplaint;
  if (!c) return;
  const kind = figures?.kinds.find((k) => k.code === c.kind);
  box.append(
    h(
      'dl',
      { class: 'facts', id: 'complaint-facts' },
      h('dt', {}, t('platform.kind')),
      h('dd', {}, kind ? trName(kind.name) : c.kind),
      h('dt', {}, t('platform.status')),
      h('dd', { id: 'complaint-status-value' }, label(COMPLAINT_STATUSES, c.status)),
      ...(c.assignment ? [h('dt', {}, t('platform.assignedTo')), h('dd', {}, tr(c.assignment.unit))] : []),
      ...(c.deadline ? [h('dt', {}, t('platform.deadline')), h('dd', {}, beijingDateTime(c.deadline))] : []),
      ...(c.finding
        ? [h('dt', {}, t('platform.finding')), h('dd', { id: 'complaint-finding' }, c.finding.note)]
        : []),
      h('dt', {}, t('platform.yourText')),
      // As text: whatever was typed stays text.
      h('dd', { id: 'complaint-text', class: 'pre-wrap' }, c.text),
    ),
  );
}

async function showComplaint(id: string, token: string): Promise<void> {
  const result = await api<ComplaintView>(`/v1/complaints/${encodeURIComponent(id)}`, { token });
  const box = byId('complaint-status');
  if (!result.ok) {
    shownComplaint = undefined;
    clear(box);
    box.append(h('p', { class: 'notice bad', role: 'alert' }, problemMessage(result.problem)));
    return;
  }
  shownComplaint = result.data;
  renderComplaint();
}

byId<HTMLFormElement>('complaint-status-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const id = byId<HTMLInputElement>('complaint-id').value.trim();
  const token = byId<HTMLInputElement>('complaint-token').value.trim();
  if (id && token) void showComplaint(id, token);
});

// --- supervision ---------------------------------------------------------------------------------------------

function stationName(row: { station: string; name: string }): string {
  return row.station === 'UNKNOWN' ? t('platform.unknownStation') : row.name;
}

function renderFigures(): void {
  if (!figures) return;
  const f = figures;
  byId('supervision-policy').textContent = t('platform.policy', {
    days: f.policy.findingWorkingDays,
    next: f.policy.escalationIntervalWorkingDays,
    source: tr(f.policy.source),
  });
  const charts = byId('supervision-charts');
  clear(charts);
  const bars = (value: (r: (typeof f.stations)[number]) => number | null, tone: Bar['tone']): Bar[] =>
    f.stations
      .filter((r) => value(r) !== null)
      .map((r) => ({ label: stationName(r), value: value(r) ?? 0, tone }));
  const chart = (title: string, list: Bar[]) =>
    barChart(title, list, t('platform.data'), t('platform.value'));
  charts.append(
    chart(
      t('platform.onTimeChart'),
      bars((r) => (r.onTimeRate === null ? null : Math.round(r.onTimeRate * 100)), 'ok'),
    ),
    chart(
      t('platform.complaintsChart'),
      bars((r) => r.complaintsReceived, 'warn'),
    ),
    chart(
      t('platform.upheldChart'),
      bars((r) => r.complaintsUpheld, 'bad'),
    ),
    chart(
      t('platform.ratingChart'),
      bars((r) => r.ratingAverage, 'info'),
    ),
  );
  const body = byId('supervision-table').querySelector('tbody')!;
  clear(body);
  for (const r of f.stations) {
    body.append(
      h(
        'tr',
        {},
        h('th', { scope: 'row' }, stationName(r)),
        h('td', {}, number(r.finished)),
        h('td', {}, r.onTimeRate === null ? '—' : `${number(r.onTimeRate * 100, 1)}%`),
        h('td', {}, number(r.complaintsReceived)),
        h('td', {}, number(r.complaintsUpheld)),
        h('td', {}, number(r.ratings)),
        h('td', {}, r.ratingAverage === null ? '—' : number(r.ratingAverage, 2)),
      ),
    );
  }
}

// --- report --------------------------------------------------------------------------------------------------

const form = byId<HTMLFormElement>('complaint-form');

function options(
  select: HTMLSelectElement,
  items: readonly { value: string; text: string }[],
  empty?: string,
): void {
  const chosen = select.value;
  clear(select);
  if (empty !== undefined) select.append(h('option', { value: '' }, empty));
  for (const item of items) select.append(h('option', { value: item.value }, item.text));
  if (chosen) select.value = chosen;
}

function renderFormChoices(): void {
  if (figures) {
    options(
      byId<HTMLSelectElement>('kind'),
      figures.kinds.map((k) => ({ value: k.code, text: trName(k.name) })),
    );
    options(
      byId<HTMLSelectElement>('c-station'),
      figures.stations
        .filter((r) => r.station !== 'UNKNOWN')
        .map((r) => ({ value: r.station, text: `${r.name}（${r.station}）` })),
      t('platform.chooseStation'),
    );
  }
  const cat = catalogue();
  if (cat) {
    options(
      byId<HTMLSelectElement>('c-body'),
      cat.bodies.map((b) => ({ value: b.code, text: trName(b.name) })),
      t('platform.choose'),
    );
    options(
      byId<HTMLSelectElement>('c-kind'),
      cat.kinds.map((k) => ({ value: k.code, text: trName(k.name) })),
      t('platform.choose'),
    );
  }
  byId('abolished-fields').hidden = byId<HTMLSelectElement>('kind').value !== 'ABOLISHED_DEMAND';
}

byId('kind').addEventListener('change', () => {
  byId('abolished-fields').hidden = byId<HTMLSelectElement>('kind').value !== 'ABOLISHED_DEMAND';
});

function clearErrors(): void {
  for (const box of form.querySelectorAll<HTMLElement>('.field-error')) {
    box.hidden = true;
    box.textContent = '';
  }
  for (const field of form.querySelectorAll('[aria-invalid]')) field.setAttribute('aria-invalid', 'false');
}

function showErrors(errors: readonly FieldError[]): void {
  let first: HTMLElement | undefined;
  for (const error of errors) {
    const box = document.getElementById(`${error.path}-error`) ?? byId('complaint-error');
    box.hidden = false;
    box.textContent = [box.textContent, localise(error.message)].filter(Boolean).join(' ');
    const field = form.querySelector<HTMLElement>(`[aria-describedby="${error.path}-error"]`);
    field?.setAttribute('aria-invalid', 'true');
    first ??= field ?? box;
  }
  first?.focus();
}

function value(id: string): string | undefined {
  const v = byId<HTMLInputElement>(id).value.trim();
  return v === '' ? undefined : v;
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit();
});

async function submit(): Promise<void> {
  clearErrors();
  const button = byId<HTMLButtonElement>('complaint-submit');
  const kind = byId<HTMLSelectElement>('kind').value;
  const body = {
    kind,
    text: byId<HTMLTextAreaElement>('c-text').value,
    ...(value('c-request') ? { requestId: value('c-request') } : {}),
    ...(value('c-station') ? { station: value('c-station') } : {}),
    ...(value('c-officer') ? { officer: value('c-officer') } : {}),
    ...(kind === 'ABOLISHED_DEMAND' && value('c-body') ? { body: value('c-body') } : {}),
    ...(kind === 'ABOLISHED_DEMAND' && value('c-kind') ? { certificateKind: value('c-kind') } : {}),
    contact: {
      name: byId<HTMLInputElement>('c-name').value,
      phone: byId<HTMLInputElement>('c-phone').value.trim(),
    },
  };
  button.disabled = true;
  announce(t('platform.sending'));
  const result = await api<ComplaintAccepted>('/v1/complaints', { method: 'POST', body });
  button.disabled = false;
  const out = byId('complaint-result');
  clear(out);
  if (!result.ok) {
    if (result.status === 400 && result.problem.errors?.length) showErrors(result.problem.errors);
    else {
      const box = byId('complaint-error');
      box.hidden = false;
      box.textContent = problemMessage(result.problem, result.retryAfter);
    }
    return;
  }
  const { complaintId, accessToken } = result.data;
  const link = `${location.origin}/platform#complaint=${encodeURIComponent(complaintId)}&token=${encodeURIComponent(accessToken)}`;
  out.append(
    h(
      'div',
      { class: 'notice ok', id: 'complaint-accepted' },
      h('h3', {}, t('platform.accepted', { id: complaintId })),
      h('p', {}, t('platform.keepLink')),
      h('p', {}, h('a', { href: link, id: 'complaint-link' }, link)),
    ),
  );
  form.reset();
  renderFormChoices();
  out.focus();
  byId<HTMLInputElement>('complaint-id').value = complaintId;
  byId<HTMLInputElement>('complaint-token').value = accessToken;
  void showComplaint(complaintId, accessToken);
}

// --- start ---------------------------------------------------------------------------------------------------

onLangChange(() => {
  renderFigures();
  renderFormChoices();
  renderComplaint();
});

void (async () => {
  const [result] = await Promise.all([
    api<TransparencyAccountability>('/v1/transparency/accountability'),
    loadCatalogue(),
  ]);
  if (result.ok) {
    figures = result.data;
    renderFigures();
  } else {
    const box = byId('supervision-error');
    box.hidden = false;
    box.textContent = problemMessage(result.problem);
  }
  renderFormChoices();
  const fragment = new URLSearchParams(location.hash.slice(1));
  const id = fragment.get('complaint');
  const token = fragment.get('token');
  if (id && token) {
    byId<HTMLInputElement>('complaint-id').value = id;
    byId<HTMLInputElement>('complaint-token').value = token;
    await showComplaint(id, token);
  }
  markReady();
})();
