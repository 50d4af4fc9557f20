// Matches an incoming CANCEL with the INVITE it cancels before JsSIP sees it. JsSIP 3.13 matches
// by Via branch only, answers 200 OK, then throws on a CANCEL whose tags match nothing (it
// replies 481 on a request that has no server transaction), which used to put a 200 and a 400
// on the wire for one CANCEL. RFC 3261 §9.1 wants the CANCEL's Call-ID, From, To and CSeq number
// to be those of the INVITE (the To-tag absent, as in the INVITE; some phones copy the tag of our
// provisional answer, which is accepted too); anything else matches no transaction: 481 (§9.2).
import { buildResponse, type ScreenVerdict, type SipHead } from './sip-screen';

interface InviteKey {
  callId: string;
  fromTag: string | null;
  toTag: string | null;
  cseq: string | null;
  /** The To-tag of our own answers to this INVITE, once one went out. */
  localTag: string | null;
}

/** How many INVITEs are remembered (the oldest are forgotten first). */
const REMEMBERED = 128;

/** The first value of a header, or null. */
function first(head: SipHead, name: string): string | null {
  return head.headers.get(name)?.[0] ?? null;
}

/** The branch parameter of the topmost Via. */
export function topBranch(head: SipHead): string | null {
  const via = first(head, 'via')?.split(',')[0] ?? '';
  return /;\s*branch\s*=\s*([^;,\s]+)/i.exec(via)?.[1] ?? null;
}

/** The tag parameter of a From or To value (outside the angle brackets). */
export function tagOf(value: string | null): string | null {
  if (value === null) {
    return null;
  }
  const params = value.includes('>') ? value.slice(value.lastIndexOf('>')) : value;
  return /;\s*tag\s*=\s*([^;\s]+)/i.exec(params)?.[1] ?? null;
}

function cseqNumber(head: SipHead): string | null {
  return /^\s*(\d+)/.exec(first(head, 'cseq') ?? '')?.[1] ?? null;
}

function cseqMethod(head: SipHead): string | null {
  return /^\s*\d+\s+(\S+)/.exec(first(head, 'cseq') ?? '')?.[1]?.toUpperCase() ?? null;
}

export class CancelScreen {
  readonly #invites = new Map<string, InviteKey>();

  /** Remembers an INVITE from the network. */
  noteRequest(head: SipHead): void {
    const branch = topBranch(head);
    if (head.method?.toUpperCase() !== 'INVITE' || !branch) {
      return;
    }
    this.#invites.delete(branch);
    this.#invites.set(branch, {
      callId: first(head, 'call-id') ?? '',
      fromTag: tagOf(first(head, 'from')),
      toTag: tagOf(first(head, 'to')),
      cseq: cseqNumber(head),
      localTag: null,
    });
    for (const key of this.#invites.keys()) {
      if (this.#invites.size <= REMEMBERED) {
        break;
      }
      this.#invites.delete(key);
    }
  }

  /** Learns the To-tag of our answer to a remembered INVITE. */
  noteResponse(head: SipHead): void {
    const branch = topBranch(head);
    const invite = branch ? this.#invites.get(branch) : undefined;
    if (invite && cseqMethod(head) === 'INVITE') {
      invite.localTag = tagOf(first(head, 'to')) ?? invite.localTag;
    }
  }

  /** 481 for a CANCEL that names a remembered INVITE's branch but not that INVITE. */
  screen(head: SipHead): ScreenVerdict {
    const branch = topBranch(head);
    const invite = branch ? this.#invites.get(branch) : undefined;
    if (head.method?.toUpperCase() !== 'CANCEL' || !invite) {
      return { action: 'pass' };
    }
    const toTag = tagOf(first(head, 'to'));
    const matches =
      first(head, 'call-id') === invite.callId &&
      tagOf(first(head, 'from')) === invite.fromTag &&
      cseqNumber(head) === invite.cseq &&
      (toTag === invite.toTag || (toTag !== null && toTag === invite.localTag));
    if (matches) {
      return { action: 'pass' };
    }
    const reason = 'a CANCEL that matches no INVITE of ours';
    const response = buildResponse(head, 481, 'Call/Transaction Does Not Exist');
    return response ? { action: 'reply', response, reason } : { action: 'drop', reason };
  }
}
