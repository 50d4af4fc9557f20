// The dial parser and rules as a chunk of their own (issue 19): nothing parses before it has
// loaded (the dial paths say so in a sentence), and once loaded it is there synchronously for
// every dial path.
import { describe, expect, it, vi } from 'vitest';

describe('dial code', () => {
  it('is absent before it loads, says so in a sentence, and is there synchronously after', async () => {
    vi.resetModules(); // a fresh page: the setup's load does not count
    const fresh = await import('../../../src-renderer/src/lib/phone/dial-code');
    const target = await import('../../../src-renderer/src/lib/phone/target');
    expect(fresh.dialCodeOrNull()).toBeNull();
    expect(() => target.resolveCallTarget('1234', 'sip:alice@example.com')).toThrow(
      /still starting/,
    );
    await fresh.loadDialCode();
    expect(fresh.dialCodeOrNull()?.parseTypedDial('+49 30 1234').ok).toBe(true);
    expect(target.resolveCallTarget('1234', 'sip:alice@example.com').uri).toBe(
      'sip:1234@example.com',
    );
  });

  it('says why when its code could not load, and loads it on a later try', async () => {
    vi.resetModules();
    let fail = true;
    vi.doMock('../../../src-renderer/src/lib/phone/dial-code-impl', async (original) => {
      if (fail) {
        throw new Error('chunk missing');
      }
      return original();
    });
    const fresh = await import('../../../src-renderer/src/lib/phone/dial-code');
    const target = await import('../../../src-renderer/src/lib/phone/target');
    await expect(fresh.loadDialCode()).rejects.toThrow();
    expect(() => target.resolveCallTarget('1234', 'sip:alice@example.com')).toThrow(
      /^Dialling is unavailable: the app could not load its code \(.+\)\. Try again/,
    );
    // That try asked for the code again: once it loads, dialling works.
    fail = false;
    await vi.waitFor(() => expect(fresh.dialCodeOrNull()).not.toBeNull(), { timeout: 10_000 });
    expect(target.resolveCallTarget('1234', 'sip:alice@example.com').uri).toBe(
      'sip:1234@example.com',
    );
    vi.doUnmock('../../../src-renderer/src/lib/phone/dial-code-impl');
  });
});
