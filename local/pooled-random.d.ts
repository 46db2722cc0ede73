import type { randomBytes } from 'node:crypto';

/** See pooled-random.js. */
export function pooledRandomBytes(draw: typeof randomBytes, blockSize?: number): typeof randomBytes;
