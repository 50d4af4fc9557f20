// Where the app plays a recording from: a path of the app's own origin that names the
// recording by its id only (main looks the file up in its list), never by a file path.
// Shared by main (the app:// route) and the renderer (the <audio> element's src).

/** The path prefix of the recordings route (app://softphone/recordings/<id>). */
export const RECORDING_ROUTE = '/recordings/';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The route's path for a recording id (main makes ids as UUIDs). */
export function recordingPath(id: string): string {
  if (!UUID.test(id)) {
    throw new Error('not a recording id');
  }
  return `${RECORDING_ROUTE}${id.toLowerCase()}`;
}

/** The recording id a request path names, or null when it is not exactly one recording. */
export function recordingIdOf(pathname: string): string | null {
  if (!pathname.startsWith(RECORDING_ROUTE)) {
    return null;
  }
  const id = pathname.slice(RECORDING_ROUTE.length);
  return UUID.test(id) ? id.toLowerCase() : null;
}
