// The JsSIP code the startup file leaves out (scripts/vite/jssip-deferred.ts): sessions
// (RTCSession, with DTMF, INFO and REFER) and the SDP parser only they use, MESSAGE, and
// SUBSCRIBE/NOTIFY as a subscriber and as a notifier. A chunk of its own, loaded by
// jssip-deferred.ts.
'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS gathering CommonJS modules */

module.exports = {
  RTCSession: require('jssip/lib/RTCSession'),
  Message: require('jssip/lib/Message'),
  Subscriber: require('jssip/lib/Subscriber'),
  Notifier: require('jssip/lib/Notifier'),
  sdpTransform: require('sdp-transform'),
};
