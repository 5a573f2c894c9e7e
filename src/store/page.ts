/** A page of rows and the key the next page starts after (null on the last page). */
export interface Page<T, K = string> {
  readonly items: readonly T[];
  readonly after: K | null;
}

/** Keyset paging: stores read `top + 1` rows ordered by a unique key; the extra row says more exist. */
export function pageOf<T, K>(rows: readonly T[], top: number, keyOf: (row: T) => K): Page<T, K> {
  if (rows.length <= top) return { items: rows, after: null };
  const items = rows.slice(0, top);
  return { items, after: keyOf(items[items.length - 1] as T) };
}
