// Builds the Content-Security-Policy the app protocol sends with every page: the baseline of
// index.html's meta policy, with connect-src narrowed to exactly the configured accounts'
// SIP-over-WebSocket addresses plus their http(s) twins (the engine probes those to tell an
// unreachable server from one that refuses WebSocket). Pure; rebuilt on each request.
// script-src allows 'wasm-unsafe-eval' (compiling WebAssembly, nothing else: eval and inline
// scripts stay refused) for RNNoise noise suppression, whose AudioWorklet compiles the wasm.
import type { AccountSettings } from '@shared/settings-types';

/** Directives shared with the meta policy in src-renderer/index.html (keep the two in step). */
const BASELINE: readonly (readonly [string, string])[] = [
  ['default-src', "'none'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['style-src', "'self'"],
  ['img-src', "'self' data:"],
  ['media-src', "'self' blob: mediastream:"],
  ['font-src', "'self'"],
  ['base-uri', "'none'"],
  ['form-action', "'none'"],
  ['frame-ancestors', "'none'"],
  ['frame-src', "'none'"],
  ['object-src', "'none'"],
  ['worker-src', "'none'"],
];

const WS_TO_HTTP: Record<string, string> = { 'ws:': 'http:', 'wss:': 'https:' };

/**
 * The CSP source expressions for one ws(s) address: itself and its http(s) twin, or none when
 * the address is not a plain ws:/wss: URL. Built from the parsed URL so nothing the user typed
 * (a ';', a ',', a space, a quote) can end the directive or add a new one.
 */
export function connectSources(websocketUri: string): string[] {
  let url: URL;
  try {
    url = new URL(websocketUri.trim());
  } catch {
    return [];
  }
  const http = WS_TO_HTTP[url.protocol];
  if (!http || url.username || url.password || !/^[a-z0-9.[\]:-]+$/i.test(url.host)) {
    return [];
  }
  // CSP paths are percent-decoded before matching, so escaping ';' and ',' loses nothing.
  const path = url.pathname.replace(/;/g, '%3B').replace(/,/g, '%2C').replace(/'/g, '%27');
  const rest = `//${url.host}${path}`;
  return [`${url.protocol}${rest}`, `${http}${rest}`];
}

/** connect-src for these accounts: their sources, deduplicated, or 'none' when there are none. */
export function connectSrc(accounts: readonly Pick<AccountSettings, 'websocketUri'>[]): string {
  const sources = [...new Set(accounts.flatMap((a) => connectSources(a.websocketUri)))];
  return sources.length > 0 ? sources.join(' ') : "'none'";
}

/** The whole policy header value for these accounts. */
export function buildCsp(accounts: readonly Pick<AccountSettings, 'websocketUri'>[]): string {
  return [...BASELINE, ['connect-src', connectSrc(accounts)] as const]
    .map(([name, value]) => `${name} ${value}`)
    .join('; ');
}
