/**
 * What `zod` resolves to inside the Lambda bundles (esbuild `--alias:zod=…`, see infra/bundling.ts).
 *
 * Named imports (`import { ZodError } from 'zod'`) are zod's own exports, tree-shaken as usual. The `z`
 * object, though, is the one place esbuild cannot tree-shake: the package's `z` is its whole namespace, and
 * esbuild keeps every member of a namespace object it materialises — all ~45 error-message locales
 * (`z.locales`, ≈ 200 KB minified; only English is used, registered by zod itself), the JSON Schema
 * importer (`z.fromJSONSchema`), the schema compiler (`z.compile`) and every schema kind certflow never
 * builds (≈ 80 KB more). So `z` here is a plain object of the members that certflow's code and Powertools'
 * parser schemas use at run time, and nothing else; the test `tests/unit/infra/bundle-zod.test.ts` reads
 * every module of every bundle and fails if a `z.<member>` used there is missing from it. (`z.core`,
 * `z.infer`, `z.output` … are types only.)
 *
 * Measured (bench:bundles, Intake): 941 → 860 KB with this object instead of the namespace.
 */
import {
  any,
  array,
  base64,
  boolean,
  custom,
  discriminatedUnion,
  enum as enum_,
  int,
  ipv4,
  ipv6,
  iso,
  literal,
  NEVER,
  null as null_,
  number,
  object,
  optional,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
  url,
  ZodError,
  ZodType,
} from '../../node_modules/zod/v4/classic/external.js';

export * from '../../node_modules/zod/v4/classic/external.js';

/** The run-time members of `z` in the bundles (see above); add one here when the code starts using it. */
export const z = {
  any,
  array,
  base64,
  boolean,
  custom,
  discriminatedUnion,
  enum: enum_,
  int,
  ipv4,
  ipv6,
  iso,
  literal,
  NEVER,
  null: null_,
  number,
  object,
  optional,
  record,
  strictObject,
  string,
  toJSONSchema,
  union,
  unknown,
  url,
  ZodError,
  ZodType,
};
export default z;
