// The chat benchmark's baseline: a bare JsSIP UA sending MESSAGE the way the JsSIP docs show it
// (ua.sendMessage with succeeded/failed handlers), nothing stored, nothing rendered. Configured
// from the URL: ?ws=…&uri=…&password=…; window.__send(target, text) resolves with the ms from the
// call to the 'succeeded' event (the 2xx).
import { UA, WebSocketInterface } from 'jssip';

const params = new URLSearchParams(location.search);
const status = document.getElementById('status')!;
const ua = new UA({
  sockets: [new WebSocketInterface(params.get('ws')!)],
  uri: params.get('uri')!,
  password: params.get('password')!,
});
ua.on('registered', () => (status.textContent = 'registered'));

(window as unknown as { __send(target: string, text: string): Promise<number> }).__send = (
  target,
  text,
) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    ua.sendMessage(target, text, {
      eventHandlers: {
        succeeded: () => resolve(performance.now() - started),
        failed: (e) => reject(new Error(`MESSAGE failed: ${String(e.cause)}`)),
      },
    });
  });
ua.start();
