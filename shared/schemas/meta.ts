/**
 * `withMeta(schema, { id, description, examples … })`: zod/mini's form of classic zod's `.meta()`, for the
 * JSON Schema and the OpenAPI document (zod-openapi reads the same global registry).
 *
 * Like classic `.meta()` (zod 4: `clone()` then `globalRegistry.add(clone, metadata)`), it returns a copy
 * registered with `metadata` and leaves `schema` unchanged: a shared field schema can carry a different
 * description at each use, and the copy inherits the original's metadata except its `id`. Not
 * `schema.register(z.globalRegistry, …)` (that re-labels the shared schema itself) nor the `z.meta()` check
 * (its metadata, `id` included, is re-registered on every later `.check()` copy).
 */
import * as z from './zod.ts';

/** A copy of `schema` registered in zod's global registry with `metadata`; `schema` is unchanged. */
/* @__NO_SIDE_EFFECTS__ */
export function withMeta<T extends z.ZodMiniType>(schema: T, metadata: z.core.GlobalMeta): T {
  const copy = schema.clone();
  z.globalRegistry.add(copy, metadata);
  return copy;
}
