// In-page instrumentation for the audio latency benchmark (a plain-JS string evaluated in the
// page). An AudioWorklet finds burst onsets sample by sample in the local microphone track
// (what the sender sends) and/or the remote track (what the receiver plays), and stamps each
// one on the shared epoch clock: performance.timeOrigin + the AudioContext's output timestamp,
// so onsets from two pages of the same browser can be compared.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the page keeps after window.__tap.start(). */
export interface TapOnsets {
  local: number[];
  remote: number[];
  /** Whether getOutputTimestamp gave a usable mapping (else currentTime/now() was used). */
  outputTimestamp: boolean;
}

/** Same-origin URL of the worklet (the app's CSP allows scripts from 'self' only). */
export const WORKLET_PATH = '/__bench/onsets-worklet.js';

/** The onset detector: the first sample above the threshold after quietMs of quiet. */
export const WORKLET_SOURCE = `
  class Onsets extends AudioWorkletProcessor {
    constructor(options) {
      super();
      this.threshold = options.processorOptions.threshold;
      this.quietNeeded = Math.round(options.processorOptions.quietMs * sampleRate / 1000);
      this.quiet = 0;
    }
    process(inputs) {
      const ch = inputs[0] && inputs[0][0];
      if (!ch) return true;
      for (let i = 0; i < ch.length; i++) {
        if (Math.abs(ch[i]) >= this.threshold) {
          if (this.quiet >= this.quietNeeded) this.port.postMessage(currentFrame + i);
          this.quiet = 0;
        } else {
          this.quiet++;
        }
      }
      return true;
    }
  }
  registerProcessor('onsets', Onsets);
`;

/**
 * Copies the built renderer into `dir` and adds the worklet and a blank page (for the raw
 * RTCPeerConnection baseline), so one same-origin server serves all three. (Playwright's
 * request routing does not see worklet module requests.)
 */
export function prepareBenchSite(rendererDir: string, dir: string): void {
  cpSync(rendererDir, dir, { recursive: true });
  mkdirSync(join(dir, dirname(WORKLET_PATH)), { recursive: true });
  writeFileSync(join(dir, WORKLET_PATH), WORKLET_SOURCE);
  writeFileSync(join(dir, 'blank.html'), '<!doctype html><title>baseline</title>');
}

export const TAP_SCRIPT = `(() => {
  if (window.__tap) return;
  const state = { ctx: null, onsets: { local: [], remote: [], outputTimestamp: true } };
  function peer() {
    const pcs = window.__pcs || [];
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    if (!pc) throw new Error('no open peer connection');
    return pc;
  }
  function epoch(ctx, frame) {
    const t = frame / ctx.sampleRate;
    const ts = ctx.getOutputTimestamp ? ctx.getOutputTimestamp() : null;
    if (ts && ts.performanceTime > 0) {
      return performance.timeOrigin + ts.performanceTime + (t - ts.contextTime) * 1000;
    }
    state.onsets.outputTimestamp = false;
    return performance.timeOrigin + performance.now() + (t - ctx.currentTime) * 1000;
  }
  window.__tap = {
    async start(kinds, threshold, quietMs) {
      const pc = peer();
      const ctx = new AudioContext({ latencyHint: 'interactive' });
      state.ctx = ctx;
      state.onsets = { local: [], remote: [], outputTimestamp: true };
      await ctx.audioWorklet.addModule('${WORKLET_PATH}');
      for (const kind of kinds) {
        const track = kind === 'local'
          ? pc.getSenders().find((s) => s.track && s.track.kind === 'audio').track
          : pc.getReceivers().find((r) => r.track.kind === 'audio').track;
        const source = ctx.createMediaStreamSource(new MediaStream([track]));
        const node = new AudioWorkletNode(ctx, 'onsets', { processorOptions: { threshold, quietMs } });
        node.port.onmessage = (e) => state.onsets[kind].push(epoch(ctx, e.data));
        source.connect(node);
        const mute = ctx.createGain();
        mute.gain.value = 0;
        node.connect(mute).connect(ctx.destination);
      }
      await ctx.resume();
    },
    async stop() {
      if (state.ctx) await state.ctx.close();
      state.ctx = null;
      return state.onsets;
    },
    setJitterBufferTarget(ms) {
      for (const r of peer().getReceivers()) {
        if (r.track.kind === 'audio') r.jitterBufferTarget = ms;
      }
    },
    async report() {
      return [...(await peer().getStats()).values()];
    },
    async inbound() {
      let found = null;
      (await peer().getStats()).forEach((r) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') found = r;
      });
      return found;
    },
  };
})();`;
