/** A bounded map that forgets the least recently used entry first (the search caches). */
export type Lru<K, V> = Readonly<{
  /** The value, now the most recently used; undefined when absent. */
  get: (key: K) => V | undefined;
  /** Keeps the value, forgetting the least recently used entry beyond entriesMax. */
  set: (key: K, value: V) => void;
  size: () => number;
  clear: () => void;
}>;

export function createLru<K, V>(entriesMax: number): Lru<K, V> {
  // A Map keeps insertion order: the first key is the least recently used.
  const entries = new Map<K, V>();
  return {
    get: (key) => {
      const value = entries.get(key);
      if (value !== undefined) {
        entries.delete(key);
        entries.set(key, value);
      }
      return value;
    },
    set: (key, value) => {
      entries.set(key, value);
      if (entries.size > entriesMax) {
        const oldest = entries.keys().next();
        if (oldest.done !== true) entries.delete(oldest.value);
      }
    },
    size: () => entries.size,
    clear: () => entries.clear(),
  };
}
