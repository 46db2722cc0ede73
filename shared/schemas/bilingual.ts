/**
 * `{ zh, en }` as a zod schema (the OpenAPI component `Bilingual`). Its own module so that the request
 * schemas using it (citizen.ts …) do not pull all of responses.ts into a Lambda bundle: esbuild keeps every
 * top-level schema of an imported module (they are method calls), and responses.ts builds ≈ 520 zod
 * schemas at import for the OpenAPI document (issue 16, bench/PERF-NOTES.md "round 4 — zod/mini").
 */
import { withMeta } from './meta.ts';
import * as z from './zod.ts';

/** `{ zh, en }`: a text in Chinese and English. */
export const BilingualSchema = /* @__PURE__ */ z.object({ zh: z.string(), en: z.string() }).apply(withMeta, {
  id: 'Bilingual',
  description: 'A text in Chinese (zh) and English (en)',
});
