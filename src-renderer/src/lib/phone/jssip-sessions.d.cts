// Types of jssip-sessions.cjs: JsSIP's classes, as their typings declare them, and sdp-transform.
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { Message } from 'jssip/lib/Message';
import type { Subscriber } from 'jssip/lib/Subscriber';
import type { Notifier } from 'jssip/lib/Notifier';

declare const sessions: {
  RTCSession: typeof RTCSession;
  Message: typeof Message;
  Subscriber: typeof Subscriber;
  Notifier: typeof Notifier;
  sdpTransform: { parse(sdp: string): object; write(session: object): string };
};
export = sessions;
