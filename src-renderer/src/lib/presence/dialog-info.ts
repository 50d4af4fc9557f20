// Owns reading an RFC 4235 application/dialog-info+xml body (a NOTIFY of the 'dialog' event
// package: busy lamps) into typed dialogs. Anything that is not a dialog-info document in the
// right namespace is refused with a reason; a dialog without an id is skipped and counted; a
// state word outside RFC 4235's five becomes 'unknown'. Network text is bounded and cleaned:
// ids, Call-IDs and tags are kept only without white space, controls or invisible characters,
// URIs only as sip:/sips:/tel: URIs, display names cleaned to one line (text/inert-text.ts).
import { isVisibleToken, singleLine } from '../text/inert-text';
import {
  attribute,
  childElements,
  firstChild,
  ownText,
  readRoot,
  type DocumentError,
} from '../xml/query';
import type { XmlElement, XmlLimits } from '../xml/types';
import { DIALOG_INFO_NS } from './namespaces';

/** RFC 4235 §4.1.2 dialog states (its finite state machine, Figure 3). */
export type DialogState = 'trying' | 'proceeding' | 'early' | 'confirmed' | 'terminated';

/** A participant's identity: the URI and the display name, if the notifier gave one. */
export interface Identity {
  uri: string;
  display: string | null;
}

/** The <local> or <remote> element of a dialog (RFC 4235 §4.1.6). */
export interface Participant {
  identity: Identity | null;
  /** The participant's target URI (its Contact), from <target uri="…">. */
  target: string | null;
}

/** One <dialog> element. Tags are from the subscribed user's point of view (RFC 4235 §4.1). */
export interface DialogInfoDialog {
  id: string;
  callId: string | null;
  /** The tag the subscribed-to user's side of the dialog uses. */
  localTag: string | null;
  /** The tag of the other party. */
  remoteTag: string | null;
  /** 'initiator': the subscribed user placed the call; 'recipient': it was called. */
  direction: 'initiator' | 'recipient' | null;
  /** 'unknown' when the state element is missing or names no RFC 4235 state. */
  state: DialogState | 'unknown';
  /** <state event="…">: why it was terminated, e.g. 'rejected', 'replaced', 'cancelled'. */
  stateEvent: string | null;
  /** <state code="…">: the SIP response code that caused the transition. */
  stateCode: number | null;
  /** <duration>, seconds, when given. */
  durationS: number | null;
  local: Participant | null;
  remote: Participant | null;
}

/** A whole dialog-info document. */
export interface DialogInfoDocument {
  entity: string;
  version: number;
  state: 'full' | 'partial';
  dialogs: DialogInfoDialog[];
  /** Dialog elements that were ignored (no id, or over MAX_DIALOGS). */
  skipped: number;
}

export type DialogInfoError =
  DocumentError | { kind: 'bad-version' } | { kind: 'bad-state' } | { kind: 'no-entity' };

export type DialogInfoResult =
  | { ok: true; document: DialogInfoDocument }
  | { ok: false; error: DialogInfoError; message: string };

/** Dialogs read from one document; a phone has a handful, a PBX trunk view maybe dozens. */
export const MAX_DIALOGS = 64;
/** Longest URI, Call-ID, tag or id kept; longer values are dropped as garbage. */
export const MAX_TOKEN_LENGTH = 512;
/** Longest display name kept (code points). */
export const MAX_DISPLAY_LENGTH = 128;

const STATES: ReadonlySet<string> = new Set([
  'trying',
  'proceeding',
  'early',
  'confirmed',
  'terminated',
]);

function refuse(error: DialogInfoError, message: string): DialogInfoResult {
  return { ok: false, error, message };
}

/** A trimmed attribute or text value with no white space or controls inside, or null. */
function token(value: string | undefined): string | null {
  const v = value?.trim();
  if (!v || v.length > MAX_TOKEN_LENGTH || !isVisibleToken(v)) {
    return null;
  }
  return v;
}

/** A sip:, sips: or tel: URI token (no quotes or angle brackets), or null. */
function uri(value: string | undefined): string | null {
  const v = token(value);
  return v !== null && /^(sips?|tel):[^<>"]+$/i.test(v) ? v : null;
}

function display(value: string | undefined): string | null {
  if (value === undefined) {
    return null;
  }
  const text = singleLine(value, MAX_DISPLAY_LENGTH);
  return text === '' ? null : text;
}

function participant(dialog: XmlElement, local: 'local' | 'remote'): Participant | null {
  const el = firstChild(dialog, DIALOG_INFO_NS, local);
  if (!el) {
    return null;
  }
  const idEl = firstChild(el, DIALOG_INFO_NS, 'identity');
  const identity = idEl ? uri(ownText(idEl)) : null;
  const targetEl = firstChild(el, DIALOG_INFO_NS, 'target');
  return {
    identity:
      idEl && identity ? { uri: identity, display: display(attribute(idEl, 'display')) } : null,
    target: targetEl ? uri(attribute(targetEl, 'uri')) : null,
  };
}

function nonNegativeInt(value: string | undefined, max: number): number | null {
  const v = value?.trim() ?? '';
  if (!/^[0-9]{1,10}$/.test(v)) {
    return null;
  }
  const n = Number(v);
  return n <= max ? n : null;
}

function readDialog(el: XmlElement): DialogInfoDialog | null {
  const id = token(attribute(el, 'id'));
  if (id === null) {
    return null;
  }
  const stateEl = firstChild(el, DIALOG_INFO_NS, 'state');
  const word = stateEl ? ownText(stateEl).trim().toLowerCase() : '';
  const direction = attribute(el, 'direction')?.trim().toLowerCase();
  const durationEl = firstChild(el, DIALOG_INFO_NS, 'duration');
  return {
    id,
    callId: token(attribute(el, 'call-id')),
    localTag: token(attribute(el, 'local-tag')),
    remoteTag: token(attribute(el, 'remote-tag')),
    direction: direction === 'initiator' || direction === 'recipient' ? direction : null,
    state: STATES.has(word) ? (word as DialogState) : 'unknown',
    stateEvent: stateEl ? token(attribute(stateEl, 'event')) : null,
    stateCode: stateEl ? nonNegativeInt(attribute(stateEl, 'code'), 699) : null,
    durationS: durationEl ? nonNegativeInt(ownText(durationEl), 2 ** 32 - 1) : null,
    local: participant(el, 'local'),
    remote: participant(el, 'remote'),
  };
}

/** Reads a dialog-info body (string or bytes). Never throws. */
export function parseDialogInfo(
  body: string | Uint8Array,
  limits: Partial<XmlLimits> = {},
): DialogInfoResult {
  const read = readRoot(
    body,
    DIALOG_INFO_NS,
    'dialog-info',
    'The body is not a dialog-info document in the RFC 4235 namespace.',
    limits,
  );
  if (!read.ok) {
    return read;
  }
  const root = read.root;
  const version = nonNegativeInt(attribute(root, 'version'), 2 ** 32 - 1);
  if (version === null) {
    return refuse({ kind: 'bad-version' }, 'The dialog-info version is missing or not a number.');
  }
  const state = attribute(root, 'state')?.trim();
  if (state !== 'full' && state !== 'partial') {
    return refuse({ kind: 'bad-state' }, 'The dialog-info state is neither "full" nor "partial".');
  }
  const entity = token(attribute(root, 'entity'));
  if (entity === null) {
    return refuse({ kind: 'no-entity' }, 'The dialog-info document names no entity.');
  }
  const dialogs = new Map<string, DialogInfoDialog>();
  let skipped = 0;
  for (const el of childElements(root, DIALOG_INFO_NS, 'dialog')) {
    const dialog = dialogs.size < MAX_DIALOGS ? readDialog(el) : null;
    if (dialog === null) {
      skipped++;
    } else {
      dialogs.delete(dialog.id); // a repeated id: the later element wins, in its place
      dialogs.set(dialog.id, dialog);
    }
  }
  return {
    ok: true,
    document: { entity, version, state, dialogs: [...dialogs.values()], skipped },
  };
}
