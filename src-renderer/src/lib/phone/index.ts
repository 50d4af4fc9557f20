// The phone engine's public surface: the UI, the state layer and the other framework-free
// modules import from here only (lint-enforced).
export { PhoneEngine, probeHttp, type EngineDeps, type EngineEvents } from './engine';
export { PhoneCall } from './call';
export { callEnd } from './call-end';
export { networkInformation, watchNetwork } from './network-watch';
export { LineManager, type EndedCall, type LineEvents, type Schedule } from './lines';
export {
  decideIncoming,
  outgoingRefusal,
  type IncomingDecision,
  type LineUse,
  type PolicySettings,
} from './call-policy';
export {
  browserMediaEnvironment,
  microphoneConstraints,
  type MediaEnvironment,
  type MicrophoneOptions,
} from './media';
export { accountHintFor, dialPlan, DialError, resolveCallTarget, type DialPlan } from './target';
export { dialCodeOrNull, loadDialCode } from './dial-code';
export { loadJsSipSessions } from './jssip-deferred';
export { preloadCallActions } from './call-actions';
export { warmUpWebRtc } from './webrtc-warm-up';
export { earlySockets } from './early-socket';
export type * from './types';
