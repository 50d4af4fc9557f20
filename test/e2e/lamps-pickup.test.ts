// Issue 15's directed pickup end to end, in the real renderer (Debian's Chromium) against the
// lab's Kamailio with its presence server: a caller (SIPp, registered as carol) rings a
// colleague (baresip, which does not answer); the colleague's lamp shows the ringing call with
// the call-id and tags pua_dialoginfo published; the user clicks Pick up, and the app's INVITE
// with Replaces reaches the caller, which accepts it (200 with SDP, media through rtpengine),
// CANCELs its INVITE to the colleague (RFC 3891 §3) and streams a tone. The app hears the tone;
// the app's own microphone tone arrives at the caller's RTP port (captured there); the lamps
// follow (the colleague free, the caller in a call, then free); the app's BYE ends it cleanly.
import { describe, expect, it } from 'vitest';
import { pcmuSamples, startRtpCapture, type RtpPacket } from '../lab/rtp-capture';
import type { SippTraceEntry } from '../lab/sipp';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { LampsPage } from '../support/lamps-page';
import { PhonePage } from '../support/phone-page';
import { windowsWithTone } from '../support/wav';

const WIDE = { viewport: { width: 1400, height: 900 } };
/** The app's microphone (Chromium's fake capture) and the caller's tone, Hz. */
const APP_TONE = 440;
const CALLER_TONE = 1000;

const lab = useLab({
  name: 'e2e-lamps-pickup',
  presence: true,
  baresip: [{ tone: 880, autoAnswer: false }],
});
const env = useE2eEnv();

const tagOf = (header: string | undefined): string =>
  /;\s*tag=([^;>\s]+)/i.exec(header ?? '')?.[1] ?? '';
const cseqMethod = (e: SippTraceEntry): string =>
  (e.message.header('CSeq') ?? '').split(/\s+/)[1] ?? '';

describe('directed pickup with audio', () => {
  it("picks up a colleague's ringing call from a caller that accepts Replaces, and both sides hear each other", async () => {
    const colleague = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(APP_TONE), env.server, WIDE);
    let capture: Awaited<ReturnType<typeof startRtpCapture>> | undefined;
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const lamps = new LampsPage(alice);
      const callerAor = lab.lab.account('carol').uri;
      await lamps.add(colleague.user, colleague.aor);
      await lamps.add('carol', callerAor);
      await lamps.waitForState(colleague.aor, 'idle');
      await lamps.waitForState(callerAor, 'idle');

      const seen = colleague.events.length;
      const caller = await lab.lab.startSippCaller({
        user: 'carol',
        to: colleague.user,
        tone: CALLER_TONE,
      });
      capture = await startRtpCapture({
        port: caller.mediaPort,
        logDir: lab.lab.logDir,
        name: 'carol-rtp-in',
      });
      await colleague.waitForEventType('CALL_INCOMING', 15_000, seen);
      await lamps.waitForState(colleague.aor, 'ringing');
      expect(await lamps.detail(colleague.aor)).toBe('carol is calling');

      await lamps.press(colleague.aor, 'Pick up');

      // The caller got the INVITE with Replaces naming its own early dialog with the colleague.
      const original = (
        await caller.waitForTrace(
          (e) =>
            e.dir === 'sent' &&
            e.message.method === 'INVITE' &&
            (e.message.uri ?? '').startsWith(`sip:${colleague.user}@`),
        )
      ).message;
      const ringing = (
        await caller.waitForTrace(
          (e) =>
            e.dir === 'received' &&
            e.message.status === 180 &&
            e.message.callId === original.callId,
        )
      ).message;
      const pickup = (
        await caller.waitForTrace(
          (e) =>
            e.dir === 'received' &&
            e.message.method === 'INVITE' &&
            e.message.callId !== original.callId,
          20_000,
        )
      ).message;
      expect(pickup.uri).toMatch(/^sip:carol@/);
      expect(pickup.header('From')).toContain('sip:alice@lab.test');
      expect(pickup.header('Require')).toBe('replaces');
      // RFC 3891 §3: the tags as the caller sees its dialog (its From tag is the to-tag).
      expect(pickup.header('Replaces')).toBe(
        `${original.callId};to-tag=${tagOf(original.header('From'))};from-tag=${tagOf(ringing.header('To'))};early-only`,
      );

      // The caller accepted it and the app is in the call, hearing the caller's tone.
      await alice.waitForCallStatus('active');
      await caller.waitForTrace(
        (e) =>
          e.dir === 'received' && e.message.method === 'ACK' && e.message.callId === pickup.callId,
      );
      const heard = await alice.waitForAudio(undefined, { present: [CALLER_TONE] }, 20_000);
      expect(heard.packets).toBeGreaterThan(20);

      // The caller cancelled its INVITE to the colleague: the colleague stopped ringing.
      await caller.waitForTrace(
        (e) =>
          e.dir === 'received' && e.message.status === 487 && e.message.callId === original.callId,
      );
      await colleague.waitForEventType('CALL_CLOSED', 15_000, seen);
      await lamps.waitForState(colleague.aor, 'idle');
      // The caller's lamp: in a call (with us).
      await lamps.waitForState(callerAor, 'in-call');

      // The other way: what arrives at the caller's RTP port carries the app's microphone tone
      // (0.1 s windows: at least 1 s of it, whatever load dropped or delayed).
      const appToneWindows = (packets: RtpPacket[]): number =>
        windowsWithTone(pcmuSamples(packets), 8000, APP_TONE, 0.02);
      await expect
        .poll(() => appToneWindows(capture!.packets()), { timeout: 20_000, interval: 200 })
        .toBeGreaterThanOrEqual(10);

      // Hang up: the caller takes the BYE (200), and its SIPp run ends without an error.
      await alice.hangup();
      expect(await alice.waitForEnded()).not.toBeNull();
      const bye = await caller.waitForTrace(
        (e) =>
          e.dir === 'received' && e.message.method === 'BYE' && e.message.callId === pickup.callId,
      );
      await caller.waitForTrace(
        (e) =>
          e.dir === 'sent' &&
          e.message.status === 200 &&
          e.message.callId === bye.message.callId &&
          cseqMethod(e) === 'BYE',
      );
      expect((await caller.exited).code, caller.errors().join('; ')).toBe(0);
      await lamps.waitForState(callerAor, 'idle');
      await lamps.waitForState(colleague.aor, 'idle');

      // The whole capture, flushed: the tone is in it, and nothing but what the app sent.
      const packets = await capture.stop();
      capture = undefined;
      expect(appToneWindows(packets)).toBeGreaterThanOrEqual(10);
      expect(windowsWithTone(pcmuSamples(packets), 8000, CALLER_TONE, 0.02)).toBe(0);
      expect(alice.errors).toEqual([]);
    } finally {
      await capture?.stop();
      await alice.close();
    }
  });
});
