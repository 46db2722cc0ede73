/**
 * certflow's zod: `zod/mini`, the functional, tree-shakable form of zod 4, with English issue messages
 * configured once. Every runtime schema imports it as `import * as z from '#shared/schemas/zod.ts'`.
 *
 * Why mini (issue 16): classic zod's methods live on each schema's prototype, so a bundle that builds one
 * classic schema carries all of them plus the JSON Schema generator (≈ 100 KB minified); zod/mini's checks
 * and wrappers are plain functions (`z.optional(s)`, `s.check(z.minLength(1))`), so esbuild keeps only
 * those in use (≈ 34 KB with the English messages). Shapes, parsing and issues are the same: both are zod
 * 4 core (https://zod.dev/packages/mini). zod/mini has no default locale ("Invalid input" for every
 * issue), so English is set here for every issue message; Chinese texts are certflow's own (problem.ts).
 *
 * Import the namespace (`import * as z`), never re-export it as an object (`export { z }`): esbuild can
 * drop unused members of a module namespace only while it sees `z.member` accesses on the import itself.
 */
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
