/**
 * `crypto.randomBytes` for many small synchronous draws: the bytes of one CSPRNG draw of `blockSize`
 * handed out in order, each byte once (zeroed in the block once handed out), a fresh block when the
 * current one runs short. A call with a callback, or of a size that is not an integer in 0–256, goes to
 * `draw` as it is (so its answers and errors are Node's own). Each answer is a Buffer of its own
 * (`Buffer.allocUnsafeSlow`: not a view on a shared pool), as Node's are.
 *
 * The dynalite worker installs it (dynalite-worker.js): dynalite gives every response an
 * x-amzn-RequestId of 39 bytes drawn on their own (dynalite/index.js `rand52CharId`), ≈ 20 µs a draw,
 * 6% of the worker thread's CPU on bench:workflow. Plain JavaScript: the worker loads it without a
 * TypeScript loader.
 *
 * @param {typeof import('node:crypto').randomBytes} draw Node's randomBytes (called as `draw(size, callback)`).
 * @param {number} [blockSize] bytes drawn at once (default 8,192).
 * @returns {typeof import('node:crypto').randomBytes}
 */
export function pooledRandomBytes(draw, blockSize = 8192) {
  let block = Buffer.alloc(0);
  let used = 0;
  return function randomBytes(size, callback) {
    if (callback !== undefined || !Number.isInteger(size) || size < 0 || size > 256) {
      return draw(size, callback);
    }
    if (used + size > block.length) {
      block = draw(Math.max(blockSize, size));
      used = 0;
    }
    const bytes = Buffer.allocUnsafeSlow(size);
    block.copy(bytes, 0, used, used + size);
    block.fill(0, used, used + size);
    used += size;
    return bytes;
  };
}
