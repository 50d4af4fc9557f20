// The bridge both preloads expose as window.softphone = { invoke, on }, built for one window's
// allow-lists: requests and events off the lists never reach IPC, and listeners never see the
// Electron event object. No Node, no raw ipcRenderer.
import type { IpcRenderer, IpcRendererEvent } from 'electron';
import type { EventChannel, InvokeChannel, SoftphoneBridge } from '@shared/ipc-contract';

/** A bridge that only carries `invokable` requests and `listenable` events. */
export function createBridge(
  ipcRenderer: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>,
  invokable: readonly InvokeChannel[],
  listenable: readonly EventChannel[],
): SoftphoneBridge {
  const requests = new Set<string>(invokable);
  const events = new Set<string>(listenable);
  return {
    invoke(channel, payload) {
      if (!requests.has(channel)) {
        return Promise.resolve({ ok: false, error: 'Unknown request.' });
      }
      return ipcRenderer.invoke(channel, payload);
    },
    on(channel, listener) {
      if (!events.has(channel)) {
        return () => {};
      }
      const strip = (_event: IpcRendererEvent, payload: unknown): void => {
        (listener as (p: unknown) => void)(payload);
      };
      ipcRenderer.on(channel, strip);
      return () => {
        ipcRenderer.removeListener(channel, strip);
      };
    },
  };
}
