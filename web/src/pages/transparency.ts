/**
 * The abolished-demand tracker (/transparency): GET /v1/transparency/abolished-demands[?month=] — which
 * bodies keep demanding certificates the notice abolished or the booklet proves, per body and kind, as a
 * bar chart (with the figures in a table) and a table. Public, aggregate only.
 */
import { api } from '../lib/api.ts';
import { barChart } from '../lib/charts.ts';
import { byId, clear, h } from '../lib/dom.ts';
import { beijingDate, number } from '../lib/format.ts';
import { type Dictionary, onLangChange, t, tr } from '../lib/i18n.ts';
import { markReady, problemMessage, startPage } from '../lib/page.ts';
import type { AbolishedDemands } from '../lib/types.ts';

const DICT: Dictionary = {
  'transparency.title': { zh: '违规索要证明公示', en: 'Bodies still demanding abolished certificates' },
  'transparency.lead': {
    zh: '哪些单位仍在索要已取消的证明，或户口簿即可证明的事项。每一次因此被拒绝的申请都记录了索要单位。',
    en: 'Which bodies still demand certificates that the notice abolished, or facts the hukou booklet already proves. Every request declined for that reason records the body that demanded it.',
  },
  'transparency.period': { zh: '统计期间', en: 'Period' },
  'transparency.all': { zh: '全部', en: 'All time' },
  'transparency.loading': { zh: '正在加载…', en: 'Loading…' },
  'transparency.empty': { zh: '该期间没有记录。', en: 'Nothing recorded in this period.' },
  'transparency.byBody': { zh: '各单位索要次数', en: 'Demands per body' },
  'transparency.data': { zh: '查看数据表', en: 'Show the figures' },
  'transparency.count': { zh: '次数', en: 'Count' },
  'transparency.table': { zh: '按单位和证明事项', en: 'By body and kind' },
  'transparency.body': { zh: '索要单位', en: 'Body' },
  'transparency.kind': { zh: '证明事项', en: 'Certificate' },
  'transparency.declined': { zh: '被拒绝的申请', en: 'Requests declined' },
  'transparency.complaints': { zh: '查实的投诉', en: 'Upheld complaints' },
  'transparency.last': { zh: '最近一次', en: 'Last' },
  'transparency.totals': {
    zh: '共 {declined} 次申请因所索要证明已取消或户口簿可证明而未予出具；查实投诉 {complaints} 件。',
    en: '{declined} requests were declined because the certificate demanded is abolished or the booklet proves it; {complaints} complaints upheld.',
  },
};

startPage(DICT);

const select = byId<HTMLSelectElement>('period');
const figures = byId('figures');
let data: AbolishedDemands | undefined;
let failure: string | undefined;

/** The last 12 Beijing months, newest first. */
function months(): string[] {
  const now = new Date(Date.now() + 8 * 3_600_000);
  const out: string[] = [];
  for (let i = 0; i < 12; i += 1) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

function fillPeriods(): void {
  const current = select.value || 'ALL';
  clear(select);
  select.append(h('option', { value: 'ALL' }, t('transparency.all')));
  for (const m of months()) select.append(h('option', { value: m }, m));
  select.value = current;
}

function render(): void {
  clear(figures);
  if (failure) {
    figures.append(h('div', { class: 'notice bad', role: 'alert' }, h('p', {}, failure)));
    return;
  }
  if (!data) {
    figures.append(h('p', { role: 'status' }, t('transparency.loading')));
    return;
  }
  figures.append(
    h(
      'p',
      { id: 'totals' },
      t('transparency.totals', {
        declined: number(data.totals.declined),
        complaints: number(data.totals.upheldComplaints),
      }),
    ),
  );
  if (data.lines.length === 0) {
    figures.append(h('p', { class: 'notice' }, t('transparency.empty')));
    return;
  }
  const perBody = new Map<string, { label: string; value: number }>();
  for (const l of data.lines) {
    const b = perBody.get(l.body) ?? { label: tr(l.bodyName), value: 0 };
    b.value += l.total;
    perBody.set(l.body, b);
  }
  const bars = [...perBody.values()]
    .sort((a, b) => b.value - a.value)
    .map((b) => ({ ...b, tone: 'bad' as const }));
  figures.append(barChart(t('transparency.byBody'), bars, t('transparency.data'), t('transparency.count')));
  figures.append(
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'lines-title' },
      h('h2', { id: 'lines-title' }, t('transparency.table')),
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { id: 'lines' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ...['body', 'kind', 'declined', 'complaints', 'last'].map((k) =>
                h('th', { scope: 'col' }, t(`transparency.${k}`)),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            ...data.lines.map((l) =>
              h(
                'tr',
                {},
                h('td', {}, tr(l.bodyName)),
                h('td', {}, tr(l.kindName)),
                h('td', {}, number(l.declined)),
                h('td', {}, number(l.upheldComplaints)),
                h('td', {}, beijingDate(l.lastAt)),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

async function load(): Promise<void> {
  const period = select.value || 'ALL';
  data = undefined;
  failure = undefined;
  render();
  const query = period === 'ALL' ? '' : `?month=${encodeURIComponent(period)}`;
  const result = await api<AbolishedDemands>(`/v1/transparency/abolished-demands${query}`);
  if (result.ok) data = result.data;
  else failure = problemMessage(result.problem, result.retryAfter);
  render();
  markReady();
}

select.addEventListener('change', () => void load());
onLangChange(() => {
  fillPeriods();
  render();
});
fillPeriods();
void load();
