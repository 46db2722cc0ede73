/**
 * Turning zod issues into `{ path, message }` lists for the typed data errors (PolicyError, RegistryError,
 * CalendarDataError). Paths are dotted (`kinds.3.treatment`); an unknown key gets its own entry whose path
 * names the key (`households.0.colour`), so every error names the field.
 */
import type * as z from '#shared/schemas/zod.ts';

export interface FieldError {
  path: string;
  message: string;
}

export function dottedPath(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === 'symbol' ? (p.description ?? '') : String(p))).join('.');
}

export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  const out: FieldError[] = [];
  for (const i of error.issues) {
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) out.push({ path: dottedPath([...i.path, key]), message: 'unknown field' });
    } else {
      out.push({ path: dottedPath(i.path), message: i.message });
    }
  }
  return out;
}

/** `path: message; …` for an Error's message. */
export function summarize(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.path || '(root)'}: ${e.message}`).join('; ');
}
