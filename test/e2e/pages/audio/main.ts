// The audio components' test page: an AudioState on the real navigator.mediaDevices (settings
// saved to localStorage, so a reload shows what persists), the sound settings view, and on
// demand a real PhoneEngine registered to the lab, wired to the audio state the way the app
// is to be wired: tones follow the calls, a quality monitor per answered call with the call
// audio strip, the call's microphone metered, the summary kept when the call ends.
import { mount, unmount } from 'svelte';
import { DEFAULT_AUDIO, type AudioSettings } from '@shared/settings-types';
import '../../../../src-renderer/src/app.css';
import AudioProvider from '../../../../src-renderer/src/lib/components/AudioProvider.svelte';
import CallAudioStatus from '../../../../src-renderer/src/lib/components/CallAudioStatus.svelte';
import AudioSettingsView from '../../../../src-renderer/src/lib/views/AudioSettings.svelte';
import { AudioState } from '../../../../src-renderer/src/lib/state/audio.svelte';
import { monitorSourceFor } from '../../../../src-renderer/src/lib/audio/quality-monitor';
import { senderStatsOf } from '../../../../src-renderer/src/lib/audio/monitor-source';
import type { CallQualitySummary } from '../../../../src-renderer/src/lib/audio/quality-monitor';
import {
  loadDialCode,
  PhoneEngine,
  type MediaEnvironment,
  type PhoneCall,
} from '../../../../src-renderer/src/lib/phone';
import type { AudioHarness, Tap } from './harness';

const STORAGE = 'audio-settings';
const stored = localStorage.getItem(STORAGE);
const initial = stored ? (JSON.parse(stored) as AudioSettings) : DEFAULT_AUDIO;
const saves: AudioSettings[] = [];
const elements: HTMLAudioElement[] = [];
const calls = new Map<string, PhoneCall>();
const summaries: Record<string, CallQualitySummary | null> = {};
let engine: PhoneEngine | null = null;

const media: MediaEnvironment = {
  getUserMedia: (c) => navigator.mediaDevices.getUserMedia(c),
  createAudioElement: () => {
    const element = new Audio();
    elements.push(element);
    return element;
  },
};

const audio = new AudioState(
  {
    devices: navigator.mediaDevices,
    saveAudio: async (settings) => {
      saves.push(settings);
      localStorage.setItem(STORAGE, JSON.stringify(settings));
    },
    liveCalls: () => [...calls.values()],
    setCallDefaults: (mic, speaker) => engine?.setAudio(mic, speaker),
  },
  initial,
);

mount(AudioProvider, {
  target: document.getElementById('settings')!,
  props: { audio, view: AudioSettingsView, props: {} },
});

let callView: ReturnType<typeof mount> | null = null;
function showCall(id: string): void {
  if (callView) {
    void unmount(callView);
  }
  callView = mount(AudioProvider, {
    target: document.getElementById('call')!,
    props: { audio, view: CallAudioStatus, props: { callId: id } },
  });
}

function sync(): void {
  audio.syncCalls([...calls.values()].map((c) => c.snapshot));
}

// The wiring the renderer root (state/root.ts) does, in miniature.
function follow(call: PhoneCall): void {
  calls.set(call.id, call);
  call.on('changed', sync);
  call.on('microphone', (track) =>
    audio.watchCallMicrophone(track, () => call.snapshot.muted, senderStatsOf(call)),
  );
  call.on('answered', () => {
    audio.trackCall(call.id, monitorSourceFor(call));
    showCall(call.id);
  });
  call.on('ended', () => {
    summaries[call.id] = audio.untrackCall(call.id);
    audio.watchCallMicrophone(null);
    calls.delete(call.id);
    sync();
  });
  sync();
}

async function register(ws: string, uri: string, password: string): Promise<void> {
  // The dial parser is a chunk of its own; the app loads it before any account starts.
  await loadDialCode();
  engine = new PhoneEngine(
    {
      id: 'audio-test',
      label: uri,
      websocketUri: ws,
      sipUri: uri,
      authUser: '',
      displayName: '',
      realm: '',
      password,
      ha1: null,
      iceServers: [],
      iceGatheringCapMs: 1000,
      registerExpires: 600,
      sessionTimers: false,
      sessionExpires: 1800,
      dtmfMode: 'rfc4733',
    },
    { media },
  );
  engine.setAudio(audio.microphoneOptions(), audio.speakerId());
  engine.on('incoming', follow);
  const registered = new Promise<void>((resolve, reject) => {
    engine!.on('registration', (state) => {
      if (state.status === 'registered') {
        resolve();
      } else if (state.status === 'failed') {
        reject(new Error(state.message));
      }
    });
  });
  engine.start();
  await registered;
}

async function tap(stream: MediaStream, ms: number): Promise<Tap> {
  const ctx = new AudioContext();
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 8192;
  ctx.createMediaStreamSource(stream).connect(analyser);
  await new Promise((r) => setTimeout(r, ms));
  const time = new Float32Array(analyser.fftSize);
  analyser.getFloatTimeDomainData(time);
  const bins = new Float32Array(analyser.frequencyBinCount);
  analyser.getFloatFrequencyData(bins);
  let peak = 1;
  for (let i = 1; i < bins.length; i += 1) {
    if ((bins[i] ?? -Infinity) > (bins[peak] ?? -Infinity)) {
      peak = i;
    }
  }
  const rms = Math.sqrt(time.reduce((a, s) => a + s * s, 0) / time.length);
  const frequency = (peak * ctx.sampleRate) / analyser.fftSize;
  await ctx.close();
  return { rms, frequency };
}

const harness: AudioHarness = {
  audio,
  ringer: audio.controller.ringer,
  callTones: audio.controller.callTones,
  saves,
  elements,
  summaries,
  register,
  dial: (target) => {
    if (!engine) {
      throw new Error('not registered');
    }
    const call = engine.call(target);
    follow(call);
    return call.id;
  },
  answer: (id) => {
    // LineManager.answer emits 'answering' and the root syncs the tones on it: the call shows
    // its answer only with the 200 OK, but the ringer stops on the click.
    harness.call(id).answer();
    sync();
  },
  call: (id) => {
    const call = calls.get(id);
    if (!call) {
      throw new Error(`no call ${id}`);
    }
    return call;
  },
  snapshots: () => [...calls.values()].map((c) => c.snapshot),
  showCall,
  tap,
};
window.__audio = harness;
void audio.start();
