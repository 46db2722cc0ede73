/**
 * The intake form (/): choose the kind from the catalogue (its treatment is shown at once), fill only
 * the parts that kind needs, ID numbers checked as typed, then POST /v1/requests with an Idempotency-Key
 * and go to the status page. The access token travels in the URL fragment (never sent to a server) and
 * is also kept in sessionStorage.
 */
import { ASKED_BY_CODES } from '#shared/domain/types.ts';
import { api, type FieldError, newIdempotencyKey, type Problem } from '../lib/api.ts';
import { bodyName, investigationDays, loadCatalogue, purposeCodes, purposeName } from '../lib/catalogue.ts';
import { announce, byId, clear, h } from '../lib/dom.ts';
import { type Dictionary, fill, lang, onLangChange, t, tr, trName } from '../lib/i18n.ts';
import { checkIdNumber, normaliseIdNumber } from '../lib/id-check.ts';
import {
  APPLICANT_KINDS,
  BODY_LEVELS,
  label,
  RELATIONS,
  TREATMENT_ADVICE,
  TREATMENTS,
} from '../lib/labels.ts';
import { localise, markReady, problemMessage, startPage } from '../lib/page.ts';
import { rememberToken, statusLink } from '../lib/tokens.ts';
import type { Accepted, Catalogue, CatalogueKind } from '../lib/types.ts';

const DICT: Dictionary = {
  'intake.title': { zh: '申请证明', en: 'Apply for a certificate' },
  'intake.lostLink': {
    zh: '已经申请过、链接丢了？用身份证号和手机号找回',
    en: 'Applied already and lost your link? Get it back with your ID number and phone',
  },
  'intake.lead': {
    zh: '先选择要求您提供的证明。很多证明已经取消：选择后，页面会立即告诉您是否真的需要开具，以及该怎么办。',
    en: 'First choose what you were asked to prove. Many certificates have been abolished: once you choose, this page tells you at once whether you need one at all, and what to do.',
  },
  'intake.errorsTitle': { zh: '请修改以下内容', en: 'Please correct the following' },
  'intake.proofLegend': { zh: '1. 要求单位让您证明什么？', en: '1. What were you asked to prove?' },
  'intake.search': { zh: '搜索证明种类', en: 'Search the kinds of proof' },
  'intake.searchHint': {
    zh: '输入关键词，如“亲属”“户口”“婚姻”',
    en: 'Type a word, e.g. “kinship”, “hukou”, “marital”',
  },
  'intake.loadingCatalogue': { zh: '正在加载证明目录…', en: 'Loading the catalogue…' },
  'intake.catalogueFailed': { zh: '证明目录加载失败：', en: 'The catalogue could not be loaded: ' },
  'intake.kindCount': { zh: '显示 {shown} / {total} 种', en: 'Showing {shown} of {total} kinds' },
  'intake.noKinds': { zh: '没有符合的证明种类，请换一个关键词。', en: 'No kind matches; try another word.' },
  'intake.treatmentTitle': { zh: '这项证明怎么办', en: 'What happens with this proof' },
  'intake.basis': { zh: '依据：', en: 'Basis: ' },
  'intake.rule': { zh: '规则编号：', en: 'Rule: ' },
  'intake.declinedNote': {
    zh: '您仍可以提交，系统会给您一份书面答复（含依据），可出示给要求单位。',
    en: 'You may still submit: you will get a written answer, with its basis, to show the asking body.',
  },
  'intake.askedLegend': { zh: '2. 要求单位和用途', en: '2. Who asks, and what for' },
  'intake.askedBy': { zh: '要求提供证明的单位', en: 'The body asking for the proof' },
  'intake.askedByName': { zh: '单位名称', en: 'Name of the body' },
  'intake.askedByLevel': { zh: '要求证明的单位的级别', en: 'Level of the asking body' },
  'intake.legalBasis': {
    zh: '要求证明所依据的法律法规（条款）',
    en: 'The law (and article) the asking body cites',
  },
  'intake.purpose': { zh: '用途', en: 'Purpose' },
  'intake.purposeText': { zh: '具体说明', en: 'Details' },
  optional: { zh: '（选填）', en: '(optional)' },
  choose: { zh: '请选择', en: 'Choose' },
  'intake.subjectLegend': { zh: '3. 证明对象（证明上写的人）', en: '3. The person the proof is about' },
  name: { zh: '姓名', en: 'Name' },
  idNumber: { zh: '公民身份号码', en: 'Resident ID number' },
  idHint: { zh: '18位，最后一位可能是X', en: '18 characters; the last may be X' },
  idValid: { zh: '号码校验通过', en: 'Number checks out' },
  'intake.relatedLegend': {
    zh: '相关人（与证明对象有亲属关系的人）',
    en: 'Related person (the relative in question)',
  },
  'intake.relation': { zh: '相关人是证明对象的', en: 'The related person is the subject’s' },
  'intake.eventLegend': { zh: '事件（发生的时间和地点）', en: 'The event (when and where)' },
  'intake.eventDate': { zh: '日期', en: 'Date' },
  'intake.eventPlace': { zh: '地点', en: 'Place' },
  'intake.applicantLegend': { zh: '4. 申请人', en: '4. Applicant' },
  'intake.applicantKind': { zh: '谁来申请？', en: 'Who is applying?' },
  'intake.applicantName': { zh: '申请人姓名', en: 'Applicant’s name' },
  'intake.applicantContact': { zh: '经办人姓名', en: 'Name of the person handling it' },
  'intake.applicantId': { zh: '申请人公民身份号码', en: 'Applicant’s resident ID number' },
  'intake.applicantContactId': {
    zh: '经办人公民身份号码',
    en: 'Resident ID number of the person handling it',
  },
  'intake.phone': { zh: '手机号码', en: 'Mobile phone' },
  'intake.phoneInvalid': {
    zh: '请填写11位手机号码，或区号加座机号码',
    en: 'Enter an 11-digit mobile number, or an area code and number',
  },
  'intake.poa': { zh: '委托书编号', en: 'Power of attorney reference' },
  'intake.unitName': { zh: '单位名称', en: 'Organisation name' },
  'intake.letterRef': { zh: '介绍信编号', en: 'Letter reference' },
  'intake.submit': { zh: '提交申请', en: 'Submit' },
  'intake.submitDeclined': { zh: '提交，获取书面答复', en: 'Submit and get a written answer' },
  'intake.sending': { zh: '正在提交…', en: 'Submitting…' },
  'intake.sent': { zh: '已提交，正在打开办理进度…', en: 'Submitted; opening the status page…' },
  'intake.errorsCount': { zh: '共有 {count} 处需要修改。', en: '{count} answers need correcting.' },
  'required.proof': { zh: '请选择要证明的事项', en: 'Choose what you need to prove' },
  'required.field': { zh: '此项必填', en: 'This is required' },
};

const RELATION_CODES = Object.keys(RELATIONS);
const GROUP_ORDER = [
  'ISSUABLE',
  'PROVABLE_BY_HUKOU',
  'NOT_POLICE_INFORMATION',
  'NO_LEGAL_BASIS',
  'EXCHANGE',
  'UNLISTED',
];
/** The API's phone rule: an 11-digit mobile number, or area code and number. */
const PHONE = /^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$/;

startPage(DICT);

const form = byId<HTMLFormElement>('intake-form');
const kindList = byId('kind-list');
const search = byId<HTMLInputElement>('kind-search');
let catalogue: Catalogue | undefined;
let submitting = false;
/** The key of the last submission and the body it was sent with: a retry of the same body reuses it. */
let lastSubmission: { key: string; body: string } | undefined;
/**
 * What the error summary shows, kept so that a switch of language can show it again in the other one:
 * the form's own checks (run again: what was corrected since drops out), or the API's answer (its
 * messages are bilingual, `zh / en`).
 */
let shownErrors:
  | { readonly source: 'form' }
  | { readonly source: 'api'; readonly problem: Problem; readonly retryAfter: number | undefined }
  | undefined;

function selectedKind(): CatalogueKind | undefined {
  const code = form.querySelector<HTMLInputElement>('input[name="proof"]:checked')?.value;
  return catalogue?.kinds.find((k) => k.code === code);
}

function needsOf(kind: CatalogueKind | undefined): NonNullable<CatalogueKind['needs']> {
  if (!kind) return { relatedPerson: false, event: false };
  return kind.needs;
}

function fillSelect(id: string, codes: readonly string[], name: (code: string) => string): void {
  const select = byId<HTMLSelectElement>(id);
  const value = select.value;
  clear(select);
  select.append(h('option', { value: '' }, t('choose')));
  for (const code of codes) select.append(h('option', { value: code }, name(code)));
  select.value = value;
}

function renderSelects(): void {
  fillSelect('askedBy', ASKED_BY_CODES, bodyName);
  fillSelect('askedByLevel', Object.keys(BODY_LEVELS), (c) => label(BODY_LEVELS, c));
  fillSelect('purpose.code', purposeCodes(), purposeName);
  fillSelect('relatedPerson.relation', RELATION_CODES, (c) => label(RELATIONS, c));
  const box = byId('applicant-kinds');
  const checked =
    form.querySelector<HTMLInputElement>('input[name="applicant.kind"]:checked')?.value ?? 'SELF';
  clear(box);
  for (const code of Object.keys(APPLICANT_KINDS)) {
    box.append(
      h(
        'label',
        { class: 'choice' },
        h('input', {
          type: 'radio',
          name: 'applicant.kind',
          value: code,
          id: `applicant-kind-${code}`,
          checked: code === checked,
        }),
        h('span', {}, label(APPLICANT_KINDS, code)),
      ),
    );
  }
}

function renderCatalogue(): void {
  if (!catalogue) return;
  const selected = selectedKind()?.code;
  const query = search.value.trim().toLowerCase();
  clear(kindList);
  let shown = 0;
  for (const treatment of GROUP_ORDER) {
    const kinds = catalogue.kinds.filter(
      (k) =>
        k.treatment === treatment &&
        (!query ||
          k.name.zh.toLowerCase().includes(query) ||
          k.name.en.toLowerCase().includes(query) ||
          k.code.toLowerCase().includes(query) ||
          tr(k.explanation).toLowerCase().includes(query)),
    );
    if (kinds.length === 0) continue;
    shown += kinds.length;
    const headingId = `group-${treatment}`;
    kindList.append(
      h(
        'div',
        { class: 'kind-group', role: 'group', 'aria-labelledby': headingId },
        h('h3', { id: headingId }, label(TREATMENTS, treatment)),
        h(
          'ul',
          {},
          ...kinds.map((kind) =>
            h(
              'li',
              {},
              h(
                'label',
                { class: 'choice' },
                h('input', {
                  type: 'radio',
                  name: 'proof',
                  value: kind.code,
                  id: `proof-${kind.code}`,
                  checked: kind.code === selected,
                  'aria-describedby': 'treatment',
                }),
                h('span', {}, trName(kind.name)),
              ),
            ),
          ),
        ),
      ),
    );
  }
  // Other treatments a later policy might add still appear, last.
  const known = new Set(GROUP_ORDER);
  const others = catalogue.kinds.filter((k) => !known.has(k.treatment));
  if (others.length > 0 && !query) {
    shown += others.length;
    kindList.append(
      h(
        'ul',
        {},
        ...others.map((kind) =>
          h(
            'li',
            {},
            h(
              'label',
              { class: 'choice' },
              h('input', { type: 'radio', name: 'proof', value: kind.code, checked: kind.code === selected }),
              h('span', {}, trName(kind.name)),
            ),
          ),
        ),
      ),
    );
  }
  if (shown === 0) kindList.append(h('p', {}, t('intake.noKinds')));
  byId('kind-count').textContent = t('intake.kindCount', { shown, total: catalogue.kinds.length });
}

function renderTreatment(): void {
  const box = byId('treatment');
  clear(box);
  const kind = selectedKind();
  const needs = needsOf(kind);
  byId('related-fieldset').hidden = !needs.relatedPerson;
  byId('event-fieldset').hidden = !needs.event;
  byId('askedByLevel-field').hidden = needs.askedByLevel !== true;
  byId('legalBasis-field').hidden = needs.legalBasis !== true;
  const submit = byId<HTMLButtonElement>('submit');
  if (!kind) {
    submit.textContent = t('intake.submit');
    return;
  }
  const declined = kind.treatment !== 'ISSUABLE';
  const advice = TREATMENT_ADVICE[kind.treatment];
  const heldBy = kind.heldByName ? tr(kind.heldByName) : bodyName(kind.heldBy);
  box.append(
    h(
      'div',
      { class: `notice ${declined ? 'ok' : ''}`, id: 'treatment-notice' },
      h('h3', {}, `${trName(kind.name)} — ${label(TREATMENTS, kind.treatment)}`),
      h(
        'p',
        { class: 'advice' },
        advice ? fill(tr(advice), { heldBy: heldBy || '—', days: investigationDays() }) : '',
      ),
      kind.explanation ? h('p', {}, tr(kind.explanation)) : null,
      kind.basis ? h('p', { class: 'hint' }, t('intake.basis'), tr(kind.basis)) : null,
      h('p', { class: 'hint' }, t('intake.rule'), h('span', { class: 'mono' }, kind.ruleId)),
      declined ? h('p', {}, t('intake.declinedNote')) : null,
    ),
  );
  submit.textContent = declined ? t('intake.submitDeclined') : t('intake.submit');
}

function renderApplicant(): void {
  const kind = form.querySelector<HTMLInputElement>('input[name="applicant.kind"]:checked')?.value ?? 'SELF';
  for (const field of form.querySelectorAll<HTMLElement>('[data-applicant]')) {
    field.hidden = field.dataset.applicant !== kind;
  }
  byId('applicant-name-label').textContent =
    kind === 'UNIT' ? t('intake.applicantContact') : t('intake.applicantName');
  // For an organisation the contact person's ID number is optional (docs/api.md / the intake schema).
  byId('applicant-id-label').textContent =
    kind === 'UNIT' ? t('intake.applicantContactId') : t('intake.applicantId');
  byId('applicant-id-optional').hidden = kind !== 'UNIT';
  byId('askedByName-field').hidden = byId<HTMLSelectElement>('askedBy').value !== 'OTHER';
}

// --- field messages -------------------------------------------------------------------------------------

function fieldFor(path: string): HTMLElement | undefined {
  const direct = document.getElementById(path);
  if (direct && (direct instanceof HTMLInputElement || direct instanceof HTMLSelectElement)) return direct;
  if (path === 'proof') return form.querySelector<HTMLElement>('input[name="proof"]') ?? undefined;
  if (path === 'applicant.kind')
    return form.querySelector<HTMLElement>('input[name="applicant.kind"]') ?? undefined;
  return undefined;
}

function setFieldError(path: string, message: string | undefined): boolean {
  const errorBox = document.getElementById(`${path}-error`);
  const field = fieldFor(path);
  if (!errorBox) return false;
  errorBox.hidden = !message;
  errorBox.className = 'field-error';
  errorBox.textContent = message ?? '';
  if (field && field instanceof HTMLInputElement && field.type !== 'radio') {
    field.setAttribute('aria-invalid', message ? 'true' : 'false');
  }
  if (field instanceof HTMLSelectElement) field.setAttribute('aria-invalid', message ? 'true' : 'false');
  return true;
}

function clearErrors(): void {
  for (const box of form.querySelectorAll<HTMLElement>('.field-error')) {
    box.hidden = true;
    box.textContent = '';
  }
  for (const field of form.querySelectorAll('[aria-invalid]')) field.setAttribute('aria-invalid', 'false');
  byId('error-summary').hidden = true;
  shownErrors = undefined;
}

/** Shows the errors at their fields and in the summary; `focus`: move the focus to the summary (a submit). */
function showErrors(errors: readonly FieldError[], summary: string, focus = true): void {
  const list = byId('error-summary-list');
  clear(list);
  for (const error of errors) {
    const shownAtField = setFieldError(error.path, error.message);
    // Paths like `relatedPerson` or `applicant` name a whole part: show it at the nearest known field.
    if (!shownAtField) {
      const parent = error.path.split('.').slice(0, -1).join('.');
      if (parent) setFieldError(parent, error.message);
    }
    const field = fieldFor(error.path);
    const target = field?.id ?? (error.path === 'proof' ? 'kind-search' : undefined);
    const labelText = field ? summaryLabel(field) : error.path;
    const line = `${labelText}${lang() === 'zh' ? '：' : ': '}${error.message}`;
    list.append(h('li', {}, target ? h('a', { href: `#${target}`, 'data-focus': target }, line) : line));
  }
  byId('error-summary-text').textContent = summary;
  const box = byId('error-summary');
  box.hidden = false;
  if (focus) box.focus();
}

/** The form's own checks, shown (`focus`: on a submit) or, when nothing is wrong any more, cleared. */
function showFormErrors(focus: boolean): readonly FieldError[] {
  clearErrors();
  const { errors } = buildBody();
  if (errors.length > 0) {
    showErrors(errors, t('intake.errorsCount', { count: errors.length }), focus);
    shownErrors = { source: 'form' };
  }
  return errors;
}

/** The API's refusal at the fields and in the summary, in the current language. */
function showProblem(problem: Problem, retryAfter: number | undefined, focus: boolean): void {
  clearErrors();
  showErrors(
    (problem.errors ?? []).map((e) => ({ path: e.path, message: localise(e.message) })),
    problemMessage(problem, retryAfter),
    focus,
  );
  shownErrors = { source: 'api', problem, retryAfter };
}

function fieldLabel(field: HTMLElement): string {
  if (field instanceof HTMLInputElement && field.type === 'radio') {
    return field.closest('fieldset')?.querySelector('legend')?.textContent?.trim() ?? field.name;
  }
  const text = form.querySelector(`label[for="${CSS.escape(field.id)}"]`)?.textContent?.trim() ?? field.id;
  return text.replace(/[（(].*[)）]\s*$/, '').trim();
}

/** The field's label with its section ("3. 证明对象 — 姓名"), so that two "姓名" fields are told apart. */
function summaryLabel(field: HTMLElement): string {
  const own = fieldLabel(field);
  const legend = field.closest('fieldset:not(.nested)')?.querySelector('legend')?.textContent?.trim();
  if (!legend || legend === own) return own;
  return `${legend.replace(/[（(].*[)）]\s*$/, '').trim()} — ${own}`;
}

function checkIdField(input: HTMLInputElement, finished: boolean): void {
  const result = checkIdNumber(input.value, finished);
  const errorBox = document.getElementById(`${input.id}-error`);
  if (!errorBox) return;
  if (result.state === 'invalid') {
    setFieldError(input.id, tr(result.message));
  } else if (result.state === 'valid') {
    errorBox.hidden = false;
    errorBox.className = 'field-ok';
    errorBox.textContent = `✓ ${t('idValid')}`;
    input.setAttribute('aria-invalid', 'false');
  } else {
    setFieldError(input.id, undefined);
  }
}

// --- the body ---------------------------------------------------------------------------------------------

function value(name: string): string {
  const field = form.elements.namedItem(name);
  if (field instanceof HTMLInputElement || field instanceof HTMLSelectElement) return field.value.trim();
  // Radio buttons sharing a name (applicant.kind): the checked one's value.
  if (field instanceof RadioNodeList) return field.value.trim();
  return '';
}

function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(object).filter(([, v]) => v !== '' && v !== undefined),
  ) as Partial<T>;
}

interface Built {
  readonly body: Record<string, unknown>;
  readonly errors: FieldError[];
}

function buildBody(): Built {
  const errors: FieldError[] = [];
  const kind = selectedKind();
  const needs = needsOf(kind);
  const required = (name: string) => {
    if (value(name)) return;
    errors.push({ path: name, message: t('required.field') });
  };
  const idNumber = (name: string, mandatory: boolean) => {
    const raw = value(name);
    if (!raw) {
      if (mandatory) required(name);
      return undefined;
    }
    const result = checkIdNumber(raw, true);
    if (result.state === 'invalid') errors.push({ path: name, message: tr(result.message) });
    return normaliseIdNumber(raw);
  };
  if (!kind) errors.push({ path: 'proof', message: t('required.proof') });
  required('askedBy');
  if (value('askedBy') === 'OTHER') required('askedByName');
  if (needs.askedByLevel === true) required('askedByLevel');
  if (needs.legalBasis === true) required('legalBasis');
  required('purpose.code');
  required('subject.name');
  const subjectId = idNumber('subject.idNumber', true);
  let relatedPerson: Record<string, unknown> | undefined;
  if (needs.relatedPerson) {
    required('relatedPerson.name');
    const relatedId = idNumber('relatedPerson.idNumber', true);
    required('relatedPerson.relation');
    relatedPerson = compact({
      name: value('relatedPerson.name'),
      idNumber: relatedId,
      relation: value('relatedPerson.relation'),
    });
  }
  let event: Record<string, unknown> | undefined;
  if (needs.event) {
    required('event.date');
    required('event.place');
    event = compact({ date: value('event.date'), place: value('event.place') });
  }
  const applicantKind = value('applicant.kind') || 'SELF';
  required('applicant.name');
  const applicantId = idNumber('applicant.idNumber', applicantKind !== 'UNIT');
  required('applicant.phone');
  if (value('applicant.phone') && !PHONE.test(value('applicant.phone'))) {
    errors.push({ path: 'applicant.phone', message: t('intake.phoneInvalid') });
  }
  if (applicantKind === 'AGENT') required('applicant.powerOfAttorneyRef');
  if (applicantKind === 'UNIT') {
    required('applicant.unitName');
    required('applicant.letterRef');
  }
  const body = compact({
    proof: kind?.code,
    purpose: compact({ code: value('purpose.code'), text: value('purpose.text') }),
    askedBy: value('askedBy'),
    askedByName: value('askedBy') === 'OTHER' ? value('askedByName') : '',
    askedByLevel: needs.askedByLevel === true ? value('askedByLevel') : '',
    legalBasis: needs.legalBasis === true ? value('legalBasis') : '',
    subject: compact({ name: value('subject.name'), idNumber: subjectId }),
    relatedPerson,
    event,
    applicant: compact({
      kind: applicantKind,
      name: value('applicant.name'),
      idNumber: applicantId,
      phone: value('applicant.phone'),
      powerOfAttorneyRef: applicantKind === 'AGENT' ? value('applicant.powerOfAttorneyRef') : '',
      unitName: applicantKind === 'UNIT' ? value('applicant.unitName') : '',
      letterRef: applicantKind === 'UNIT' ? value('applicant.letterRef') : '',
    }),
    locale: lang(),
  });
  return { body, errors };
}

async function submit(): Promise<void> {
  if (submitting) return;
  if (showFormErrors(true).length > 0) return;
  const { body } = buildBody();
  const json = JSON.stringify(body);
  if (!lastSubmission || lastSubmission.body !== json)
    lastSubmission = { key: newIdempotencyKey(), body: json };
  submitting = true;
  const button = byId<HTMLButtonElement>('submit');
  const status = byId('submit-status');
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status.textContent = t('intake.sending');
  try {
    const result = await api<Accepted>('/v1/requests', {
      method: 'POST',
      body,
      idempotencyKey: lastSubmission.key,
    });
    if (result.ok) {
      rememberToken(result.data.requestId, result.data.accessToken);
      status.textContent = t('intake.sent');
      announce(t('intake.sent'));
      location.assign(statusLink(result.data.requestId, result.data.accessToken));
      return;
    }
    status.textContent = '';
    showProblem(result.problem, result.retryAfter, true);
  } finally {
    submitting = false;
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

// --- wiring -----------------------------------------------------------------------------------------------

form.addEventListener('submit', (event) => {
  event.preventDefault();
  void submit();
});
form.addEventListener('change', (event) => {
  const target = event.target as HTMLInputElement;
  if (target.name === 'proof') {
    renderTreatment();
    setFieldError('proof', undefined);
  }
  if (target.name === 'applicant.kind' || target.id === 'askedBy') renderApplicant();
});
form.addEventListener('input', (event) => {
  const target = event.target as HTMLInputElement;
  if (target.dataset.idNumber !== undefined) checkIdField(target, false);
});
form.addEventListener(
  'blur',
  (event) => {
    const target = event.target as HTMLInputElement;
    if (target.dataset?.idNumber !== undefined && target.value) checkIdField(target, true);
  },
  true,
);
byId('error-summary').addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest<HTMLAnchorElement>('a[data-focus]');
  if (!link) return;
  event.preventDefault();
  const target = document.getElementById(link.dataset.focus ?? '');
  target?.focus();
  target?.scrollIntoView({ block: 'center' });
});
search.addEventListener('input', () => renderCatalogue());
onLangChange(() => {
  renderSelects();
  renderCatalogue();
  renderTreatment();
  renderApplicant();
  for (const input of form.querySelectorAll<HTMLInputElement>('[data-id-number]')) {
    if (input.value) checkIdField(input, true);
  }
  // Errors on show are shown again in the new language (the form's own checks run again), after the ID
  // checks: an ID number the page finds well-formed may still be one the API refused (the same person).
  if (shownErrors?.source === 'form') showFormErrors(false);
  else if (shownErrors?.source === 'api') showProblem(shownErrors.problem, shownErrors.retryAfter, false);
});

renderSelects();
renderApplicant();
void (async () => {
  const result = await loadCatalogue();
  if (!result.ok) {
    clear(kindList);
    kindList.append(
      h(
        'p',
        { class: 'field-error', role: 'alert' },
        t('intake.catalogueFailed'),
        problemMessage(result.problem),
      ),
    );
    markReady();
    return;
  }
  catalogue = result.data;
  renderSelects();
  renderCatalogue();
  const preset = new URLSearchParams(location.search).get('proof');
  if (preset) {
    const radio = document.getElementById(`proof-${preset}`) as HTMLInputElement | null;
    if (radio) {
      radio.checked = true;
      renderTreatment();
    }
  }
  markReady();
})();
