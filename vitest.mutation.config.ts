import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The tests StrykerJS runs against each mutant: the unit tests, less the CDK synth tests (they bundle every
 * function with esbuild, which cannot run in Stryker's worker, and mutate none of the files under test).
 */
export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts'],
    exclude: [
      ...configDefaults.exclude,
      'tests/unit/infra/infra.test.ts',
      'tests/unit/infra/options.test.ts',
    ],
  },
});
