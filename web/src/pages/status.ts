/**
 * The request status page (/requests/{id}#token=…): decision with reason and guidance, deadline in
 * Beijing time, the audit trail as a timeline, and for an issued certificate its number, verification code,
 * a QR code to /verify and a print view. Polls while the request is still moving.
 */
import { api } from '../lib/api.ts';
import { bodyName, kindName, loadCatalogue } from '../lib/catalogue.ts';
import { announce, byId, clear, h } from '../lib/dom.ts';
import { beijingDateTime } from '../lib/format.ts';
import { historyDetail } from '../lib/history.ts';
import { type Dictionary, lang, onLangChange, t, tr, trName } from '../lib/i18n.ts';
import { FINAL_STATUSES, HISTORY_TYPES, label, OUTCOMES, STATUSES } from '../lib/labels.ts';
import { markReady, problemMessage, startPage } from '../lib/page.ts';
import { renderQr } from '../lib/qr.ts';
import { showRating } from '../lib/rating.ts';
import { recallToken, rememberToken, tokenFromFragment } from '../lib/tokens.ts';
import type { RequestView } from '../lib/types.ts';

const DICT: Dictionary = {
  'status.title': { zh: '申请进度', en: 'Request status' },
  'status.printTitle': { zh: '证明申请答复', en: 'Answer to a certificate request' },
  'status.needToken': {
    zh: '请输入提交申请时获得的查询凭证（保存在办理链接中）。',
    en: 'Enter the access token you got when you applied (it is part of your status link).',
  },
  'status.tokenLabel': { zh: '查询凭证', en: 'Access token' },
  'status.lostLink': {
    zh: '链接丢了？用身份证号和手机号找回',
    en: 'Lost your link? Get it back with your ID number and phone',
  },
  'status.show': { zh: '查看进度', en: 'Show status' },
  'status.loading': { zh: '正在读取…', en: 'Loading…' },
  'status.status': { zh: '状态：', en: 'Status: ' },
  'status.requestId': { zh: '申请编号', en: 'Request number' },
  'status.proof': { zh: '证明事项', en: 'Proof' },
  'status.station': { zh: '承办派出所', en: 'Police station' },
  'status.accepted': { zh: '受理时间', en: 'Accepted' },
  'status.hours': { zh: '办公时间', en: 'Opening hours' },
  'status.closed': { zh: '办结时间', en: 'Closed' },
  'status.deadline': { zh: '办结期限', en: 'Deadline' },
  'status.provisional': {
    zh: '（暂定：节假日安排尚未公布）',
    en: '(provisional: the holiday schedule is not yet published)',
  },
  'status.escalation': { zh: '督办级别', en: 'Escalation level' },
  'status.overdue': {
    zh: '已超过期限，已上报上级督办。',
    en: 'The deadline has passed; a supervisor has been alerted.',
  },
  'status.saveLink': {
    zh: '请收藏或保存本页链接，凭链接随时查看进度。链接含查询凭证，请勿转给他人。',
    en: 'Bookmark or save this page’s link to check again later. It contains your access token: do not share it.',
  },
  'status.seal': {
    zh: '出具单位（盖章）：{issuer}　　{date}　　扫码或登录查验页核对真伪。',
    en: 'Issued by (seal): {issuer}    {date}    Scan the code or use the verification page to check it.',
  },
  'status.copyLink': { zh: '复制链接', en: 'Copy the link' },
  'status.copied': { zh: '链接已复制。', en: 'Link copied.' },
  'status.decision': { zh: '决定', en: 'Decision' },
  'status.reason': { zh: '理由', en: 'Reason' },
  'status.guidance': { zh: '您可以这样办', en: 'What you can do' },
  'status.basis': { zh: '依据', en: 'Basis' },
  'status.heldBy': { zh: '掌握该信息的部门', en: 'Body holding the information' },
  'status.exchangeTo': { zh: '已将核查结果直接答复', en: 'The answer went directly to' },
  'status.commitment': { zh: '书面承诺（代替证明）', en: 'Signed commitment (instead of a certificate)' },
  'status.rule': { zh: '规则', en: 'Rule' },
  'status.findingNote': { zh: '核实意见', en: 'Finding' },
  'status.pending': {
    zh: '正在按规则审查，通常几秒钟内完成，本页会自动更新。',
    en: 'The rules are being applied; this usually takes seconds and this page updates by itself.',
  },
  'status.certificate': { zh: '证明', en: 'Certificate' },
  'status.number': { zh: '证明编号', en: 'Certificate number' },
  'status.code': { zh: '查验码', en: 'Verification code' },
  'status.issuedAt': { zh: '出具时间', en: 'Issued' },
  'status.issuedBy': { zh: '出具单位', en: 'Issued by' },
  'status.qrCaption': { zh: '扫码查验此证明', en: 'Scan to verify this certificate' },
  'status.qrLabel': { zh: '查验二维码，指向：{url}', en: 'QR code linking to {url}' },
  'status.print': { zh: '打印', en: 'Print' },
  'status.verifyLink': { zh: '在查验页核对', en: 'Check it on the verification page' },
  'status.timeline': { zh: '办理过程', en: 'Progress' },
  'status.noHistory': { zh: '暂无记录。', en: 'Nothing recorded yet.' },
  'status.changed': { zh: '状态已更新：{status}', en: 'Status updated: {status}' },
};

startPage(DICT);

const requestId = decodeURIComponent(location.pathname.split('/')[2] ?? '');
let token = tokenFromFragment() ?? recallToken(requestId);
let view: RequestView | undefined;
let timer: number | undefined;

if (token) rememberToken(requestId, token);

function badgeClass(status: string): string {
  if (status === 'ISSUED' || status === 'ANSWERED_BY_EXCHANGE') return 'badge ok';
  if (status === 'DECLINED') return 'badge';
  if (status === 'REFUSED' || status === 'ESCALATED') return 'badge bad';
  if (status === 'INVESTIGATING') return 'badge warn';
  return 'badge';
}

function fact(list: HTMLElement, term: string, ...value: (Node | string)[]): void {
  list.append(h('dt', {}, term), h('dd', {}, ...value));
}

function proofName(code: string): string {
  const name = kindName(code);
  return name ? trName(name) : code;
}

function render(): void {
  if (!view) return;
  byId('loading').hidden = true;
  byId('request').hidden = false;
  const badge = byId('status-badge');
  badge.className = badgeClass(view.status);
  badge.textContent = label(STATUSES, view.status);

  const summary = byId('summary');
  clear(summary);
  fact(summary, t('status.requestId'), h('span', { class: 'mono' }, view.requestId));
  fact(summary, t('status.proof'), proofName(view.proof));
  // The station as citizens know it (name, address, hours from the registry's data), never its code.
  const station = view.stationInfo;
  if (station) {
    fact(summary, t('status.station'), station.name, station.address ? ` · ${station.address}` : '');
    if (station.hours) fact(summary, t('status.hours'), tr(station.hours));
  }
  if (view.acceptedAt) fact(summary, t('status.accepted'), beijingDateTime(view.acceptedAt));
  // After closure: when it closed (the closing facts are the decision and the document below).
  if (view.finishedAt && FINAL_STATUSES.has(view.status))
    fact(summary, t('status.closed'), beijingDateTime(view.finishedAt));
  if (view.deadline && !FINAL_STATUSES.has(view.status)) {
    fact(
      summary,
      t('status.deadline'),
      h('time', { datetime: view.deadline }, beijingDateTime(view.deadline)),
      view.deadlineProvisional ? ` ${t('status.provisional')}` : '',
    );
  }
  if (view.escalationLevel && view.escalationLevel > 0) {
    fact(summary, t('status.escalation'), String(view.escalationLevel), ' — ', t('status.overdue'));
  }
  byId('save-link').textContent = t('status.saveLink');

  renderDecision();
  renderCertificate();
  renderTimeline();
}

function renderDecision(): void {
  const section = byId('decision');
  const body = byId('decision-body');
  clear(body);
  section.hidden = false;
  const decision = view?.decision;
  if (!decision) {
    body.append(h('p', {}, t('status.pending')));
    return;
  }
  const list = h('dl', { class: 'facts' });
  fact(list, t('status.decision'), h('strong', {}, label(OUTCOMES, decision.outcome)));
  if (decision.reason) fact(list, t('status.reason'), tr(decision.reason));
  // After closure the closing facts (the document below), not the guidance of the investigation stage.
  const closedInvestigation = decision.outcome === 'INVESTIGATE' && FINAL_STATUSES.has(view?.status ?? '');
  if (decision.guidance && !closedInvestigation) fact(list, t('status.guidance'), tr(decision.guidance));
  if (decision.heldBy && decision.heldBy !== 'POLICE') {
    fact(list, t('status.heldBy'), bodyName(decision.heldBy));
  }
  if (decision.exchange?.department) {
    fact(list, t('status.exchangeTo'), bodyName(decision.exchange.department));
  }
  if (decision.commitment) {
    fact(
      list,
      t('status.commitment'),
      `${tr(decision.commitment.text)} (${bodyName(decision.commitment.department)})`,
    );
  }
  if (decision.basis) fact(list, t('status.basis'), tr(decision.basis));
  if (view?.finding?.note) fact(list, t('status.findingNote'), view.finding.note);
  body.append(list);
}

function renderCertificate(): void {
  const section = byId('certificate');
  // The certificate, or after a decline or a refusal the written reply (书面告知): the same print view.
  const certificate = view?.certificate ?? view?.writtenReply;
  section.hidden = !certificate;
  if (!certificate) return;
  if (certificate.title) byId('certificate-title').textContent = tr(certificate.title);
  const statement = byId('certificate-statement');
  statement.textContent = tr(certificate.statement);
  statement.lang = lang();
  const list = byId('certificate-facts');
  clear(list);
  fact(list, t('status.proof'), proofName(view?.proof ?? ''));
  fact(list, t('status.number'), h('span', { class: 'mono', id: 'certificate-number' }, certificate.number));
  if (certificate.verificationCode) {
    fact(
      list,
      t('status.code'),
      h('span', { class: 'mono', id: 'verification-code' }, certificate.verificationCode),
    );
  }
  fact(list, t('status.issuedAt'), beijingDateTime(certificate.issuedAt));
  if (certificate.issuedBy) fact(list, t('status.issuedBy'), certificate.issuedBy);
  byId('cert-print-title').textContent = certificate.title
    ? tr(certificate.title)
    : proofName(view?.proof ?? '');
  byId('cert-print-seal').textContent = t('status.seal', {
    issuer: certificate.issuedBy ?? view?.stationInfo?.name ?? '',
    date: beijingDateTime(certificate.issuedAt, false),
  });
  const verifyUrl = new URL('/verify', location.origin);
  verifyUrl.searchParams.set('number', certificate.number);
  if (certificate.verificationCode) verifyUrl.searchParams.set('code', certificate.verificationCode);
  byId<HTMLAnchorElement>('verify-link').href = verifyUrl.pathname + verifyUrl.search;
  const qr = byId('qr');
  qr.setAttribute('aria-label', t('status.qrLabel', { url: verifyUrl.href }));
  qr.removeAttribute('aria-labelledby');
  qr.dataset.url = verifyUrl.href;
  renderQr(qr, verifyUrl.href);
}

function renderTimeline(): void {
  const list = byId('timeline');
  clear(list);
  const history = view?.history ?? [];
  if (history.length === 0) {
    list.append(h('li', {}, t('status.noHistory')));
    return;
  }
  for (const entry of history) {
    const detail = historyDetail(entry);
    list.append(
      h(
        'li',
        {},
        h('time', { datetime: entry.at }, beijingDateTime(entry.at)),
        h('strong', {}, label(HISTORY_TYPES, entry.type)),
        detail ? h('span', { class: 'hint' }, ` — ${detail}`) : null,
      ),
    );
  }
}

async function load(): Promise<void> {
  if (!token) {
    byId('loading').hidden = true;
    byId('token-form').hidden = false;
    markReady();
    return;
  }
  const result = await api<RequestView>(`/v1/requests/${encodeURIComponent(requestId)}`, { token });
  if (!result.ok) {
    byId('loading').hidden = true;
    if (result.status === 401 || result.status === 404) {
      byId('token-form').hidden = false;
      const error = byId('token-error');
      error.hidden = false;
      error.textContent = problemMessage(result.problem);
      byId('request').hidden = true;
      markReady();
      return;
    }
    const box = byId('load-error');
    box.hidden = false;
    box.textContent = problemMessage(result.problem);
    markReady();
    schedule(10_000);
    return;
  }
  byId('load-error').hidden = true;
  const previous = view?.status;
  view = result.data;
  render();
  showRating(requestId, token, FINAL_STATUSES.has(view.status));
  markReady();
  if (previous && previous !== view.status)
    announce(t('status.changed', { status: label(STATUSES, view.status) }));
  if (!FINAL_STATUSES.has(view.status)) {
    schedule(view.status === 'RECEIVED' || view.status === 'CHECKING' ? 1000 : 10_000);
  }
}

function schedule(ms: number): void {
  window.clearTimeout(timer);
  timer = window.setTimeout(() => void load(), ms);
}

byId<HTMLFormElement>('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = byId<HTMLInputElement>('access-token').value.trim();
  if (!value) return;
  token = value;
  rememberToken(requestId, value);
  history.replaceState(null, '', `#token=${encodeURIComponent(value)}`);
  byId('token-form').hidden = true;
  byId('token-error').hidden = true;
  byId('loading').hidden = false;
  void load();
});
byId('print').addEventListener('click', () => window.print());
byId('copy-link').addEventListener('click', () => {
  const link = token
    ? `${location.origin}${location.pathname}#token=${encodeURIComponent(token)}`
    : location.href;
  navigator.clipboard?.writeText(link).then(
    () => announce(t('status.copied')),
    () => undefined,
  );
});
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible' && view && !FINAL_STATUSES.has(view.status)) void load();
});
onLangChange(() => render());

void (async () => {
  await loadCatalogue();
  render();
})();
void load();
