// The recording test page: the REAL recording engine (CallRecorder, consent announcement) and
// noise suppression on real media: the fake microphone, sine tracks, and a call on loopback
// (two RTCPeerConnections in the page, so "what the other side hears" is a real received
// track). Recorder chunks go to the Node side through window.__recordingPort, where the real
// main-process RecordingService writes them.
import type { RecordingEntry, RecordingStarted } from '@shared/ipc-contract';
import {
  createProcessingContext,
  ensureRunning,
} from '../../../../src-renderer/src/lib/audio/processing-context';
import { CallNoiseSuppression } from '../../../../src-renderer/src/lib/audio/noise-suppression';
import { OutgoingChain } from '../../../../src-renderer/src/lib/audio/outgoing-chain';
import { senderTarget } from '../../../../src-renderer/src/lib/audio/track-target';
import { CallRecorder } from '../../../../src-renderer/src/lib/recording/call-recorder';
import {
  announceRecording,
  builtInNotice,
  type Announcement,
} from '../../../../src-renderer/src/lib/recording/consent';
import {
  bridgeRecordingPort,
  type RecordingPort,
} from '../../../../src-renderer/src/lib/recording/port';
import type { RecordingHarness, RecordOptions } from './harness';

const tracks = new Map<string, MediaStreamTrack>();
const contexts: AudioContext[] = [];
const connections: RTCPeerConnection[] = [];
const elements: HTMLAudioElement[] = [];
let sender: RTCRtpSender | null = null;
/** The app's outgoing chain (what a call sends) on the loopback's sender. */
let chain: OutgoingChain | null = null;
let renegotiated = false;
let recorder: CallRecorder | null = null;
let written = 0;
let chunkMs = 1000;
let announcement: Announcement | null = null;
let suppression: CallNoiseSuppression | null = null;

// Our own ids: a received track may carry the sender's track id (msid) in the same page.
const ids = new WeakMap<MediaStreamTrack, string>();
let nextId = 0;

function keep(track: MediaStreamTrack): string {
  let id = ids.get(track);
  if (id === undefined) {
    nextId += 1;
    id = `track-${nextId}`;
    ids.set(track, id);
    tracks.set(id, track);
  }
  return id;
}

function track(id: string | null): MediaStreamTrack | null {
  if (id === null) {
    return null;
  }
  const found = tracks.get(id);
  if (!found) {
    throw new Error(`no track ${id}`);
  }
  return found;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

const port: RecordingPort = {
  start: async (request) => (await window.__recordingPort('start', request)) as RecordingStarted,
  chunk: async ({ id, seq, data }) => {
    await window.__recordingPort('chunk', { id, seq, data: toBase64(data) });
  },
  pause: async (id) => {
    await window.__recordingPort('pause', id);
  },
  resume: async (id) => {
    await window.__recordingPort('resume', id);
  },
  stop: async (id) => (await window.__recordingPort('stop', id)) as RecordingEntry,
};

async function tone(freq: number): Promise<string> {
  const context = createProcessingContext();
  contexts.push(context);
  const oscillator = new OscillatorNode(context, { frequency: freq });
  const gain = new GainNode(context, { gain: 0.4 });
  const out = context.createMediaStreamDestination();
  oscillator.connect(gain).connect(out);
  oscillator.start();
  await ensureRunning(context);
  return keep(out.stream.getAudioTracks()[0]!);
}

async function loopback(sendId: string): Promise<string> {
  const a = new RTCPeerConnection();
  const b = new RTCPeerConnection();
  connections.push(a, b);
  a.onicecandidate = (e) => void (e.candidate && b.addIceCandidate(e.candidate));
  b.onicecandidate = (e) => void (e.candidate && a.addIceCandidate(e.candidate));
  const sent = track(sendId)!;
  sender = a.addTrack(sent, new MediaStream([sent]));
  chain = new OutgoingChain();
  await chain.setSink(senderTarget(sender));
  await chain.setMicrophone(sent);
  // The recorder follows what is sent while the notice plays, as the app's recording does.
  chain.on('sending', (t) => recorder?.setLocalTrack(t));
  const received = new Promise<MediaStreamTrack>((resolve) => {
    b.ontrack = (e) => {
      // Chromium feeds a received track to Web Audio only while a media element plays it
      // (the app always plays it: CallMedia.playRemote). Muted here: nothing is heard.
      const element = new Audio();
      element.muted = true;
      element.srcObject = new MediaStream([e.track]);
      elements.push(element);
      void element.play();
      resolve(e.track);
    };
  });
  await a.setLocalDescription();
  await b.setRemoteDescription(a.localDescription!);
  await b.setLocalDescription();
  await a.setRemoteDescription(b.localDescription!);
  // From now on any renegotiation is a failure of "replaceTrack without renegotiation".
  a.onnegotiationneeded = () => (renegotiated = true);
  a.onsignalingstatechange = () => (renegotiated ||= a.signalingState !== 'stable');
  return keep(await received);
}

function waitChunks(n: number): Promise<void> {
  const target = written + n;
  const current = recorder;
  if (!current) {
    return Promise.reject(new Error('not recording'));
  }
  return new Promise<void>((resolve, reject) => {
    // Bounded: the audio itself takes n × chunkMs; 30 s more for a loaded machine.
    const limit = setTimeout(
      () => {
        off();
        reject(new Error(`only ${written} chunks written, waited for ${target}`));
      },
      n * chunkMs + 30_000,
    );
    const off = current.on('written', () => {
      if (written >= target) {
        clearTimeout(limit);
        off();
        resolve();
      }
    });
  });
}

async function record(options: RecordOptions): Promise<RecordingStarted> {
  written = 0;
  chunkMs = options.chunkMs;
  recorder = new CallRecorder(
    { callId: 'call-1', accountId: 'office', party: 'Bob Example', direction: 'outgoing' },
    {
      port: options.via === 'bridge' ? bridgeRecordingPort() : port,
      format: options.format,
      channels: options.channels,
      chunkMs: options.chunkMs,
    },
  );
  recorder.on('written', () => (written += 1));
  recorder.setLocalTrack(track(options.local));
  recorder.setRemoteStream(options.remote ? new MediaStream([track(options.remote)!]) : null);
  return recorder.start();
}

async function decodedNotice(): Promise<{ seconds: number; rms: number }> {
  const context = createProcessingContext();
  const buffer = await context.decodeAudioData(builtInNotice());
  const samples = buffer.getChannelData(0);
  const rms = Math.sqrt(samples.reduce((a, s) => a + s * s, 0) / samples.length);
  await context.close();
  return { seconds: buffer.duration, rms };
}

function loopbackChain(): OutgoingChain {
  if (!chain) {
    throw new Error('no loopback');
  }
  return chain;
}

function suppressionSwitch(): CallNoiseSuppression {
  suppression ??= new CallNoiseSuppression(loopbackChain());
  return suppression;
}

const harness: RecordingHarness = {
  microphone: async (noiseSuppression = false) => {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: { echoCancellation: false, noiseSuppression, autoGainControl: false },
    });
    return keep(stream.getAudioTracks()[0]!);
  },
  tone,
  loopback,
  sending: () => (sender?.track ? keep(sender.track) : null),
  renegotiated: () => renegotiated,
  record,
  setLocal: (id) => recorder?.setLocalTrack(track(id)),
  setRemote: (id) => recorder?.setRemoteStream(id ? new MediaStream([track(id)!]) : null),
  waitChunks,
  pause: async () => recorder?.pause(),
  resume: async () => recorder?.resume(),
  stop: async () => (await recorder?.stop()) ?? null,
  state: () => recorder?.state ?? 'idle',
  error: () => recorder?.error ?? null,
  mainStopped: (message) => recorder?.mainStopped(message),
  announce: async (file) => {
    announcement = await announceRecording(loopbackChain(), {
      file: file === null ? null : fromBase64(file),
    });
    return { seconds: announcement.seconds };
  },
  announced: async () => announcement?.done,
  builtInNotice: decodedNotice,
  suppress: async (on) => {
    await suppressionSwitch().set(on);
    const sent = loopbackChain().sending;
    return sent ? keep(sent) : null;
  },
  suppressMicrophone: (id) => loopbackChain().setMicrophone(track(id)),
  reset: async () => {
    await recorder?.stop().catch(() => null);
    recorder = null;
    await announcement?.cancel();
    announcement = null;
    await suppression?.dispose();
    suppression = null;
    chain?.close();
    chain = null;
    sender = null;
    renegotiated = false;
    connections.splice(0).forEach((pc) => pc.close());
    elements.splice(0).forEach((el) => {
      el.pause();
      el.srcObject = null;
    });
    tracks.forEach((t) => t.stop());
    tracks.clear();
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  },
};
window.__rec = harness;
