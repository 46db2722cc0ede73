/**
 * The status page's rating (好差评): once the request is closed, the applicant rates it once, 1–5 and a
 * short text (POST /v1/requests/{id}/rating with the request's token). A second rating or one before
 * closure is the API's 409, shown as its message; a rating already given is remembered in sessionStorage.
 */
import { api } from './api.ts';
import { byId, clear, h } from './dom.ts';
import { type Dictionary, registerDictionary, t } from './i18n.ts';
import { localise, problemMessage } from './page.ts';

const DICT: Dictionary = {
  'rating.title': { zh: '评价本次服务', en: 'Rate this service' },
  'rating.score': { zh: '评分（1 很差 — 5 很好）', en: 'Score (1 very poor — 5 very good)' },
  'rating.text': { zh: '意见（可不填）', en: 'Comments (optional)' },
  'rating.submit': { zh: '提交评价', en: 'Send the rating' },
  'rating.thanks': { zh: '感谢您的评价。', en: 'Thank you for your rating.' },
  'rating.poor': {
    zh: '感谢您的评价，督导人员会回访了解情况。',
    en: 'Thank you. A supervisor will follow your rating up.',
  },
  'rating.choose': { zh: '请选择评分', en: 'Choose a score' },
  'rating.report': {
    zh: '遇到应开不开、吃拿卡要、故意为难？去举报',
    en: 'Refused a due certificate, asked for favours, obstructed? Report it',
  },
};
registerDictionary(DICT);

const key = (requestId: string) => `certflow.rated.${requestId}`;
let wired = false;

function drawScores(): void {
  const box = byId('rating-scores');
  if (box.childElementCount > 0) return;
  for (const score of [1, 2, 3, 4, 5])
    box.append(
      h(
        'label',
        { class: 'choice' },
        h('input', { type: 'radio', name: 'rating-score', value: score, id: `rating-score-${score}` }),
        ` ${score}`,
      ),
    );
}

function done(message: string): void {
  byId('rating-form').hidden = true;
  const box = byId('rating-done');
  box.hidden = false;
  box.textContent = message;
}

/** Shows the rating section for a closed request (hides it otherwise) and wires its form once. */
export function showRating(requestId: string, token: string, closed: boolean): void {
  const section = byId('rating');
  section.hidden = !closed;
  if (!closed) return;
  drawScores();
  try {
    const previous = sessionStorage.getItem(key(requestId));
    if (previous) done(previous);
  } catch {
    // storage may be disabled
  }
  if (wired) return;
  wired = true;
  byId<HTMLFormElement>('rating-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const error = byId('rating-error');
    const score = Number(
      document.querySelector<HTMLInputElement>('input[name="rating-score"]:checked')?.value,
    );
    if (!score) {
      error.hidden = false;
      error.textContent = t('rating.choose');
      return;
    }
    const text = byId<HTMLTextAreaElement>('rating-text').value;
    const button = byId<HTMLButtonElement>('rating-submit');
    button.disabled = true;
    void (async () => {
      const result = await api<{ review: 'OPEN' | 'NONE' }>(
        `/v1/requests/${encodeURIComponent(requestId)}/rating`,
        {
          method: 'POST',
          token,
          body: { score, ...(text.trim() ? { text } : {}) },
        },
      );
      button.disabled = false;
      if (result.ok) {
        const message = result.data.review === 'OPEN' ? t('rating.poor') : t('rating.thanks');
        try {
          sessionStorage.setItem(key(requestId), message);
        } catch {
          // storage may be disabled
        }
        done(message);
        return;
      }
      error.hidden = false;
      clear(error);
      error.textContent =
        result.status === 400 && result.problem.errors?.length
          ? result.problem.errors.map((e) => localise(e.message)).join(' ')
          : result.status === 409 && result.problem.detail
            ? localise(result.problem.detail)
            : problemMessage(result.problem);
    })();
  });
}
