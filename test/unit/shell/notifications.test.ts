// Unit tests of incoming-call notifications with a fake Notification: title and body, actions
// where the platform has them, click-to-show, closing when the call ends, and the settings.
import type { NotificationConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { IncomingCallNotice } from '@shared/ipc-contract';
import {
  IncomingCallNotifier,
  incomingCallOptions,
  type NotificationLike,
} from '../../../src-main/notifications/incoming-call';
import { FakeEmitter } from '../../support/fake-emitter';

class FakeNotification extends FakeEmitter implements NotificationLike {
  shown = false;
  closed = false;
  constructor(readonly options: NotificationConstructorOptions) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close', {});
  }
}

const BOB: IncomingCallNotice = {
  callId: 'c1',
  name: 'Bob Builder',
  number: '+15550100',
  accountLabel: 'Office',
};

function setup(
  opts: {
    platform?: NodeJS.Platform;
    notifyIncoming?: boolean;
    bringToFrontOnIncoming?: boolean;
    supported?: boolean;
  } = {},
) {
  const created: FakeNotification[] = [];
  const actions: string[] = [];
  const state = { fronts: 0 };
  const notifier = new IncomingCallNotifier({
    create: (options) => {
      const n = new FakeNotification(options);
      created.push(n);
      return n;
    },
    isSupported: () => opts.supported ?? true,
    platform: opts.platform ?? 'darwin',
    settings: () => ({
      notifyIncoming: opts.notifyIncoming ?? true,
      bringToFrontOnIncoming: opts.bringToFrontOnIncoming ?? false,
    }),
    bringToFront: () => (state.fronts += 1),
    sendAction: (callId, action) => actions.push(`${callId}:${action}`),
  });
  return { notifier, created, actions, state };
}

describe('incoming-call notification options', () => {
  it('titles with the caller name, body with the number and the account', () => {
    const options = incomingCallOptions(BOB, 'darwin');
    expect(options.title).toBe('Bob Builder');
    expect(options.body).toBe('+15550100\nIncoming call on Office');
    expect(options.silent).toBe(true);
  });

  it('titles with the number when there is no name', () => {
    const options = incomingCallOptions({ ...BOB, name: null, accountLabel: '' }, 'linux');
    expect(options.title).toBe('+15550100');
    expect(options.body).toBe('Incoming call');
  });

  it('has Answer/Decline on macOS and Windows, none on Linux', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      expect(incomingCallOptions(BOB, platform).actions).toEqual([
        { type: 'button', text: 'Answer' },
        { type: 'button', text: 'Decline' },
      ]);
    }
    const linux = incomingCallOptions(BOB, 'linux');
    expect(linux.actions).toBeUndefined();
    expect(linux.urgency).toBe('critical');
    expect(linux.timeoutType).toBe('never');
  });
});

describe('IncomingCallNotifier', () => {
  it('shows a notification and closes it when the call ends', () => {
    const { notifier, created } = setup();
    notifier.incomingCall(BOB);
    expect(created).toHaveLength(1);
    expect(created[0]?.shown).toBe(true);
    expect(notifier.openCount).toBe(1);
    notifier.callEnded('c1');
    expect(created[0]?.closed).toBe(true);
    expect(notifier.openCount).toBe(0);
    notifier.callEnded('c1');
  });

  it('Answer and Decline go to the page as notify/action; Answer shows the window', () => {
    const { notifier, created, actions, state } = setup();
    notifier.incomingCall(BOB);
    notifier.incomingCall({ ...BOB, callId: 'c2' });
    created[0]?.emit('action', { actionIndex: 0 }, 0);
    created[1]?.emit('action', { actionIndex: 1 }, 1);
    expect(actions).toEqual(['c1:answer', 'c2:decline']);
    expect(state.fronts).toBe(1);
  });

  it('falls back to the deprecated index argument', () => {
    const { notifier, created, actions } = setup({ platform: 'win32' });
    notifier.incomingCall(BOB);
    created[0]?.emit('action', undefined, 1);
    expect(actions).toEqual(['c1:decline']);
  });

  it('a click brings the window to the front (the Linux way to answer)', () => {
    const { notifier, created, state } = setup({ platform: 'linux' });
    notifier.incomingCall(BOB);
    created[0]?.emit('click');
    expect(state.fronts).toBe(1);
  });

  it('the user dismissing it forgets it', () => {
    const { notifier, created } = setup();
    notifier.incomingCall(BOB);
    created[0]?.emit('close', {});
    expect(notifier.openCount).toBe(0);
  });

  it('respects notifyIncoming and platforms without notifications', () => {
    const off = setup({ notifyIncoming: false });
    off.notifier.incomingCall(BOB);
    expect(off.created).toEqual([]);
    const unsupported = setup({ supported: false });
    unsupported.notifier.incomingCall(BOB);
    expect(unsupported.created).toEqual([]);
  });

  it('brings the window to the front only when bringToFrontOnIncoming is on', () => {
    const quiet = setup();
    quiet.notifier.incomingCall(BOB);
    expect(quiet.state.fronts).toBe(0);
    const loud = setup({ bringToFrontOnIncoming: true, notifyIncoming: false });
    loud.notifier.incomingCall(BOB);
    expect(loud.state.fronts).toBe(1);
  });
});
