// The incoming-call popup's preload: the same window.softphone shape, but it can only press
// Answer or Decline (`popup/action`) and hears no events. Never accounts, credentials or
// settings: the popup shows a caller's name from the network, so it gets nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { POPUP_INVOKE_CHANNELS } from '@shared/ipc-contract';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('softphone', createBridge(ipcRenderer, POPUP_INVOKE_CHANNELS, []));
