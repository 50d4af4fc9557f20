import { describe, expect, it } from 'vitest';
import {
  EARLY_SOCKET_BOUND_MS,
  EarlySocket,
  EarlySockets,
  type EarlySocketEnv,
} from '../../../src-renderer/src/lib/phone/early-socket';
import type { SipSocket } from '../../../src-renderer/src/lib/phone/guarded-socket';

const URL_A = 'wss://pbx.example.com:8089/ws';

/** A browser WebSocket as far as the early connection uses it (readyState 0–3, as the DOM's). */
class FakeWs {
  readyState = 0;
  binaryType = 'blob';
  sent: string[] = [];
  closed = false;
  onopen: (() => void) | null = null;
  onclose: ((e: { wasClean: boolean; code: number; reason: string }) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(readonly url: string) {}
  send(text: string): void {
    this.sent.push(text);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }
  lost(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ wasClean: false, code, reason: '' });
  }
}

/** The pool's browser: sockets made, timers by hand. */
function env(opts: { refuse?: boolean } = {}) {
  const made: FakeWs[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let next = 0;
  const e: EarlySocketEnv = {
    create: (url) => {
      if (opts.refuse) {
        throw new SyntaxError(`The URL '${url}' is invalid.`);
      }
      const ws = new FakeWs(url);
      made.push(ws);
      return ws as unknown as WebSocket;
    },
    setTimeout: (fn, ms) => {
      next += 1;
      timers.set(next, { fn, ms });
      return next;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
  };
  const fire = (): void => {
    for (const [id, t] of [...timers]) {
      timers.delete(id);
      t.fn();
    }
  };
  return { env: e, made, timers, fire };
}

/** JsSIP's own transport, recording what is asked of it. */
class FakeJsSip implements SipSocket {
  via_transport = 'WSS';
  readonly url = URL_A;
  readonly sip_uri = 'sip:pbx.example.com:8089;transport=ws';
  calls: string[] = [];
  connected = false;
  onconnect = (): void => {};
  ondisconnect = (_error: boolean, _code?: number, _reason?: string): void => {};
  ondata = (_data: unknown): void => {};
  connect(): void {
    this.calls.push('connect');
  }
  disconnect(): void {
    this.calls.push('disconnect');
  }
  send(message: string): boolean {
    this.calls.push(`send ${message}`);
    return this.connected;
  }
  isConnected(): boolean {
    return this.connected;
  }
  isConnecting(): boolean {
    return false;
  }
}

/** An EarlySocket over a pool and a fake JsSIP transport, with what it reported. */
function socket(pool: EarlySockets) {
  const jssip = new FakeJsSip();
  const s = new EarlySocket(URL_A, pool, jssip);
  const events: string[] = [];
  s.onconnect = () => events.push('connect');
  s.ondisconnect = (error, code) => events.push(`disconnect ${String(error)} ${String(code)}`);
  s.ondata = (data) => events.push(`data ${String(data)}`);
  return { s, jssip, events };
}

// After the microtasks queued so far (a taken open connection reports itself in one).
const settle = (): Promise<void> => new Promise((r) => queueMicrotask(r));

describe('EarlySockets', () => {
  it('opens one connection per server, binary frames as JsSIP takes them, closed if nobody takes it within the bound', () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    pool.preconnect(URL_A);
    expect(b.made.map((w) => w.url)).toEqual([URL_A]);
    expect(b.made[0]!.binaryType).toBe('arraybuffer');
    expect([...b.timers.values()].map((t) => t.ms)).toEqual([EARLY_SOCKET_BOUND_MS]);

    b.fire();
    expect(b.made[0]!.closed).toBe(true);
    expect(pool.size).toBe(0);
    expect(pool.take(URL_A)).toBeNull();
  });

  it('hands a connection over once, with what it received before, and stops its bound', () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    const ws = b.made[0]!;
    ws.open();
    ws.receive('first');
    ws.receive('second');
    const taken = pool.take(URL_A);
    expect(taken?.ws).toBe(ws);
    expect(taken?.held).toEqual(['first', 'second']);
    expect(b.timers.size).toBe(0);
    expect(ws.closed).toBe(false);
    expect(pool.take(URL_A)).toBeNull();
    // Its handlers are the taker's now: the pool no longer holds what arrives.
    expect(ws.onmessage).toBeNull();
  });

  it('forgets a connection that closed or failed before it was taken', () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    b.made[0]!.lost();
    expect(pool.size).toBe(0);
    expect(b.timers.size).toBe(0);
    expect(pool.take(URL_A)).toBeNull();
    // A new start may open one again.
    pool.preconnect(URL_A);
    expect(b.made).toHaveLength(2);
  });

  it('gives no connection that is closing, and closes one on drop', () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    b.made[0]!.readyState = 2;
    expect(pool.take(URL_A)).toBeNull();

    pool.preconnect('ws://other.example.com');
    pool.drop('ws://other.example.com');
    expect(b.made[1]!.closed).toBe(true);
    expect(pool.size).toBe(0);
  });

  it('keeps nothing and does not throw for a URL the browser refuses', () => {
    const b = env({ refuse: true });
    const pool = new EarlySockets(b.env);
    expect(() => pool.preconnect('ws://bad host')).not.toThrow();
    expect(pool.size).toBe(0);
    expect(b.timers.size).toBe(0);
  });

  it("opens nothing for a URL JsSIP's transport would refuse", () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect('https://pbx.example.com/ws');
    pool.preconnect('');
    expect(b.made).toEqual([]);
    pool.preconnect('WSS://pbx.example.com/ws');
    expect(b.made).toHaveLength(1);
  });
});

describe('EarlySocket', () => {
  it("takes over an open early connection: connected after connect() returns, then what it held, in order; JsSIP's transport is not used", async () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    const ws = b.made[0]!;
    ws.open();
    ws.receive('OPTIONS 1');
    const { s, jssip, events } = socket(pool);
    s.connect();
    expect(events).toEqual([]);
    expect(s.isConnected()).toBe(true);
    await settle();
    expect(events).toEqual(['connect', 'data OPTIONS 1']);
    ws.receive('SIP/2.0 200 OK');
    expect(events.at(-1)).toBe('data SIP/2.0 200 OK');
    expect(s.send('REGISTER')).toBe(true);
    expect(ws.sent).toEqual(['REGISTER']);
    expect(jssip.calls).toEqual([]);
  });

  it('takes over a connection still opening: connected when it opens', () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    const { s, events } = socket(pool);
    s.connect();
    expect(s.isConnecting()).toBe(true);
    expect(s.isConnected()).toBe(false);
    expect(s.send('too early')).toBe(false);
    b.made[0]!.open();
    expect(events).toEqual(['connect']);
    expect(s.isConnected()).toBe(true);
  });

  it('reports a taken connection lost as JsSIP would, and connects anew through JsSIP', () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    const { s, jssip, events } = socket(pool);
    s.connect();
    b.made[0]!.lost(1006);
    expect(events).toEqual(['disconnect true 1006']);
    // A later early connection is not taken: only the first connect may start from one.
    pool.preconnect(URL_A);
    s.connect();
    expect(jssip.calls).toEqual(['connect']);
    expect(pool.size).toBe(1);
  });

  it('closes a taken connection on disconnect without an event, as JsSIP does', async () => {
    const b = env();
    const pool = new EarlySockets(b.env);
    pool.preconnect(URL_A);
    b.made[0]!.open();
    const { s, events } = socket(pool);
    s.connect();
    s.disconnect();
    await settle();
    expect(b.made[0]!.closed).toBe(true);
    expect(events).toEqual([]);
    expect(s.isConnected()).toBe(false);
  });

  it("is JsSIP's transport when there is no early connection", () => {
    const pool = new EarlySockets(env().env);
    const { s, jssip } = socket(pool);
    s.connect();
    jssip.connected = true;
    expect(s.isConnected()).toBe(true);
    expect(s.send('REGISTER')).toBe(true);
    s.disconnect();
    expect(jssip.calls).toEqual(['connect', 'send REGISTER', 'disconnect']);
  });

  it("reports JsSIP's transport's URL, SIP URI and Via transport", () => {
    const s = new EarlySocket(URL_A, new EarlySockets(env().env));
    expect(s.url).toBe(URL_A);
    expect(s.sip_uri).toBe('sip:pbx.example.com:8089;transport=ws');
    expect(s.via_transport).toBe('WSS');
    expect(() => new EarlySocket('http://pbx.example.com')).toThrow(TypeError);
  });
});
