// The ids and previews of chat messages, apart from the store: the service and the chat state
// use them at startup, while the store (and Dexie with it) loads with the database.
import { singleLine } from '../text/inert-text';

/** Characters of the newest message kept on the conversation for the list. */
export const PREVIEW_LENGTH = 120;

let sequence = 0;

/**
 * A unique id that sorts by creation time (base-36 time, then a per-page counter, then
 * randomness), so messages written in the same millisecond keep their order in a thread.
 */
export function messageId(now = Date.now()): string {
  sequence = (sequence + 1) % 36 ** 4;
  const random = Math.floor(Math.random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0');
  return `${now.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${random}`;
}

/** The one-line preview of a message text. */
export function previewOf(text: string): string {
  return singleLine(text, PREVIEW_LENGTH);
}
