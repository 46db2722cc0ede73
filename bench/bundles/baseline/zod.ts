/** The `zod` package root as the Lambda bundles see it (see zod-lean.ts). */
import * as z from './zod-lean.ts';

export * from './zod-lean.ts';
export { z, z as default };
