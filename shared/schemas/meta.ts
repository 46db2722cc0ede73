/**
 * `withMeta(schema, { id, description, examples … })`: zod/mini's form of classic zod's `.meta()`, for the
 * JSON Schema and the OpenAPI document (zod-openapi reads the same global registry).
 *
 * Like classic `.meta()` (zod 4: `clone()` then `globalRegistry.add(clone, metadata)`), it returns a copy
 * registered with `metadata` and leaves `schema` unchanged: a shared field schema can carry a different
 * description at each use, and the copy inherits the original's metadata except its `id`. Not
 * `schema.register(z.globalRegistry, …)` (that re-labels the shared schema itself) nor the `z.meta()` check
 * (its metadata, `id` included, is re-registered on every later `.check()` copy).
 *
 * Written as a method, `schema.apply(withMeta, { … })`, like classic's `.meta({ … })`: esbuild drops an
 * unused top-level `/* @__PURE__ *\/ a.b(…).c(…)` with its whole callee chain only when the arguments of
 * the last call have no side effects (a call among them keeps the statement, hence also `/* @__PURE__ *\/`
 * on a check call such as `z.regex(…)` that ends a top-level chain); `withMeta(schema, …)` would keep every
 * request schema in every bundle that imports its module.
 */
import * as z from './zod.ts';

/** A copy of `schema` registered in zod's global registry with `metadata`; `schema` is unchanged. */
export function withMeta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, metadata);
  return copy;
}
