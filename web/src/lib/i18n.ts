/**
 * Two languages, Chinese first. The HTML carries the Chinese text, so a page reads correctly before any
 * script runs; elements marked `data-t="key"` (text) or `data-t-attr="attr=key,attr=key"` (attributes) are
 * translated from the page's dictionary. The choice is kept in localStorage and can be forced with ?lang=en.
 */
export type Lang = 'zh' | 'en';
export interface Text {
  readonly zh: string;
  readonly en: string;
}
export type Dictionary = Readonly<Record<string, Text>>;

const STORAGE_KEY = 'certflow.lang';
const listeners = new Set<(lang: Lang) => void>();
const dictionaries: Dictionary[] = [];
let current: Lang = initialLang();

function initialLang(): Lang {
  const fromQuery = new URLSearchParams(location.search).get('lang');
  if (fromQuery === 'en' || fromQuery === 'zh') return fromQuery;
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'en' || stored === 'zh') return stored;
  } catch {
    // storage may be disabled; Chinese is the default
  }
  return 'zh';
}

export function lang(): Lang {
  return current;
}

/** The text in the current language. */
export function tr(text: Text | undefined, fallback = ''): string {
  if (!text) return fallback;
  return text[current] || text.zh || text.en || fallback;
}

/** Fills {name} placeholders. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

export function registerDictionary(dictionary: Dictionary): void {
  dictionaries.push(dictionary);
}

/** A key of any registered dictionary, in the current language. */
export function t(key: string, values?: Readonly<Record<string, string | number>>): string {
  for (const dictionary of dictionaries) {
    const text = dictionary[key];
    if (text) return values ? fill(tr(text), values) : tr(text);
  }
  return key;
}

export function onLangChange(listener: (lang: Lang) => void): void {
  listeners.add(listener);
}

export function applyTranslations(root: ParentNode = document): void {
  document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';
  for (const element of root.querySelectorAll<HTMLElement>('[data-t]')) {
    const key = element.dataset.t;
    if (key) element.textContent = element.tagName === 'TITLE' ? `${t(key)} · ${t('site.name')}` : t(key);
  }
  // The switch is written in the other language: say so, for screen readers' pronunciation.
  document.getElementById('lang-toggle')?.setAttribute('lang', current === 'zh' ? 'en' : 'zh-CN');
  for (const element of root.querySelectorAll<HTMLElement>('[data-t-attr]')) {
    for (const pair of (element.dataset.tAttr ?? '').split(',')) {
      const [attribute, key] = pair.split('=');
      if (attribute && key) element.setAttribute(attribute.trim(), t(key.trim()));
    }
  }
}

export function setLang(next: Lang): void {
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not persisted; fine
  }
  applyTranslations();
  for (const listener of listeners) listener(next);
}

/** A catalogue name as a heading or table cell: English names are written in lower case in the data. */
export function trName(text: Text | undefined, fallback = ''): string {
  const value = tr(text, fallback);
  return value.charAt(0).toUpperCase() + value.slice(1);
}
