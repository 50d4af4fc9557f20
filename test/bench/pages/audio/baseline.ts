// The latency benchmark's baseline: a raw RTCPeerConnection pair, one page per browser (the same
// fake microphones as the app), no SIP and no app code, connected through the benchmark itself
// (complete offer/answer after ICE gathering). The remote audio plays on an <audio> element,
// as in the app, and window.__pcs lets the tap find the connection.
import type { Page } from 'playwright-core';

export const PEER_SCRIPT = `(() => {
  window.__pcs = window.__pcs || [];
  const gathered = (pc) => new Promise((resolve) => {
    if (pc.iceGatheringState === 'complete') return resolve();
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') resolve();
    });
  });
  window.__peer = {
    async create(withMicrophone) {
      const pc = new RTCPeerConnection();
      window.__pcs.push(pc);
      if (withMicrophone) {
        const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
        pc.addTrack(stream.getAudioTracks()[0], stream);
      }
      pc.ontrack = (e) => {
        const audio = new Audio();
        audio.srcObject = e.streams[0] || new MediaStream([e.track]);
        void audio.play();
      };
    },
    async offer() {
      const pc = window.__pcs.at(-1);
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      return pc.localDescription.sdp;
    },
    async answer(sdp) {
      const pc = window.__pcs.at(-1);
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      await gathered(pc);
      return pc.localDescription.sdp;
    },
    async accept(sdp) {
      await window.__pcs.at(-1).setRemoteDescription({ type: 'answer', sdp });
    },
    close() {
      for (const pc of window.__pcs) pc.close();
    },
  };
})();`;

interface PeerApi {
  create(withMicrophone: boolean): Promise<void>;
  offer(): Promise<string>;
  answer(sdp: string): Promise<string>;
  accept(sdp: string): Promise<void>;
  close(): void;
}

/** Connects `sender` (microphone) to `receiver` (receive only) and waits for audio to flow. */
export async function connectPair(sender: Page, receiver: Page): Promise<void> {
  await sender.evaluate(() => (window as unknown as { __peer: PeerApi }).__peer.create(true));
  await receiver.evaluate(() => (window as unknown as { __peer: PeerApi }).__peer.create(false));
  const offer = await sender.evaluate(() =>
    (window as unknown as { __peer: PeerApi }).__peer.offer(),
  );
  const answer = await receiver.evaluate(
    (sdp) => (window as unknown as { __peer: PeerApi }).__peer.answer(sdp),
    offer,
  );
  await sender.evaluate(
    (sdp) => (window as unknown as { __peer: PeerApi }).__peer.accept(sdp),
    answer,
  );
}

/** Closes both ends. */
export async function closePair(sender: Page, receiver: Page): Promise<void> {
  for (const page of [sender, receiver]) {
    await page.evaluate(() => (window as unknown as { __peer: PeerApi }).__peer.close());
  }
}
