// The heavy half of noise suppression, in its own chunk (imported dynamically by
// noise-suppression.ts): RNNoise compiled to WebAssembly with SIMD (@sapphi-red/web-noise-
// suppressor, MIT; the plain build where SIMD is missing), run in that package's AudioWorklet
// at 48 kHz (RNNoise's rate; Chromium resamples the microphone to the context). The wasm bytes
// are inlined here, so loading needs no fetch (the CSP's connect-src stays the SIP servers);
// compiling them needs 'wasm-unsafe-eval' in script-src (see src-main/security/csp.ts).
import { RnnoiseWorkletNode } from '@sapphi-red/web-noise-suppressor';
import workletUrl from '@sapphi-red/web-noise-suppressor/rnnoiseWorklet.js?url';
import { createProcessingContext, ensureRunning } from './processing-context';
import type { NoiseSuppressor, NoiseSuppressorOptions } from './noise-suppression';

// wasm-feature-detect's SIMD probe (the same bytes the package uses).
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

let wasm: Promise<ArrayBuffer> | null = null;

function decodeBase64(base64: string): ArrayBuffer {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

/** The RNNoise wasm for this CPU, loaded once (each build is its own chunk). */
function loadWasm(): Promise<ArrayBuffer> {
  wasm ??= (
    WebAssembly.validate(SIMD_PROBE)
      ? import('@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?base64')
      : import('@sapphi-red/web-noise-suppressor/rnnoise.wasm?base64')
  ).then((module) => decodeBase64(module.default));
  return wasm;
}

/** Builds microphone → RNNoise → output track in a context of its own. */
export async function startRnnoise(
  input: MediaStreamTrack | null,
  options: NoiseSuppressorOptions,
): Promise<NoiseSuppressor> {
  const context = (options.createContext ?? createProcessingContext)();
  try {
    const wasmBinary = await loadWasm();
    await context.audioWorklet.addModule(workletUrl);
    // The worklet compiles its own copy; the cached bytes stay usable for the next call.
    const node = new RnnoiseWorkletNode(context, {
      maxChannels: 1,
      wasmBinary: wasmBinary.slice(0),
    });
    // One channel in: the package denoises channel 0 only, so a stereo input is folded first.
    node.channelCount = 1;
    node.channelCountMode = 'explicit';
    const output = context.createMediaStreamDestination();
    output.channelCount = 1;
    node.connect(output);
    let source: MediaStreamAudioSourceNode | null = null;
    let current: MediaStreamTrack | null = null;
    const setInput = (track: MediaStreamTrack | null): void => {
      // The call's chain hands the same microphone again on every change elsewhere.
      if (track === current && (source !== null || track === null)) {
        return;
      }
      current = track;
      source?.disconnect();
      source = track ? context.createMediaStreamSource(new MediaStream([track])) : null;
      source?.connect(node);
    };
    setInput(input);
    await ensureRunning(context);
    const track = output.stream.getAudioTracks()[0];
    if (!track) {
      throw new Error('The noise suppressor produced no audio track.');
    }
    return {
      output: track,
      setInput,
      close: async () => {
        setInput(null);
        node.destroy();
        node.disconnect();
        track.stop();
        await context.close().catch(() => {});
      },
    };
  } catch (error: unknown) {
    await context.close().catch(() => {});
    throw error;
  }
}
