/**
 * Finding a request in the officer console by what the person at the counter has: the request number
 * (26 characters) or its short reference (the last 8, as SMS messages name it), a name, or an ID number.
 *
 * Names and ID numbers are never stored as search terms in clear: each is filed as a keyed hash
 * (HMAC-SHA256 with the stack's token secret, `searchKeyOf`), so a copy of the table does not list who
 * asked; the lookup items are written at intake (citizens.ts `fileNewRequest`) and read by key (no Scan).
 *
 * Primary course of `searchRequests`:
 * 1. Classify the query: request number, reference, ID number (GB 11643), else a name.
 * 2. Read the request (number) or the ids filed under the query's key, at most `limit`.
 * 3. Keep the requests of stations the caller acts for (others are as if absent).
 */
import { searchKeyOf } from '#shared/certificates/ids-and-codes.ts';
import { requestReference } from '#shared/domain/request.ts';
import type { IntakeRequest } from '#shared/schemas/intake.ts';
import type { RequestRecord } from '#shared/store/model.ts';
import type { Deps } from '../deps.ts';

/** What a query is, by its shape (the edge has validated an ID number's check digit). */
export type SearchQuery =
  | { kind: 'requestId'; value: string }
  | { kind: 'reference'; value: string }
  | { kind: 'idNumber'; value: string }
  | { kind: 'name'; value: string };

const REQUEST_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const REFERENCE = /^[0-9A-HJKMNP-TV-Z]{8}$/;
const ID_NUMBER = /^\d{17}[\dX]$/;

/** A name as it is filed and looked up: NFC, no spaces, Latin letters upper-cased (pinyin in any case). */
export function nameKeyText(name: string): string {
  return name.normalize('NFC').replace(/\s+/g, '').toUpperCase();
}

/** Classifies a trimmed query (upper-cased for numbers; a name as typed, NFC). */
export function classifyQuery(q: string): SearchQuery {
  const text = q.normalize('NFC').trim();
  const upper = text.toUpperCase();
  if (REQUEST_ID.test(upper)) return { kind: 'requestId', value: upper };
  if (ID_NUMBER.test(upper)) return { kind: 'idNumber', value: upper };
  if (REFERENCE.test(upper)) return { kind: 'reference', value: upper };
  return { kind: 'name', value: nameKeyText(text) };
}

/** The search keys a query is looked up under (a request number is read directly: none). */
function keyOfQuery(secret: string, query: SearchQuery): string | undefined {
  if (query.kind === 'requestId') return undefined;
  if (query.kind === 'reference') return `REF#${query.value}`;
  return searchKeyOf(secret, query.kind, query.value);
}

/** Every key a request is filed under: its reference, and the keyed hashes of each person's ID number and name. */
export function searchKeysOf(secret: string, requestId: string, input: IntakeRequest): string[] {
  const people = [input.subject, input.relatedPerson, input.applicant].filter(
    (p): p is { name: string; idNumber: string } =>
      p !== undefined && typeof p.name === 'string' && typeof p.idNumber === 'string',
  );
  const keys = [`REF#${requestReference(requestId)}`];
  for (const person of people) {
    keys.push(searchKeyOf(secret, 'idNumber', person.idNumber.toUpperCase()));
    keys.push(searchKeyOf(secret, 'name', nameKeyText(person.name)));
  }
  return [...new Set(keys)];
}

/** The requests matching `q` that `visible` lets the caller see, newest first, at most `limit`. */
export async function searchRequests(
  deps: Deps,
  q: string,
  visible: (request: RequestRecord) => boolean,
  limit = 20,
): Promise<RequestRecord[]> {
  const query = classifyQuery(q);
  const key = keyOfQuery(deps.config.tokenSecret, query);
  let ids = key === undefined ? [query.value] : await deps.store.findBySearchKey(key, { limit });
  // Eight letters and digits may be a reference or a name in pinyin (ZHANGSAN): no reference, try the name.
  if (query.kind === 'reference' && ids.length === 0) {
    const name = searchKeyOf(deps.config.tokenSecret, 'name', nameKeyText(q));
    ids = await deps.store.findBySearchKey(name, { limit });
  }
  const found = await Promise.all(ids.map((id) => deps.store.getRequest(id)));
  return found.filter((r): r is RequestRecord => r !== undefined && visible(r));
}
