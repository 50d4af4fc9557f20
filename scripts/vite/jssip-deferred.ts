// A Vite plugin: the JsSIP code a registered phone does not run until a call, a chat message or
// a subscription (RTCSession with DTMF, INFO and REFER; sdp-transform, which only RTCSession's
// parseSDP calls; Message; Subscriber; Notifier) leaves the renderer's startup file (startup
// budget, issue 19). Where JsSIP requires one of them for later (lib/UA.js, its index
// lib/JsSIP.js, and lib/SIPMessage.js for sdp-transform), it gets a stand-in from
// `deferredModule`, whose `deferredPart(name)` forwards `new` and members to the real one once
// its chunk has loaded (src-renderer/src/lib/phone/jssip-deferred.ts says when that is).
// Everything else, the chunk itself included, gets the real modules.
import type { Plugin } from 'vite';

/** What is deferred: the part's name → the `require` that gets a stand-in, and in which files. */
export const DEFERRED_JSSIP_PARTS = {
  RTCSession: { source: './RTCSession', importers: ['UA.js', 'JsSIP.js'] },
  Message: { source: './Message', importers: ['UA.js'] },
  Subscriber: { source: './Subscriber', importers: ['UA.js'] },
  Notifier: { source: './Notifier', importers: ['UA.js'] },
  sdpTransform: { source: 'sdp-transform', importers: ['SIPMessage.js'] },
} as const;

const PREFIX = '\0softphone-jssip-deferred:';
const JSSIP_LIB = /[\\/]node_modules[\\/]jssip[\\/]lib[\\/]([^\\/]+)$/;

/** The stand-in's name for `require(source)` in `importer`, or null when it is not deferred. */
export function deferredPartOf(source: string, importer: string | undefined): string | null {
  const file = importer ? JSSIP_LIB.exec(importer)?.[1] : undefined;
  if (!file) {
    return null;
  }
  for (const [name, part] of Object.entries(DEFERRED_JSSIP_PARTS)) {
    if (part.source === source && (part.importers as readonly string[]).includes(file)) {
      return name;
    }
  }
  return null;
}

/** Gives JsSIP stand-ins, made by `deferredModule`'s `deferredPart`, for the parts above. */
export function jssipDeferred(deferredModule: string): Plugin {
  return {
    name: 'softphone-jssip-deferred',
    enforce: 'pre',
    resolveId(source, importer) {
      const name = deferredPartOf(source, importer);
      return name === null ? null : `${PREFIX}${name}`;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) {
        return null;
      }
      const name = JSON.stringify(id.slice(PREFIX.length));
      return `module.exports = require(${JSON.stringify(deferredModule)}).deferredPart(${name});\n`;
    },
  };
}
