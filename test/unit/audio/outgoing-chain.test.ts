// The outgoing chain of a call (microphone → noise suppression → conference mix → consent
// notice → sender) with fake tracks and a fake sender: every combination of the four stages
// coming and going in any order ends with the right track on the sender, each stage fed the
// right input, mute/hold on the right track, and the replaceTrack calls in order.
import { describe, expect, it } from 'vitest';
import {
  OutgoingChain,
  type TrackProcessor,
} from '../../../src-renderer/src/lib/audio/outgoing-chain';
import type { TrackTarget } from '../../../src-renderer/src/lib/audio/track-target';

class Track {
  enabled = true;
  constructor(readonly name: string) {}
}

const track = (name: string): MediaStreamTrack => new Track(name) as unknown as MediaStreamTrack;
const nameOf = (t: MediaStreamTrack | null): string | null =>
  t ? (t as unknown as Track).name : null;

class Processor implements TrackProcessor {
  readonly output: MediaStreamTrack;
  input: MediaStreamTrack | null = null;
  constructor(name: string) {
    this.output = track(name);
  }
  setInput(input: MediaStreamTrack | null): void {
    this.input = input;
  }
}

/** A sender whose replaceTrack resolves when the test says so (or at once). */
class Sender implements TrackTarget {
  track: MediaStreamTrack | null = null;
  readonly replaced: (string | null)[] = [];
  hold = false;
  readonly #waiting: (() => void)[] = [];
  current(): MediaStreamTrack | null {
    return this.track;
  }
  async replace(t: MediaStreamTrack | null): Promise<void> {
    if (this.hold) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    this.track = t;
    this.replaced.push(nameOf(t));
  }
  release(): void {
    this.hold = false;
    this.#waiting.splice(0).forEach((go) => go());
  }
}

/** A chain sending the microphone. */
async function chainWithMic(): Promise<{
  chain: OutgoingChain;
  sender: Sender;
  mic: MediaStreamTrack;
}> {
  const chain = new OutgoingChain();
  const sender = new Sender();
  const mic = track('mic');
  await chain.setSink(sender);
  await chain.setMicrophone(mic);
  return { chain, sender, mic };
}

describe('OutgoingChain', () => {
  it('sends the microphone once both exist, whichever comes first', async () => {
    const chain = new OutgoingChain();
    const sent: (string | null)[] = [];
    chain.on('sending', (t) => sent.push(nameOf(t)));
    await chain.setMicrophone(track('mic'));
    expect(chain.sending).toBeNull();
    const sender = new Sender();
    await chain.setSink(sender);
    expect(sender.replaced).toEqual(['mic']);
    expect(sent).toEqual(['mic']);
  });

  it('a microphone switch under noise suppression feeds the suppressor; the sender keeps its track', async () => {
    const { chain, sender } = await chainWithMic();
    const ns = new Processor('ns');
    await chain.setVoiceProcessor(ns);
    expect(nameOf(ns.input)).toBe('mic');
    expect(nameOf(sender.track)).toBe('ns');
    await chain.setMicrophone(track('headset'));
    expect(nameOf(ns.input)).toBe('headset');
    expect(sender.replaced).toEqual(['mic', 'ns']);
    await chain.setVoiceProcessor(null);
    expect(ns.input).toBeNull();
    expect(nameOf(sender.track)).toBe('headset');
  });

  it('the notice mixes over the conference mix, follows the conference ending, and the voice comes back', async () => {
    const { chain, sender } = await chainWithMic();
    await chain.setOverride(track('mix-for-bob'));
    const notice = new Processor('notice');
    await chain.setOverlay(notice);
    expect(nameOf(notice.input)).toBe('mix-for-bob');
    expect(nameOf(sender.track)).toBe('notice');
    // The conference is split while the notice plays: the notice now mixes over the voice.
    await chain.setOverride(null);
    expect(nameOf(notice.input)).toBe('mic');
    expect(nameOf(sender.track)).toBe('notice');
    await chain.setOverlay(null);
    expect(notice.input).toBeNull();
    expect(nameOf(sender.track)).toBe('mic');
  });

  it('noise suppression toggled during the notice changes what the notice mixes, not what is sent', async () => {
    const { chain, sender } = await chainWithMic();
    const notice = new Processor('notice');
    await chain.setOverlay(notice);
    const ns = new Processor('ns');
    await chain.setVoiceProcessor(ns);
    expect(nameOf(notice.input)).toBe('ns');
    expect(nameOf(ns.input)).toBe('mic');
    expect(nameOf(sender.track)).toBe('notice');
    await chain.setOverlay(null);
    expect(nameOf(sender.track)).toBe('ns');
  });

  it('reports the voice when it changes (the conference follows it)', async () => {
    const { chain } = await chainWithMic();
    const voices: (string | null)[] = [];
    chain.on('voice', (t) => voices.push(nameOf(t)));
    const ns = new Processor('ns');
    await chain.setVoiceProcessor(ns);
    await chain.setOverride(track('mix'));
    await chain.setMicrophone(track('headset'));
    await chain.setVoiceProcessor(null);
    expect(voices).toEqual(['ns', 'headset']);
  });

  it('mute silences the voice but not the notice; hold silences everything sent', async () => {
    const { chain, mic } = await chainWithMic();
    chain.setGate(true, false);
    expect(mic.enabled).toBe(false);
    const ns = new Processor('ns');
    await chain.setVoiceProcessor(ns);
    expect(mic.enabled).toBe(true); // it feeds the suppressor
    expect(ns.output.enabled).toBe(false);
    const notice = new Processor('notice');
    await chain.setOverlay(notice);
    expect(notice.output.enabled).toBe(true);
    const mix = track('mix');
    await chain.setOverride(mix);
    expect(mix.enabled).toBe(true); // the mix mutes by gains
    chain.setGate(false, true);
    expect(ns.output.enabled).toBe(false);
    expect(mix.enabled).toBe(false);
    expect(notice.output.enabled).toBe(false);
    chain.setGate(false, false);
    expect([ns.output, mix, notice.output].every((t) => t.enabled)).toBe(true);
    await chain.setVoiceProcessor(null);
    expect(mic.enabled).toBe(true);
  });

  it('replaces in order and ends with the newest state when changes overlap a slow replaceTrack', async () => {
    const { chain, sender } = await chainWithMic();
    sender.hold = true;
    const ns = new Processor('ns');
    const notice = new Processor('notice');
    const steps = [
      chain.setVoiceProcessor(ns),
      chain.setOverlay(notice),
      chain.setOverride(track('mix')),
      chain.setOverlay(null),
    ];
    sender.release();
    // Each queued step sends the state current when it runs; the last one wins.
    await new Promise((r) => setTimeout(r, 0));
    sender.release();
    await Promise.all(steps);
    expect(nameOf(sender.track)).toBe('mix');
    expect(nameOf(chain.sending)).toBe('mix');
    expect(sender.replaced[0]).toBe('mic');
    expect(sender.replaced.at(-1)).toBe('mix');
  });

  it('after close nothing reaches the sender and the stages are let go', async () => {
    const { chain, sender } = await chainWithMic();
    const ns = new Processor('ns');
    await chain.setVoiceProcessor(ns);
    chain.close();
    expect(ns.input).toBeNull();
    await chain.setMicrophone(track('late'));
    expect(nameOf(sender.track)).toBe('ns');
  });

  it('a sender that refuses (closed peer connection) leaves the chain working', async () => {
    const chain = new OutgoingChain();
    await chain.setMicrophone(track('mic'));
    await chain.setSink({
      current: () => null,
      replace: () => Promise.reject(new DOMException('closed', 'InvalidStateError')),
    });
    expect(chain.sending).toBeNull();
    const sender = new Sender();
    await chain.setSink(sender);
    expect(nameOf(sender.track)).toBe('mic');
  });
});
