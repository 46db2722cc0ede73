/**
 * Bounded concurrency: at most `limit` calls of `work` in flight at once (DynamoDB reads and writes,
 * deliveries), in item order. One home for it: the store adapters and the use-cases use these.
 */

/**
 * Maps `items` through `work`, at most `limit` (≥ 1) at once; the results in the items' order. Rejects with
 * the first failure (calls already started run to their end; no new ones start).
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const runners = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T, index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  });
  await Promise.all(runners);
  return results;
}

/** Runs `work` over `items`, at most `limit` at once (mapLimited without results). */
export async function eachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  await mapLimited(items, limit, work);
}
