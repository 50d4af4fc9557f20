// The receive jitter buffer's target: RTCRtpReceiver.jitterBufferTarget (Chromium 114+, ms,
// 0..4000, null = the browser's adaptive default). It is a hint: NetEq still adapts between its
// own minimum and maximum, so a lower target trades robustness to jitter for less delay.
// Older Chromium had the non-standard playoutDelayHint (seconds), used as a fallback.

/** The receiver fields involved (both optional: not every browser has them). */
interface TunableReceiver {
  readonly track: { kind: string };
  jitterBufferTarget?: number | null;
  playoutDelayHint?: number | null;
}

/** Largest target the specification allows. */
export const MAX_JITTER_BUFFER_TARGET_MS = 4000;

/**
 * Sets the preferred jitter-buffer hold time of every audio receiver of `pc` to `ms`
 * (clamped to 0..4000), or restores the default with null. Receivers exist from the offer or
 * answer on, and the setting persists for the call. Returns false when the browser has no
 * such control (then nothing changed).
 */
export function applyJitterBufferTarget(
  pc: { getReceivers(): readonly RTCRtpReceiver[] },
  ms: number | null,
): boolean {
  const target = ms === null ? null : Math.min(MAX_JITTER_BUFFER_TARGET_MS, Math.max(0, ms));
  let applied = false;
  for (const receiver of pc.getReceivers() as readonly unknown[] as readonly TunableReceiver[]) {
    if (receiver.track.kind !== 'audio') {
      continue;
    }
    if ('jitterBufferTarget' in receiver) {
      receiver.jitterBufferTarget = target;
      applied = true;
    } else if ('playoutDelayHint' in receiver) {
      receiver.playoutDelayHint = target === null ? null : target / 1000;
      applied = true;
    }
  }
  return applied;
}
