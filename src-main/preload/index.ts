// The phone window's preload: window.softphone = { invoke, on } for the allow-listed channels
// only (see bridge.ts).
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '@shared/ipc-contract';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld(
  'softphone',
  createBridge(ipcRenderer, INVOKE_CHANNELS, EVENT_CHANNELS),
);
