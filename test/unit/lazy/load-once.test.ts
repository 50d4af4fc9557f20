// loadOnce (what the renderer's code-split chunks load through): one load shared by every
// caller, the value there synchronously afterwards, and a failed load tried again next time.
import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../../src-renderer/src/lib/lazy/load-once';

describe('loadOnce', () => {
  it('loads once for every caller and keeps the value', async () => {
    let loads = 0;
    const module = loadOnce(async () => {
      loads += 1;
      return { name: 'chunk' };
    });
    expect(module.value).toBeNull();
    const [a, b] = await Promise.all([module.get(), module.get()]);
    expect(a).toBe(b);
    expect(module.value).toBe(a);
    await module.get();
    expect(loads).toBe(1);
  });

  it('forgets a failed load, so the next use tries again', async () => {
    let attempt = 0;
    const module = loadOnce(async () => {
      attempt += 1;
      if (attempt === 1) {
        throw new Error('chunk missing');
      }
      return attempt;
    });
    await expect(module.get()).rejects.toThrow('chunk missing');
    expect(module.value).toBeNull();
    expect(await module.get()).toBe(2);
    expect(module.value).toBe(2);
  });
});
