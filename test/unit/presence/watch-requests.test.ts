// Owns the watch requests of views (the chat list): reference counts per account and address,
// canonical addresses, non-SIP input ignored, idempotent releases, and one change per burst —
// a view that releases and re-requests what it shows causes no change at all.
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { WatchRequests } from '../../../src-renderer/src/lib/presence/watch-requests';

/** Requests whose scheduled checks run when the test says (flush), counting changes. */
function rig(): { requests: WatchRequests; flush: () => void; changes: () => number } {
  let queued: (() => void)[] = [];
  let changes = 0;
  const requests = new WatchRequests(
    () => (changes += 1),
    (run) => queued.push(run),
  );
  return {
    requests,
    flush: () => {
      const runs = queued;
      queued = [];
      for (const run of runs) {
        run();
      }
    },
    changes: () => changes,
  };
}

describe('watch requests', () => {
  it('lists canonical addresses with their account, and ignores what is not SIP', () => {
    const { requests, flush, changes } = rig();
    requests.add('<sip:Bob@PBX.example.com;transport=ws>', 'office');
    requests.add('sip:carol@pbx.example.com');
    requests.add('not an address at all');
    requests.add('tel:+15551234567');
    flush();
    expect(requests.list()).toEqual([
      { accountId: 'office', aor: 'sip:Bob@pbx.example.com' },
      { accountId: null, aor: 'sip:carol@pbx.example.com' },
    ]);
    expect(changes()).toBe(1);
  });

  it('keeps an address watched until its last holder releases it; a release twice counts once', () => {
    const { requests, flush, changes } = rig();
    const first = requests.add('sip:bob@pbx.example.com');
    const second = requests.add('sip:bob@pbx.example.com');
    flush();
    first();
    first();
    flush();
    expect(requests.list()).toHaveLength(1);
    expect(changes()).toBe(1);
    second();
    flush();
    expect(requests.list()).toEqual([]);
    expect(changes()).toBe(2);
  });

  it('the same address on two accounts is two requests', () => {
    const { requests, flush } = rig();
    requests.add('sip:bob@pbx.example.com', 'office');
    requests.add('sip:bob@pbx.example.com', 'home');
    flush();
    expect(requests.list().map((r) => r.accountId)).toEqual(['office', 'home']);
  });

  it('a view swapping its rows reports only the net change, once', () => {
    const { requests, flush, changes } = rig();
    const rows = ['a', 'b', 'c'].map((u) => requests.add(`sip:${u}@pbx.example.com`));
    flush();
    expect(changes()).toBe(1);

    // Same rows again (a message arrived and the list re-rendered): no change at all.
    rows.forEach((release) => release());
    const again = ['a', 'b', 'c'].map((u) => requests.add(`sip:${u}@pbx.example.com`));
    flush();
    expect(changes()).toBe(1);

    // Scrolled by one row: one change, with the new set.
    again.forEach((release) => release());
    ['b', 'c', 'd'].map((u) => requests.add(`sip:${u}@pbx.example.com`));
    flush();
    expect(changes()).toBe(2);
    expect(requests.list().map((r) => r.aor)).toEqual([
      'sip:b@pbx.example.com',
      'sip:c@pbx.example.com',
      'sip:d@pbx.example.com',
    ]);
  });

  it('uses queueMicrotask by default: changes of one synchronous run arrive together', async () => {
    // As in a browser, where queueMicrotask called with another \`this\` throws Illegal invocation.
    const real = globalThis.queueMicrotask;
    vi.stubGlobal('queueMicrotask', function (this: unknown, run: () => void) {
      if (this !== undefined && this !== globalThis) {
        throw new TypeError('Illegal invocation');
      }
      real(run);
    });
    onTestFinished(() => {
      vi.unstubAllGlobals();
    });
    let changes = 0;
    const requests = new WatchRequests(() => (changes += 1));
    const release = requests.add('sip:bob@pbx.example.com');
    requests.add('sip:carol@pbx.example.com');
    expect(changes).toBe(0);
    await Promise.resolve();
    expect(changes).toBe(1);
    release();
    requests.add('sip:bob@pbx.example.com');
    await Promise.resolve();
    expect(changes).toBe(1);
  });
});
