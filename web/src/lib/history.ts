/** A short, readable line for an audit-trail entry's detail (never the raw JSON of personal data). */

import { bodyName } from './catalogue.ts';
import { beijingDateTime } from './format.ts';
import { lang, type Text, tr } from './i18n.ts';
import { label, OUTCOMES, STATUSES } from './labels.ts';
import type { HistoryEntry } from './types.ts';

function isText(value: unknown): value is Text {
  return typeof value === 'object' && value !== null && 'zh' in value && 'en' in value;
}

export function historyDetail(entry: HistoryEntry): string {
  const detail = entry.detail ?? {};
  const parts: string[] = [];
  const outcome = detail.outcome;
  if (typeof outcome === 'string') parts.push(label(OUTCOMES, outcome));
  const status = detail.status ?? detail.to;
  if (typeof status === 'string') parts.push(label(STATUSES, status));
  if (typeof detail.level === 'number' && detail.level > 0) parts.push(`L${detail.level}`);
  if (isText(detail.reason)) parts.push(tr(detail.reason));
  else if (typeof detail.reason === 'string' && detail.reason) parts.push(detail.reason);
  if (typeof detail.assignee === 'string') parts.push(`→ ${detail.assignee}`);
  if (typeof detail.note === 'string' && detail.note) parts.push(detail.note);
  if (typeof detail.number === 'string') parts.push(detail.number);
  if (typeof detail.department === 'string') parts.push(bodyName(detail.department));
  if (Array.isArray(detail.departments)) {
    const names = detail.departments.map((d) => (typeof d === 'string' ? bodyName(d) : ''));
    parts.push(names.join(lang() === 'zh' ? '、' : ', '));
  }
  if (typeof detail.deadline === 'string') parts.push(beijingDateTime(detail.deadline));
  const by = entry.actor ?? (typeof detail.by === 'string' ? detail.by : undefined);
  if (by && by !== 'system' && by !== 'applicant') parts.push(by);
  return [...new Set(parts)].join(' · ');
}
