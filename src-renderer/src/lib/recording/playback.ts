// Where the app's <audio> element plays a recording from: the recordings route of the page's
// own origin (app://softphone/recordings/<id>, served by main by id only). Under the dev
// server the page's origin is the dev server's, so the app:// origin is named outright (the
// dev server's meta CSP allows it for media, see scripts/vite/dev-csp.ts).
import { recordingPath } from '@shared/recording-route';

/** The app's own origin in a packaged or built app. */
export const APP_ORIGIN = 'app://softphone';

/** The URL a recording plays from. */
export function playbackUrl(id: string, dev: boolean = import.meta.env.DEV): string {
  const path = recordingPath(id);
  return dev && location.protocol !== 'app:' ? `${APP_ORIGIN}${path}` : path;
}
