/** What every page does first: dictionaries, the language switch, the current navigation link. */
import type { Problem } from './api.ts';
import {
  applyTranslations,
  type Dictionary,
  lang,
  onLangChange,
  registerDictionary,
  setLang,
  t,
} from './i18n.ts';

export const COMMON: Dictionary = {
  'site.name': { zh: '证明通', en: 'certflow' },
  'site.tagline': { zh: '让信息多跑路，群众少跑腿', en: 'Let information travel, not people' },
  skip: { zh: '跳到主要内容', en: 'Skip to main content' },
  'nav.label': { zh: '主导航', en: 'Main navigation' },
  'nav.apply': { zh: '申请证明', en: 'Apply' },
  'nav.verify': { zh: '查验证明', en: 'Verify' },
  'nav.console': { zh: '民警工作台', en: 'Officer console' },
  'nav.dashboard': { zh: '监督看板', en: 'Dashboard' },
  'nav.platform': { zh: '查询监督举报', en: 'Query & report' },
  'nav.api': { zh: '接口文档', en: 'API' },
  'nav.myData': { zh: '我的数据', en: 'My data' },
  'nav.transparency': { zh: '违规索要公示', en: 'Abolished demands' },
  'lang.switch': { zh: 'English', en: '中文' },
  'lang.switchLabel': { zh: 'Switch to English', en: '切换到中文' },
  'footer.text': {
    zh: '依据吉林省公安厅等11部门关于改进公安派出所出具证明有关事项的通知（2016）。',
    en: 'Under the 2016 notice of the Jilin Public Security Department and ten other bodies on police-station certificates.',
  },
  'error.network': {
    zh: '无法连接服务器，请检查网络后重试。',
    en: 'Cannot reach the server. Check your connection and try again.',
  },
  'error.400': {
    zh: '填写的内容有误，请按提示修改。',
    en: 'Some answers need correcting; see the messages.',
  },
  'error.401': {
    zh: '凭证无效或缺失，请重新输入。',
    en: 'The token is missing or not valid; enter it again.',
  },
  'error.403': { zh: '您无权执行此操作。', en: 'You are not allowed to do this.' },
  'error.404': { zh: '未找到，或您无权查看。', en: 'Not found, or you may not see it.' },
  'error.409': {
    zh: '当前状态不允许此操作，请刷新后重试。',
    en: 'This is not possible in the current state; reload and try again.',
  },
  'error.413': { zh: '提交内容过大。', en: 'What you sent is too large.' },
  'error.422': {
    zh: '重复提交的内容与首次不同，请重新提交。',
    en: 'This submission differs from the first one with the same key; submit again.',
  },
  'error.429': {
    zh: '提交过于频繁，请 {seconds} 秒后再试。',
    en: 'Too many submissions; try again in {seconds} seconds.',
  },
  'error.other': {
    zh: '服务器出错（{status}），请稍后重试。',
    en: 'The server failed ({status}); try again later.',
  },
};

export function startPage(dictionary: Dictionary): void {
  registerDictionary(dictionary);
  registerDictionary(COMMON);
  const toggle = document.getElementById('lang-toggle');
  toggle?.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  onLangChange(() => {
    const url = new URL(location.href);
    if (url.searchParams.has('lang')) {
      url.searchParams.delete('lang');
      history.replaceState(history.state, '', url);
    }
  });
  applyTranslations();
}

/**
 * The API writes messages in both languages in one string, Chinese first (`"校验位错误 / check digit is
 * wrong"`); this keeps the current language's half.
 */
export function localise(message: string): string {
  const parts = message.split(' / ');
  if (parts.length !== 2) return message;
  const [zh, en] = parts as [string, string];
  if (!/[\u3400-\u9fff]/.test(zh) || !en) return message;
  return lang() === 'zh' ? zh : en;
}

/** A message for a failed API call, in the current language. */
export function problemMessage(problem: Problem, retryAfterSeconds?: number): string {
  if (problem.status === 0) return t('error.network');
  const known = [400, 401, 403, 404, 409, 413, 422];
  if (problem.status === 429) return t('error.429', { seconds: retryAfterSeconds ?? 60 });
  const base = known.includes(problem.status)
    ? t(`error.${problem.status}`)
    : t('error.other', { status: problem.status });
  return problem.detail && ![400, 401, 403, 404, 429].includes(problem.status)
    ? `${base} (${localise(problem.detail)})`
    : base;
}

/**
 * Marks the page interactive: its first data is on screen and its controls work. Tests wait for
 * `html[data-ready]`; the bench reads the `certflow-ready` performance mark as time to interactive.
 */
export function markReady(): void {
  if (document.documentElement.dataset.ready) return;
  performance.mark('certflow-ready');
  document.documentElement.dataset.ready = 'true';
}
