// The phone engine's public surface: the UI and the state layer import from here only.
export { PhoneEngine, probeHttp, type EngineDeps } from './engine';
export { PhoneCall } from './call';
export { browserMediaEnvironment, type MediaEnvironment, type MicrophoneOptions } from './media';
export { DialError, resolveCallTarget } from './target';
export type * from './types';
