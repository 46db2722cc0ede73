/**
 * The dashboard's supervision section (supervisors signed in): complaints waiting for a finding
 * (GET /v1/complaints), each with its text (as text), assignment, deadline and a finding form
 * (POST /v1/complaints/{id}/findings); and poor ratings open for review (GET /v1/reviews), each with a
 * form that closes the review with an outcome and a remark (POST /v1/reviews/{requestId}/close). Contacts
 * come masked in the list; the complaint itself (GET /v1/complaints/{id}) shows them to the supervisor.
 */
import { type ApiResult, api } from './api.ts';
import { byId, clear, h } from './dom.ts';
import { beijingDateTime } from './format.ts';
import { type Dictionary, registerDictionary, t, tr } from './i18n.ts';
import { COMPLAINT_STATUSES, label } from './labels.ts';
import { localise, problemMessage } from './page.ts';
import type { ComplaintList, ComplaintView, ReviewList, TransparencyAccountability } from './types.ts';

const DICT: Dictionary = {
  'supervision.complaints': { zh: '投诉督办', en: 'Complaints to decide' },
  'supervision.none': { zh: '没有待办投诉。', en: 'No complaint is waiting.' },
  'supervision.reviews': { zh: '差评回访', en: 'Poor ratings to review' },
  'supervision.noReviews': { zh: '没有待回访的差评。', en: 'No poor rating is waiting.' },
  'supervision.station': { zh: '派出所', en: 'Station' },
  'supervision.deadline': { zh: '期限', en: 'Deadline' },
  'supervision.overdue': { zh: '已超期', en: 'overdue' },
  'supervision.unit': { zh: '办理单位', en: 'Handled by' },
  'supervision.contact': { zh: '投诉人', en: 'Complainant' },
  'supervision.officer': { zh: '涉及民警', en: 'Officer' },
  'supervision.outcome': { zh: '结论', en: 'Finding' },
  'supervision.upheld': { zh: '属实（记入问责）', en: 'Upheld (an accountability record)' },
  'supervision.notUpheld': { zh: '不属实', en: 'Not upheld' },
  'supervision.note': { zh: '理由（告知投诉人）', en: 'Reasons (shown to the complainant)' },
  'supervision.responsible': { zh: '责任民警（属实时）', en: 'Officer responsible (if upheld)' },
  'supervision.record': { zh: '记录结论', en: 'Record the finding' },
  'supervision.recorded': { zh: '已记录。', en: 'Recorded.' },
  'supervision.score': { zh: '评分 {score}', en: 'Rated {score}' },
  'supervision.showContact': { zh: '查看联系方式', en: 'Show contact' },
  'supervision.reviewOutcome': { zh: '回访结论', en: 'Outcome of the review' },
  'supervision.rectified': { zh: '已整改', en: 'Put right (rectified)' },
  'supervision.noFault': { zh: '经核查无过错', en: 'Checked: no fault found' },
  'supervision.remark': { zh: '回访情况', en: 'What was checked and done' },
  'supervision.closeReview': { zh: '办结回访', en: 'Close the review' },
  'supervision.reviewClosed': { zh: '回访已办结。', en: 'Review closed.' },
};
registerDictionary(DICT);

type Item = ComplaintList['items'][number];

function kindName(figures: TransparencyAccountability | undefined, code: string): string {
  const k = figures?.kinds.find((x) => x.code === code);
  return k ? tr(k.name) : code;
}

function findingForm(item: Item, token: string, reload: () => void): HTMLFormElement {
  const id = item.complaintId;
  const note = h('textarea', { id: `note-${id}`, rows: 2, maxlength: 1000, required: true });
  const officer = h('input', {
    id: `officer-${id}`,
    type: 'text',
    maxlength: 100,
    value: item.officer ?? '',
  });
  const message = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const radio = (value: string, text: string, checked = false) =>
    outcomeChoice(`outcome-${id}`, value, text, checked);
  const form = h(
    'form',
    { class: 'finding-form', novalidate: true, 'data-complaint': id },
    h(
      'fieldset',
      {},
      h('legend', {}, t('supervision.outcome')),
      radio('UPHELD', t('supervision.upheld'), true),
      radio('NOT_UPHELD', t('supervision.notUpheld')),
    ),
    h('div', { class: 'field' }, h('label', { for: `note-${id}` }, t('supervision.note')), note),
    h('div', { class: 'field' }, h('label', { for: `officer-${id}` }, t('supervision.responsible')), officer),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('supervision.record')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const outcome = form.querySelector<HTMLInputElement>(`input[name="outcome-${id}"]:checked`)?.value;
    void (async () => {
      const result = await api(`/v1/complaints/${encodeURIComponent(id)}/findings`, {
        method: 'POST',
        token,
        body: {
          outcome,
          note: note.value,
          ...(outcome === 'UPHELD' && officer.value.trim() ? { officer: officer.value.trim() } : {}),
        },
      });
      message.hidden = false;
      if (result.ok) {
        message.className = 'notice ok';
        message.textContent = t('supervision.recorded');
        window.setTimeout(reload, 600);
      } else {
        message.textContent =
          result.status === 400 && result.problem.errors?.length
            ? result.problem.errors.map((e) => localise(e.message)).join(' ')
            : problemMessage(result.problem);
      }
    })();
  });
  return form;
}

function complaintCard(
  item: Item,
  token: string,
  figures: TransparencyAccountability | undefined,
  reload: () => void,
) {
  const contact = h(
    'dd',
    { id: `contact-${item.complaintId}` },
    `${item.contact.name} ${item.contact.phone}`,
  );
  const show = h('button', { type: 'button', class: 'secondary' }, t('supervision.showContact'));
  show.addEventListener('click', () => {
    void (async () => {
      const full = await api<ComplaintView>(`/v1/complaints/${encodeURIComponent(item.complaintId)}`, {
        token,
      });
      if (full.ok) contact.textContent = `${full.data.contact.name} ${full.data.contact.phone}`;
      show.remove();
    })();
  });
  return h(
    'article',
    { class: 'card complaint', id: `complaint-${item.complaintId}` },
    h('h4', {}, `${kindName(figures, item.kind)} · ${label(COMPLAINT_STATUSES, item.status)}`),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, t('supervision.station')),
      h('dd', {}, item.station ?? '—'),
      ...(item.assignment ? [h('dt', {}, t('supervision.unit')), h('dd', {}, tr(item.assignment.unit))] : []),
      ...(item.deadline
        ? [
            h('dt', {}, t('supervision.deadline')),
            h(
              'dd',
              {},
              `${beijingDateTime(item.deadline)}${item.overdue ? ` (${t('supervision.overdue')})` : ''}`,
            ),
          ]
        : []),
      ...(item.officer ? [h('dt', {}, t('supervision.officer')), h('dd', {}, item.officer)] : []),
      h('dt', {}, t('supervision.contact')),
      contact,
    ),
    show,
    // The complaint's words, as text.
    h('p', { class: 'pre-wrap complaint-text' }, item.text),
    findingForm(item, token, reload),
  );
}

/** The form that closes one poor-rating review: outcome, remark (required), submit. */
function reviewForm(requestId: string, token: string, reload: () => void): HTMLFormElement {
  const key = requestId.replace(/[^\w-]/g, '');
  const remark = h('textarea', { id: `remark-${key}`, rows: 2, maxlength: 1000, required: true });
  const message = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const radio = (value: string, text: string, checked = false) =>
    outcomeChoice(`review-outcome-${key}`, value, text, checked);
  const form = h(
    'form',
    { class: 'review-form', novalidate: true, 'data-review': requestId },
    h(
      'fieldset',
      {},
      h('legend', {}, t('supervision.reviewOutcome')),
      radio('RECTIFIED', t('supervision.rectified'), true),
      radio('NO_FAULT', t('supervision.noFault')),
    ),
    h('div', { class: 'field' }, h('label', { for: `remark-${key}` }, t('supervision.remark')), remark),
    message,
    h('button', { type: 'submit', class: 'primary' }, t('supervision.closeReview')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const outcome = form.querySelector<HTMLInputElement>(
      `input[name="review-outcome-${key}"]:checked`,
    )?.value;
    void (async () => {
      const result = await api(`/v1/reviews/${encodeURIComponent(requestId)}/close`, {
        method: 'POST',
        token,
        body: { outcome, remark: remark.value },
      });
      message.hidden = false;
      if (result.ok) {
        message.className = 'notice ok';
        message.setAttribute('role', 'status');
        message.textContent = t('supervision.reviewClosed');
        window.setTimeout(reload, 600);
      } else {
        message.textContent =
          result.status === 400 && result.problem.errors?.length
            ? result.problem.errors.map((e) => localise(e.message)).join(' ')
            : problemMessage(result.problem);
        remark.setAttribute('aria-invalid', result.status === 400 ? 'true' : 'false');
      }
    })();
  });
  return form;
}

interface Loaded {
  readonly token: string;
  readonly complaints: ApiResult<ComplaintList>;
  readonly reviews: ApiResult<ReviewList>;
  readonly figures: ApiResult<TransparencyAccountability>;
}
/** What was last loaded (drawn again in the other language). */
let loaded: Loaded | undefined;

/** Loads and draws the section into #supervision (the dashboard's board) for the signed-in supervisor. */
export async function loadComplaintSupervision(token: string): Promise<void> {
  const [complaints, reviews, figures] = await Promise.all([
    api<ComplaintList>('/v1/complaints', { token }),
    api<ReviewList>('/v1/reviews', { token }),
    api<TransparencyAccountability>('/v1/transparency/accountability'),
  ]);
  loaded = { token, complaints, reviews, figures };
  draw(loaded);
}

/**
 * Draws the section again from what was loaded, in the current language, keeping what the supervisor
 * has typed or chosen in its forms (a switch of language loses no words).
 */
export function renderComplaintSupervision(): void {
  if (!loaded) return;
  const root = byId('complaint-supervision');
  const typed = new Map<string, string>();
  const chosen = new Set<string>();
  for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (field instanceof HTMLInputElement && field.type === 'radio') {
      if (field.checked) chosen.add(`${field.name}=${field.value}`);
    } else if (field.id) typed.set(field.id, field.value);
  }
  draw(loaded);
  for (const field of root.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input, textarea')) {
    if (field instanceof HTMLInputElement && field.type === 'radio') {
      if (chosen.size > 0) field.checked = chosen.has(`${field.name}=${field.value}`);
    } else if (typed.has(field.id)) field.value = typed.get(field.id) ?? '';
  }
}

function draw({ token, complaints, reviews, figures }: Loaded): void {
  const root = byId('complaint-supervision');
  clear(root);
  const reload = () => void loadComplaintSupervision(token);
  root.append(h('h2', { id: 'supervision-title' }, t('supervision.complaints')));
  if (!complaints.ok)
    root.append(h('p', { class: 'notice bad', role: 'alert' }, problemMessage(complaints.problem)));
  else if (complaints.data.items.length === 0) root.append(h('p', { class: 'hint' }, t('supervision.none')));
  else
    for (const item of complaints.data.items)
      root.append(complaintCard(item, token, figures.ok ? figures.data : undefined, reload));
  root.append(h('h2', {}, t('supervision.reviews')));
  if (reviews.ok && reviews.data.items.length > 0) {
    root.append(
      h(
        'ul',
        { class: 'reviews', id: 'reviews' },
        ...reviews.data.items.map((r) =>
          h(
            'li',
            { 'data-request': r.requestId },
            h('a', { href: `/console?station=${encodeURIComponent(r.station ?? '')}` }, r.requestId),
            ` · ${t('supervision.score', { score: r.score })} · ${r.station ?? ''} · `,
            h('span', { class: 'pre-wrap' }, r.text),
            reviewForm(r.requestId, token, reload),
          ),
        ),
      ),
    );
  } else root.append(h('p', { class: 'hint' }, t('supervision.noReviews')));
}

/** One labelled radio button of an outcome fieldset (a complaint finding, a review's close). */
function outcomeChoice(name: string, value: string, text: string, checked: boolean): HTMLElement {
  return h('label', { class: 'choice' }, h('input', { type: 'radio', name, value, checked }), ` ${text}`);
}
