// JsSIP's session, MESSAGE and subscription code, off the startup file (issue 19): the renderer
// build gives JsSIP stand-ins for it (scripts/vite/jssip-deferred.ts), made here by
// `deferredPart`, and its chunk (jssip-sessions.ts) is fetched by `loadJsSipSessions()`. The
// renderer root loads it while the settings load, before any account starts (state/root.ts),
// so no request, call, message or subscription meets a stand-in without its code. If the chunk
// could not load (a damaged install), the phone still registers; using a stand-in throws a
// sentence saying so and asks for the chunk again, so the next use may find it (the engine's
// socket answers a request JsSIP threw on with 400; the dialer shows the sentence).
import { loadOnce } from '../lazy/load-once';

/** What the chunk holds, by the names the build's stand-ins use. */
export type JsSipSessions = Readonly<Record<JsSipSessionPart, object>>;

/** JsSIP's RTCSession, Message, Subscriber and Notifier classes, and sdp-transform. */
export type JsSipSessionPart =
  'RTCSession' | 'Message' | 'Subscriber' | 'Notifier' | 'sdpTransform';

const sessions = loadOnce<JsSipSessions>(() => import('./jssip-sessions').then((m) => m.sessions));
// Why the last load failed, until a load succeeds.
let lastFailure: string | null = null;

/** Loads the chunk (once; a failed load is tried again on the next call). */
export function loadJsSipSessions(): Promise<JsSipSessions> {
  return sessions.get().then(
    (loaded) => {
      lastFailure = null;
      return loaded;
    },
    (error: unknown) => {
      lastFailure = error instanceof Error ? error.message : String(error);
      throw error;
    },
  );
}

/**
 * The chunk; throws a sentence for the user when it is not loaded: still starting, or its load
 * failed (then it is asked for again, so the next try may find it). Placing a call checks it
 * first (lines.ts), so the dialer says why instead of a call that ends at once.
 */
export function requireJsSipSessions(): JsSipSessions {
  const loaded = sessions.value;
  if (loaded) {
    return loaded;
  }
  const reason = lastFailure;
  loadJsSipSessions().catch(() => {}); // the reason stays in lastFailure
  throw new Error(
    reason === null
      ? 'The phone is still starting: try again in a moment.'
      : `Calls, chat and presence are unavailable: the app could not load their code (${reason}). Try again; if this keeps happening, reinstall the app.`,
  );
}

function real(name: JsSipSessionPart): object {
  return requireJsSipSessions()[name];
}

// Asked by bundler glue and loggers of any value, the chunk there or not: the empty stand-in
// answers them.
const INERT_KEYS: ReadonlySet<string> = new Set(['__esModule', 'then']);

/**
 * A stand-in for the part `name`: `new` builds the real class's object and members are the
 * real part's, once the chunk has loaded; before that both throw (a sentence, see above).
 */
export function deferredPart(name: JsSipSessionPart): object {
  return new Proxy(function deferred() {}, {
    construct: (_target, args: unknown[]) =>
      Reflect.construct(real(name) as new (...a: unknown[]) => object, args),
    get: (target, key) =>
      typeof key === 'symbol' || INERT_KEYS.has(key)
        ? (Reflect.get(target, key) as unknown)
        : (Reflect.get(real(name), key) as unknown),
  });
}
