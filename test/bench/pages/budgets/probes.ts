// Probes for the cost benchmark, injected into the app page and the bare-JsSIP page alike:
// what is alive (AudioContexts and how many run, peer connections not closed, live media
// tracks) without keeping anything alive itself (weak references), and when the page first
// showed "registered" (performance.now(), i.e. since navigation started).
import type { Page } from 'playwright-core';

/** Live objects of a page. */
export interface LiveCounts {
  audioContexts: number;
  runningAudioContexts: number;
  peerConnections: number;
  liveTracks: number;
}

export const LIVE_PROBE = `(() => {
  const refs = { ctx: [], pcs: [], tracks: [] };
  const keep = (list, value) => { list.push(new WeakRef(value)); return value; };
  const alive = (list) => list.map((r) => r.deref()).filter(Boolean);
  for (const name of ['AudioContext', 'webkitAudioContext']) {
    const Original = window[name];
    if (!Original) continue;
    const Wrapped = function (...args) { return keep(refs.ctx, new Original(...args)); };
    Wrapped.prototype = Original.prototype;
    Object.setPrototypeOf(Wrapped, Original);
    window[name] = Wrapped;
  }
  const PC = window.RTCPeerConnection;
  const WrappedPC = function (...args) { return keep(refs.pcs, new PC(...args)); };
  WrappedPC.prototype = PC.prototype;
  Object.setPrototypeOf(WrappedPC, PC);
  window.RTCPeerConnection = WrappedPC;
  const gum = MediaDevices.prototype.getUserMedia;
  MediaDevices.prototype.getUserMedia = async function (...args) {
    const stream = await gum.apply(this, args);
    stream.getTracks().forEach((t) => keep(refs.tracks, t));
    return stream;
  };
  const clone = MediaStreamTrack.prototype.clone;
  MediaStreamTrack.prototype.clone = function () { return keep(refs.tracks, clone.call(this)); };
  window.__live = () => {
    const ctx = alive(refs.ctx);
    return {
      audioContexts: ctx.filter((c) => c.state !== 'closed').length,
      runningAudioContexts: ctx.filter((c) => c.state === 'running').length,
      peerConnections: alive(refs.pcs).filter((p) => p.signalingState !== 'closed').length,
      liveTracks: alive(refs.tracks).filter((t) => t.readyState === 'live').length,
    };
  };
  window.__registeredAt = null;
  const check = () => {
    if (window.__registeredAt !== null) return;
    const app = document.querySelector('[data-testid="registration-status"][data-status="registered"]');
    const bare = document.getElementById('status');
    if (app || (bare && bare.textContent === 'registered')) window.__registeredAt = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

export function liveCounts(page: Page): Promise<LiveCounts> {
  return page.evaluate(() => (window as unknown as { __live(): LiveCounts }).__live());
}

/** Milliseconds from navigation start to "registered" on screen, once it happened. */
export async function registeredAfterMs(page: Page, timeoutMs = 30_000): Promise<number> {
  const handle = await page.waitForFunction(
    () => (window as unknown as { __registeredAt: number | null }).__registeredAt,
    undefined,
    { timeout: timeoutMs, polling: 10 },
  );
  return (await handle.jsonValue()) as number;
}
