// Owns reading an RFC 3863 application/pidf+xml body (a NOTIFY of the 'presence' event package)
// into one status for a contact, from every tuple and person element it carries:
//   1. RPID activities (RFC 4480, and the pre-RFC namespaces Asterisk's chan_sip and older phones
//      send; also the legacy <im:im> status) decide when present: dnd > busy > away;
//   2. otherwise a note that is exactly one of a few well-known words ("On the phone", "Away",
//      "Do not disturb"…) decides — Asterisk's PIDF says "busy" only through its note;
//   3. otherwise <basic>: any tuple open → available, all closed → offline, none → unknown.
// The note shown is the first person note, else the first tuple or document note, cleaned.
import { singleLine } from '../text/inert-text';
import { attribute, ownText, readRoot, type DocumentError } from '../xml/query';
import type { XmlElement, XmlLimits } from '../xml/types';
import { DATA_MODEL_NS, LEGACY_RPID_NS, PIDF_IM_NS, PIDF_NS, RPID_NS } from './namespaces';

export type PresenceStatus = 'available' | 'away' | 'busy' | 'dnd' | 'offline' | 'unknown';

export interface PresenceInfo {
  /** The presentity the document is about, when it names one. */
  entity: string | null;
  status: PresenceStatus;
  /** A note to show next to the status, cleaned, one line; null when there is none. */
  note: string | null;
  /** RPID activity names found (lower case), e.g. ['on-the-phone']. */
  activities: string[];
  /** Which rule decided the status. */
  source: 'activity' | 'note' | 'basic' | 'none';
}

export type PidfResult =
  { ok: true; presence: PresenceInfo } | { ok: false; error: DocumentError; message: string };

/** Longest note kept (code points). */
export const MAX_NOTE_LENGTH = 256;

const RPID_NAMESPACES: ReadonlySet<string> = new Set([RPID_NS, ...LEGACY_RPID_NS]);

/** RFC 4480 §3.2 activities that mean "cannot talk now" and "not at the desk". */
const BUSY_ACTIVITIES: ReadonlySet<string> = new Set([
  'busy',
  'on-the-phone',
  'meeting',
  'appointment',
  'presentation',
  'performance',
  'worship',
  'steering',
]);
const AWAY_ACTIVITIES: ReadonlySet<string> = new Set([
  'away',
  'breakfast',
  'dinner',
  'meal',
  'holiday',
  'vacation',
  'in-transit',
  'travel',
  'shopping',
  'sleeping',
  'permanent-absence',
  'looking-for-work',
  'playing',
  'tv',
  'spectator',
]);

/** Exact notes (lower case, no trailing punctuation) that real servers use as the status. */
const NOTE_STATUS: Readonly<Record<string, PresenceStatus>> = {
  ready: 'available',
  available: 'available',
  online: 'available',
  'on the phone': 'busy',
  'on-the-phone': 'busy',
  'in a call': 'busy',
  'in use': 'busy',
  ringing: 'busy',
  busy: 'busy',
  away: 'away',
  'be right back': 'away',
  'out to lunch': 'away',
  'extended away': 'away',
  dnd: 'dnd',
  'do not disturb': 'dnd',
  offline: 'offline',
  unavailable: 'offline',
};

const IM_STATUS: Readonly<Record<string, PresenceStatus>> = {
  online: 'available',
  busy: 'busy',
  onthephone: 'busy',
  away: 'away',
  berightback: 'away',
  outtolunch: 'away',
  idle: 'away',
  dnd: 'dnd',
  offline: 'offline',
};

const DND_WORDS = /^(dnd|do[ -]not[ -]disturb)$/i;

interface Findings {
  basics: string[];
  activities: string[];
  imStatus: PresenceStatus[];
  personNotes: string[];
  otherNotes: string[];
}

function lookup<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function collectActivities(el: XmlElement, out: string[]): void {
  for (const child of el.children) {
    if (child.kind !== 'element' || !RPID_NAMESPACES.has(child.ns ?? '')) {
      continue;
    }
    const name = child.local.toLowerCase();
    out.push(name === 'other' && DND_WORDS.test(ownText(child).trim()) ? 'dnd' : name);
  }
}

/** One walk over the whole tree (its size is bounded by the reader's limits). */
function collect(root: XmlElement): Findings {
  const f: Findings = { basics: [], activities: [], imStatus: [], personNotes: [], otherNotes: [] };
  const stack: XmlElement[] = [root];
  for (let el = stack.pop(); el; el = stack.pop()) {
    if (el.local === 'basic' && el.ns === PIDF_NS) {
      f.basics.push(ownText(el).trim().toLowerCase());
    } else if (el.local === 'activities' && RPID_NAMESPACES.has(el.ns ?? '')) {
      collectActivities(el, f.activities);
    } else if (el.local === 'im' && el.ns === PIDF_IM_NS) {
      const status = lookup(
        IM_STATUS,
        ownText(el)
          .trim()
          .toLowerCase()
          .replace(/[\s_-]/g, ''),
      );
      if (status) {
        f.imStatus.push(status);
      }
    } else if (el.local === 'note' && (el.ns === DATA_MODEL_NS || el.ns === PIDF_NS)) {
      (el.ns === DATA_MODEL_NS ? f.personNotes : f.otherNotes).push(ownText(el));
    }
    for (let i = el.children.length - 1; i >= 0; i--) {
      const child = el.children[i];
      if (child?.kind === 'element') {
        stack.push(child);
      }
    }
  }
  return f;
}

function fromActivities(
  activities: readonly string[],
  im: readonly PresenceStatus[],
): PresenceStatus | null {
  const all: PresenceStatus[] = [
    ...activities
      .map((a): PresenceStatus | null =>
        a === 'dnd'
          ? 'dnd'
          : BUSY_ACTIVITIES.has(a)
            ? 'busy'
            : AWAY_ACTIVITIES.has(a)
              ? 'away'
              : null,
      )
      .filter((s): s is PresenceStatus => s !== null),
    ...im.filter((s) => s === 'dnd' || s === 'busy' || s === 'away'),
  ];
  for (const status of ['dnd', 'busy', 'away'] as const) {
    if (all.includes(status)) {
      return status;
    }
  }
  return null;
}

function decide(f: Findings, note: string | null): Pick<PresenceInfo, 'status' | 'source'> {
  const activity = fromActivities(f.activities, f.imStatus);
  if (activity) {
    return { status: activity, source: 'activity' };
  }
  const byNote =
    note === null ? undefined : lookup(NOTE_STATUS, note.toLowerCase().replace(/[.!]+$/, ''));
  if (byNote) {
    return { status: byNote, source: 'note' };
  }
  if (f.basics.includes('open')) {
    return { status: 'available', source: 'basic' };
  }
  if (f.basics.includes('closed')) {
    return { status: 'offline', source: 'basic' };
  }
  const im = f.imStatus[0];
  return im ? { status: im, source: 'activity' } : { status: 'unknown', source: 'none' };
}

/** Reads a PIDF body (string or bytes) into one status. Never throws. */
export function parsePidf(body: string | Uint8Array, limits: Partial<XmlLimits> = {}): PidfResult {
  const read = readRoot(
    body,
    PIDF_NS,
    'presence',
    'The body is not a PIDF presence document in the RFC 3863 namespace.',
    limits,
  );
  if (!read.ok) {
    return read;
  }
  const root = read.root;
  const f = collect(root);
  const notes = [...f.personNotes, ...f.otherNotes]
    .map((n) => singleLine(n, MAX_NOTE_LENGTH))
    .filter((n) => n !== '');
  const note = notes[0] ?? null;
  const entity = attribute(root, 'entity')?.trim();
  return {
    ok: true,
    presence: {
      entity: entity ? singleLine(entity, 1024) : null,
      ...decide(f, note),
      note,
      activities: f.activities,
    },
  };
}
