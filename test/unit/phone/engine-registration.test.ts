import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { advance, harness, registered } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('registration state machine', () => {
  it('connects, answers the digest challenge and registers', async () => {
    const h = harness();
    await registered(h);
    expect(h.states.map((s) => s.status)).toEqual(['connecting', 'registering', 'registered']);
    const registers = h.server.requests('REGISTER');
    expect(registers).toHaveLength(2);
    expect(registers[0]?.raw).not.toMatch(/Authorization:/i);
    expect(registers[1]?.raw).toMatch(/Authorization: Digest/i);
  });

  it('announces each UA it creates, so features beyond calls can bind to it', async () => {
    const h = harness();
    const uas: unknown[] = [];
    h.engine.on('ua', (ua) => uas.push(ua));
    await registered(h);
    expect(uas).toEqual([h.engine.ua]);
    const stopping = h.engine.stop(0);
    await advance(50);
    await stopping;
    expect(h.engine.ua).toBeNull();
    h.engine.start();
    expect(uas).toHaveLength(2);
    expect(uas[1]).toBe(h.engine.ua);
    expect(uas[1]).not.toBe(uas[0]);
  });

  it('reports wrong credentials within seconds and never retries on its own', async () => {
    const h = harness({ password: 'wrong' });
    h.engine.start();
    await advance(200);
    const state = h.engine.registration;
    expect(state).toMatchObject({
      status: 'failed',
      cause: 'wrong-credentials',
      code: 401,
      retryAt: null,
    });
    expect(h.server.requests('REGISTER')).toHaveLength(2);

    await advance(15 * 60_000, 1000);
    expect(h.server.requests('REGISTER')).toHaveLength(2);

    // A reconnect of the transport (or a resume event) must not start a storm either.
    h.socket.drop();
    await advance(60_000, 500);
    h.engine.reconnectNow();
    await advance(1000);
    expect(h.server.requests('REGISTER')).toHaveLength(2);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'wrong-credentials' });
  });

  it('tries again after the user asks, and registers once the password is right', async () => {
    const h = harness({ password: 'wrong' });
    h.engine.start();
    await advance(200);
    expect(h.engine.registration.status).toBe('failed');
    h.engine.retryNow();
    await advance(200);
    expect(h.server.requests('REGISTER')).toHaveLength(4);
  });

  it('backs off on server errors and honours Retry-After', async () => {
    const h = harness();
    h.server.registerMode = 'error-503';
    h.server.retryAfter = 30;
    h.engine.start();
    await advance(100);
    const state = h.engine.registration;
    expect(state).toMatchObject({ status: 'failed', cause: 'server-error', code: 503 });
    const retryAt = state.status === 'failed' ? state.retryAt : null;
    expect(retryAt).not.toBeNull();
    expect(retryAt! - Date.now()).toBeGreaterThanOrEqual(29_000);
    expect(h.server.requests('REGISTER')).toHaveLength(1);

    await advance(20_000, 1000);
    expect(h.server.requests('REGISTER')).toHaveLength(1);
    h.server.registerMode = 'normal';
    await advance(20_000, 1000);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('tells an unreachable server from one that refuses the WebSocket, and recovers', async () => {
    const h = harness();
    h.socket.reachable = false;
    h.engine.start();
    await advance(100);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'server-unreachable' });
    expect(h.probe.calls).toBeGreaterThan(0);

    h.probe.result = 'answered';
    await advance(5000, 100);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'websocket-refused' });

    h.socket.reachable = true;
    await advance(40_000, 500);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('"Io recv error with recovery": reports a lost connection and registers again when it comes back', async () => {
    const h = harness();
    await registered(h);
    h.socket.drop();
    await advance(10);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'connection-lost' });
    await advance(40_000, 500);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('refuses a configuration JsSIP cannot use with a clear message', async () => {
    const h = harness({ sipUri: 'not a sip uri' });
    h.engine.start();
    await advance(10);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'bad-configuration' });
    const state = h.engine.registration;
    expect(state.status === 'failed' && state.message).toMatch(/not valid/);
  });

  it('unregisters on stop', async () => {
    const h = harness();
    await registered(h);
    const stopped = h.engine.stop();
    await advance(100);
    await stopped;
    const last = h.server.requests('REGISTER').at(-1);
    expect(last?.raw).toMatch(/Expires: 0|expires=0/i);
    expect(h.engine.registration.status).toBe('stopped');
  });
});

// liblinphone's registration faults (issue 20), on the loop server with fake timers.
describe('registration faults', () => {
  it('"Io recv error with late recovery": the server stays away for minutes, bounded attempts, registered once back', async () => {
    const h = harness();
    await registered(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(10);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'connection-lost' });
    const connects = h.socket.connects;
    const attempts = h.socket.connectAttempts;
    await advance(3 * 60_000, 500);
    // It kept trying, backing off (never once a second): 180 attempts would be a storm.
    const away = h.socket.connectAttempts - attempts;
    expect(away).toBeGreaterThanOrEqual(3);
    expect(away).toBeLessThanOrEqual(20);
    expect(h.engine.registration).toMatchObject({ status: 'failed', cause: 'server-unreachable' });
    h.socket.reachable = true;
    await advance(40_000, 500);
    expect(h.engine.registration.status).toBe('registered');
    // One new connection once the server is back, and its registration.
    expect(h.socket.connects).toBe(connects + 1);
    expect(h.server.requests('REGISTER').length).toBeLessThanOrEqual(2 + 2);
  });

  it('"Register with refresh and send error": the refresh finds the socket closed, a new connection registers', async () => {
    const h = harness();
    await registered(h);
    const registers = h.server.requests('REGISTER').length;
    // Up to the refresh (about halfway to the 600 s granted), the socket breaks on the next send.
    await advance(200_000, 1000);
    expect(h.server.requests('REGISTER')).toHaveLength(registers);
    h.socket.breakOnNextSend = true;
    await advance(170_000, 500);
    expect(h.socket.failedSends).toBe(1);
    await advance(40_000, 500);
    // Never "registered" on the dead socket: the lost connection was said, then healed.
    expect(
      h.states.slice(3).map((s) => ('cause' in s ? `${s.status}:${s.cause}` : s.status)),
    ).toEqual(['failed:connection-lost', 'registering', 'registered']);
    expect(h.socket.connects).toBe(2);
    expect(h.server.requests('REGISTER').length).toBeGreaterThan(registers);
  });
});
