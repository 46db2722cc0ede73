/**
 * Charts as inline SVG, with the same numbers in a table for screen readers and for anyone who prefers
 * figures to bars. No chart library.
 */
import { h, svg } from './dom.ts';
import { number } from './format.ts';

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly tone?: 'ok' | 'warn' | 'bad' | 'info' | 'muted';
}

const TONES: Readonly<Record<NonNullable<Bar['tone']>, string>> = {
  ok: '#1d6b35',
  warn: '#8a5300',
  bad: '#a4161a',
  info: '#0b4f8a',
  muted: '#5b6670',
};

function dataTable(
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): HTMLElement {
  return h(
    'details',
    { class: 'chart-data' },
    h('summary', {}, caption),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
    ),
  );
}

/** Horizontal bars: each label above its bar, the value at the end of the bar. */
export function barChart(
  title: string,
  bars: readonly Bar[],
  dataLabel: string,
  valueHeader: string,
): HTMLElement {
  const rowHeight = 38;
  const width = 360;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const height = bars.length * rowHeight + 4;
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${title}: ${bars.map((b) => `${b.label} ${number(b.value)}`).join('; ')}`,
  });
  bars.forEach((bar, i) => {
    const y = i * rowHeight;
    const barWidth = Math.round(((width - 50) * bar.value) / max);
    chart.append(
      svg('text', { x: 0, y: y + 14 }, bar.label),
      svg('rect', {
        x: 0,
        y: y + 19,
        width: Math.max(bar.value > 0 ? 2 : 0, barWidth),
        height: 14,
        rx: 2,
        fill: TONES[bar.tone ?? 'info'],
      }),
      svg('text', { x: barWidth + 6, y: y + 31 }, number(bar.value)),
    );
  });
  return h(
    'figure',
    { class: 'card chart' },
    h('figcaption', {}, title),
    chart,
    dataTable(
      dataLabel,
      ['', valueHeader],
      bars.map((b) => [b.label, number(b.value)]),
    ),
  );
}

/** A ring showing a share (0–1), the percentage in the middle. */
export function ringChart(title: string, share: number | undefined, caption: string): HTMLElement {
  const r = 52;
  const c = 2 * Math.PI * r;
  const known = share !== undefined && Number.isFinite(share);
  const value = known ? Math.min(1, Math.max(0, share)) : 0;
  const text = known ? `${number(value * 100, 1)}%` : '—';
  const chart = svg(
    'svg',
    { viewBox: '0 0 140 140', role: 'img', 'aria-label': `${title}: ${text}`, class: 'ring' },
    svg('circle', { cx: 70, cy: 70, r, fill: 'none', stroke: '#dde3ea', 'stroke-width': 16 }),
    svg('circle', {
      cx: 70,
      cy: 70,
      r,
      fill: 'none',
      stroke: value >= 0.9 ? TONES.ok : value >= 0.7 ? TONES.warn : TONES.bad,
      'stroke-width': 16,
      'stroke-dasharray': `${(c * value).toFixed(2)} ${c.toFixed(2)}`,
      transform: 'rotate(-90 70 70)',
    }),
    svg('text', { x: 70, y: 77, 'text-anchor': 'middle', 'font-size': 22, 'font-weight': 700 }, text),
  );
  return h(
    'figure',
    { class: 'card chart ring-chart' },
    h('figcaption', {}, title),
    chart,
    h('p', { class: 'hint' }, caption),
  );
}

export interface SeriesPoint {
  readonly label: string;
  readonly values: Readonly<Record<string, number>>;
}

/** Stacked columns over time (one column per day or week), a legend below. */
export function columnChart(
  title: string,
  points: readonly SeriesPoint[],
  keys: readonly { key: string; label: string; tone: Bar['tone'] }[],
  dataLabel: string,
  dateHeader: string,
): HTMLElement {
  const width = 720;
  const height = 220;
  const bottom = 24;
  const totals = points.map((p) => keys.reduce((sum, k) => sum + (p.values[k.key] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const step = (width - 30) / Math.max(1, points.length);
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${height}`,
    role: 'img',
    'aria-label': `${title}: ${points.map((p, i) => `${p.label} ${number(totals[i] ?? 0)}`).join('; ')}`,
  });
  chart.append(
    svg('line', { x1: 24, y1: height - bottom, x2: width, y2: height - bottom, stroke: '#5b6670' }),
  );
  chart.append(svg('text', { x: 20, y: 12, 'text-anchor': 'end' }, number(max)));
  points.forEach((point, i) => {
    let y = height - bottom;
    const x = 28 + i * step;
    for (const k of keys) {
      const v = point.values[k.key] ?? 0;
      const barHeight = ((height - bottom - 16) * v) / max;
      y -= barHeight;
      if (v > 0) {
        chart.append(
          svg('rect', {
            x,
            y,
            width: Math.max(2, step * 0.7),
            height: barHeight,
            fill: TONES[k.tone ?? 'info'],
          }),
        );
      }
    }
    const every = Math.ceil(points.length / 8);
    if (i % every === 0) {
      chart.append(svg('text', { x: x + step * 0.35, y: height - 6, 'text-anchor': 'middle' }, point.label));
    }
  });
  const legend = h(
    'ul',
    { class: 'legend' },
    ...keys.map((k) =>
      h('li', {}, h('span', { class: `swatch ${k.tone ?? 'info'}`, 'aria-hidden': 'true' }), k.label),
    ),
  );
  return h(
    'figure',
    { class: 'card chart wide' },
    h('figcaption', {}, title),
    chart,
    legend,
    dataTable(
      dataLabel,
      [dateHeader, ...keys.map((k) => k.label)],
      points.map((p) => [p.label, ...keys.map((k) => number(p.values[k.key] ?? 0))]),
    ),
  );
}
