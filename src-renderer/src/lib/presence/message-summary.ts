// Owns reading an RFC 3842 application/simple-message-summary body (voicemail waiting, from a
// SUBSCRIBE to 'message-summary' or the unsolicited NOTIFY many PBXes send):
//   Messages-Waiting: yes
//   Message-Account: sip:*97@pbx.example.com
//   Voice-Message: 2/8 (1/0)
// Tolerant of what Asterisk, FreeSWITCH and others really send: any line ending, header names in
// any case, spaces around '/' and inside the parentheses, a missing urgent part, leading blank
// lines, folded lines, and message headers after the blank line (ignored). Bounded: at most
// MAX_SUMMARY_LENGTH characters and MAX_SUMMARY_LINES lines are looked at; counts above
// MAX_COUNT are refused as garbage.
import { isVisibleToken } from '../text/inert-text';

/** new/old counts, and the urgent ones among them (RFC 3842 §5.2). */
export interface MessageCounts {
  new: number;
  old: number;
  urgentNew: number;
  urgentOld: number;
}

/** RFC 3458 message-context-class names as they appear in the header name, minus '-message'. */
export type MessageClass = 'voice' | 'fax' | 'pager' | 'multimedia' | 'text' | 'none';

export interface MessageSummary {
  /** Messages-Waiting; when the header is missing, whether any class has new messages. */
  waiting: boolean;
  /** Message-Account: the voicemail account URI, when given. */
  account: string | null;
  /** Voice-Message counts (what the app shows), null when the body has none. */
  voice: MessageCounts | null;
  /** Counts for every class present, voice included. */
  classes: Partial<Record<MessageClass, MessageCounts>>;
}

export type MessageSummaryResult =
  | { ok: true; summary: MessageSummary }
  | { ok: false; reason: 'too-large' | 'not-a-summary' | 'bad-encoding'; message: string };

export const MAX_SUMMARY_LENGTH = 16 * 1024;
export const MAX_SUMMARY_LINES = 200;
/** Counts above this are not believed (a mailbox of a billion messages is garbage). */
export const MAX_COUNT = 999_999;

const CLASSES: Readonly<Record<string, MessageClass>> = {
  'voice-message': 'voice',
  'fax-message': 'fax',
  'pager-message': 'pager',
  'multimedia-message': 'multimedia',
  'text-message': 'text',
  'none-message': 'none',
  none: 'none',
};

const COUNTS = /^(\d{1,9}) *\/ *(\d{1,9})(?: *\( *(\d{1,9}) *\/ *(\d{1,9}) *\))?$/;

function refuse(reason: 'too-large' | 'not-a-summary' | 'bad-encoding', message: string) {
  return { ok: false as const, reason, message };
}

/** "4/8 (1/2)" → counts; null for anything else or counts above MAX_COUNT. */
export function parseCounts(value: string): MessageCounts | null {
  const m = COUNTS.exec(value.trim().replace(/\t/g, ' '));
  if (!m) {
    return null;
  }
  const [n, o, un, uo] = [m[1], m[2], m[3] ?? '0', m[4] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
  ];
  if ([n, o, un, uo].some((x) => x > MAX_COUNT)) {
    return null;
  }
  return { new: n, old: o, urgentNew: un, urgentOld: uo };
}

function toText(body: string | Uint8Array): string | null {
  if (typeof body === 'string') {
    return body;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return null;
  }
}

/** The header lines before the first blank line that follows content, folded lines joined. */
function summaryLines(text: string): string[] {
  const lines: string[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/, MAX_SUMMARY_LINES);
  for (const line of raw) {
    if (line.trim() === '') {
      if (lines.length > 0) {
        break;
      }
      continue;
    }
    if ((line.startsWith(' ') || line.startsWith('\t')) && lines.length > 0) {
      lines[lines.length - 1] += ` ${line.trim()}`;
    } else {
      lines.push(line);
    }
  }
  return lines;
}

/** Reads a message-summary body. Never throws. */
export function parseMessageSummary(body: string | Uint8Array): MessageSummaryResult {
  const size = typeof body === 'string' ? body.length : body.byteLength;
  if (size > MAX_SUMMARY_LENGTH) {
    return refuse('too-large', 'The message summary is larger than allowed.');
  }
  const text = toText(body);
  if (text === null) {
    return refuse('bad-encoding', 'The message summary is not valid UTF-8.');
  }
  let waiting: boolean | null = null;
  let account: string | null = null;
  const classes: Partial<Record<MessageClass, MessageCounts>> = {};
  for (const line of summaryLines(text)) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'messages-waiting' && waiting === null) {
      const yn = value.toLowerCase();
      waiting = yn === 'yes' ? true : yn === 'no' ? false : null;
    } else if (name === 'message-account' && account === null) {
      account = accountUri(value);
    } else if (Object.hasOwn(CLASSES, name)) {
      const cls = CLASSES[name]!;
      const counts = parseCounts(value);
      if (counts && !classes[cls]) {
        classes[cls] = counts;
      }
    }
  }
  const all = Object.values(classes);
  if (waiting === null && all.length === 0) {
    return refuse('not-a-summary', 'The body is not a message summary.');
  }
  return {
    ok: true,
    summary: {
      waiting: waiting ?? all.some((c) => c.new > 0),
      account,
      voice: classes.voice ?? null,
      classes,
    },
  };
}

function accountUri(value: string): string | null {
  const v = value.replace(/^<(.*)>$/, '$1').trim();
  // A URI has no white space, controls, quotes or angle brackets, and is not a novel.
  return v.length <= 512 && /^[a-z][a-z0-9+.-]*:[^<>"]+$/i.test(v) && isVisibleToken(v) ? v : null;
}
