// The conference and transfer code as a chunk of its own (issue 19): loaded once on first use,
// and a chunk that cannot load fails only the action, with a sentence, and is tried again.
import { afterEach, describe, expect, it, vi } from 'vitest';

const IMPL = '../../../src-renderer/src/lib/phone/call-actions-impl';

afterEach(() => {
  vi.doUnmock(IMPL);
  vi.resetModules();
});

describe('call actions', () => {
  it('loads the conference and transfer code once, on first use', async () => {
    vi.resetModules(); // a fresh page: the setup's load does not count
    const fresh = await import('../../../src-renderer/src/lib/phone/call-actions');
    const first = await fresh.loadCallActions();
    expect(typeof first.LocalConference).toBe('function');
    expect(typeof first.runTransfer).toBe('function');
    expect(await fresh.loadCallActions()).toBe(first);
  });

  it('says in a sentence that conference and transfer are unavailable, and tries again', async () => {
    vi.resetModules();
    vi.doMock(IMPL, () => {
      throw new Error('Failed to fetch dynamically imported module');
    });
    const fresh = await import('../../../src-renderer/src/lib/phone/call-actions');
    await expect(fresh.loadCallActions()).rejects.toThrow(
      /^Conference and transfer are unavailable: the app could not load their code/,
    );
    vi.doUnmock(IMPL);
    const loaded = await fresh.loadCallActions();
    expect(typeof loaded.LocalConference).toBe('function');
  });
});
