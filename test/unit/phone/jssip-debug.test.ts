// The stand-in for `debug` that the renderer build gives JsSIP (issue 19, startup size): the
// surface JsSIP uses — `debug(ns)` and `debug.default(ns)` loggers that print through their
// `.log` only while their namespace is enabled, `enable` with wildcards and exclusions,
// `disable` — and nothing printed by default.
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';

interface Logger {
  (...args: unknown[]): void;
  log: (...args: unknown[]) => void;
  readonly enabled: boolean;
  namespace: string;
}
interface Debug {
  (namespace: string): Logger;
  default: Debug;
  enable(spec: string): void;
  disable(): unknown;
  enabled(namespace: string): boolean;
}

const debug = createRequire(import.meta.url)(
  '../../../src-renderer/src/lib/phone/jssip-debug.cjs',
) as Debug;

function logger(namespace: string): { lines: unknown[][]; log: Logger } {
  const lines: unknown[][] = [];
  const log = debug.default(namespace);
  log.log = (...args: unknown[]) => lines.push(args);
  return { lines, log };
}

describe('jssip-debug', () => {
  afterEach(() => debug.disable());

  it('is off by default', () => {
    const { lines, log } = logger('JsSIP:Transport');
    log('connecting to %s', 'wss://pbx');
    expect(lines).toEqual([]);
    expect(log.enabled).toBe(false);
  });

  it('prints enabled namespaces through .log, with the namespace first', () => {
    debug.enable('JsSIP:*');
    const { lines, log } = logger('JsSIP:Transport');
    log('connecting to %s', 'wss://pbx');
    expect(lines).toEqual([['JsSIP:Transport connecting to %s', 'wss://pbx']]);
    expect(debug('JsSIP').enabled).toBe(false);
  });

  it('takes lists, wildcards and exclusions, and disable turns everything off', () => {
    debug.enable('JsSIP:*, -JsSIP:WARN:*,Other');
    expect(debug.enabled('JsSIP:UA')).toBe(true);
    expect(debug.enabled('JsSIP:WARN:UA')).toBe(false);
    expect(debug.enabled('Other')).toBe(true);
    expect(debug.enabled('Others')).toBe(false);
    // Dots in a namespace are literal, not "any character".
    debug.enable('a.b');
    expect(debug.enabled('a.b')).toBe(true);
    expect(debug.enabled('axb')).toBe(false);
    debug.disable();
    expect(debug.enabled('a.b')).toBe(false);
  });

  it('is what JsSIP itself calls: the module as a function and its default', () => {
    expect(debug.default).toBe(debug);
    expect(typeof debug('JsSIP')).toBe('function');
    expect(debug('JsSIP').namespace).toBe('JsSIP');
  });
});
