// Runs an async task over a list with a bounded number in flight.

/**
 * Calls `task` for every item, at most `limit` at a time, in list order of starting. Rejects with the first error a
 * task throws (tasks report their own expected failures instead of throwing).
 */
export async function forEachConcurrently<T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
