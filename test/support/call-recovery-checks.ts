// Checks shared by the call-recovery e2e tests (issue 20): the recovery re-INVITE with an ICE
// restart and its answer, as the page sent and received them, and what a baresip far end heard
// after the recovery (the tail of its recording, per window).
import { expect } from 'vitest';
import type { Baresip } from '../lab/baresip';
import { waitFor } from '../lab/process';
import type { PhonePage } from './phone-page';
import { readWav, sliceSeconds, windowsWithTone } from './wav';

/** Where a page's signalling stood before a fault: what a recovery must change. */
export interface SignallingMark {
  /** INVITEs the page had sent (the first one and its repeat with credentials, for a caller). */
  invites: number;
  /** The last ICE ufrag the page had offered or answered with. */
  ufrag: string;
}

const UFRAG = /a=ice-ufrag:(\S+)/;

/** The last ICE ufrag in an SDP the page sent ('' when none). */
function lastSentUfrag(sent: { text: string }[]): string {
  for (const m of [...sent].reverse()) {
    const ufrag = UFRAG.exec(m.text)?.[1];
    if (ufrag !== undefined) {
      return ufrag;
    }
  }
  return '';
}

/** Notes where the page's signalling stands (call it while the call is up, before the fault). */
export async function markSignalling(phone: PhonePage): Promise<SignallingMark> {
  const sent = await phone.sipSent();
  const ufrag = lastSentUfrag(sent);
  expect(ufrag, 'an ICE ufrag in what the page sent').not.toBe('');
  return { invites: sent.filter((m) => m.text.startsWith('INVITE ')).length, ufrag };
}

/**
 * Waits for the page's recovery re-INVITE (an INVITE after `mark` whose offer restarts ICE: a
 * new ufrag) and for the 200 answering it (same CSeq); returns the re-INVITE's ufrag.
 */
export async function waitForRecoveryReinvite(
  phone: PhonePage,
  mark: SignallingMark,
  timeoutMs = 30_000,
): Promise<string> {
  const invites = async (): Promise<{ text: string }[]> =>
    (await phone.sipSent()).filter((m) => m.text.startsWith('INVITE '));
  await expect
    .poll(async () => (await invites()).length, { timeout: timeoutMs })
    .toBeGreaterThan(mark.invites);
  const reinvite = (await invites()).at(-1)!.text;
  const ufrag = UFRAG.exec(reinvite)?.[1] ?? '';
  expect(ufrag, 'the re-INVITE restarts ICE').not.toBe('');
  expect(ufrag).not.toBe(mark.ufrag);
  const cseq = /^CSeq:\s*(\d+)\s+INVITE/im.exec(reinvite)?.[1];
  const answered = new RegExp(`^SIP/2\\.0 200 [^]*^CSeq:\\s*${cseq} INVITE`, 'im');
  await expect
    .poll(async () => (await phone.sipReceived()).some((m) => answered.test(m.text)), {
      timeout: timeoutMs,
    })
    .toBe(true);
  return ufrag;
}

/** The ICE ufrag of the newest open peer connection's remote description on a page. */
export function remoteUfrag(phone: PhonePage): Promise<string> {
  return phone.page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    return /a=ice-ufrag:(\S+)/.exec(pc?.remoteDescription?.sdp ?? '')?.[1] ?? '';
  });
}

/**
 * After the call with baresip closed: how many 100 ms windows of the last `seconds` of what
 * baresip heard in it (its newest decoder-side recording, made after `recordingsBefore` files)
 * carry `freq`. The tail is what arrived after the recovery when `seconds` is the time from the
 * recovery to the hang-up.
 */
export async function baresipHeardAtTheEnd(
  bare: Baresip,
  recordingsBefore: number,
  seconds: number,
  freq: number,
): Promise<number> {
  const file = await waitFor(
    () => {
      const heard = bare.heardRecordings();
      return bare.recordings().length > recordingsBefore && heard.length > 0
        ? heard.at(-1)
        : undefined;
    },
    { timeoutMs: 20_000, what: 'baresip recording of the call' },
  );
  const wav = readWav(file);
  const total = wav.samples.length / wav.sampleRate;
  const tail = sliceSeconds(wav.samples, wav.sampleRate, Math.max(0, total - seconds), total);
  return windowsWithTone(tail, wav.sampleRate, freq, 0.02);
}
