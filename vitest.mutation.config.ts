import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant: the unit tests, less the CDK synth tests (they bundle every
 * function with esbuild, which cannot run in Stryker's worker) and the OpenAPI freshness check (it formats the
 * generated types with the project's Biome settings, which do not apply inside Stryker's sandbox folder).
 * None of them exercises the mutated files. Stryker's coverage instrumentation on a shared 2-core machine makes
 * the property tests slow, so a test gets 30 s here (the mutant timeout is Stryker's own `timeoutMS`).
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    testTimeout: 30_000,
    exclude: [
      ...configDefaults.exclude,
      'tests/unit/infra/infra.test.ts',
      'tests/unit/infra/options.test.ts',
      'tests/unit/openapi/document.test.ts',
    ],
  },
});
