// The stand-in for `events` that the renderer build gives JsSIP (issue 19, startup size) behaves
// as Node's EventEmitter: each scenario runs on both, recording what listeners hear and what the
// calls return, and the records must be equal.
import { EventEmitter as NodeEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

type Listener = (...args: unknown[]) => unknown;
interface Emitter {
  on(type: string, listener: Listener): Emitter;
  addListener(type: string, listener: Listener): Emitter;
  prependListener(type: string, listener: Listener): Emitter;
  once(type: string, listener: Listener): Emitter;
  prependOnceListener(type: string, listener: Listener): Emitter;
  off(type: string, listener: Listener): Emitter;
  removeListener(type: string, listener: Listener): Emitter;
  removeAllListeners(type?: string): Emitter;
  emit(type: string, ...args: unknown[]): boolean;
  listeners(type: string): Listener[];
  rawListeners(type: string): Listener[];
  listenerCount(type: string): number;
  eventNames(): (string | symbol)[];
  setMaxListeners(n: number): Emitter;
  getMaxListeners(): number;
}
type EmitterClass = new () => Emitter;

const Shim = createRequire(import.meta.url)(
  '../../../src-renderer/src/lib/phone/jssip-events.cjs',
) as EmitterClass & { EventEmitter: EmitterClass };

/** Runs `scenario` on a fresh emitter of `Class`, returning its record. */
function record(Class: EmitterClass, scenario: (e: Emitter, log: unknown[]) => void): unknown[] {
  // JsSIP's classes extend it.
  class Sub extends Class {}
  const log: unknown[] = [];
  scenario(new Sub(), log);
  return log;
}

function same(scenario: (e: Emitter, log: unknown[]) => void): void {
  const node = record(NodeEmitter as unknown as EmitterClass, scenario);
  expect(node.length).toBeGreaterThan(0);
  expect(record(Shim, scenario)).toEqual(node);
}

describe('jssip-events', () => {
  it('is the module and its EventEmitter export', () => {
    expect(Shim.EventEmitter).toBe(Shim);
  });

  it('calls listeners in order with the arguments and the emitter as this', () => {
    same((e, log) => {
      e.on('x', function (this: unknown, ...args) {
        log.push(['a', this === e, ...args]);
      });
      e.addListener('x', (...args) => log.push(['b', ...args]));
      e.prependListener('x', () => log.push('first'));
      log.push(e.emit('x', 1, 'two'), e.emit('none'), e.listenerCount('x'), e.eventNames());
    });
  });

  it('fires once-listeners once, finds them by their listener, lists the originals', () => {
    same((e, log) => {
      const once = (): number => log.push('once');
      const dropped = (): number => log.push('dropped');
      e.once('x', once);
      e.once('x', dropped);
      e.prependOnceListener('x', () => log.push('prepended once'));
      log.push(e.listeners('x').includes(once), e.rawListeners('x').includes(once));
      e.removeListener('x', dropped);
      e.emit('x');
      e.emit('x');
      log.push(e.listenerCount('x'));
    });
  });

  it('emits over a snapshot: removal or addition during an emit shows at the next one', () => {
    same((e, log) => {
      const later = (): number => log.push('later');
      e.on('x', () => {
        log.push('remover');
        e.off('x', later);
        e.on('x', () => log.push('added'));
      });
      e.on('x', later);
      e.emit('x');
      e.emit('x');
    });
  });

  it('removes the most recently added instance of a listener, one at a time', () => {
    same((e, log) => {
      const twice = (tag: unknown): number => log.push(['twice', tag]);
      e.on('x', twice);
      e.on('x', () => log.push('middle'));
      e.on('x', twice);
      e.removeListener('x', twice);
      e.emit('x', 1);
      e.removeListener('x', () => {});
      e.removeListener('nothing', twice);
      e.removeListener('x', twice);
      e.emit('x', 2);
      log.push(e.listenerCount('x'));
    });
  });

  it("announces listeners added and removed ('newListener', 'removeListener')", () => {
    same((e, log) => {
      e.on('newListener', (type, l) => log.push(['new', type, typeof l]));
      e.on('removeListener', (type, l) => log.push(['removed', type, typeof l]));
      const a = (): void => {};
      e.on('x', a);
      e.once('y', a);
      e.off('x', a);
      e.emit('y');
      e.on('x', a);
      e.on('z', a);
      e.removeAllListeners('x');
      e.removeAllListeners();
      log.push(e.eventNames(), e.emit('z'));
    });
  });

  it('throws an error nobody listens to, and hands it to a listener', () => {
    const boom = new Error('boom');
    for (const Class of [NodeEmitter as unknown as EmitterClass, Shim]) {
      const e = new Class();
      expect(() => e.emit('error', boom)).toThrow(boom);
      expect(() => e.emit('error', 'text')).toThrow();
      const heard: unknown[] = [];
      e.on('error', (error) => heard.push(error));
      expect(e.emit('error', boom)).toBe(true);
      expect(heard).toEqual([boom]);
      expect(() => e.on('x', 'not a function' as unknown as Listener)).toThrow(TypeError);
    }
  });

  it('keeps a max-listeners setting', () => {
    same((e, log) => {
      log.push(e.getMaxListeners(), e.setMaxListeners(0) === e, e.getMaxListeners());
    });
  });
});
