/**
 * Rendered feeds, each kept under the ETag that names it, one per link. The ETag is computed from the store on every
 * fetch (one stamp query, plus the link's own row), so a body is served only while the store, on whichever instance
 * changed it, still names the same state: a change to any meeting, nomination, attendance, panel or force of the feed,
 * to its owner's roles, to what the link has shown (its serial) or to the day moves the ETag and the body is built
 * afresh. This is exactly what answering 304 already trusts. The link itself is looked up before the cache is, so a
 * revoked link is refused whatever is kept for it.
 */

/** A body and the ETag it answers to. */
export interface CachedFeed<T> {
  etag: string;
  value: T;
}

export interface FeedCacheOptions {
  /** What the kept bodies may add up to, in UTF-16 code units (about bytes for a feed's text). */
  maxSize: number;
}

/** About 64 MB: a hundred of the largest feeds (a national lead's force feed is about half a megabyte). */
export const FEED_CACHE_SIZE = 64 * 1024 * 1024;

/**
 * The latest body of each link, least recently used dropped first once the total passes `maxSize`; and the builds in
 * flight, so two fetches of one link's same state on one instance build it once.
 */
export class FeedCache<T> {
  private readonly kept = new Map<string, CachedFeed<T> & { size: number }>();
  private readonly building = new Map<string, Promise<CachedFeed<T>>>();
  private total = 0;

  constructor(
    private readonly sizeOf: (value: T) => number,
    private readonly options: FeedCacheOptions = { maxSize: FEED_CACHE_SIZE },
  ) {}

  /** The link's body if it was kept under `etag`; a body kept under any other ETag names a state that has passed. */
  get(hash: string, etag: string): T | undefined {
    const hit = this.kept.get(hash);
    if (!hit || hit.etag !== etag) return undefined;
    this.kept.delete(hash);
    this.kept.set(hash, hit);
    return hit.value;
  }

  /**
   * The link's body for the state `etag` names: kept, already being built, or built now by `build` (which returns
   * the ETag the body is to be kept under, the one the link's next fetch computes). A failed build keeps nothing.
   */
  async through(hash: string, etag: string, build: () => Promise<CachedFeed<T>>): Promise<CachedFeed<T>> {
    const hit = this.get(hash, etag);
    if (hit !== undefined) return { etag, value: hit };
    const key = `${hash}\n${etag}`;
    const pending = this.building.get(key);
    if (pending) return pending;
    const started = build().then((built) => {
      this.put(hash, built);
      return built;
    });
    this.building.set(key, started);
    try {
      return await started;
    } finally {
      this.building.delete(key);
    }
  }

  /** Forgets the link's body (its link answered nothing: revoked, unknown or gone). */
  forget(hash: string): void {
    const old = this.kept.get(hash);
    if (!old) return;
    this.kept.delete(hash);
    this.total -= old.size;
  }

  private put(hash: string, feed: CachedFeed<T>): void {
    this.forget(hash);
    const size = this.sizeOf(feed.value);
    if (size > this.options.maxSize) return;
    this.kept.set(hash, { ...feed, size });
    this.total += size;
    for (const [oldest, entry] of this.kept) {
      if (this.total <= this.options.maxSize) break;
      this.kept.delete(oldest);
      this.total -= entry.size;
    }
  }
}
