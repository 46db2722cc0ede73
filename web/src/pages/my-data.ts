/**
 * My data (/my-data): the citizen signs in with ID number + phone + a one-time code sent to that phone
 * (POST /v1/citizen/codes, POST /v1/citizen/sessions), then sees who asked about them
 * (GET /v1/citizen/exchange-records, after Estonia's data tracker) and gets back the links of their
 * requests (GET /v1/citizen/requests). `#links` (the status page's "lost your link?") opens on the links.
 * The session token lives in this page only (never stored): a reload asks for a new code.
 */
import { api } from '../lib/api.ts';
import { byId, clear, h } from '../lib/dom.ts';
import { beijingDate, beijingDateTime } from '../lib/format.ts';
import { type Dictionary, lang, onLangChange, t, tr } from '../lib/i18n.ts';
import { checkIdNumber, normaliseIdNumber } from '../lib/id-check.ts';
import { ANSWER_KEYS, ANSWER_VALUES, label, RELATIONS, STATUSES } from '../lib/labels.ts';
import { markReady, problemMessage, startPage } from '../lib/page.ts';
import type { CitizenCodeSent, CitizenRequests, CitizenSession, DataTracker } from '../lib/types.ts';

const DICT: Dictionary = {
  'myData.title': { zh: '我的数据', en: 'My data' },
  'myData.lead': {
    zh: '用身份证号和申请时留的手机号登录，查看哪些单位查询过您的信息，找回您的申请链接。',
    en: 'Sign in with your ID number and the phone you gave when you applied to see which bodies asked about you, and to get back the links of your requests.',
  },
  'myData.signIn': { zh: '登录', en: 'Sign in' },
  'myData.idNumber': { zh: '身份证号', en: 'ID number' },
  'myData.phone': { zh: '手机号（申请时填写的）', en: 'Phone (as given when you applied)' },
  'myData.sendCode': { zh: '发送验证码', en: 'Send a code' },
  'myData.code': { zh: '短信验证码', en: 'Code from the SMS' },
  'myData.signInButton': { zh: '登录', en: 'Sign in' },
  'myData.signOut': { zh: '退出', en: 'Sign out' },
  'myData.required': { zh: '请填写“{field}”', en: 'Fill in “{field}”' },
  'myData.badPhone': { zh: '请填写11位手机号', en: 'Enter an 11-digit mobile number' },
  'myData.badCode': { zh: '验证码为6位数字', en: 'The code is 6 digits' },
  'myData.codeFailed': {
    zh: '验证码不正确或已失效，请重新获取。',
    en: 'The code is wrong or no longer valid; ask for a new one.',
  },
  'myData.trackerTitle': { zh: '谁查询过我的信息', en: 'Who asked about me' },
  'myData.trackerLead': {
    zh: '各单位通过信息流转查询您户籍信息的每一条记录：哪个单位、何时、为何用途、得到什么答复、依据哪条规则。',
    en: 'Every time a body asked about you through the information exchange: which body, when, for what purpose, what it was told, under which rule.',
  },
  'myData.noQueries': { zh: '没有单位查询过您的信息。', en: 'No body has asked about you.' },
  'myData.when': { zh: '时间', en: 'When' },
  'myData.body': { zh: '查询单位', en: 'Body' },
  'myData.question': { zh: '查询事项', en: 'Question' },
  'myData.purpose': { zh: '用途', en: 'Purpose' },
  'myData.answer': { zh: '答复', en: 'Answer' },
  'myData.rule': { zh: '依据', en: 'Rule' },
  'myData.noPurpose': { zh: '⚠ 未载明法定用途', en: '⚠ no legal purpose stated' },
  'myData.withoutPurpose': {
    zh: '其中 {n} 次查询未载明法定用途。如有异议可投诉。',
    en: '{n} of these queries stated no legal purpose. You may complain about them.',
  },
  'myData.linksTitle': { zh: '我的申请（找回链接）', en: 'My requests (lost links)' },
  'myData.noRequests': {
    zh: '没有用该身份证号和手机号提交的申请。',
    en: 'No request was filed with this ID number and phone.',
  },
  'myData.open': { zh: '查看进度', en: 'Open status' },
  'myData.accepted': { zh: '受理于 {date}', en: 'accepted {date}' },
  'myData.yes': { zh: '是', en: 'yes' },
  'myData.no': { zh: '否', en: 'no' },
};

startPage(DICT);

const askForm = byId<HTMLFormElement>('ask-form');
const codeForm = byId<HTMLFormElement>('code-form');
const idInput = byId<HTMLInputElement>('id-number');
const phoneInput = byId<HTMLInputElement>('phone');
const codeInput = byId<HTMLInputElement>('code');
const message = byId('message');
const signedIn = byId('signed-in');
let sentMessage: { zh: string; en: string } | undefined;
let sessionToken: string | undefined;
let tracker: DataTracker | undefined;
let requests: CitizenRequests | undefined;

function fieldError(input: HTMLInputElement, text: string | undefined): boolean {
  const box = byId(`${input.id}-error`);
  box.hidden = text === undefined;
  box.textContent = text ?? '';
  input.setAttribute('aria-invalid', text === undefined ? 'false' : 'true');
  return text === undefined;
}

function showMessage(text: string | undefined, tone: 'bad' | 'ok' = 'bad'): void {
  clear(message);
  if (text)
    message.append(
      h('div', { class: `notice ${tone}`, role: tone === 'bad' ? 'alert' : 'status' }, h('p', {}, text)),
    );
}

function idError(): string | undefined {
  if (idInput.value.trim() === '') return t('myData.required', { field: t('myData.idNumber') });
  const check = checkIdNumber(idInput.value, true);
  return check.state === 'invalid' ? tr(check.message) : undefined;
}

function phoneError(): string | undefined {
  const v = phoneInput.value.replace(/[\s-]/g, '');
  if (v === '') return t('myData.required', { field: t('myData.phone') });
  return /^1[3-9]\d{9}$/.test(v) ? undefined : t('myData.badPhone');
}

function pair() {
  return { idNumber: normaliseIdNumber(idInput.value), phone: phoneInput.value.replace(/[\s-]/g, '') };
}

askForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const okId = fieldError(idInput, idError());
  const okPhone = fieldError(phoneInput, phoneError());
  if (!okId || !okPhone) {
    (okId ? phoneInput : idInput).focus();
    return;
  }
  void (async () => {
    showMessage(undefined);
    const result = await api<CitizenCodeSent>('/v1/citizen/codes', {
      method: 'POST',
      body: { ...pair(), locale: lang() },
    });
    if (!result.ok) {
      showMessage(problemMessage(result.problem, result.retryAfter));
      return;
    }
    sentMessage = result.data.message;
    byId('code-sent').textContent = tr(sentMessage);
    codeForm.hidden = false;
    codeInput.focus();
  })();
});

codeForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const code = codeInput.value.trim();
  if (!fieldError(codeInput, /^\d{6}$/.test(code) ? undefined : t('myData.badCode'))) {
    codeInput.focus();
    return;
  }
  void (async () => {
    const result = await api<CitizenSession>('/v1/citizen/sessions', {
      method: 'POST',
      body: { ...pair(), code },
    });
    if (!result.ok) {
      showMessage(
        result.status === 401 ? t('myData.codeFailed') : problemMessage(result.problem, result.retryAfter),
      );
      codeInput.focus();
      return;
    }
    sessionToken = result.data.sessionToken;
    showMessage(undefined);
    await loadData();
  })();
});

byId('sign-out').addEventListener('click', () => {
  sessionToken = undefined;
  tracker = undefined;
  requests = undefined;
  signedIn.hidden = true;
  askForm.hidden = false;
  codeForm.hidden = true;
  codeInput.value = '';
  idInput.focus();
});

async function loadData(): Promise<void> {
  const [a, b] = await Promise.all([
    api<DataTracker>('/v1/citizen/exchange-records', { token: sessionToken }),
    api<CitizenRequests>('/v1/citizen/requests', { token: sessionToken }),
  ]);
  if (!a.ok) return showMessage(problemMessage(a.problem));
  if (!b.ok) return showMessage(problemMessage(b.problem));
  tracker = a.data;
  requests = b.data;
  askForm.hidden = true;
  codeForm.hidden = true;
  signedIn.hidden = false;
  render();
  byId(location.hash === '#links' ? 'links' : 'tracker').focus();
}

/** One value of an answer: yes / no, a code by its name (relations too), a list, a name change. */
function answerValue(value: unknown): string {
  if (typeof value === 'boolean') return t(value ? 'myData.yes' : 'myData.no');
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.map(answerValue).join(lang() === 'zh' ? '、' : ', ');
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    // A name change: from → to (date).
    if ('from' in o && 'to' in o) {
      const day = o.changedOn ?? o.on;
      return `${answerValue(o.from)} → ${answerValue(o.to)}${typeof day === 'string' ? ` (${day})` : ''}`;
    }
    return answerText(o);
  }
  const text = String(value);
  if (ANSWER_VALUES[text]) return label(ANSWER_VALUES, text);
  if (RELATIONS[text]) return label(RELATIONS, text).toLowerCase();
  return text;
}

/** An exchange answer in words, key by key (the subject's own masked number left out: it is the reader's). */
function answerText(answer: Record<string, unknown>): string {
  return Object.entries(answer)
    .filter(([k]) => k !== 'subject')
    .map(([k, v]) => `${label(ANSWER_KEYS, k)}${lang() === 'zh' ? '：' : ': '}${answerValue(v)}`)
    .join(lang() === 'zh' ? '；' : '; ');
}

function render(): void {
  if (sentMessage) byId('code-sent').textContent = tr(sentMessage);
  const trackerBody = byId('tracker-body');
  const linksBody = byId('links-body');
  clear(trackerBody);
  clear(linksBody);
  if (tracker) {
    if (tracker.entries.length === 0) trackerBody.append(h('p', {}, t('myData.noQueries')));
    else {
      if (tracker.withoutLegalPurpose > 0)
        trackerBody.append(
          h(
            'p',
            { class: 'notice warn', id: 'without-purpose' },
            t('myData.withoutPurpose', { n: tracker.withoutLegalPurpose }),
          ),
        );
      trackerBody.append(
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { id: 'tracker-table' },
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                ...['when', 'body', 'question', 'purpose', 'answer', 'rule'].map((k) =>
                  h('th', { scope: 'col' }, t(`myData.${k}`)),
                ),
              ),
            ),
            h(
              'tbody',
              {},
              ...tracker.entries.map((e) =>
                h(
                  'tr',
                  e.purpose.legal ? {} : { class: 'no-purpose' },
                  h('td', {}, beijingDateTime(e.askedAt)),
                  h('td', {}, tr(e.body.name)),
                  h('td', {}, tr(e.questionName)),
                  h(
                    'td',
                    {},
                    e.purpose.legal ? tr(e.purpose.name) : t('myData.noPurpose'),
                    ...(e.purpose.given && !e.purpose.legal ? [h('br'), `“${e.purpose.given}”`] : []),
                  ),
                  h('td', {}, answerText(e.answer)),
                  h('td', {}, tr(e.rule.mechanismName), h('br'), h('code', {}, e.rule.id)),
                ),
              ),
            ),
          ),
        ),
      );
    }
  }
  if (requests) {
    if (requests.requests.length === 0) linksBody.append(h('p', {}, t('myData.noRequests')));
    else
      linksBody.append(
        h(
          'ul',
          { id: 'request-links' },
          ...requests.requests.map((r) =>
            h(
              'li',
              {},
              h('a', { href: r.statusLink }, `${tr(r.kindName)} · ${r.requestId.slice(-8)}`),
              ` — ${label(STATUSES, r.status)}, ${t('myData.accepted', { date: beijingDate(r.acceptedAt) })}`,
            ),
          ),
        ),
      );
  }
}

onLangChange(() => render());
markReady();
