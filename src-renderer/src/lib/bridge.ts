// The only module that touches window.softphone (the preload's bridge, or a test transport
// standing in for it). Unwraps replies into values or BridgeErrors with the main process's
// plain message.
import type {
  EventChannel,
  EventMap,
  InvokeChannel,
  InvokeRequest,
  InvokeResponse,
  SoftphoneBridge,
} from '@shared/ipc-contract';

declare global {
  interface Window {
    softphone?: SoftphoneBridge;
  }
}

/** A request the main process refused; `message` is meant for the user. */
export class BridgeError extends Error {
  override name = 'BridgeError';
}

function bridge(): SoftphoneBridge {
  const b = window.softphone;
  if (!b) {
    throw new BridgeError('The app bridge is missing: start the phone from the desktop app.');
  }
  return b;
}

/** Whether a bridge is present (false when the page is opened on its own). */
export function hasBridge(): boolean {
  return window.softphone !== undefined;
}

/** Sends a request to the main process and returns its reply, or throws BridgeError. */
export async function invoke<C extends InvokeChannel>(
  channel: C,
  payload: InvokeRequest<C>,
): Promise<InvokeResponse<C>> {
  const reply = await bridge().invoke(channel, payload);
  if (!reply.ok) {
    throw new BridgeError(reply.error);
  }
  return reply.value;
}

/** Listens to an event from the main process; returns the unsubscribe function. */
export function on<C extends EventChannel>(
  channel: C,
  listener: (payload: EventMap[C]) => void,
): () => void {
  if (!hasBridge()) {
    return () => {};
  }
  return bridge().on(channel, listener);
}
