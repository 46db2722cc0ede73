/** Dates in Beijing time, whatever the reader's own time zone. */
import { lang } from './i18n.ts';

const ZONE = 'Asia/Shanghai';

export function beijingDateTime(iso: string | undefined, withZone = true): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const text = new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: ZONE,
    year: 'numeric',
    month: lang() === 'zh' ? 'long' : 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(date);
  if (!withZone) return text;
  return lang() === 'zh' ? `${text}（北京时间）` : `${text} Beijing time`;
}

export function beijingDate(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00+08:00` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: ZONE,
    year: 'numeric',
    month: lang() === 'zh' ? 'long' : 'short',
    day: 'numeric',
  }).format(date);
}

export function number(value: number, fractionDigits = 0): string {
  return new Intl.NumberFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', {
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** Milliseconds from now until `iso` (negative when past). */
export function msUntil(iso: string, now = Date.now()): number {
  return new Date(iso).getTime() - now;
}
