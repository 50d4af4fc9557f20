// Puts a NOTIFY that overtook the final response to its SUBSCRIBE back behind that response.
// JsSIP 3.13 creates a subscription's dialog only when the 2xx to the initial SUBSCRIBE arrives,
// and answers 481 to an in-dialog NOTIFY it has no dialog for; RFC 6665 §4.1.2.4 says the
// subscriber accepts a NOTIFY that arrives first (a proxy such as Kamailio can reorder the two).
// So the initial SUBSCRIBEs on their way out are remembered (Call-ID + From tag) until their
// final response comes in; a NOTIFY of one of them (same Call-ID, To tag = the SUBSCRIBE's
// From tag) is held and handed over right after that response (2xx: JsSIP now has the dialog;
// anything else: JsSIP answers 481, which is then right). A held NOTIFY waits at most HOLD_MS,
// then goes as it is; a SUBSCRIBE is forgotten after Timer F (JsSIP gives up on it then).
// Framework-free: the GuardedSocket feeds it the parsed heads and delivers what it releases.
import type { Cancel, Scheduler } from '../scheduler';
import { tagOf } from './cancel-screen';
import type { SipHead } from './sip-screen';

/** How long a NOTIFY waits for the response it overtook before it is handed over as it is. */
export const HOLD_MS = 4000;
/** RFC 3261 Timer F (64 × T1): after it, the SUBSCRIBE's transaction is over. */
export const SUBSCRIBE_TIMEOUT_MS = 32_000;
/** How many unanswered SUBSCRIBEs are remembered (the oldest are forgotten first). */
const REMEMBERED = 256;

/** A message ready for JsSIP: its text (screened and rewritten) and its parsed head. */
export interface HeldMessage {
  text: string;
  head: SipHead;
}

/** One initial SUBSCRIBE without a final response yet, and the NOTIFYs that overtook it. */
interface Pending {
  sentAt: number;
  /** CSeq number of the latest transaction (a challenged SUBSCRIBE is sent again with the next). */
  cseq: number | null;
  held: HeldMessage[];
  cancelHold: Cancel | null;
}

function first(head: SipHead, name: string): string | null {
  return head.headers.get(name)?.[0] ?? null;
}

function cseqMethod(head: SipHead): string | null {
  return /^\s*\d+\s+(\S+)/.exec(first(head, 'cseq') ?? '')?.[1]?.toUpperCase() ?? null;
}

function cseqNumber(head: SipHead): number | null {
  const digits = /^\s*(\d+)\s/.exec(first(head, 'cseq') ?? '')?.[1];
  return digits === undefined ? null : Number(digits);
}

/** Call-ID and tag as one key; null when either is missing. */
function keyOf(callId: string | null, tag: string | null): string | null {
  return callId && tag ? `${callId}\n${tag}` : null;
}

export class NotifyReorder {
  readonly #scheduler: Scheduler;
  readonly #release: (message: HeldMessage) => void;
  readonly #pending = new Map<string, Pending>();

  /** `release` hands a held NOTIFY to JsSIP (called from the bound's timer, or from `after`). */
  constructor(scheduler: Scheduler, release: (message: HeldMessage) => void) {
    this.#scheduler = scheduler;
    this.#release = release;
  }

  /** Notes a message JsSIP sends: an initial SUBSCRIBE (no To tag) starts waiting. */
  noteSent(head: SipHead): void {
    if (head.kind !== 'request' || head.method?.toUpperCase() !== 'SUBSCRIBE') {
      return;
    }
    if (tagOf(first(head, 'to')) !== null) {
      return;
    }
    const key = keyOf(first(head, 'call-id'), tagOf(first(head, 'from')));
    if (!key) {
      return;
    }
    this.#forgetStale();
    const known = this.#pending.get(key);
    if (known) {
      // Sent again (after a challenge): the new transaction's clock starts now. JsSIP sends it
      // while it handles the 401/407, before after() sees that answer, which the CSeq tells apart.
      known.sentAt = this.#scheduler.now();
      known.cseq = cseqNumber(head);
      return;
    }
    this.#pending.set(key, {
      sentAt: this.#scheduler.now(),
      cseq: cseqNumber(head),
      held: [],
      cancelHold: null,
    });
    for (const [oldest, pending] of this.#pending) {
      if (this.#pending.size <= REMEMBERED) {
        break;
      }
      this.#flush(oldest, pending);
    }
  }

  /**
   * Holds a NOTIFY from the network that belongs to a SUBSCRIBE still waiting for its final
   * response; returns false (hand it over now) for anything else.
   */
  hold(message: HeldMessage): boolean {
    const head = message.head;
    if (head.kind !== 'request' || head.method?.toUpperCase() !== 'NOTIFY') {
      return false;
    }
    const key = keyOf(first(head, 'call-id'), tagOf(first(head, 'to')));
    const pending = key ? this.#pending.get(key) : undefined;
    if (!key || !pending) {
      return false;
    }
    if (this.#scheduler.now() - pending.sentAt > SUBSCRIBE_TIMEOUT_MS) {
      this.#flush(key, pending);
      return false;
    }
    pending.held.push(message);
    pending.cancelHold ??= this.#scheduler.schedule(() => this.#flush(key, pending), HOLD_MS);
    return true;
  }

  /**
   * Runs after JsSIP handled a message from the network: the final response to a waiting
   * SUBSCRIBE ends the wait and releases, in order, the NOTIFYs held for it.
   */
  after(head: SipHead): void {
    if (head.kind !== 'response' || (head.status ?? 0) < 200 || cseqMethod(head) !== 'SUBSCRIBE') {
      return;
    }
    const key = keyOf(first(head, 'call-id'), tagOf(first(head, 'from')));
    const pending = key ? this.#pending.get(key) : undefined;
    if (!key || !pending) {
      return;
    }
    const cseq = cseqNumber(head);
    if (pending.cseq !== null && cseq !== null && cseq < pending.cseq) {
      return; // the challenge to a SUBSCRIBE already sent again: its answer is still to come
    }
    this.#flush(key, pending);
  }

  /** How many NOTIFYs are held now (diagnostics and tests). */
  get heldCount(): number {
    let count = 0;
    for (const pending of this.#pending.values()) {
      count += pending.held.length;
    }
    return count;
  }

  /**
   * Forgets everything (the connection closed: JsSIP's transactions on it are gone, and an
   * answer to a held NOTIFY could not reach its sender); returns how many NOTIFYs were dropped.
   */
  clear(): number {
    const dropped = this.heldCount;
    for (const pending of this.#pending.values()) {
      pending.cancelHold?.();
    }
    this.#pending.clear();
    return dropped;
  }

  // Ends the wait of one SUBSCRIBE and hands its held NOTIFYs over in arrival order.
  #flush(key: string, pending: Pending): void {
    if (this.#pending.get(key) !== pending) {
      return;
    }
    this.#pending.delete(key);
    pending.cancelHold?.();
    for (const message of pending.held) {
      this.#release(message);
    }
  }

  #forgetStale(): void {
    const now = this.#scheduler.now();
    for (const [key, pending] of this.#pending) {
      if (now - pending.sentAt > SUBSCRIBE_TIMEOUT_MS) {
        this.#flush(key, pending);
      }
    }
  }
}
