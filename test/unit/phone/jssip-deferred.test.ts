// JsSIP's session, MESSAGE and subscription code as a chunk of its own (issue 19): the build's
// stand-ins (scripts/vite/jssip-deferred.ts) are inert until the chunk loads (a sentence says so
// when used), then build the real classes and give their static members and sdp-transform's
// functions; a chunk that could not load is named in the sentence and asked for again. The
// plugin gives the stand-ins exactly where JsSIP requires those parts for later.
import { createRequire } from 'node:module';
import { describe, expect, it, vi } from 'vitest';
import { deferredPartOf } from '../../../scripts/vite/jssip-deferred';

const require = createRequire(import.meta.url);
const CHUNK = '../../../src-renderer/src/lib/phone/jssip-sessions';

type Ctor = new (...args: unknown[]) => object;

// A UA as far as Message's constructor reads it.
const ua = { configuration: {}, on: () => {} };

describe('JsSIP stand-ins', () => {
  it('are inert before the chunk loads, and the real parts after', async () => {
    vi.resetModules(); // a fresh page
    const { deferredPart, loadJsSipSessions, requireJsSipSessions } =
      await import('../../../src-renderer/src/lib/phone/jssip-deferred');
    expect(() => requireJsSipSessions()).toThrow(/^The phone is still starting/);
    const Message = deferredPart('Message') as Ctor;
    const Notifier = deferredPart('Notifier') as { init_incoming: unknown };
    // Bundler interop and loggers may look at a stand-in at load: that does not throw.
    expect(Reflect.get(Message, '__esModule')).toBeUndefined();
    expect(Reflect.get(Message, Symbol.toStringTag)).toBeUndefined();
    expect(() => new Message(ua)).toThrow(/^The phone is still starting: try again/);
    expect(() => Notifier.init_incoming).toThrow(/still starting/);

    await loadJsSipSessions();
    expect(requireJsSipSessions().Message).toBe(require('jssip/lib/Message'));
    const RealMessage = require('jssip/lib/Message') as Ctor;
    const RealNotifier = require('jssip/lib/Notifier') as { init_incoming: unknown };
    const message = new Message(ua);
    expect(message).toBeInstanceOf(RealMessage);
    expect(Notifier.init_incoming).toBe(RealNotifier.init_incoming);
    const sdp = deferredPart('sdpTransform') as { parse(text: string): { version: number } };
    expect(sdp.parse('v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\n').version).toBe(0);
  });

  it('say why when the chunk could not load, and load it on a later use', async () => {
    vi.resetModules();
    let fail = true;
    vi.doMock(CHUNK, async (original) => {
      if (fail) {
        throw new Error('chunk missing');
      }
      return original();
    });
    const { deferredPart, loadJsSipSessions } =
      await import('../../../src-renderer/src/lib/phone/jssip-deferred');
    const RTCSession = deferredPart('RTCSession') as Ctor;
    await expect(loadJsSipSessions()).rejects.toThrow();
    expect(() => new RTCSession(ua)).toThrow(
      /^Calls, chat and presence are unavailable: the app could not load their code \(.+\)\. Try again/,
    );
    // That use asked for the chunk again: once it loads, the stand-in works.
    fail = false;
    const RealRTCSession = require('jssip/lib/RTCSession') as Ctor;
    await vi.waitFor(
      () => expect(Reflect.get(RTCSession, 'prototype')).toBe(RealRTCSession.prototype),
      {
        timeout: 10_000,
      },
    );
    vi.doUnmock(CHUNK);
  });
});

describe('the build plugin', () => {
  const lib = '/app/node_modules/jssip/lib';

  it('defers what JsSIP requires for later, where it requires it', () => {
    expect(deferredPartOf('./RTCSession', `${lib}/UA.js`)).toBe('RTCSession');
    expect(deferredPartOf('./RTCSession', `${lib}/JsSIP.js`)).toBe('RTCSession');
    expect(deferredPartOf('./Message', `${lib}/UA.js`)).toBe('Message');
    expect(deferredPartOf('./Subscriber', `${lib}/UA.js`)).toBe('Subscriber');
    expect(deferredPartOf('./Notifier', `${lib}/UA.js`)).toBe('Notifier');
    expect(deferredPartOf('sdp-transform', `${lib}/SIPMessage.js`)).toBe('sdpTransform');
    expect(deferredPartOf('./Message', 'C:\\app\\node_modules\\jssip\\lib\\UA.js')).toBe('Message');
  });

  it('leaves everything else, the chunk and the real parts, to the real modules', () => {
    // RTCSession's own requires and the chunk's get the real code.
    expect(deferredPartOf('sdp-transform', `${lib}/RTCSession.js`)).toBeNull();
    expect(
      deferredPartOf('jssip/lib/RTCSession', '/app/src/lib/phone/jssip-sessions.ts'),
    ).toBeNull();
    expect(deferredPartOf('./Transport', `${lib}/UA.js`)).toBeNull();
    expect(deferredPartOf('./RTCSession', '/app/src/UA.js')).toBeNull();
    expect(deferredPartOf('./RTCSession', undefined)).toBeNull();
  });
});
