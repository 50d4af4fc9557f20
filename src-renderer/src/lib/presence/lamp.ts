// Owns what a busy lamp shows for one colleague, derived from their dialog table
// (dialog-state.ts): idle / ringing / in call / unknown, who is calling them, and what a directed
// pickup needs — an INVITE with an RFC 3891 Replaces header built from the ringing dialog, or a
// feature code such as '*8' dialled in front of the extension.
//
// Tag orientation. RFC 4235 §4.1 reports a dialog from the subscribed user's side: local-tag is
// the ringing colleague's tag, remote-tag the caller's. RFC 3891 §3 matches Replaces at the UA
// that receives it, comparing to-tag with its own (local) tag and from-tag with its peer's, and
// lets an early dialog be replaced only at the UA that initiated it — the caller, or the PBX
// that called the colleague. So the INVITE goes towards the caller side and carries
//   Replaces: <call-id>;to-tag=<remote-tag>;from-tag=<local-tag>;early-only
// 'early-only' (RFC 3891 §3) makes the receiver refuse with 486 instead of replacing a call that
// was answered meanwhile: a pickup must never steal a call in progress.
import type { DialogInfoDialog, Identity } from './dialog-info';
import type { EntityDialogs } from './dialog-state';

export type LampState = 'idle' | 'ringing' | 'in-call' | 'unknown';

/** What an INVITE with Replaces needs to pick up a ringing dialog. */
export interface PickupInfo {
  dialogId: string;
  callId: string;
  /** The caller side's own tag (dialog-info remote-tag). */
  toTag: string;
  /** The ringing colleague's tag (dialog-info local-tag). */
  fromTag: string;
  /** The Replaces header value, with ';early-only'. */
  replaces: string;
  /**
   * Where to send the INVITE: the caller's target, else its identity; null when the notifier
   * gave neither (then send it to the colleague's AOR and let the PBX match the Replaces).
   */
  requestUri: string | null;
}

export interface Lamp {
  state: LampState;
  /** Who is calling them (the remote identity of the ringing dialog), when the PBX said. */
  caller: Identity | null;
  /** Present when the ringing dialog carries a Call-ID and both tags in a safe shape. */
  pickup: PickupInfo | null;
  /** Ringing while they are also in a call (a waiting call at their phone). */
  alsoInCall: boolean;
  /** For 'unknown': one sentence saying why. */
  cause: string | null;
}

const EARLY: ReadonlySet<string> = new Set(['trying', 'proceeding', 'early']);

// RFC 3261 §25.1: callid = word [ "@" word ]; tag = token.
const WORD = /^[A-Za-z0-9\-.!%*_+`'~()<>:\\"/[\]?{}]+$/;
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Ringing at their phone: called (or direction not given, as older Asterisk sends) and early. */
function isRinging(d: DialogInfoDialog): boolean {
  return d.direction !== 'initiator' && EARLY.has(d.state);
}

/** On the phone: answered, or placing a call that is not answered yet. */
function isBusy(d: DialogInfoDialog): boolean {
  return d.state === 'confirmed' || (d.direction === 'initiator' && EARLY.has(d.state));
}

/** True for a Call-ID that RFC 3261's grammar allows (so it cannot break a header). */
export function isValidCallId(callId: string): boolean {
  if (callId.length === 0 || callId.length > 256) {
    return false;
  }
  const at = callId.indexOf('@');
  if (at === -1) {
    return WORD.test(callId);
  }
  return WORD.test(callId.slice(0, at)) && WORD.test(callId.slice(at + 1));
}

/** True for a tag that RFC 3261's token grammar allows. */
export function isValidTag(tag: string): boolean {
  return tag.length > 0 && tag.length <= 128 && TOKEN.test(tag);
}

/** The Replaces header value for a pickup of `dialog`, or null when its ids are missing/unsafe. */
export function pickupFor(dialog: DialogInfoDialog): PickupInfo | null {
  const { callId, localTag, remoteTag } = dialog;
  if (callId === null || localTag === null || remoteTag === null) {
    return null;
  }
  if (!isValidCallId(callId) || !isValidTag(localTag) || !isValidTag(remoteTag)) {
    return null;
  }
  return {
    dialogId: dialog.id,
    callId,
    toTag: remoteTag,
    fromTag: localTag,
    replaces: `${callId};to-tag=${remoteTag};from-tag=${localTag};early-only`,
    requestUri: dialog.remote?.target ?? dialog.remote?.identity?.uri ?? null,
  };
}

/** What the lamp of an entity shows. Pure. */
export function deriveLamp(entity: EntityDialogs): Lamp {
  const none = { caller: null, pickup: null, alsoInCall: false };
  if (entity.status === 'unknown') {
    return { state: 'unknown', ...none, cause: entity.cause };
  }
  const dialogs = [...entity.dialogs.values()];
  const ringing = dialogs.filter(isRinging);
  const busy = dialogs.some(isBusy);
  // Of several ringing dialogs, the first that can be picked up (else the first): the caller
  // shown is always the one a click would pick up.
  const chosen = ringing.find((d) => pickupFor(d) !== null) ?? ringing[0];
  if (chosen) {
    return {
      state: 'ringing',
      caller: chosen.remote?.identity ?? null,
      pickup: pickupFor(chosen),
      alsoInCall: busy,
      cause: null,
    };
  }
  if (busy) {
    return { state: 'in-call', ...none, cause: null };
  }
  if (dialogs.some((d) => d.state === 'unknown')) {
    return {
      state: 'unknown',
      ...none,
      cause: 'The server reported a dialog state it did not name.',
    };
  }
  if (!entity.complete) {
    return { state: 'unknown', ...none, cause: 'Only part of the dialog information has arrived.' };
  }
  return { state: 'idle', ...none, cause: null };
}

/**
 * The number to dial for a feature-code pickup ('*8' + '201' → '*8201'), or null when the
 * code or extension contain anything but dial digits (0-9 * #; letters A-D are not allowed).
 */
export function featureCodePickup(featureCode: string, extension: string): string | null {
  const code = featureCode.trim();
  const ext = extension.trim();
  if (!/^[0-9*#]{1,8}$/.test(code) || !/^[0-9*#]{1,32}$/.test(ext)) {
    return null;
  }
  return `${code}${ext}`;
}
