// Shared pieces of the recording writer tests: a RecordingService on a temp folder with its
// failures captured, and PCM chunks of a tone per channel (16-bit, interleaved).
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PcmLayout, RecordingFailure, RecordingStartRequest } from '@shared/ipc-contract';
import { DEFAULT_RECORDING, type RecordingSettings } from '@shared/settings-types';
import { RecordingService } from '../../../src-main/recording/recording-service';

export const STEREO: PcmLayout = { sampleRate: 48000, channels: 2 };

/** `seconds` of 16-bit PCM: channel c holds a sine of freqs[c] at amplitude 0.5. */
export function tonePcm(layout: PcmLayout, freqs: number[], seconds: number, from = 0): Uint8Array {
  const frames = Math.round(seconds * layout.sampleRate);
  const out = new Int16Array(frames * layout.channels);
  for (let i = 0; i < frames; i += 1) {
    for (let c = 0; c < layout.channels; c += 1) {
      const t = (from + i) / layout.sampleRate;
      out[i * layout.channels + c] = Math.round(
        16383 * Math.sin(2 * Math.PI * (freqs[c] ?? 0) * t),
      );
    }
  }
  return new Uint8Array(out.buffer);
}

export function startRequest(over: Partial<RecordingStartRequest> = {}): RecordingStartRequest {
  return {
    callId: 'call-1',
    accountId: 'office',
    party: 'Alice',
    direction: 'outgoing',
    format: 'wav',
    pcm: STEREO,
    ...over,
  };
}

export interface ServiceRig {
  /** The temp folder holding everything this rig made (remove it when done). */
  root: string;
  service: RecordingService;
  failures: RecordingFailure[];
  folder: string;
  userData: string;
  settings: RecordingSettings;
}

/** A service writing into `folder` (default: a new temp folder) with a fixed clock. */
export function serviceRig(
  options: { root?: string; folder?: string; userData?: string; forbidden?: string[] } = {},
): ServiceRig {
  const root = mkdtempSync(join(options.root ?? tmpdir(), 'softphone-rec-'));
  const folder = options.folder ?? join(root, 'recordings');
  const userData = options.userData ?? join(root, 'user-data');
  const failures: RecordingFailure[] = [];
  mkdirSync(folder, { recursive: true });
  const rig: ServiceRig = {
    root,
    folder,
    userData,
    failures,
    settings: { ...DEFAULT_RECORDING, folder, nameTemplate: '{direction} {party}' },
    service: null as unknown as RecordingService,
  };
  rig.service = new RecordingService({
    indexPath: join(userData, 'recordings.json'),
    settings: () => rig.settings,
    accountLabel: () => 'Office',
    defaultFolder: () => join(root, 'default-music', 'Open Softphone recordings'),
    forbidden: options.forbidden ?? [],
    platform: process.platform,
    notifyFailure: (f) => failures.push(f),
    now: () => new Date(2026, 2, 1, 14, 5, 9),
    // Syncs are driven by the tests (file.sync through the service's timer is covered too).
    syncIntervalMs: 60_000,
  });
  return rig;
}
