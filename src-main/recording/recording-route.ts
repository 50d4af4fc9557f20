// Plays recordings in the app: the app:// route /recordings/<id> answers with the file main has
// on its list under that id (never a path from the request), with Range support (RFC 9110
// §14: one byte range → 206 with Content-Range, past the end → 416), so an <audio> element can
// seek, and a recording still being written can be played up to where it is. The body is read
// in a stream, never the whole file into memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { recordingIdOf } from '@shared/recording-route';
import type { RecordingFormat } from '@shared/settings-types';

const TYPES: Record<RecordingFormat, string> = { webm: 'audio/webm', wav: 'audio/wav' };

/** A recording's file, as main's list has it. */
export interface PlayableRecording {
  path: string;
  format: RecordingFormat;
}

export interface RecordingRouteDeps {
  /** The file of a recording id, or null when there is none (unknown id, file gone). */
  find(id: string): Promise<PlayableRecording | null>;
  /** The file's size now (it may still grow). */
  size?(path: string): Promise<number>;
  /** Bytes [start, end] of the file (inclusive), as a web stream. */
  read?(path: string, start: number, end: number): ReadableStream<Uint8Array>;
}

/** A parsed Range header: one satisfiable range, 'unsatisfiable', or null (serve it all). */
export function parseRange(
  header: string | null,
  size: number,
): { start: number; end: number } | 'unsatisfiable' | null {
  const match = header ? /^bytes=(\d*)-(\d*)$/.exec(header.trim()) : null;
  if (!match || (match[1] === '' && match[2] === '')) {
    // Absent, several ranges or another unit: a server may ignore Range (RFC 9110 §14.2).
    return null;
  }
  const [, first = '', last = ''] = match;
  if (first === '') {
    const suffix = Number(last);
    return suffix === 0 || size === 0
      ? 'unsatisfiable'
      : { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) {
    return 'unsatisfiable';
  }
  return { start, end };
}

function readFile(path: string, start: number, end: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { start, end })) as ReadableStream<Uint8Array>;
}

/** Answers a request for /recordings/<id>; null when the URL is not that route. */
export async function serveRecording(
  request: Request,
  deps: RecordingRouteDeps,
): Promise<Response | null> {
  const id = recordingIdOf(new URL(request.url).pathname);
  if (id === null) {
    return null;
  }
  const found = await deps.find(id);
  let size: number;
  try {
    size = found ? await (deps.size ?? fileSize)(found.path) : -1;
  } catch {
    size = -1;
  }
  if (!found || size < 0) {
    return new Response(null, { status: 404 });
  }
  const headers: Record<string, string> = {
    'content-type': TYPES[found.format],
    'accept-ranges': 'bytes',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  };
  const range = parseRange(request.headers.get('range'), size);
  if (range === 'unsatisfiable') {
    return new Response(null, {
      status: 416,
      headers: { ...headers, 'content-range': `bytes */${size}` },
    });
  }
  const { start, end } = range ?? { start: 0, end: size - 1 };
  const length = Math.max(0, end - start + 1);
  const body =
    request.method === 'HEAD' || length === 0
      ? null
      : (deps.read ?? readFile)(found.path, start, end);
  return new Response(body, {
    status: range ? 206 : 200,
    headers: {
      ...headers,
      'content-length': String(length),
      ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}),
    },
  });
}

async function fileSize(path: string): Promise<number> {
  const info = await stat(path);
  return info.isFile() ? info.size : -1;
}
