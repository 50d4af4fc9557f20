// Dead connection detection (issue 20): a half-open flow is found by the OPTIONS keep-alive
// within its bound and replaced; a stale socket is never trusted after a network or power event.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advance, answeredCall, harness, registered } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('keep-alive', () => {
  it('finds a half-open connection within idle + timeout, replaces it and registers again', async () => {
    const h = harness({ keepAliveS: 20 });
    await registered(h);
    const registers = h.server.requests('REGISTER').length;
    h.socket.blackhole = true;
    await advance(28_000, 500);
    const state = h.engine.registration;
    expect(state).toMatchObject({ status: 'failed', cause: 'connection-lost' });
    expect(state.status === 'failed' && state.message).toMatch(
      /replaced: nothing came back from the server for 28 s/,
    );
    await advance(5_000, 100);
    expect(h.socket.connects).toBe(2);
    expect(h.engine.registration.status).toBe('registered');
    expect(h.server.requests('REGISTER').length).toBeGreaterThan(registers);
  });

  it("probes sooner when the server's Flow-Timer asks for it (RFC 5626)", async () => {
    const h = harness({ keepAliveS: 20 });
    h.server.registerOk = (contact) => [`Contact: ${contact}`, 'Flow-Timer: 10'];
    await registered(h);
    h.socket.blackhole = true;
    await advance(16_000, 500);
    const state = h.engine.registration;
    expect(state.status === 'failed' && state.message).toMatch(/for 16 s/);
  });

  it('keeps a live connection: answered probes, no reconnect', async () => {
    const h = harness({ keepAliveS: 20 });
    await registered(h);
    await advance(10 * 60_000, 1000);
    expect(h.server.requests('OPTIONS').length).toBeGreaterThanOrEqual(10);
    expect(h.socket.connects).toBe(1);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('sends no probe while traffic flows or when turned off', async () => {
    const h = harness({ keepAliveS: 0 });
    await registered(h);
    h.socket.blackhole = true;
    await advance(5 * 60_000, 1000);
    expect(h.server.requests('OPTIONS')).toHaveLength(0);
    expect(h.engine.registration.status).toBe('registered'); // what JsSIP's defaults believe
  });
});

describe('network and power events', () => {
  it('"Network state change": never trusts the open socket: a fresh connection and a new registration', async () => {
    const h = harness();
    await registered(h);
    const registers = h.server.requests('REGISTER').length;
    h.engine.reconnectNow();
    // At once: not after JsSIP's minimum reconnection interval (2 s), the network just changed.
    await advance(500, 10);
    expect(h.socket.connects).toBe(2);
    expect(h.engine.registration.status).toBe('registered');
    expect(h.server.requests('REGISTER').length).toBeGreaterThan(registers);
  });

  it('reconnects at once under a call too, so its recovery starts without waiting', async () => {
    const h = harness();
    const { call } = await answeredCall(h);
    h.engine.reconnectNow();
    await advance(500, 10);
    expect(h.socket.connects).toBe(2);
    expect(h.engine.registration.status).toBe('registered');
    expect(call.status).toBe('active');
  });
});
