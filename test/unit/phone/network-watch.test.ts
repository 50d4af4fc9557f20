// The renderer's network events: online and connection changes reconnect, once per change.
import { describe, expect, it } from 'vitest';
import { watchNetwork } from '../../../src-renderer/src/lib/phone/network-watch';

describe('watchNetwork', () => {
  it('reconnects on online and on a connection change, coalescing events that come together', () => {
    const win = new EventTarget();
    const connection = new EventTarget();
    let t = 0;
    let changes = 0;
    const stop = watchNetwork(
      win,
      connection,
      () => (changes += 1),
      () => t,
    );
    win.dispatchEvent(new Event('online'));
    connection.dispatchEvent(new Event('change'));
    expect(changes).toBe(1);
    t = 5000;
    connection.dispatchEvent(new Event('change'));
    expect(changes).toBe(2);
    t = 10_000;
    win.dispatchEvent(new Event('offline'));
    expect(changes).toBe(2);
    stop();
    win.dispatchEvent(new Event('online'));
    expect(changes).toBe(2);
  });

  it('works without the Network Information API', () => {
    const win = new EventTarget();
    let changes = 0;
    watchNetwork(
      win,
      null,
      () => (changes += 1),
      () => 0,
    );
    win.dispatchEvent(new Event('online'));
    expect(changes).toBe(1);
  });
});
