/** Rows grouped by a key in one pass, each group in the rows' order (a Map keeps the keys in first-seen order). */
export function groupBy<T, K>(rows: Iterable<T>, key: (row: T) => K): Map<K, T[]> {
  const by = new Map<K, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = by.get(k);
    if (list) list.push(r);
    else by.set(k, [r]);
  }
  return by;
}

/** Nominations, attendance or cancellations grouped by the meeting they belong to. */
export const groupByMeeting = <T extends { meetingId: string }>(rows: Iterable<T>): Map<string, T[]> => groupBy(rows, (r) => r.meetingId);
