/**
 * The policy in force as `GET /v1/catalogue` gives it (shared/design/API.md): the pages' one source of
 * policy wording — kind, body and purpose names and the investigation deadline's length. Nothing here is
 * written twice: change the policy file and the pages follow.
 */
import { type ApiResult, api } from './api.ts';
import { type Text, trName } from './i18n.ts';
import type { Catalogue } from './types.ts';

let current: Catalogue | undefined;

/** Loads the catalogue and keeps it for the name functions below (a failed load keeps the last one). */
export async function loadCatalogue(): Promise<ApiResult<Catalogue>> {
  const result = await api<Catalogue>('/v1/catalogue');
  if (result.ok) current = result.data;
  return result;
}

/** The loaded catalogue, or undefined before `loadCatalogue` succeeded. */
export function catalogue(): Catalogue | undefined {
  return current;
}

function nameIn(list: readonly { code: string; name: Text }[] | undefined, code: string | undefined): string {
  if (!code) return '';
  const name = list?.find((x) => x.code === code)?.name;
  return name ? trName(name) : code;
}

/** The policy's name of a body code (`NOTARY` → 公证机构 / The notary office); the code before loading. */
export function bodyName(code: string | undefined): string {
  return nameIn(current?.bodies, code);
}

/** The policy's name of a purpose code (`PENSION` → 领取养老金 / Pension); the code before loading. */
export function purposeName(code: string | undefined): string {
  return nameIn(current?.purposes, code);
}

/** The policy's purpose codes in its order (empty before loading). */
export function purposeCodes(): string[] {
  return (current?.purposes ?? []).map((p) => p.code);
}

/** The kind's name by code; undefined when unknown or before loading. */
export function kindName(code: string): Text | undefined {
  return current?.kinds.find((k) => k.code === code)?.name;
}

/** Working days the station has to investigate (`service.investigationWorkingDays`); '…' before loading. */
export function investigationDays(): number | string {
  return current?.service.investigationWorkingDays ?? '…';
}
