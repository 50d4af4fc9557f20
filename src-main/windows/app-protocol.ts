// The privileged app:// scheme the production renderer is served from. A real origin
// (app://softphone) gives the page a stable identity the IPC router and the permission handler
// can trust, and lets main send the CSP as a response header rebuilt from the current accounts.
// In dev the electron-vite server is used instead (its meta CSP applies; see docs/desktop-shell.md).
// Recordings are played from /recordings/<id> on the same origin (recording/recording-route.ts).
import type { CustomScheme } from 'electron';
import { extname, join, normalize, sep } from 'node:path';
import { serveRecording, type RecordingRouteDeps } from '../recording/recording-route';

export const APP_SCHEME = 'app';
export const APP_HOST = 'softphone';
/** Origin of our own pages in production. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the main window loads in production. */
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/**
 * Registered before `ready`: standard + secure so the page is a secure context with an origin;
 * stream so <audio> plays recordings from it as a streamed response (protocol docs:
 * "<video> and <audio> HTML elements expect protocols to buffer their responses by default.
 * The stream flag configures those elements to correctly expect streaming responses").
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    codeCache: true,
    stream: true,
  },
};

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.ogg': 'audio/ogg',
  '.mp3': 'audio/mpeg',
};

export interface AppProtocolDeps {
  /** The built renderer folder (out/renderer). */
  root: string;
  /** The current CSP header value; called per request, so new settings apply to the next load. */
  csp(): string;
  readFile(path: string): Promise<Uint8Array>;
  /** Called when an HTML document was served, with the policy it got and its URL. */
  documentServed?(policy: string, url: string): void;
  /** Recordings by id for in-app playback (absent: the route answers 404). */
  recordings?: RecordingRouteDeps;
}

function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
}

/** Maps an app:// URL to a file under `root`, or null when it is not one of ours. */
export function resolveAppFile(url: string, root: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST) {
    return null;
  }
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) {
    return null;
  }
  const relative = normalize(path === '/' || path === '' ? '/index.html' : path).replace(
    /^[/\\]+/,
    '',
  );
  const file = join(root, relative);
  const base = root.endsWith(sep) ? root : `${root}${sep}`;
  return file.startsWith(base) ? file : null;
}

/** The protocol.handle handler for app://. */
export function createAppProtocolHandler(
  deps: AppProtocolDeps,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return new Response(null, { status: 405 });
    }
    if (deps.recordings && isAppUrl(request.url)) {
      const recording = await serveRecording(request, deps.recordings);
      if (recording) {
        return recording;
      }
    }
    const file = resolveAppFile(request.url, deps.root);
    if (!file) {
      return new Response(null, { status: 404 });
    }
    let body: Uint8Array;
    try {
      body = await deps.readFile(file);
    } catch {
      return new Response(null, { status: 404 });
    }
    const policy = deps.csp();
    const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    if (type.startsWith('text/html')) {
      deps.documentServed?.(policy, request.url);
    }
    // A plain ArrayBuffer-backed copy: Response's typings reject a Buffer over shared memory.
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), {
      status: 200,
      headers: {
        'content-type': type,
        'content-security-policy': policy,
        'x-content-type-options': 'nosniff',
        'cross-origin-opener-policy': 'same-origin',
        'referrer-policy': 'no-referrer',
      },
    });
  };
}
