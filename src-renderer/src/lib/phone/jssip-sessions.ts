// The JsSIP code the startup file leaves out (scripts/vite/jssip-deferred.ts): sessions
// (RTCSession, with DTMF, INFO and REFER) and the SDP parser only they use, MESSAGE, and
// SUBSCRIBE/NOTIFY as a subscriber and as a notifier. A chunk of its own, loaded by
// jssip-deferred.ts. They are CommonJS modules: the bundler's namespace object for one holds its
// `module.exports` as `default` (a class here, an object of functions for sdp-transform).
import * as message from 'jssip/lib/Message';
import * as notifier from 'jssip/lib/Notifier';
import * as rtcSession from 'jssip/lib/RTCSession';
import * as subscriber from 'jssip/lib/Subscriber';
import * as sdpTransformModule from 'sdp-transform';
import type { JsSipSessions } from './jssip-deferred';

// A CommonJS module's exports, from the namespace object the bundler made of it.
function exportsOf(namespace: object): object {
  return (namespace as { default?: object }).default ?? namespace;
}

/** What the stand-ins forward to, by the names they use. */
export const sessions: JsSipSessions = {
  RTCSession: exportsOf(rtcSession),
  Message: exportsOf(message),
  Subscriber: exportsOf(subscriber),
  Notifier: exportsOf(notifier),
  sdpTransform: exportsOf(sdpTransformModule),
};
