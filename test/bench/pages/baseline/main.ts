// The benchmark's baseline: a plain JsSIP UA in its default configuration, used the way most
// JsSIP apps use it (ua.call / session.answer with mediaConstraints, JsSIP's own getUserMedia
// and ICE handling). Configured from the URL: ?ws=…&uri=…&password=…
import { UA, WebSocketInterface } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';

const params = new URLSearchParams(location.search);
const status = document.getElementById('status')!;
const incoming = document.getElementById('incoming')!;
const audio = new Audio();
audio.autoplay = true;
let current: RTCSession | null = null;
const iceServers = params.get('stun') ? [{ urls: params.get('stun')! }] : [];

const ua = new UA({
  sockets: [new WebSocketInterface(params.get('ws')!)],
  uri: params.get('uri')!,
  password: params.get('password')!,
});

function playRemote(session: RTCSession): void {
  session.connection.addEventListener('track', (e) => {
    audio.srcObject = e.streams[0] ?? new MediaStream([e.track]);
  });
}

ua.on('registered', () => (status.textContent = 'registered'));
ua.on('newRTCSession', (e: RTCSessionEvent) => {
  current = e.session;
  e.session.on('ended', () => (incoming.hidden = true));
  e.session.on('failed', () => (incoming.hidden = true));
  if (String(e.originator) === 'remote') {
    document.getElementById('caller')!.textContent = e.session.remote_identity.uri.user ?? '';
    incoming.hidden = false;
    e.session.on('peerconnection', () => playRemote(e.session));
  }
});

document.getElementById('call')!.addEventListener('click', () => {
  current = ua.call(params.get('target')!, {
    mediaConstraints: { audio: true, video: false },
    pcConfig: { iceServers },
    eventHandlers: {
      peerconnection: (e) => {
        e.peerconnection.addEventListener('track', (t) => {
          audio.srcObject = t.streams[0] ?? new MediaStream([t.track]);
        });
      },
    },
  });
});
document.getElementById('answer')!.addEventListener('click', () => {
  incoming.hidden = true;
  current?.answer({ mediaConstraints: { audio: true, video: false }, pcConfig: { iceServers } });
});
document.getElementById('hangup')!.addEventListener('click', () => {
  if (current && !current.isEnded()) {
    current.terminate();
  }
});
(window as unknown as { __busy: () => boolean }).__busy = () =>
  current !== null && !current.isEnded();
ua.start();
