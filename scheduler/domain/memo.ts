/**
 * Remembers a pure function's answers, up to `max` of them (then starts afresh, so a long-running
 * process never grows without bound). For hot, repetitive work such as formatting the same meeting times.
 */
export function memo<V>(compute: (key: string) => V, max: number): (key: string) => V {
  const seen = new Map<string, V>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = compute(key);
      if (seen.size >= max) seen.clear();
      seen.set(key, value);
    }
    return value;
  };
}
