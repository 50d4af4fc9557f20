// The renderer's link to main: the incoming-call notification and the state summary go to main
// after the frame that shows what changed (issue 19: the notification must not hold back the
// incoming view, nor the summary a call's INVITE), and a call that stops ringing before that
// frame gets no notification at all.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { InvokeChannel } from '../../../src-main/shared/ipc-contract';
import { LineManager } from '../../../src-renderer/src/lib/phone/lines';
import { MainLink } from '../../../src-renderer/src/lib/state/main-link';
import { LINE_POLICY, advance, harness, registered } from './harness';

interface Sent {
  channel: InvokeChannel;
  payload: unknown;
}

/** window.softphone as the preload gives it: invoke answers ok; no events arrive. */
function fakeBridge(sent: Sent[]): unknown {
  return {
    invoke: (channel: InvokeChannel, payload: unknown) => {
      sent.push({ channel, payload });
      return Promise.resolve({ ok: true, value: null });
    },
    on: () => () => {},
  };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function linkedLines(): Promise<{
  h: ReturnType<typeof harness>;
  lines: LineManager;
  link: MainLink;
  sent: Sent[];
  frames: (() => void)[];
}> {
  const sent: Sent[] = [];
  const h = harness();
  // The harness makes `window` the global object (fake-webrtc.ts): the bridge goes there.
  vi.stubGlobal('softphone', fakeBridge(sent));
  vi.stubGlobal('addEventListener', () => {});
  vi.stubGlobal('removeEventListener', () => {});
  vi.stubGlobal('navigator', {});
  await registered(h);
  const lines = new LineManager({ settings: () => LINE_POLICY });
  lines.attach(h.engine);
  const frames: (() => void)[] = [];
  const link = new MainLink({
    lines,
    dialFromLink: () => {},
    linkRefused: () => {},
    reconnectAll: () => {},
    callBack: () => {},
    callVoicemail: () => {},
    stopAll: async () => {},
    summaryInputs: () => ({
      accounts: [],
      registrationOf: () => h.engine.registration,
      doNotDisturb: false,
      missedCount: 0,
      unreadMessages: 0,
      recentNumbers: [],
      voicemail: { waiting: false, newCount: 0 },
      nameOf: (party) => party.user,
    }),
    callerName: () => 'Carol Caller',
    accountLabel: () => 'Work',
    restarted: () => {},
    afterPaint: (callback) => frames.push(callback),
  });
  link.start();
  // The summary's code is a chunk of its own: the first push of the run waits for it, the
  // others for a frame.
  link.pushSummary();
  await vi.waitFor(() => {
    frames.splice(0).forEach((run) => run());
    expect(sent.map((s) => s.channel)).toContain('phone/state-changed');
  });
  sent.length = 0;
  return { h, lines, link, sent, frames };
}

/** The call state of each summary sent ('ringing', 'idle'…). */
function summaryCalls(sent: Sent[]): string[] {
  return sent
    .filter((s) => s.channel === 'phone/state-changed')
    .map((s) => (s.payload as { call: string }).call);
}

describe('main link', () => {
  it('sends the notification and the summary after the frame that shows the call', async () => {
    const { h, lines, link, sent, frames } = await linkedLines();
    const callId = h.server.invite('alice', 'sip:carol@example.com', 'Carol');
    await advance(50);
    expect(lines.incoming).toHaveLength(1);
    // Nothing went to main in the tasks that brought the call to the view.
    expect(sent).toEqual([]);
    expect(frames.length).toBeGreaterThan(0);

    frames.splice(0).forEach((run) => run());
    const notice = sent.find((s) => s.channel === 'notify/incoming-call');
    expect(notice?.payload).toMatchObject({
      callId: lines.incoming[0]!.id,
      name: 'Carol Caller',
      number: 'carol',
      accountLabel: 'Work',
    });
    expect(summaryCalls(sent)).toEqual(['ringing']);

    // The caller gives up: the notification is taken down at once; the summary follows the
    // next frame.
    sent.length = 0;
    h.server.cancel(callId);
    await advance(50);
    expect(lines.incoming).toHaveLength(0);
    expect(sent.map((s) => s.channel)).toEqual(['notify/call-ended']);
    frames.splice(0).forEach((run) => run());
    expect(summaryCalls(sent)).toEqual(['idle']);
    link.stop();
  });

  it('sends the summary of a call placed after the frame that shows it, once', async () => {
    const { h, lines, link, sent, frames } = await linkedLines();
    h.server.onInvite = () => {};
    void lines.place(h.engine, 'bob');
    await advance(50);
    expect(lines.lines).toHaveLength(1);
    expect(h.server.requests('INVITE')).toHaveLength(1);
    // The INVITE went out; main has heard nothing yet, and one send is queued for every change.
    expect(sent).toEqual([]);
    expect(frames).toHaveLength(1);
    frames.splice(0).forEach((run) => run());
    expect(summaryCalls(sent)).toEqual(['calling']);
    link.stop();
  });

  it('shows no notification for a call that stopped ringing before its frame', async () => {
    const { h, lines, link, sent, frames } = await linkedLines();
    const callId = h.server.invite('alice', 'sip:carol@example.com', 'Carol');
    await advance(50);
    expect(lines.incoming).toHaveLength(1);
    h.server.cancel(callId);
    await advance(50);
    expect(lines.incoming).toHaveLength(0);

    frames.splice(0).forEach((run) => run());
    const channels = sent.map((s) => s.channel);
    expect(channels).not.toContain('notify/incoming-call');
    expect(channels).not.toContain('notify/call-ended');
    // The summary main ends up with has no call in it.
    expect(summaryCalls(sent).at(-1)).toEqual('idle');
    link.stop();
  });
});
