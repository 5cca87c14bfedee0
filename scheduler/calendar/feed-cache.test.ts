import { describe, expect, it } from 'vitest';
import { FeedCache, type CachedFeed } from './feed-cache.js';

const cache = (maxSize = 100) => new FeedCache<string>((s) => s.length, { maxSize });
const built = (etag: string, value: string) => async (): Promise<CachedFeed<string>> => ({ etag, value });

describe('kept feed bodies', () => {
  it('serves a body only under the ETag it was kept with', async () => {
    const c = cache();
    await c.through('link', '"e0"', built('"e1"', 'body'));
    expect(c.get('link', '"e1"')).toBe('body');
    expect(c.get('link', '"e0"')).toBeUndefined();
    expect(c.get('other', '"e1"')).toBeUndefined();
  });

  it('keeps one body a link, the latest', async () => {
    const c = cache();
    await c.through('link', '"a"', built('"a"', 'old'));
    await c.through('link', '"b"', built('"b"', 'new'));
    expect(c.get('link', '"a"')).toBeUndefined();
    expect(c.get('link', '"b"')).toBe('new');
  });

  it('builds a state once while its build is in flight, and keeps nothing when the build fails', async () => {
    const c = cache();
    let calls = 0;
    let release!: () => void;
    const slow = async () => {
      calls++;
      await new Promise<void>((r) => (release = r));
      return { etag: '"e1"', value: 'body' };
    };
    const a = c.through('link', '"e0"', slow);
    const b = c.through('link', '"e0"', slow);
    release();
    expect(await Promise.all([a, b])).toEqual([{ etag: '"e1"', value: 'body' }, { etag: '"e1"', value: 'body' }]);
    expect(calls).toBe(1);
    await expect(c.through('failing', '"x"', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    expect(c.get('failing', '"x"')).toBeUndefined();
    // A later fetch of that state builds again rather than sharing the failure.
    expect((await c.through('failing', '"x"', built('"x"', 'ok'))).value).toBe('ok');
  });

  it('drops the least recently used bodies past its size, and forgets a link on demand', async () => {
    const c = cache(10);
    await c.through('a', '1', built('1', 'aaaa'));
    await c.through('b', '1', built('1', 'bbbb'));
    expect(c.get('a', '1')).toBe('aaaa');
    await c.through('c', '1', built('1', 'cccc'));
    expect(c.get('b', '1')).toBeUndefined();
    expect(c.get('a', '1')).toBe('aaaa');
    expect(c.get('c', '1')).toBe('cccc');
    c.forget('a');
    expect(c.get('a', '1')).toBeUndefined();
    await c.through('big', '1', built('1', 'x'.repeat(11)));
    expect(c.get('big', '1')).toBeUndefined();
    expect(c.get('c', '1')).toBe('cccc');
  });
});
