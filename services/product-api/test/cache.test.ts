import { CatalogCache } from '../src/cache';

const buf = (s: string) => Buffer.from(s);

function setup(ttlMs = 1000, max = 3) {
  let now = 0;
  const counts = { hit: 0, miss: 0 };
  const cache = new CatalogCache(
    ttlMs,
    max,
    { hit: () => counts.hit++, miss: () => counts.miss++ },
    () => now,
  );
  return { cache, counts, advance: (ms: number) => (now += ms) };
}

describe('CatalogCache', () => {
  test('serves a cached value until the TTL passes, then loads again', async () => {
    const { cache, counts, advance } = setup(1000);
    let loads = 0;
    const load = async () => buf(`v${++loads}`);
    expect((await cache.get('k', load)).toString()).toBe('v1');
    advance(999);
    expect((await cache.get('k', load)).toString()).toBe('v1');
    advance(1);
    expect((await cache.get('k', load)).toString()).toBe('v2');
    expect(counts).toEqual({ hit: 1, miss: 2 });
  });

  test('concurrent misses share one load', async () => {
    const { cache } = setup();
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return buf('x');
    };
    const all = Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)]);
    release();
    expect((await all).map(String)).toEqual(['x', 'x', 'x']);
    expect(loads).toBe(1);
  });

  test('a load that was running when the key was invalidated is not kept', async () => {
    const { cache } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stale = cache.get('k', async () => {
      await gate;
      return buf('before-write');
    });
    cache.invalidateAll();
    release();
    expect(String(await stale)).toBe('before-write'); // its own caller still gets it
    expect(String(await cache.get('k', async () => buf('after-write')))).toBe('after-write');
  });

  test('invalidate drops one key, invalidateAll every key', async () => {
    const { cache } = setup();
    await cache.get('a', async () => buf('a1'));
    await cache.get('b', async () => buf('b1'));
    cache.invalidate('a');
    expect(String(await cache.get('a', async () => buf('a2')))).toBe('a2');
    expect(String(await cache.get('b', async () => buf('b2')))).toBe('b1');
    cache.invalidateAll();
    expect(cache.size).toBe(0);
  });

  test('keeps at most maxEntries, evicting the oldest', async () => {
    const { cache } = setup(1000, 2);
    for (const k of ['a', 'b', 'c']) await cache.get(k, async () => buf(k));
    expect(cache.size).toBe(2);
    expect(String(await cache.get('a', async () => buf('a-reloaded')))).toBe('a-reloaded');
  });

  test('a failed load is not cached', async () => {
    const { cache } = setup();
    await expect(cache.get('k', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(String(await cache.get('k', async () => buf('ok')))).toBe('ok');
  });

  test('TTL 0 turns the cache off', async () => {
    const { cache, counts } = setup(0);
    let loads = 0;
    await cache.get('k', async () => buf(String(++loads)));
    await cache.get('k', async () => buf(String(++loads)));
    expect(loads).toBe(2);
    expect(counts).toEqual({ hit: 0, miss: 0 });
  });
});
