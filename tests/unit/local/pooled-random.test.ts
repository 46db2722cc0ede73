import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from '#local/pooled-random.js';

/** Node's randomBytes, counting its calls and the sizes asked. */
function counting() {
  const sizes: unknown[] = [];
  const draw = ((size: number, callback?: unknown) => {
    sizes.push(size);
    return (randomBytes as (s: number, c?: unknown) => Buffer)(size, callback);
  }) as typeof randomBytes;
  return { draw, sizes };
}

describe('pooledRandomBytes (local/pooled-random.js, the dynalite worker’s request ids)', () => {
  it('hands out the bytes of one draw in order, each once, and draws again when the block runs short', () => {
    const { draw, sizes } = counting();
    const pooled = pooledRandomBytes(draw, 100);
    const answers = Array.from({ length: 7 }, () => pooled(39));
    // 100-byte blocks: two 39-byte answers each (78 bytes), then a new block.
    expect(sizes).toEqual([100, 100, 100, 100]);
    for (const a of answers) expect(a).toHaveLength(39);
    // No answer repeats another (a reused block would).
    expect(new Set(answers.map((a) => a.toString('hex'))).size).toBe(7);
  });

  it('gives each answer its own memory (not a view on a pool), like Node', () => {
    const pooled = pooledRandomBytes(randomBytes, 1024);
    const a = pooled(16);
    const b = pooled(16);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.byteOffset).toBe(0);
    expect(a.buffer.byteLength).toBe(16);
  });

  it('serves sizes 0 and 256 from the block; hands anything else to Node as it is', () => {
    const { draw, sizes } = counting();
    const pooled = pooledRandomBytes(draw, 512);
    expect(pooled(0)).toHaveLength(0);
    expect(pooled(256)).toHaveLength(256);
    expect(sizes).toEqual([512]);
    expect(pooled(257)).toHaveLength(257);
    expect(sizes).toEqual([512, 257]);
    // Node's own answers and errors for other sizes (not swallowed, not served from the block).
    expect(pooled(1.5)).toHaveLength(randomBytes(1.5).length);
    expect(sizes).toEqual([512, 257, 1.5]);
    expect(() => pooled(-1)).toThrow(expect.objectContaining({ code: 'ERR_OUT_OF_RANGE' }));
    expect(() => pooled('39' as unknown as number)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_ARG_TYPE' }),
    );
  });

  it('passes a call with a callback to Node', async () => {
    const { draw, sizes } = counting();
    const pooled = pooledRandomBytes(draw, 512);
    const bytes = await new Promise<Buffer>((resolve, reject) =>
      pooled(8, (error, buf) => (error ? reject(error) : resolve(buf))),
    );
    expect(bytes).toHaveLength(8);
    expect(sizes).toEqual([8]);
  });
});
