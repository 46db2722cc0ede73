/** Certificate verification (/verify?number=…&code=…): GET /v1/certificates/{number}?code=… */
import { api } from '../lib/api.ts';
import { byId, clear, h } from '../lib/dom.ts';
import { beijingDateTime } from '../lib/format.ts';
import { type Dictionary, onLangChange, t, trName } from '../lib/i18n.ts';
import { markReady, problemMessage, startPage } from '../lib/page.ts';
import type { Catalogue, CertificateCheck } from '../lib/types.ts';

const DICT: Dictionary = {
  'verify.title': { zh: '查验证明', en: 'Verify a certificate' },
  'verify.lead': {
    zh: '输入证明上的编号和查验码，核对证明是否真实有效。无需登录。',
    en: 'Enter the number and verification code printed on the certificate to check that it is genuine. No login needed.',
  },
  'verify.number': { zh: '证明编号', en: 'Certificate number' },
  'verify.code': { zh: '查验码', en: 'Verification code' },
  'verify.submit': { zh: '查验', en: 'Verify' },
  'verify.checking': { zh: '正在查验…', en: 'Checking…' },
  'verify.valid': { zh: '证明真实有效', en: 'This certificate is genuine and valid' },
  'verify.revoked': { zh: '证明已被撤销', en: 'This certificate has been revoked' },
  'verify.notFound': {
    zh: '未找到：编号或查验码不正确。请核对后重试；如仍不符，该证明可能不是本系统出具的。',
    en: 'Not found: the number or the code is wrong. Check them and try again; if they still do not match, the certificate was not issued by this system.',
  },
  'verify.kind': { zh: '证明事项', en: 'Proof' },
  'verify.subject': { zh: '证明对象', en: 'About' },
  'verify.issuedBy': { zh: '出具单位', en: 'Issued by' },
  'verify.issuedAt': { zh: '出具时间', en: 'Issued' },
  'verify.status': { zh: '状态', en: 'Status' },
  'verify.statusValid': { zh: '有效', en: 'Valid' },
  'verify.statusRevoked': { zh: '已撤销', en: 'Revoked' },
  'verify.required': { zh: '请填写“{field}”', en: 'Fill in “{field}”' },
};

startPage(DICT);

const form = byId<HTMLFormElement>('verify-form');
const numberInput = byId<HTMLInputElement>('number');
const codeInput = byId<HTMLInputElement>('code');
const result = byId('result');
let kindNames = new Map<string, { zh: string; en: string }>();
let last:
  | { readonly ok: true; readonly data: CertificateCheck }
  | { readonly ok: false; readonly message: () => string }
  | undefined;

function renderResult(): void {
  clear(result);
  if (!last) return;
  if (!last.ok) {
    result.append(h('div', { class: 'notice bad', role: 'alert' }, h('p', {}, last.message())));
    return;
  }
  const check = last.data;
  const valid = check.valid && check.status !== 'REVOKED';
  const kind = kindNames.get(check.kind);
  result.append(
    h(
      'div',
      { class: `notice ${valid ? 'ok' : 'bad'}`, id: 'verify-outcome' },
      h('h2', {}, valid ? `✓ ${t('verify.valid')}` : `✗ ${t('verify.revoked')}`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('verify.kind')),
        h('dd', {}, kind ? trName(kind) : check.kind),
        h('dt', {}, t('verify.subject')),
        h('dd', { id: 'verify-subject' }, check.subjectName),
        h('dt', {}, t('verify.issuedBy')),
        h('dd', {}, check.issuedBy),
        h('dt', {}, t('verify.issuedAt')),
        h('dd', {}, beijingDateTime(check.issuedAt)),
        h('dt', {}, t('verify.status')),
        h('dd', {}, check.status === 'REVOKED' ? t('verify.statusRevoked') : t('verify.statusValid')),
      ),
    ),
  );
}

function required(input: HTMLInputElement, key: string): boolean {
  const box = byId(`${input.id}-error`);
  const missing = input.value.trim() === '';
  box.hidden = !missing;
  box.textContent = missing ? t('verify.required', { field: t(key) }) : '';
  input.setAttribute('aria-invalid', missing ? 'true' : 'false');
  return !missing;
}

async function verify(byUser: boolean): Promise<void> {
  const okNumber = required(numberInput, 'verify.number');
  const okCode = required(codeInput, 'verify.code');
  if (!okNumber || !okCode) {
    (okNumber ? codeInput : numberInput).focus();
    return;
  }
  const number = numberInput.value.trim().toUpperCase();
  const code = codeInput.value.replace(/[\s-]+/g, '').toUpperCase();
  const url = new URL(location.href);
  url.searchParams.set('number', number);
  url.searchParams.set('code', code);
  history.replaceState(null, '', url);
  clear(result);
  result.append(h('p', { role: 'status' }, t('verify.checking')));
  const response = await api<CertificateCheck>(
    `/v1/certificates/${encodeURIComponent(number)}?code=${encodeURIComponent(code)}`,
  );
  if (response.ok) last = { ok: true, data: response.data };
  else {
    const problem = response.problem;
    last = {
      ok: false,
      message: () => (problem.status === 404 ? t('verify.notFound') : problemMessage(problem)),
    };
  }
  renderResult();
  // After the user's own submission, move to the answer; on a link's automatic check, leave focus alone.
  if (byUser) result.focus();
  markReady();
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void verify(true);
});
onLangChange(() => renderResult());

const params = new URLSearchParams(location.search);
numberInput.value = params.get('number') ?? '';
codeInput.value = params.get('code') ?? '';
void (async () => {
  const catalogue = await api<Catalogue>('/v1/catalogue');
  if (catalogue.ok) kindNames = new Map(catalogue.data.kinds.map((k) => [k.code, k.name]));
  renderResult();
})();
if (numberInput.value && codeInput.value) void verify(false);
else markReady();
