// The renderer's own view of network changes: the window's `online` event and the Network
// Information API's `change` (a Wi-Fi/VPN switch often changes the connection without ever
// going offline). Each leads to a fresh connection and registration (engine.reconnectNow);
// events that arrive together (online + change) count once.

/** Events closer together than this count as one network change. */
export const NETWORK_EVENT_COALESCE_MS = 1000;

interface EventSource {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
}

/**
 * Calls `changed` when the network comes back or changes; returns the function that stops
 * watching. `connection` is `navigator.connection` where the browser has it, else null.
 */
export function watchNetwork(
  win: EventSource,
  connection: EventSource | null,
  changed: () => void,
  now: () => number = () => performance.now(),
): () => void {
  let last = -Infinity;
  const onChange = (): void => {
    const t = now();
    if (t - last < NETWORK_EVENT_COALESCE_MS) {
      return;
    }
    last = t;
    changed();
  };
  win.addEventListener('online', onChange);
  connection?.addEventListener('change', onChange);
  return () => {
    win.removeEventListener('online', onChange);
    connection?.removeEventListener('change', onChange);
  };
}

/** `navigator.connection` when this browser has the Network Information API (Chromium does). */
export function networkInformation(): EventSource | null {
  const nav = navigator as Navigator & { connection?: EventSource };
  return nav.connection ?? null;
}
