// Typed fakes of the browser's WebRTC and media pieces for engine unit tests in Node:
// a peer connection whose ICE gathering is scripted (including "never finishes"), media
// streams and tracks that record stop(), and a MediaEnvironment with a controllable mic.
import type { MediaEnvironment, RemoteAudioElement } from '../../src-renderer/src/lib/phone/media';

export type GatheringScript =
  | { kind: 'never' } // no candidate, gathering never completes
  | {
      kind: 'candidates';
      /** Each candidate: when (ms after gathering starts), its type, its address (default 127.0.0.n). */
      at: { ms: number; typ: 'host' | 'srflx' | 'relay'; address?: string }[];
      completeAtMs: number | null;
    };

let gatheringScript: GatheringScript = {
  kind: 'candidates',
  at: [{ ms: 1, typ: 'host' }],
  completeAtMs: 5,
};

/** Sets how the next peer connections gather candidates. */
export function setGatheringScript(script: GatheringScript): void {
  gatheringScript = script;
}

export class FakeTrack {
  kind = 'audio';
  enabled = true;
  readyState: 'live' | 'ended' = 'live';
  id = `track-${Math.random().toString(36).slice(2)}`;
  stop(): void {
    this.readyState = 'ended';
  }
}

export class FakeMediaStream {
  id = `stream-${Math.random().toString(36).slice(2)}`;
  #tracks: FakeTrack[];
  constructor(tracks: FakeTrack[] = []) {
    this.#tracks = [...tracks];
  }
  getTracks(): FakeTrack[] {
    return [...this.#tracks];
  }
  getAudioTracks(): FakeTrack[] {
    return this.#tracks.filter((t) => t.kind === 'audio');
  }
  getVideoTracks(): FakeTrack[] {
    return [];
  }
  addTrack(track: FakeTrack): void {
    this.#tracks.push(track);
  }
  removeTrack(track: FakeTrack): void {
    this.#tracks = this.#tracks.filter((t) => t !== track);
  }
}

/** Records RFC 4733 key presses like RTCDTMFSender. */
export class FakeDtmfSender {
  toneBuffer = '';
  readonly sent: string[] = [];
  /** The duration asked for with each insertDTMF, in order. */
  readonly durations: (number | undefined)[] = [];
  insertDTMF(tones: string, duration?: number): void {
    this.sent.push(tones);
    this.durations.push(duration);
  }
}

class FakeSender {
  track: FakeTrack | null = null;
  dtmf = new FakeDtmfSender();
  async replaceTrack(track: FakeTrack | null): Promise<void> {
    this.track = track;
  }
  setStreams(): void {}
}

class FakeTransceiver {
  sender = new FakeSender();
  receiver = { track: new FakeTrack() };
  constructor(public direction: RTCRtpTransceiverDirection) {}
}

/** The ICE credential lines of an SDP, in order. */
function iceCredentials(sdp: string | undefined): string {
  return (sdp ?? '')
    .split(/\r?\n/)
    .filter((l) => /^a=ice-(?:ufrag|pwd):/.test(l))
    .join('\n');
}

function sdp(direction: string, candidates: string[]): string {
  return [
    'v=0',
    'o=- 1 2 IN IP4 127.0.0.1',
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'm=audio 9 UDP/TLS/RTP/SAVPF 111',
    'c=IN IP4 0.0.0.0',
    'a=mid:0',
    `a=${direction}`,
    'a=rtpmap:111 opus/48000/2',
    ...candidates.map((c) => `a=${c}`),
    '',
  ].join('\r\n');
}

/** Every fake peer connection created, newest last. */
export const peerConnections: FakePeerConnection[] = [];

/** A step of offer/answer the fake refuses for some SDP, as a browser refuses what it cannot apply. */
export interface SdpRefusal {
  step: 'setRemoteDescription' | 'createAnswer' | 'setLocalDescription';
  /** Tested with the remote SDP in play (the one being set, or the remote offer being answered). */
  when(remoteSdp: string): boolean;
}

let refusals: SdpRefusal[] = [];

/** Makes the next peer connections refuse some SDP (empty: accept everything). */
export function setSdpRefusals(list: SdpRefusal[]): void {
  refusals = list;
}

function refused(step: SdpRefusal['step'], remoteSdp: string | undefined): boolean {
  return refusals.some((r) => r.step === step && r.when(remoteSdp ?? ''));
}

function operationError(what: string): DOMException {
  return new DOMException(`Failed to ${what}: refused by the fake browser`, 'OperationError');
}

export class FakePeerConnection extends EventTarget {
  iceGatheringState: RTCIceGatheringState = 'new';
  signalingState: RTCSignalingState = 'stable';
  iceConnectionState: RTCIceConnectionState = 'new';
  connectionState: RTCPeerConnectionState = 'new';
  localDescription: { type: string; sdp: string } | null = null;
  remoteDescription: { type: string; sdp: string } | null = null;
  /** The last negotiated remote description (W3C webrtc-pc §4.4.1). */
  get currentRemoteDescription(): { type: string; sdp: string } | null {
    return this.#stable.remote;
  }
  /** The remote offer being answered, while there is one. */
  get pendingRemoteDescription(): { type: string; sdp: string } | null {
    return this.signalingState === 'have-remote-offer' ? this.remoteDescription : null;
  }
  #transceivers: FakeTransceiver[] = [];
  #broken = false;
  #stable: {
    local: { type: string; sdp: string } | null;
    remote: { type: string; sdp: string } | null;
  } = { local: null, remote: null };
  #candidates: string[] = [];
  #timers: ReturnType<typeof setTimeout>[] = [];
  closed = false;

  constructor(public config: RTCConfiguration = {}) {
    super();
    peerConnections.push(this);
  }

  addTransceiver(
    _kind: string,
    init: { direction?: RTCRtpTransceiverDirection } = {},
  ): FakeTransceiver {
    const t = new FakeTransceiver(init.direction ?? 'sendrecv');
    this.#transceivers.push(t);
    return t;
  }
  addTrack(track: FakeTrack): FakeSender {
    const t = this.addTransceiver('audio');
    t.sender.track = track;
    return t.sender;
  }
  getTransceivers(): FakeTransceiver[] {
    return [...this.#transceivers];
  }
  getSenders(): FakeSender[] {
    return this.#transceivers.map((t) => t.sender);
  }
  getReceivers(): { track: FakeTrack }[] {
    return this.#transceivers.map((t) => t.receiver);
  }
  getLocalStreams(): FakeMediaStream[] {
    return [];
  }
  getRemoteStreams(): FakeMediaStream[] {
    return [];
  }
  /** The options of every createOffer call, in order (an ICE restart shows as iceRestart). */
  readonly offerOptions: (RTCOfferOptions | undefined)[] = [];
  #restartIce = false;
  async createOffer(options?: RTCOfferOptions): Promise<{ type: string; sdp: string }> {
    this.#assertOpen();
    this.#assertSession();
    this.offerOptions.push(options);
    // An ICE restart makes new credentials, so the next local description gathers again
    // (W3C webrtc-pc, "restartIce" / RTCOfferOptions.iceRestart).
    this.#restartIce = options?.iceRestart === true;
    return { type: 'offer', sdp: sdp(this.#direction(), []) };
  }
  async createAnswer(): Promise<{ type: string; sdp: string }> {
    this.#assertOpen();
    if (refused('createAnswer', this.remoteDescription?.sdp)) {
      throw operationError('create an answer');
    }
    return { type: 'answer', sdp: sdp(this.#direction(), []) };
  }
  async setLocalDescription(desc: { type: string; sdp?: string }): Promise<void> {
    this.#assertOpen();
    if (desc.type === 'rollback') {
      this.#rollback('have-local-offer');
      return;
    }
    if (desc.type === 'answer' && refused('setLocalDescription', this.remoteDescription?.sdp)) {
      // Chromium (156) after a refused local answer: the session is in error; the old media
      // flows on, but a rollback and any new offer fail from now on.
      this.#broken = true;
      throw operationError('set the local answer');
    }
    // An answer to an offer with new ICE credentials restarts ICE (RFC 8839 §4.4.1.1.1).
    const restartedByRemote =
      desc.type === 'answer' &&
      this.#stable.remote !== null &&
      iceCredentials(this.remoteDescription?.sdp) !== iceCredentials(this.#stable.remote.sdp);
    this.localDescription = { type: desc.type, sdp: desc.sdp ?? '' };
    this.signalingState = desc.type === 'offer' ? 'have-local-offer' : 'stable';
    if (desc.type === 'answer') {
      this.#stable = { local: this.localDescription, remote: this.remoteDescription };
    }
    if (this.iceGatheringState === 'new' || (desc.type === 'offer' && this.#restartIce)) {
      this.#restartIce = false;
      this.#gather();
    } else if (restartedByRemote) {
      // Chromium (156) answering an ICE restart: setLocalDescription resolves while
      // iceGatheringState still reads 'complete'; it turns 'gathering' in a later task.
      this.#timers.push(setTimeout(() => this.#gather(), 0));
    }
  }
  async setRemoteDescription(desc: { type: string; sdp?: string }): Promise<void> {
    this.#assertOpen();
    if (desc.type === 'rollback') {
      this.#rollback('have-remote-offer');
      return;
    }
    if (refused('setRemoteDescription', desc.sdp)) {
      throw operationError(`set the remote ${desc.type}`);
    }
    this.remoteDescription = { type: desc.type, sdp: desc.sdp ?? '' };
    if (desc.type === 'offer' && this.#transceivers.length === 0) {
      this.addTransceiver('audio', { direction: 'recvonly' });
    }
    this.signalingState = desc.type === 'offer' ? 'have-remote-offer' : 'stable';
    if (desc.type !== 'offer') {
      this.#stable = { local: this.localDescription, remote: this.remoteDescription };
    }
    const receiver = this.#transceivers[0]?.receiver;
    if (receiver) {
      const event = new Event('track');
      Object.assign(event, {
        track: receiver.track,
        streams: [new FakeMediaStream([receiver.track])],
      });
      this.dispatchEvent(event);
    }
  }
  /** Inbound audio packets so far, as getStats() reports them; null: no inbound-rtp entry. */
  inboundPackets: number | null = null;
  async getStats(): Promise<Map<string, unknown>> {
    const stats = new Map<string, unknown>();
    if (this.inboundPackets !== null) {
      stats.set('IT01A1', {
        id: 'IT01A1',
        type: 'inbound-rtp',
        kind: 'audio',
        packetsReceived: this.inboundPackets,
      });
    }
    return stats;
  }
  close(): void {
    this.closed = true;
    this.signalingState = 'closed';
    this.connectionState = 'closed';
    this.iceConnectionState = 'closed';
    this.#timers.forEach(clearTimeout);
  }

  // Back to the last stable state, as RTCPeerConnection's rollback does: only from the side
  // the pending offer is on (a rollback from stable is a no-op).
  #rollback(pending: RTCSignalingState): void {
    this.#assertSession();
    if (this.signalingState === 'stable') {
      return;
    }
    if (this.signalingState !== pending) {
      throw new DOMException(
        `Cannot roll back in state ${this.signalingState}`,
        'InvalidStateError',
      );
    }
    this.localDescription = this.#stable.local;
    this.remoteDescription = this.#stable.remote;
    this.signalingState = 'stable';
  }

  #assertSession(): void {
    if (this.#broken) {
      throw new DOMException('Session error code: ERROR_CONTENT.', 'OperationError');
    }
  }

  #assertOpen(): void {
    if (this.closed) {
      throw new DOMException('The RTCPeerConnection is closed.', 'InvalidStateError');
    }
  }

  #direction(): string {
    return this.#transceivers[0]?.direction ?? 'sendrecv';
  }

  #gather(): void {
    if (this.closed) {
      return;
    }
    this.iceGatheringState = 'gathering';
    this.#candidates = []; // a new round has new credentials, so new candidates
    const script = gatheringScript;
    if (script.kind === 'never') {
      return;
    }
    script.at.forEach(({ ms, typ, address }, i) => {
      this.#timers.push(setTimeout(() => this.#emitCandidate(typ, i, address), ms));
    });
    if (script.completeAtMs !== null) {
      this.#timers.push(setTimeout(() => this.#complete(), script.completeAtMs));
    }
  }

  #emitCandidate(typ: string, i: number, address = `127.0.0.${i + 1}`): void {
    const line = `candidate:${i} 1 udp 2122260223 ${address} ${50000 + i} typ ${typ}`;
    this.#candidates.push(line);
    if (this.localDescription) {
      this.localDescription = {
        ...this.localDescription,
        sdp: sdp(this.#direction(), this.#candidates),
      };
    }
    const event = new Event('icecandidate');
    Object.assign(event, { candidate: { candidate: line } });
    this.dispatchEvent(event);
  }

  #complete(): void {
    this.iceGatheringState = 'complete';
    this.dispatchEvent(new Event('icegatheringstatechange'));
    const end = new Event('icecandidate');
    Object.assign(end, { candidate: null });
    this.dispatchEvent(end);
  }
}

/** Installs the fakes as globals (JsSIP reaches for RTCPeerConnection & co. directly). */
export function installWebRtcGlobals(): void {
  // JsSIP checks `window.RTCPeerConnection` before it places a call.
  Object.assign(globalThis, { window: globalThis });
  Object.assign(globalThis, {
    RTCPeerConnection: FakePeerConnection,
    RTCSessionDescription: class {
      type: string;
      sdp: string;
      constructor(init: { type: string; sdp: string }) {
        this.type = init.type;
        this.sdp = init.sdp;
      }
    },
    MediaStream: FakeMediaStream,
  });
}

/** A MediaEnvironment whose microphone opens after `delayMs`, or fails with `error`. */
export class FakeMediaEnvironment implements MediaEnvironment {
  delayMs = 0;
  error: DOMException | null = null;
  readonly opened: FakeTrack[] = [];
  readonly elements: (RemoteAudioElement & { playing: boolean })[] = [];

  getUserMedia = async (): Promise<MediaStream> => {
    await new Promise((r) => setTimeout(r, this.delayMs));
    if (this.error) {
      throw this.error;
    }
    const track = new FakeTrack();
    this.opened.push(track);
    return new FakeMediaStream([track]) as unknown as MediaStream;
  };

  createAudioElement = (): RemoteAudioElement => {
    const element = {
      srcObject: null as MediaProvider | null,
      autoplay: false,
      playing: false,
      async play() {
        element.playing = true;
      },
      pause() {
        element.playing = false;
      },
    };
    this.elements.push(element);
    return element;
  };
}
