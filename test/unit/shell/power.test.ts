// Unit tests of power and network events (resume, unlock, network back by polling) and of
// keeping the display awake during a call.
import { describe, expect, it } from 'vitest';
import type { PhoneSummary, PowerEventReason } from '@shared/ipc-contract';
import { DisplayAwake } from '../../../src-main/power/display-awake';
import { PowerEvents } from '../../../src-main/power/power-events';
import { FakeEmitter } from '../../support/fake-emitter';

function setup(online = true) {
  const monitor = new FakeEmitter();
  const reasons: PowerEventReason[] = [];
  const net = { online };
  const timers: { fn: () => void; ms: number }[] = [];
  let cleared = 0;
  const events = new PowerEvents({
    powerMonitor: monitor,
    isOnline: () => net.online,
    notify: (reason) => reasons.push(reason),
    setInterval: (fn, ms) => {
      timers.push({ fn, ms });
      return timers.length;
    },
    clearInterval: () => (cleared += 1),
  });
  events.start();
  const tick = (): void => timers.forEach((t) => t.fn());
  return { monitor, reasons, net, timers, tick, events, cleared: () => cleared };
}

describe('PowerEvents', () => {
  it('tells the page on resume and on unlock', () => {
    const { monitor, reasons } = setup();
    monitor.emit('resume');
    monitor.emit('unlock-screen');
    monitor.emit('lock-screen');
    monitor.emit('suspend');
    expect(reasons).toEqual(['resume', 'unlock']);
  });

  it('polls the network every 5 s and reports only false → true', () => {
    const { reasons, net, timers, tick } = setup(true);
    expect(timers.map((t) => t.ms)).toEqual([5000]);
    tick();
    expect(reasons).toEqual([]);
    net.online = false;
    tick();
    tick();
    expect(reasons).toEqual([]);
    net.online = true;
    tick();
    tick();
    expect(reasons).toEqual(['online']);
  });

  it('reports the network coming back after starting offline', () => {
    const { reasons, net, tick } = setup(false);
    net.online = true;
    tick();
    expect(reasons).toEqual(['online']);
  });

  it('stops listening and polling', () => {
    const { monitor, reasons, events, cleared } = setup();
    events.stop();
    monitor.emit('resume');
    expect(reasons).toEqual([]);
    expect(monitor.listenerCount('resume')).toBe(0);
    expect(cleared()).toBe(1);
  });
});

function summary(call: PhoneSummary['call']): PhoneSummary {
  return {
    registration: 'registered',
    registrationText: '',
    call,
    party: null,
    muted: false,
    doNotDisturb: false,
    missedCount: 0,
    unreadMessages: 0,
    recentNumbers: [],
    voicemailWaiting: false,
    voicemailNew: 0,
  };
}

describe('DisplayAwake', () => {
  it('blocks display sleep for the length of a call, once', () => {
    const log: string[] = [];
    let next = 41;
    const awake = new DisplayAwake({
      start: (type) => {
        next += 1;
        log.push(`start ${type} ${next}`);
        return next;
      },
      stop: (id) => {
        log.push(`stop ${id}`);
        return true;
      },
    });
    awake.update(summary('idle'));
    awake.update(summary('ringing'));
    awake.update(summary('in-call'));
    awake.update(summary('on-hold'));
    expect(awake.active).toBe(true);
    awake.update(summary('idle'));
    awake.update(summary('idle'));
    awake.update(summary('calling'));
    awake.release();
    expect(log).toEqual([
      'start prevent-display-sleep 42',
      'stop 42',
      'start prevent-display-sleep 43',
      'stop 43',
    ]);
    expect(awake.active).toBe(false);
  });
});
