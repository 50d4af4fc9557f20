// The few private members of JsSIP 3.13 the engine has to reach, in one place, each with the
// reason and the upstream behaviour it works around. An upgrade of JsSIP checks this file (and
// test/unit/phone/robust-*.test.ts, which fail when one of these assumptions breaks), and
// ice-restart.ts (`_createLocalDescription`, `_iceReady`: ICE restarts), jssip-deferred.ts
// (JsSIP's session classes loaded apart from the startup file) and answer-ahead.ts
// (`_createRTCConnection`, `_connection`, `_request`, `_status`, `_late_sdp`: the answer of a
// ringing call prepared before the user answers).
//
// - A session that ends through `_acceptAndTerminate` + `_failed` (a 2xx without SDP, a 2xx
//   whose SDP the browser refuses) is never closed: `_acceptAndTerminate` sets the status to
//   TERMINATED first, and `_close()` returns early on TERMINATED, so the RTCPeerConnection stays
//   open and the session and its dialog stay in the UA (versatica/JsSIP#683 fixed only the local
//   stream, PR #684). `releaseSession` finishes the job for every ended session.
// - `hold()`, `unhold()` and `renegotiate()` end the whole call (BYE "Hold Failed") when the
//   re-INVITE fails, and nothing bounds a re-INVITE that got only a 1xx (no Timer C for a UAC),
//   so "the other side did not answer the hold" used to leave the dialog busy for the rest of
//   the call. `sendReoffer` sends the same re-INVITE with our own handlers, and
//   `cancelReoffer` / `abandonReoffer` end a re-INVITE that hangs.
// - A 2xx that crosses our CANCEL of a call that got a 1xx is dropped without ACK or BYE
//   (JsSIP's `_is_canceled` is set only for a cancel before any 1xx): releaseSession sets it.
// - A cancelled INVITE that got a 1xx, or a re-INVITE of a call that ended meanwhile, waits for
//   its final answer forever; RFC 3261 §9.1 gives it 64×T1 (releaseSession schedules that).
// - A 2xx that arrives after we cancelled (or for a session that already failed) makes JsSIP
//   create a dialog to send ACK and BYE, and nothing removes it: `sweepEndedSessions`.
// - A session whose ICE connection fails is terminated at once (RTCSession.js
//   `_createRTCConnection`: terminate({ cause: RTP_TIMEOUT, status_code: 408 })), although an
//   ICE restart could bring the audio back; and an unanswered call whose connection drops
//   (`onTransportError`) ends as a local "Canceled", which would tell the user they cancelled
//   it. `interceptTerminate` lets the call recover the first and name the cause of the second.
// - After a re-offer from the far end fails inside the browser (createAnswer or
//   setLocalDescription refused), JsSIP leaves `_rtcReady` false and the peer connection in
//   have-remote-offer; `markRtcReady` is used once the connection is rolled back.
// - A connection that drops while a re-INVITE of ours waits for its answer (a hold, a resume, a
//   session refresh, an ICE restart) makes JsSIP end the whole call: UA `onTransportDisconnect`
//   runs `onTransportError` on every client transaction, and the re-INVITE's handler calls
//   `RTCSession.onTransportError` → terminate("Connection Error"), never the re-INVITE's own
//   `failed` handler. `interceptTerminate` lets an answered call be recovered instead; the
//   re-INVITE's transaction is ended by JsSIP right after (which clears the dialog's
//   `uac_pending_reply`, so `isReadyToReOffer()` is true again), the hold or resume it carried
//   is handed to the recovery offer (`sendIceRestart`), and that offer first ACKs the given-up
//   re-INVITE in case the far end answered it over the dead flow.
// - A UA whose connection dropped reconnects only after its backoff (up to 30 s); a network
//   that comes back while a call waits for recovery is used at once (`connectNow`).
// - A connection that drops while an incoming call rings makes JsSIP delete the call's INVITE
//   server transaction (UA `onTransportDisconnect` runs `onTransportError` on server
//   transactions too), and a reply it cannot send (the answer, a decline) ends the session
//   with "Connection Error". Yet the proxy matches replies by its Via branch, not by the
//   connection they come over (RFC 3261 §17.1.3, §16.7), so the call can still be answered over
//   a new connection. `HeldReplies` keeps the transaction, holds the reply that could not go
//   and sends it over the next connection.
// - A 2xx to our INVITE that confirms an early dialog (one a 1xx with a To-tag created) leaves
//   the dialog's remote target at the 1xx's Contact: `Dialog.update` recomputes only the route
//   set, though INVITE is a target refresh request (RFC 3261 §12.2.1.2, §13.2.2.4). When the
//   far end answered over a new connection (a proxy aliases each Contact to the connection it
//   came by), our ACK and BYE went to its old one. `refreshTargetOnAnswer` takes the 2xx's.
// - A connection that drops while a call we placed rings ends the call (its answer would come
//   back over the old connection), and JsSIP's INVITE client transaction with it, so the
//   CANCEL that JsSIP then tries cannot go: the far end rang on until the proxy's own timer.
//   `inviteCanceller` keeps what that CANCEL needs (RFC 3261 §9.1: the INVITE's Request-URI,
//   Call-ID, CSeq number, From, To, Via and Route) to send it over the next connection; the
//   proxy matches it to the INVITE by the Via branch.
import type { RTCSession } from 'jssip/lib/RTCSession';
import { OutgoingRequest } from 'jssip/lib/SIPMessage';
import type { URI } from 'jssip/lib/URI';

interface JsSipTransaction {
  state: number;
  request: { method: string; call_id: string; cseq: number };
  B?: ReturnType<typeof setTimeout>;
  D?: ReturnType<typeof setTimeout>;
  M?: ReturnType<typeof setTimeout>;
  cancel?(reason: string): void;
  stateChanged(state: number): void;
}

interface JsSipDialog {
  id: { call_id: string };
  _owner?: { isEnded?: () => boolean };
  uac_pending_reply: boolean;
  terminate(): void;
}

interface JsSipUa {
  _sessions: Record<string, unknown>;
  _dialogs: Record<string, unknown>;
  _transactions: Record<'ict' | 'nict' | 'ist' | 'nist', Record<string, JsSipTransaction>>;
  destroyRTCSession(session: unknown): void;
  destroyTransaction(transaction: JsSipTransaction): void;
}

interface SessionInternals {
  id: string;
  _ua: JsSipUa;
  /** The initial request; an outgoing INVITE knows its client transaction. */
  _request?: { call_id?: string; transaction?: JsSipTransaction | null };
  _connection: RTCPeerConnection | null;
  _dialog?: JsSipDialog;
  _earlyDialogs: Record<string, JsSipDialog>;
  _timers: Record<string, ReturnType<typeof setTimeout> | undefined>;
  _sessionTimers: { timer?: ReturnType<typeof setTimeout> };
  _is_canceled: boolean;
  _localHold: boolean;
  _remoteHold: boolean;
  _rtcReady: boolean;
  _onhold(originator: 'local' | 'remote'): void;
  _onunhold(originator: 'local' | 'remote'): void;
  _createDialog(message: unknown, type: 'UAC' | 'UAS', early?: boolean): boolean;
  _sendReinvite(options: {
    rtcOfferConstraints?: RTCOfferOptions;
    eventHandlers: { succeeded(response: unknown): void; failed(response?: unknown): void };
  }): void;
  sendRequest(method: 'ACK'): unknown;
}

/**
 * Opens the UA's connection now instead of waiting out JsSIP's reconnection backoff (random, up
 * to 30 s: longer than a call may wait for its recovery). JsSIP has no public call for it
 * (`UA.start()` only logs that auto-recovery is trying); `Transport.connect()` does nothing
 * while connected or connecting, and the pending recovery timer does nothing once connected.
 */
export function connectNow(ua: unknown): void {
  (ua as { _transport?: { connect(): void } })._transport?.connect();
}

// Transactions.C in JsSIP 3.13.
const TX_PROCEEDING = 2;
const TX_CALLING = 3;
const TX_TERMINATED = 6;

const inner = (session: RTCSession): SessionInternals => session as unknown as SessionInternals;

/**
 * Finishes what JsSIP's `_close` skips for an ended session: closes the peer connection,
 * removes the dialogs and the session from the UA and clears the session's timers. Safe to
 * call more than once; does nothing for a session that has not ended.
 */
export function releaseSession(session: RTCSession): void {
  if (!session.isEnded()) {
    return;
  }
  const s = inner(session);
  if (String(session.direction) === 'outgoing' && invitePending(s)) {
    // So that a 2xx crossing our CANCEL gets ACK and BYE (JsSIP sets this flag only when it
    // cancels before any 1xx, and otherwise drops such a 2xx: the far end stays connected).
    s._is_canceled = true;
  }
  if (s._connection && s._connection.signalingState !== 'closed') {
    s._connection.close();
  }
  for (const timer of Object.values(s._timers)) {
    clearTimeout(timer);
  }
  clearTimeout(s._sessionTimers.timer);
  if (s._dialog) {
    s._dialog.terminate();
    delete s._dialog;
  }
  for (const [id, dialog] of Object.entries(s._earlyDialogs)) {
    dialog.terminate();
    delete s._earlyDialogs[id];
  }
  if (s._ua._sessions[s.id] === session) {
    s._ua.destroyRTCSession(session);
  }
  expirePendingInvites(s);
}

/** RFC 3261 §9.1: how long a cancelled INVITE may wait for its final answer (64×T1). */
export const CANCELLED_INVITE_MS = 32_000;

const expiring = new WeakSet<JsSipTransaction>();

// INVITEs of an ended session still without a final answer: the initial one we cancelled
// (waiting for its 487, or a late 2xx that JsSIP ACKs and BYEs) and any re-INVITE that got only
// a 1xx. JsSIP never gives up on them; RFC 3261 §9.1 says to consider a cancelled INVITE done
// after 64×T1, and the session is gone for a re-INVITE.
function expirePendingInvites(s: SessionInternals): void {
  const callId = s._request?.call_id;
  const pending = Object.values(s._ua._transactions.ict).filter(
    (tr) =>
      tr.request.call_id === callId && (tr.state === TX_CALLING || tr.state === TX_PROCEEDING),
  );
  for (const tr of pending) {
    if (expiring.has(tr)) {
      continue;
    }
    expiring.add(tr);
    setTimeout(() => {
      if (tr.state === TX_CALLING || tr.state === TX_PROCEEDING) {
        endTransaction(s._ua, tr);
      }
    }, CANCELLED_INVITE_MS);
  }
}

/** Whether the session's initial INVITE (ours) has had no final answer yet. */
function invitePending(s: SessionInternals): boolean {
  const state = s._request?.transaction?.state;
  return state === TX_CALLING || state === TX_PROCEEDING;
}

function endTransaction(ua: JsSipUa, tr: JsSipTransaction): void {
  clearTimeout(tr.B);
  clearTimeout(tr.D);
  clearTimeout(tr.M);
  tr.stateChanged(TX_TERMINATED);
  ua.destroyTransaction(tr);
}

/**
 * Releases whatever a UA still keeps for sessions that have ended: a 2xx that arrives after we
 * cancelled a call makes JsSIP create a dialog (to send ACK and BYE) that nothing removes.
 * Cheap (a UA holds a handful of entries); the engine runs it after every message.
 */
export function sweepEndedSessions(ua: unknown): void {
  const u = ua as JsSipUa;
  for (const session of Object.values(u._sessions)) {
    releaseSession(session as RTCSession);
  }
  for (const dialog of Object.values(u._dialogs) as JsSipDialog[]) {
    if (dialog._owner?.isEnded?.() === true) {
      dialog.terminate();
    }
  }
}

/** What a UA still keeps: sessions, dialogs and transactions (diagnostics, leak checks). */
export interface UaFootprint {
  sessions: number;
  dialogs: number;
  transactions: number;
}

/** How much a UA still keeps (tests and the fuzzer's leak check). */
export function uaFootprint(ua: unknown): UaFootprint {
  const u = ua as JsSipUa;
  const transactions = Object.values(u._transactions).reduce(
    (n, kind) => n + Object.keys(kind).length,
    0,
  );
  return {
    sessions: Object.keys(u._sessions).length,
    dialogs: Object.keys(u._dialogs).length,
    transactions,
  };
}

/** What a re-offer of ours reports. */
export interface ReofferHandlers {
  /** The far end accepted the new offer (2xx with an answer the browser applied). */
  succeeded(): void;
  /** It was refused or could not be applied; `code` is the final response's status, if any. */
  failed(code: number | null): void;
  /**
   * The connection under it was lost before its answer: the call's recovery offer carries the
   * same hold state, and `succeeded` follows once that one is accepted (or the call ends).
   */
  lost?(): void;
}

/** The hold/resume re-offer of each session still waiting for its answer. */
const inFlight = new WeakMap<RTCSession, ReofferHandlers>();
/** Re-offers given up with a lost connection, settled by the next recovery offer. */
const carried = new WeakMap<RTCSession, ReofferHandlers[]>();
/** Sessions whose re-INVITE was given up unanswered: the recovery offer ACKs it first. */
const unacked = new WeakSet<RTCSession>();

/**
 * Sends a re-INVITE that puts the call on hold (`held`) or takes it off hold, like JsSIP's
 * hold()/unhold() but with our handlers: a failure never ends the call, it is reported.
 * Returns false when JsSIP cannot send one now (no dialog yet, another offer pending).
 */
export function sendReoffer(
  session: RTCSession,
  held: boolean,
  handlers: ReofferHandlers,
): boolean {
  const s = inner(session);
  if (s._localHold === held || !session.isReadyToReOffer()) {
    return false;
  }
  setHold(session, 'local', held);
  inFlight.set(session, handlers);
  const settle = (): void => {
    if (inFlight.get(session) === handlers) {
      inFlight.delete(session);
    }
  };
  s._sendReinvite({
    eventHandlers: {
      succeeded: () => {
        settle();
        handlers.succeeded();
      },
      failed: (response) => {
        settle();
        handlers.failed(statusOf(response));
      },
    },
  });
  return true;
}

/**
 * Sends a re-INVITE with an ICE restart and the call's current hold state (the recovery offer).
 * A re-INVITE of ours given up with the lost connection is ACKed first: if the far end answered
 * it over the dead flow, it waits for that ACK and ends the call without it (RFC 3261 §13.3.1.4;
 * baresip hangs up after 64×T1); a far end that never answered ignores the ACK. A hold or resume
 * that was in flight then is settled with this offer. Returns false when JsSIP cannot send a
 * re-INVITE now (no dialog, an offer still in flight, the connection being created).
 */
export function sendIceRestart(session: RTCSession, handlers: ReofferHandlers): boolean {
  const s = inner(session);
  if (session.isEnded() || !session.isReadyToReOffer()) {
    return false;
  }
  if (unacked.has(session)) {
    unacked.delete(session);
    s.sendRequest('ACK');
  }
  s._sendReinvite({
    rtcOfferConstraints: { iceRestart: true },
    eventHandlers: {
      succeeded: () => {
        const waiting = carried.get(session) ?? [];
        carried.delete(session);
        handlers.succeeded();
        waiting.forEach((h) => h.succeeded());
      },
      failed: (response) => handlers.failed(statusOf(response)),
    },
  });
  return true;
}

// The connection under an answered call failed and the call is being recovered: what JsSIP
// leaves behind is put in order (see the header: the transactions themselves are ended by JsSIP
// right after this).
function giveUpInFlight(session: RTCSession): void {
  if (pendingReoffers(session).length > 0) {
    unacked.add(session);
  }
  const handlers = inFlight.get(session);
  if (handlers) {
    inFlight.delete(session);
    carried.set(session, [...(carried.get(session) ?? []), handlers]);
    handlers.lost?.();
  }
}

/**
 * Sets JsSIP's own local- or remote-hold flag and emits its hold/unhold event, as JsSIP does
 * (used to put a flag back after a refused offer).
 */
export function setHold(session: RTCSession, originator: 'local' | 'remote', held: boolean): void {
  const s = inner(session);
  const flag = originator === 'local' ? '_localHold' : '_remoteHold';
  if (s[flag] === held) {
    return;
  }
  s[flag] = held;
  if (held) {
    s._onhold(originator);
  } else {
    s._onunhold(originator);
  }
}

/** Whether JsSIP's remote-hold flag is set. */
export function isRemoteHold(session: RTCSession): boolean {
  return inner(session)._remoteHold;
}

/** Tells JsSIP the peer connection is usable again (after we rolled a failed offer back). */
export function markRtcReady(session: RTCSession): void {
  inner(session)._rtcReady = true;
}

/** The INVITE client transactions of this session's dialog still without a final answer. */
function pendingReoffers(session: RTCSession): JsSipTransaction[] {
  const s = inner(session);
  const callId = s._dialog?.id.call_id;
  if (!callId) {
    return [];
  }
  return Object.values(s._ua._transactions.ict).filter(
    (tr) =>
      tr.request.call_id === callId &&
      tr.request.method === 'INVITE' &&
      (tr.state === TX_CALLING || tr.state === TX_PROCEEDING),
  );
}

/** Sends CANCEL for a re-INVITE that got a provisional answer only; true when one was sent. */
export function cancelReoffer(session: RTCSession, reason: string): boolean {
  let sent = false;
  for (const tr of pendingReoffers(session)) {
    if (tr.state === TX_PROCEEDING && tr.cancel) {
      tr.cancel(reason);
      sent = true;
    }
  }
  return sent;
}

/**
 * Gives up a re-INVITE that never got a final answer, even to our CANCEL: its transaction is
 * ended and removed (no handler of it runs any more), which also frees the dialog for the next
 * offer (DialogRequestSender clears `uac_pending_reply` when the transaction terminates).
 */
export function abandonReoffer(session: RTCSession): void {
  const s = inner(session);
  for (const tr of pendingReoffers(session)) {
    endTransaction(s._ua, tr);
  }
  if (s._dialog) {
    s._dialog.uac_pending_reply = false;
  }
  s._rtcReady = true;
}

function statusOf(response: unknown): number | null {
  const code = (response as { status_code?: unknown } | undefined)?.status_code;
  return typeof code === 'number' ? code : null;
}

/** JsSIP's causes (JsSIP_C.causes) of the terminates it runs by itself that the call handles. */
const ICE_FAILED_CAUSE = 'RTP Timeout';
const CONNECTION_ERROR_CAUSE = 'Connection Error';

/** What a call does before JsSIP ends its session by itself. */
export interface TerminateHooks {
  /** The ICE connection failed: true when the call is being recovered (the session stays). */
  iceFailed(): boolean;
  /**
   * The transport under a transaction of the session failed: true when the call is being
   * recovered (an answered call; the session stays), false when it ends.
   */
  connectionError(): boolean;
}

/**
 * Lets the call act before JsSIP ends `session` by itself: on an ICE failure it may recover
 * the call instead; on a connection error it may recover an answered call (a re-INVITE in
 * flight is given up, its hold or resume carried by the recovery offer) or name the cause
 * (JsSIP reports the end of an unanswered call that lost its connection as a local "Canceled").
 */
export function interceptTerminate(session: RTCSession, hooks: TerminateHooks): void {
  const original = session.terminate.bind(session);
  session.terminate = (options?: Parameters<RTCSession['terminate']>[0]): void => {
    const cause = (options as { cause?: unknown } | undefined)?.cause;
    if (cause === ICE_FAILED_CAUSE && hooks.iceFailed()) {
      return;
    }
    if (cause === CONNECTION_ERROR_CAUSE && hooks.connectionError()) {
      giveUpInFlight(session);
      return;
    }
    original(options);
  };
}

/** JsSIP 3.13's InviteServerTransaction, the members `HeldReplies` reaches. */
interface ServerTransactionInternals {
  state: number;
  transport: JsSipTransport;
  onTransportError(): void;
  on(event: 'stateChanged', listener: () => void): void;
}

/** JsSIP's Transport as a transaction uses it. */
interface JsSipTransport {
  send(message: unknown): boolean;
  isConnected(): boolean;
}

/**
 * The replies of incoming INVITEs (ringing, the answer, a decline) that could not be sent
 * because the connection was down, sent over the next connection (`flush`). Each INVITE's
 * server transaction outlives its connection; its own timers (JsSIP's Timer H and L, the
 * session's no-answer timer and 2xx retransmissions) and the call's recovery bound end it.
 */
export class HeldReplies {
  readonly #held = new Map<ServerTransactionInternals, { via: JsSipTransport; reply: unknown }>();

  /** Replies waiting for a connection. */
  get size(): number {
    return this.#held.size;
  }

  /** Keeps the server transaction of this incoming INVITE across connections. */
  keep(request: unknown): void {
    const tx = (request as { server_transaction?: ServerTransactionInternals }).server_transaction;
    if (!tx || tx.state === TX_TERMINATED) {
      return;
    }
    const via = tx.transport;
    tx.transport = {
      send: (reply) => {
        if (via.isConnected() && via.send(reply)) {
          this.#held.delete(tx); // a later reply supersedes the held one
        } else {
          this.#held.set(tx, { via, reply });
        }
        // Sent or held: the transaction and the session go on as if it had left.
        return true;
      },
      isConnected: () => via.isConnected(),
    };
    tx.onTransportError = () => {};
    tx.on('stateChanged', () => {
      if (tx.state === TX_TERMINATED) {
        this.#held.delete(tx);
      }
    });
  }

  /** A connection is up: sends every held reply over it. Returns how many went. */
  flush(): number {
    let sent = 0;
    for (const [tx, { via, reply }] of this.#held) {
      if (via.isConnected() && via.send(reply)) {
        this.#held.delete(tx);
        sent += 1;
      }
    }
    return sent;
  }

  /** Forgets every held reply (the engine stops). */
  clear(): void {
    this.#held.clear();
  }
}

/**
 * Makes the 2xx to `session`'s INVITE set the dialog's remote target from its Contact when it
 * confirms an early dialog (RFC 3261 §12.2.1.2); JsSIP keeps the 1xx's. Call it for outgoing
 * sessions before their INVITE goes.
 */
export function refreshTargetOnAnswer(session: RTCSession): void {
  const s = inner(session);
  const create = s._createDialog.bind(s);
  s._createDialog = (message, type, early) => {
    const created = create(message, type, early);
    if (created && type === 'UAC' && early !== true && s._dialog) {
      const target = (
        message as { parseHeader(name: string): { uri?: unknown } | undefined }
      ).parseHeader('contact')?.uri;
      if (target !== undefined) {
        (s._dialog as JsSipDialog & { _remote_target: unknown })._remote_target = target;
      }
    }
    return created;
  };
}

/** The INVITE of an outgoing session as JsSIP 3.13 keeps it (an OutgoingRequest). */
interface InviteInternals {
  ruri: URI;
  cseq: number;
  getHeader(name: string): string | undefined;
  getHeaders(name: string): string[];
}

// JsSIP's typings declare OutgoingRequest without its constructor.
type CancelCtor = new (
  method: 'CANCEL',
  ruri: URI,
  ua: unknown,
  params: { route_set: string[]; call_id: string; cseq: number },
) => OutgoingRequest;

/**
 * What it takes to CANCEL `session`'s INVITE later, over another connection: a function that
 * sends the CANCEL through `ua`'s transport (true when it went), or null when the INVITE never
 * left (no Via yet: nothing to cancel).
 */
export function inviteCanceller(session: RTCSession): ((ua: unknown) => boolean) | null {
  const invite = inner(session)._request as unknown as InviteInternals | undefined;
  const via = invite?.getHeader('via');
  if (!invite || !via) {
    return null;
  }
  const fields = {
    ruri: invite.ruri,
    cseq: invite.cseq,
    callId: invite.getHeader('call-id') ?? '',
    from: invite.getHeader('from') ?? '',
    to: invite.getHeader('to') ?? '',
    route: invite.getHeaders('route'),
    via,
  };
  return (ua) => {
    const transport = (ua as { _transport?: { send(message: unknown): boolean } })._transport;
    const Cancel = OutgoingRequest as unknown as CancelCtor;
    const cancel = new Cancel('CANCEL', fields.ruri, ua, {
      route_set: fields.route,
      call_id: fields.callId,
      cseq: fields.cseq,
    });
    cancel.setHeader('from', fields.from);
    cancel.setHeader('via', fields.via);
    cancel.setHeader('to', fields.to);
    return transport?.send(cancel) ?? false;
  };
}
