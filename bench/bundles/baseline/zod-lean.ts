/**
 * The bundles' `zod` before issue 16's bundle work (bench:bundles' baseline only; was infra/bundle-shims/zod-lean.ts): the
 * package root's API without the `core` and `locales` namespaces. esbuild keeps every member of a namespace
 * object it materialises (`import { z } from 'zod'`), and through `z.core.locales` / `z.locales` that pulled
 * all ~45 error-message locales (≈ 200 KB minified of each ≈ 850 KB bundle) into every function, although
 * only English is used (zod registers it itself, from its schemas module). certflow's code uses `z.core`
 * for types only; a runtime use in a bundle fails loudly instead of silently.
 */
export * from '../../../node_modules/zod/v4/classic/external.js';

export class BundledZodError extends Error {
  override name = 'BundledZodError';
}

const missing = (name: string) =>
  new Proxy(
    {},
    {
      get(_target, property) {
        throw new BundledZodError(
          `z.${name}.${String(property)} is not in the Lambda bundle (bench/bundles/baseline/zod-lean.ts); import it from 'zod/v4/${name}' instead`,
        );
      },
    },
  );

export const core = missing('core');
export const locales = missing('locales');
