/**
 * What `zod` resolves to inside the Lambda bundles (esbuild `--alias:zod=…`, see infra/bundling.ts).
 *
 * Named imports (`import { ZodError } from 'zod'`) are zod's own exports, tree-shaken as usual. The `z`
 * object, though, is the one place esbuild cannot tree-shake: the package's `z` is its whole namespace, and
 * esbuild keeps every member of a namespace object it materialises — all ~45 error-message locales
 * (`z.locales`, ≈ 200 KB minified; only English is used, registered by zod itself), the JSON Schema
 * importer (`z.fromJSONSchema`), the schema compiler (`z.compile`) and every schema kind certflow never
 * builds (≈ 80 KB more). So `z` here is a plain object of the members that the modules still on classic
 * zod use at run time, and nothing else; the test `tests/unit/infra/bundle-zod.test.ts` reads every
 * module of every bundle that imports `zod` and fails if a `z.<member>` used there is missing from it.
 * (`z.core`, `z.infer`, `z.output` … are types only.)
 *
 * Issue 16 moves certflow's runtime schemas to zod/mini (`#shared/schemas/zod.ts`, which the bundles
 * resolve to zod's own files, not to this shim), and the HTTP edge no longer uses Powertools' classic event
 * schemas (functions/edge/http.ts). This shim stays while a bundled module still imports classic `zod`:
 * today only Powertools' Cognito trigger schema, in StaffTokenClaims; every certflow schema is zod/mini. A member nothing bundled uses any more is dropped here (`z.ipv4`, `z.ipv6`, `z.any` were
 * Powertools' API Gateway schema's; `z.iso`, `z.url` certflow's step and department schemas').
 *
 * Measured (bench:bundles, Intake): 941 → 860 KB with this object instead of the namespace.
 */
import {
  array,
  boolean,
  discriminatedUnion,
  enum as enum_,
  int,
  literal,
  NEVER,
  null as null_,
  number,
  object,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
} from '../../node_modules/zod/v4/classic/external.js';

export * from '../../node_modules/zod/v4/classic/external.js';

/** The run-time members of `z` in the bundles (see above); add one here when the code starts using it. */
export const z = {
  array,
  boolean,
  discriminatedUnion,
  enum: enum_,
  int,
  literal,
  NEVER,
  null: null_,
  number,
  object,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
};
export default z;
