// The WAV container of a PCM recording written while the call goes on: a canonical 44-byte
// header (RIFF, fmt, data) written first, its two sizes patched as the file grows, and a repair
// that sets them from the file's real length after a crash or power cut. A header that was not
// patched yet still declares fewer bytes than are there, never more, so every decoder plays
// the part before it; the repair at the next start recovers the rest.
import type { FileHandle } from 'node:fs/promises';
import type { PcmLayout } from '@shared/ipc-contract';

export const WAV_HEADER_BYTES = 44;
/** RIFF sizes are 32-bit: the data chunk can hold this many bytes at most. */
export const MAX_WAV_DATA_BYTES = 0xffffffff - (WAV_HEADER_BYTES - 8);

/** Bytes per frame (all channels of one sample) of 16-bit PCM. */
export function blockAlign(layout: PcmLayout): number {
  return layout.channels * 2;
}

/** The 44-byte header for `dataBytes` of 16-bit PCM. */
export function wavHeader(layout: PcmLayout, dataBytes: number): Buffer {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(riffSize(dataBytes), 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(layout.channels, 22);
  header.writeUInt32LE(layout.sampleRate, 24);
  header.writeUInt32LE(layout.sampleRate * blockAlign(layout), 28);
  header.writeUInt16LE(blockAlign(layout), 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(Math.min(dataBytes, MAX_WAV_DATA_BYTES), 40);
  return header;
}

function riffSize(dataBytes: number): number {
  return Math.min(dataBytes, MAX_WAV_DATA_BYTES) + WAV_HEADER_BYTES - 8;
}

/** Writes the two sizes into an open file's header (in place: needs no new disk space). */
export async function patchWavSizes(handle: FileHandle, dataBytes: number): Promise<void> {
  const sizes = Buffer.alloc(4);
  sizes.writeUInt32LE(riffSize(dataBytes), 0);
  await handle.write(sizes, 0, 4, 4);
  sizes.writeUInt32LE(Math.min(dataBytes, MAX_WAV_DATA_BYTES), 0);
  await handle.write(sizes, 0, 4, 40);
}

/** The layout in a header this module wrote, or null when it is not one. */
export function readWavLayout(header: Buffer): PcmLayout | null {
  if (
    header.length < WAV_HEADER_BYTES ||
    header.toString('ascii', 0, 4) !== 'RIFF' ||
    header.toString('ascii', 8, 16) !== 'WAVEfmt ' ||
    header.toString('ascii', 36, 40) !== 'data' ||
    header.readUInt16LE(20) !== 1 ||
    header.readUInt16LE(34) !== 16
  ) {
    return null;
  }
  const channels = header.readUInt16LE(22);
  if (channels !== 1 && channels !== 2) {
    return null;
  }
  return { channels, sampleRate: header.readUInt32LE(24) };
}

/**
 * Sets the header's sizes from the file's length (whole frames only; a torn last frame is cut
 * off). Returns the audio bytes, or null when the file does not start with our header.
 */
export async function repairWav(handle: FileHandle): Promise<number | null> {
  const header = Buffer.alloc(WAV_HEADER_BYTES);
  const { bytesRead } = await handle.read(header, 0, WAV_HEADER_BYTES, 0);
  const layout = bytesRead === WAV_HEADER_BYTES ? readWavLayout(header) : null;
  if (!layout) {
    return null;
  }
  const { size } = await handle.stat();
  const align = blockAlign(layout);
  const data = Math.min(
    Math.floor((size - WAV_HEADER_BYTES) / align) * align,
    Math.floor(MAX_WAV_DATA_BYTES / align) * align,
  );
  await handle.truncate(WAV_HEADER_BYTES + data);
  await patchWavSizes(handle, data);
  await handle.sync();
  return data;
}

/** Milliseconds of audio in `dataBytes` of this layout. */
export function wavDurationMs(layout: PcmLayout, dataBytes: number): number {
  return Math.round((dataBytes / blockAlign(layout) / layout.sampleRate) * 1000);
}
