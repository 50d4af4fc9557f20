// The records of chat (issue 14) as they are stored in IndexedDB (db/phone-db.ts, schema v3) and
// shown by the views: conversations per account and peer, their messages with delivery states,
// and blocked senders. A leaf module: types only.

/** Where an outgoing message is. Incoming messages are 'received'. */
export type OutgoingState =
  /** Waiting for the account to be registered (or for the message before it in the thread). */
  | 'queued'
  /** MESSAGE sent, no final answer yet. */
  | 'sending'
  /** A 2xx other than 202: the peer's phone took it. */
  | 'delivered'
  /** 202 Accepted: the server took it and will deliver it (store-and-forward). */
  | 'accepted'
  /** Not delivered; `reason` says why, the text stays and can be sent again. */
  | 'failed';

export type MessageState = OutgoingState | 'received';

/** One chat message. */
export interface ChatMessage {
  /** Time-ordered id (see messageId), unique. */
  id: string;
  conversationId: string;
  /** When it was received, or first typed and sent (epoch ms). */
  at: number;
  direction: 'in' | 'out';
  /** The text as shown: cleaned network text (incoming) or what the user typed. */
  text: string;
  state: MessageState;
  /** For 'failed' and 'queued': one plain sentence for the user; otherwise null. */
  reason: string | null;
  /** The final SIP status, when one arrived. */
  code: number | null;
  /** Incoming: invisible or control characters removed from the text as it arrived. */
  removed: number;
  /** Incoming: the Call-ID of the MESSAGE (a retransmission is stored once). */
  callId: string | null;
  /** Outgoing: how many times a MESSAGE was sent for it. */
  attempts: number;
  /** Outgoing: when it last entered the outbox (its wait for the connection counts from here). */
  queuedAt: number | null;
  /** Outgoing: when the final answer (or the failure) came (epoch ms). */
  doneAt: number | null;
}

/** The thread with one peer on one account. */
export interface Conversation {
  /** `${accountId}|${peer}` (see conversationIdOf). */
  id: string;
  accountId: string;
  /** The peer's canonical address, sip:user@host (see canonicalPeer). */
  peer: string;
  /** The peer's user part (a number or a name), decoded: matched against contacts. */
  peerUser: string;
  /** The display name the peer last sent (one line, cleaned), if any. */
  peerName: string | null;
  /** Time of the newest message, or of creation (epoch ms). */
  lastAt: number;
  /** The newest message as one short line (empty for a new conversation). */
  lastText: string;
  lastDirection: 'in' | 'out' | null;
  lastState: MessageState | null;
  /** Incoming messages not read yet. */
  unread: number;
  /** What the user was typing, kept across restarts. */
  draft: string;
}

/** A sender whose messages are refused with 603 Decline. */
export interface BlockedPeer {
  /** `${accountId}|${peer}`, the id the conversation has. */
  id: string;
  accountId: string;
  peer: string;
  /** When it was blocked (epoch ms). */
  at: number;
}
