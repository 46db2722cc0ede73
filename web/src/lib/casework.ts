/**
 * What the officer console and the supervisors' dashboard both show of a request: its row (enough to
 * tell two requests apart: reference, kind, masked names, filed date, deadline, status, officer), the
 * people revealed to the investigating officer, and the printable certificate.
 */
import { catalogue, kindName } from './catalogue.ts';
import { byId, clear, h } from './dom.ts';
import { beijingDate, beijingDateTime, msUntil } from './format.ts';
import { type Dictionary, lang, registerDictionary, t, tr, trName } from './i18n.ts';
import { label, RELATIONS, STATUSES } from './labels.ts';
import type { ConsoleRow, RequestView, Revealed } from './types.ts';

export const CASEWORK_DICT: Dictionary = {
  'row.filed': { zh: '受理', en: 'Filed' },
  'row.deadline': { zh: '期限', en: 'Due' },
  'row.finished': { zh: '办结', en: 'Closed' },
  'row.assignee': { zh: '承办', en: 'Officer' },
  'row.unassigned': { zh: '未认领', en: 'Unclaimed' },
  'row.overdue': { zh: '已超期', en: 'Overdue' },
  'row.dueSoon': { zh: '即将到期', en: 'Due soon' },
  'row.level': { zh: '督办{level}级', en: 'Escalation {level}' },
  'row.open': { zh: '查看', en: 'Open' },
  'row.openLabel': { zh: '查看申请 {ref}', en: 'Open request {ref}' },
  'reveal.subject': { zh: '证明对象', en: 'Subject' },
  'reveal.relatedPerson': { zh: '相关人', en: 'Related person' },
  'reveal.applicant': { zh: '申请人', en: 'Applicant' },
  'reveal.notOnRecord': { zh: '户籍系统无此人记录', en: 'not on the population registry' },
  'reveal.household': { zh: '户籍', en: 'Household' },
  'cert.number': { zh: '证明编号', en: 'Number' },
  'cert.code': { zh: '查验码', en: 'Verification code' },
  'cert.issuedAt': { zh: '出具时间', en: 'Issued' },
  'cert.issuedBy': { zh: '出具单位', en: 'Issued by' },
  'cert.seal': { zh: '{issuer}（盖章）  {date}', en: '{issuer} (seal)  {date}' },
};
registerDictionary(CASEWORK_DICT);

const DUE_SOON_MS = 24 * 60 * 60 * 1000;

export function proofName(code: string): string {
  const name = kindName(code);
  return name ? trName(name) : code;
}

/** Overdue and warned come from the API (the stack's clock); the browser's clock is only a fallback. */
export function urgency(item: {
  deadline?: string;
  overdue?: boolean;
  warned?: boolean;
  finishedAt?: string;
}): 'overdue' | 'due-soon' | undefined {
  if (!item.deadline || item.finishedAt) return undefined;
  if (item.overdue) return 'overdue';
  const left = msUntil(item.deadline);
  if (item.overdue === undefined && left < 0) return 'overdue';
  if (item.warned || left < DUE_SOON_MS) return 'due-soon';
  return undefined;
}

/** One row as a list item: reference and kind, the masked names, filed and due dates, status and officer. */
export function rowItem(item: ConsoleRow, selected: boolean): HTMLLIElement {
  const mark = urgency(item);
  return requestRow(item, {
    classes: [mark ?? '', item.escalationLevel ? 'escalated' : '', selected ? 'selected' : ''],
    tags: [
      mark
        ? h('span', { class: `tag ${mark}` }, mark === 'overdue' ? t('row.overdue') : t('row.dueSoon'))
        : null,
      item.escalationLevel
        ? h('span', { class: 'tag overdue' }, t('row.level', { level: item.escalationLevel }))
        : null,
    ],
    names: [item.subject?.name, item.relatedPerson?.name].filter(Boolean).join(' · '),
    meta: [
      h(
        'span',
        {},
        `${t('row.filed')} `,
        h('time', { datetime: item.acceptedAt }, beijingDate(item.acceptedAt)),
      ),
      item.finishedAt
        ? h(
            'span',
            {},
            ` · ${t('row.finished')} `,
            h('time', { datetime: item.finishedAt }, beijingDate(item.finishedAt)),
          )
        : item.deadline
          ? deadlineSpan(item.deadline)
          : null,
      h('span', {}, ` · ${t('row.assignee')}: ${item.assignee ?? t('row.unassigned')}`),
    ],
  });
}

/** ` · deadline <time>` of a row's meta line (Beijing date and time). */
export function deadlineSpan(deadline: string): HTMLSpanElement {
  return h(
    'span',
    {},
    ` · ${t('row.deadline')} `,
    h('time', { datetime: deadline }, beijingDateTime(deadline, false)),
  );
}

/**
 * One request's row in a console list, the one shape of every list: the head (reference, certificate kind,
 * status, then `tags`), the names, the meta line, and the open button (`data-open`). `classes` are added to
 * `row` (empty ones dropped).
 */
export function requestRow(
  item: { requestId: string; reference: string; proof: string; status: string },
  parts: { classes: string[]; tags: (Node | null)[]; names: string; meta: (Node | null)[] },
): HTMLLIElement {
  return h(
    'li',
    { class: ['row', ...parts.classes].filter(Boolean).join(' ') },
    h(
      'div',
      { class: 'row-head' },
      h('span', { class: 'mono ref' }, item.reference),
      h('strong', {}, proofName(item.proof)),
      h('span', { class: 'badge-inline' }, label(STATUSES, item.status)),
      ...parts.tags,
    ),
    h('div', { class: 'row-names' }, parts.names),
    h('div', { class: 'row-meta hint' }, ...parts.meta),
    h(
      'button',
      {
        type: 'button',
        class: 'secondary small',
        'data-open': item.requestId,
        'aria-label': t('row.openLabel', { ref: item.reference }),
      },
      t('row.open'),
    ),
  );
}

/** The people revealed to the investigating officer, with their registry records. */
export function renderRevealed(box: HTMLElement, revealed: Revealed): void {
  clear(box);
  const list = h('dl', { class: 'facts revealed' });
  for (const person of revealed.people) {
    const record = person.registry;
    list.append(
      h('dt', {}, t(`reveal.${person.role}`)),
      h(
        'dd',
        {},
        h('span', {}, person.name, ' · '),
        h('span', { class: 'mono' }, person.idNumber),
        h(
          'span',
          { class: 'hint' },
          record
            ? ` — ${t('reveal.household')}: ${record.address} (${record.householdId}, ${record.station}) · ${record.gender} · ${record.birthDate} · ${record.ethnicity}`
            : ` — ${t('reveal.notOnRecord')}`,
        ),
      ),
    );
  }
  box.append(list);
  box.hidden = false;
}

/** The certificate (or written reply) of a request, as printed at the counter. */
export function renderCertificate(view: RequestView | undefined): boolean {
  const document = view?.certificate ?? view?.writtenReply;
  const section = byIdSafe('console-certificate');
  if (!section) return false;
  section.hidden = !document;
  if (!document || !view) return false;
  byIdSafe('console-cert-title')!.textContent = document.title ? tr(document.title) : proofName(view.proof);
  const statement = byIdSafe('console-cert-statement')!;
  statement.textContent = tr(document.statement);
  statement.lang = lang();
  const facts = byIdSafe('console-cert-facts')!;
  clear(facts);
  const fact = (key: string, value: Node | string) => facts.append(h('dt', {}, t(key)), h('dd', {}, value));
  fact('cert.number', h('span', { class: 'mono' }, document.number));
  if (document.verificationCode) fact('cert.code', h('span', { class: 'mono' }, document.verificationCode));
  fact('cert.issuedAt', beijingDateTime(document.issuedAt));
  if (document.issuedBy) fact('cert.issuedBy', document.issuedBy);
  byIdSafe('console-cert-seal')!.textContent = t('cert.seal', {
    issuer: document.issuedBy ?? '',
    date: beijingDateTime(document.issuedAt, false),
  });
  return true;
}

function byIdSafe(id: string): HTMLElement | null {
  return document.getElementById(id);
}

/** The queue's query: the view and the filters (applied by the server), and the next page's cursor. */
export function queueQuery(view: 'open' | 'done', next: string | undefined): string {
  const query = new URLSearchParams({ view });
  const status = byId<HTMLSelectElement>('filter-status').value;
  const proof = byId<HTMLSelectElement>('filter-proof').value;
  const assignee = byId<HTMLSelectElement>('filter-assignee').value;
  if (status) query.set('status', status);
  if (proof) query.set('proof', proof);
  if (assignee) query.set('assignee', assignee);
  if (byId<HTMLInputElement>('filter-overdue').checked) query.set('overdue', 'true');
  if (next) query.set('cursor', next);
  return query.toString();
}

/** Fills the status and kind filters (after the catalogue loads, and on a language change). */
export function renderFilters(view: 'open' | 'done'): void {
  const fill = (id: string, options: [string, string][]) => {
    const select = byId<HTMLSelectElement>(id);
    const value = select.value;
    for (const option of [...select.options].slice(1)) option.remove();
    for (const [code, name] of options) select.append(h('option', { value: code }, name));
    select.value = value;
  };
  const statuses =
    view === 'open'
      ? ['INVESTIGATING', 'ESCALATED']
      : ['ISSUED', 'REFUSED', 'DECLINED', 'ANSWERED_BY_EXCHANGE'];
  fill(
    'filter-status',
    statuses.map((code) => [code, label(STATUSES, code)]),
  );
  fill(
    'filter-proof',
    (catalogue()?.kinds ?? [])
      .filter((kind) => kind.treatment === 'ISSUABLE')
      .map((kind) => [kind.code, trName(kind.name)]),
  );
}

/** A person of the filed facts in one line (ID numbers as the API gives them: masked). */
export function person(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const p = value as Record<string, unknown>;
  const parts = [
    p.name,
    p.idNumber,
    typeof p.relation === 'string' ? label(RELATIONS, p.relation) : undefined,
  ];
  if (typeof p.unitName === 'string') parts.unshift(p.unitName);
  if (typeof p.phone === 'string') parts.push(p.phone);
  return parts.filter((x) => typeof x === 'string' && x).join(' · ');
}

/** The finding's facts typed as “item: value” lines; the first line without a colon is `badLine`. */
export function parseFacts(text: string): { facts: Record<string, string>; badLine?: number } {
  const facts: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = (lines[i] ?? '').trim();
    if (!line) continue;
    const match = /^([^:：]+)[:：](.*)$/.exec(line);
    if (!match) return { facts, badLine: i + 1 };
    facts[(match[1] ?? '').trim()] = (match[2] ?? '').trim();
  }
  return { facts };
}
