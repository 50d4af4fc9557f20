// The preload bridge: exposes window.softphone = { invoke, on } for the allow-listed channels
// only. No Node, no raw ipcRenderer, and listeners never see the Electron event object.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS, type SoftphoneBridge } from '@shared/ipc-contract';

const invokable = new Set<string>(INVOKE_CHANNELS);
const listenable = new Set<string>(EVENT_CHANNELS);

const bridge = {
  invoke(channel, payload) {
    if (!invokable.has(channel)) {
      return Promise.resolve({ ok: false, error: 'Unknown request.' });
    }
    return ipcRenderer.invoke(channel, payload);
  },
  on(channel, listener) {
    if (!listenable.has(channel)) {
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
} satisfies SoftphoneBridge;

contextBridge.exposeInMainWorld('softphone', bridge);
