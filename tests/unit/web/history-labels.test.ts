/**
 * The audit trail as the status page, the console and the supervision drill-down show it
 * (web/src/lib/labels.ts HISTORY_TYPES, web/src/lib/history.ts): every event type the API can put in a
 * request's history has a name in both languages (an unnamed one is shown as its raw code, e.g.
 * "FINDING_RECEIVED" on an English page), and an English line is punctuated in English.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REQUEST_EVENT_TYPES } from '#shared/domain/request.ts';

// Typed here, imported by URL: the web's modules are type-checked by web/tsconfig.json (DOM.Iterable), not
// by the root project this test belongs to.
interface Text {
  zh: string;
  en: string;
}
interface LabelsModule {
  HISTORY_TYPES: Readonly<Record<string, Text | undefined>>;
  label(labels: LabelsModule['HISTORY_TYPES'], code: string): string;
}
interface HistoryModule {
  historyDetail(entry: { at: string; type: string; detail?: Record<string, unknown> }): string;
}
const web = (file: string) => new URL(`../../../web/src/lib/${file}`, import.meta.url).href;
let labels: LabelsModule;
let history: HistoryModule;

beforeAll(async () => {
  // The pages' i18n reads the language from the address once, when it loads (`?lang=en`).
  vi.stubGlobal('location', { search: '?lang=en' });
  vi.resetModules();
  labels = (await import(web('labels.ts'))) as LabelsModule;
  history = (await import(web('history.ts'))) as HistoryModule;
});
afterAll(() => {
  vi.unstubAllGlobals();
});

describe('history labels', () => {
  it('name every request event type in Chinese and English', () => {
    const unnamed = REQUEST_EVENT_TYPES.filter((type) => {
      const text = labels.HISTORY_TYPES[type];
      return !text?.zh || !text.en;
    });
    expect(unnamed).toEqual([]);
  });

  it('show a received finding by its name, not its code', () => {
    expect(labels.label(labels.HISTORY_TYPES, 'FINDING_RECEIVED')).toBe('Finding received');
  });

  it('list the notified departments with an English comma on an English page', () => {
    // Before the catalogue is loaded a body is shown by its code.
    const line = history.historyDetail({
      at: '2026-12-09T10:50:00.000Z',
      type: 'DELIVERED',
      detail: { departments: ['COURT', 'CIVIL_AFFAIRS'] },
    });
    expect(line).toBe('COURT, CIVIL_AFFAIRS');
  });
});
