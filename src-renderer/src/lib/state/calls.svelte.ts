// Reactive state of the live calls ("lines"): which one the call view shows, call waiting,
// do-not-disturb and auto-answer policies, and every multi-call action (answer while in a call,
// switch lines, consult and transfer, merge into a local conference). Actions that touch more
// than one call run one after another, so holding one line and resuming another cannot race.
import { createLogger } from '../logger';
import { LocalConference } from '../phone/conference';
import { OpQueue } from '../phone/session-ops';
import type { CallSnapshot, PhoneCall, PhoneEngine } from '../phone';

const log = createLogger('calls');
const ENDED_VISIBLE_MS = 4000;

/** Settings the call policies read (from the settings file). */
export interface CallPolicy {
  doNotDisturb(): { on: boolean; code: 486 | 480 | 603 };
  autoAnswer(): boolean;
  allowAutoAnswerHeader(accountId: string): boolean;
}

/** Why a call ended up in the history as it did, beyond its snapshot. */
export interface EndedCall {
  snapshot: CallSnapshot;
  /** Declined by do-not-disturb without ringing. */
  dnd: boolean;
  /** The call that this consult call was for, when it was one. */
  consultFor: string | null;
}

export class CallsState {
  #lines = $state<CallSnapshot[]>([]);
  #incoming = $state<CallSnapshot[]>([]);
  #focusedId = $state<string | null>(null);
  #lastEnded = $state<CallSnapshot | null>(null);
  #notice = $state<string | null>(null);
  #conferenceIds = $state<readonly string[] | null>(null);
  #consults = $state<Record<string, string>>({});
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- call objects are not UI state
  #objects = new Map<string, PhoneCall>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- bookkeeping, not UI state
  #dndDeclined = new Set<string>();
  #conference: LocalConference | null = null;
  #ops = new OpQueue();
  #endedTimer: ReturnType<typeof setTimeout> | null = null;
  #policy: CallPolicy;
  #listeners: {
    ended: ((e: EndedCall) => void)[];
    started: ((call: PhoneCall) => void)[];
    changed: (() => void)[];
  } = { ended: [], started: [], changed: [] };

  constructor(policy: CallPolicy) {
    this.#policy = policy;
  }

  /** Calls in progress other than ringing incoming ones, oldest first. */
  get lines(): CallSnapshot[] {
    return this.#lines;
  }
  /** Incoming calls waiting for an answer, oldest first. */
  get incoming(): CallSnapshot[] {
    return this.#incoming;
  }
  /** The line the call view shows. */
  get current(): CallSnapshot | null {
    return this.#lines.find((c) => c.id === this.#focusedId) ?? this.#lines[0] ?? null;
  }
  /** An incoming call that arrived while another call is up (call waiting). */
  get waiting(): CallSnapshot | null {
    return this.#lines.length > 0 ? (this.#incoming[0] ?? null) : null;
  }
  get lastEnded(): CallSnapshot | null {
    return this.#lastEnded;
  }
  /** A sentence about the last failed call action (transfer, merge…), until the next action. */
  get notice(): string | null {
    return this.#notice;
  }
  /** Ids of the two calls merged into a local conference. */
  get conferenceIds(): readonly string[] | null {
    return this.#conferenceIds;
  }
  /** For a consult call, the id of the call it consults for. */
  consultFor(id: string): string | null {
    return this.#consults[id] ?? null;
  }
  /** The live call object (statistics, audio wiring). */
  object(id: string): PhoneCall | null {
    return this.#objects.get(id) ?? null;
  }
  /** Every live call object. */
  get objects(): PhoneCall[] {
    return [...this.#objects.values()];
  }

  /** Subscribes to calls that end (history) or start (audio, quality). */
  onEnded(listener: (e: EndedCall) => void): void {
    this.#listeners.ended.push(listener);
  }
  onStarted(listener: (call: PhoneCall) => void): void {
    this.#listeners.started.push(listener);
  }
  /** Any line or incoming call changed (the tray summary follows). */
  onChanged(listener: () => void): void {
    this.#listeners.changed.push(listener);
  }

  #emitChanged(): void {
    for (const listener of this.#listeners.changed) {
      listener();
    }
  }

  /** Takes an outgoing call placed by an engine; it becomes the current line. */
  adoptOutgoing(call: PhoneCall, consultFor: string | null = null): void {
    this.#follow(call);
    if (consultFor) {
      this.#consults[call.id] = consultFor;
    }
    this.#focusedId = call.id;
  }

  /** Takes an incoming call, applying do-not-disturb and auto-answer. */
  adoptIncoming(call: PhoneCall): void {
    const dnd = this.#policy.doNotDisturb();
    if (dnd.on && !call.info.replacesCallId) {
      this.#dndDeclined.add(call.id);
      this.#follow(call);
      call.decline(dnd.code === 480 ? 480 : dnd.code);
      return;
    }
    this.#follow(call);
    if (call.info.replacesCallId) {
      this.#replace(call.info.replacesCallId, call.id);
      return;
    }
    this.#maybeAutoAnswer(call);
  }

  /** Places a call on `engine`; an active line is put on hold first ("add call"). */
  async place(
    engine: PhoneEngine,
    input: string,
    opts: { anonymous?: boolean; consultFor?: string } = {},
  ): Promise<PhoneCall> {
    return this.#ops.run(async () => {
      await this.#holdCurrent();
      const call = engine.call(input, { anonymous: opts.anonymous === true });
      this.adoptOutgoing(call, opts.consultFor ?? null);
      return call;
    });
  }

  /** Answers an incoming call; the line in progress is held first. */
  answer(id: string): Promise<void> {
    return this.#act(async () => {
      const call = this.#objects.get(id);
      if (!call || call.status !== 'incoming') {
        return;
      }
      await this.#holdCurrent();
      this.#focusedId = id;
      call.answer();
    });
  }

  decline(id: string, code: 486 | 603 | 480 = 486, reason?: string): void {
    this.#objects.get(id)?.decline(code, reason);
  }

  hangup(id: string): void {
    this.#objects.get(id)?.hangup();
  }

  toggleMute(id: string): void {
    const call = this.#objects.get(id);
    if (!call) {
      return;
    }
    const muted = !call.snapshot.muted;
    call.setMuted(muted);
    if (this.#conference?.calls.includes(call)) {
      // In a conference the mix is sent: mute the voice in it, and show both lines muted.
      this.#conference.setMuted(muted);
      for (const other of this.#conference.calls) {
        other.setMuted(muted);
      }
    }
  }

  /** Holds or resumes a line. */
  toggleHold(id: string): Promise<void> {
    return this.#act(async () => {
      const call = this.#objects.get(id);
      if (!call) {
        return;
      }
      await (call.snapshot.hold.local ? call.resume() : call.hold());
    });
  }

  /** Shows another line: the current one is held, the chosen one resumed, in that order. */
  switchTo(id: string): Promise<void> {
    return this.#act(async () => {
      const target = this.#objects.get(id);
      if (!target || id === this.current?.id) {
        return;
      }
      if (this.#conferenceIds?.includes(id)) {
        this.#focusedId = id;
        return;
      }
      await this.#holdCurrent();
      this.#focusedId = id;
      await target.resume();
    });
  }

  sendDtmf(id: string, keys: string): void {
    try {
      this.#objects.get(id)?.sendDtmf(keys);
    } catch (error: unknown) {
      this.#notice = error instanceof Error ? error.message : String(error);
    }
  }

  /** Blind transfer of a line to what the user typed. */
  blindTransfer(id: string, engine: PhoneEngine, input: string): Promise<void> {
    return this.#act(async () => {
      const call = this.#objects.get(id);
      if (!call) {
        return;
      }
      const wasHeld = call.snapshot.hold.local;
      try {
        await call.blindTransfer(engine.targetUri(input));
      } catch (error: unknown) {
        if (!wasHeld && call.status === 'active') {
          await call.resume().catch(() => {});
        }
        throw error;
      }
    });
  }

  /** Attended transfer, step 1: hold the line and call the transfer target. */
  async consult(id: string, engine: PhoneEngine, input: string): Promise<void> {
    this.#notice = null;
    try {
      await this.place(engine, input, { consultFor: id });
    } catch (error: unknown) {
      this.#notice = error instanceof Error ? error.message : String(error);
    }
  }

  /** Attended transfer, step 2: connect the consulted party with the held one. */
  completeTransfer(consultId: string): Promise<void> {
    return this.#act(async () => {
      const originalId = this.#consults[consultId];
      const original = originalId ? this.#objects.get(originalId) : undefined;
      const consult = this.#objects.get(consultId);
      if (!original || !consult) {
        throw new Error('The call to transfer is gone.');
      }
      await original.attendedTransfer(consult);
    });
  }

  /** Merges the two lines into a local conference. */
  merge(): Promise<void> {
    return this.#act(async () => {
      const [a, b] = this.#lines.map((l) => this.#objects.get(l.id));
      if (this.#lines.length !== 2 || !a || !b) {
        throw new Error('A conference needs exactly two calls.');
      }
      await a.resume();
      await b.resume();
      const conference = new LocalConference([a, b]);
      await conference.start();
      this.#conference = conference;
      this.#conferenceIds = [a.id, b.id];
    });
  }

  /** Splits the conference again: the current line stays, the other is held. */
  split(): Promise<void> {
    return this.#act(async () => {
      const conference = this.#conference;
      if (!conference) {
        return;
      }
      await this.#endConference();
      const other = conference.calls.find((c) => c.id !== this.current?.id);
      await other?.hold();
    });
  }

  dismissEnded(): void {
    this.#lastEnded = null;
  }

  // Runs a user action in order; a failure becomes the notice instead of an exception.
  #act(action: () => Promise<void>): Promise<void> {
    this.#notice = null;
    return this.#ops.run(action).catch((error: unknown) => {
      this.#notice = error instanceof Error ? error.message : String(error);
      log.warn(`call action failed: ${this.#notice}`);
    });
  }

  async #holdCurrent(): Promise<void> {
    const current = this.current;
    const call = current ? this.#objects.get(current.id) : undefined;
    if (!call || call.status !== 'active' || call.snapshot.hold.local) {
      return;
    }
    if (this.#conference) {
      for (const member of this.#conference.calls) {
        await member.hold();
      }
      return;
    }
    await call.hold();
  }

  #maybeAutoAnswer(call: PhoneCall): void {
    if (this.#lines.length > 0) {
      return; // never answer by itself over a call in progress
    }
    const asked = call.info.autoAnswerAfterS;
    const byHeader = asked !== null && this.#policy.allowAutoAnswerHeader(call.snapshot.accountId);
    if (!byHeader && !this.#policy.autoAnswer()) {
      return;
    }
    const delayMs = byHeader ? (asked ?? 0) * 1000 : 0;
    setTimeout(() => {
      if (call.status === 'incoming' && this.#lines.length === 0) {
        void this.answer(call.id);
      }
    }, delayMs);
  }

  // We are the target of an attended transfer: the new call takes the old one's place.
  #replace(oldId: string, newId: string): void {
    if (this.#focusedId === oldId || this.#focusedId === null) {
      this.#focusedId = newId;
    }
  }

  #follow(call: PhoneCall): void {
    this.#objects.set(call.id, call);
    this.#upsert(call.snapshot);
    call.on('changed', (snapshot) => this.#upsert(snapshot));
    call.on('ended', (snapshot) => this.#onEnded(snapshot));
    for (const listener of this.#listeners.started) {
      listener(call);
    }
  }

  #upsert(snapshot: CallSnapshot): void {
    // A call declined by do-not-disturb never shows (nor rings) while JsSIP sends the 486.
    if (snapshot.status === 'ended' || this.#dndDeclined.has(snapshot.id)) {
      return;
    }
    const incoming = snapshot.status === 'incoming';
    const list = incoming ? this.#incoming : this.#lines;
    const other = incoming ? this.#lines : this.#incoming;
    const otherIndex = other.findIndex((c) => c.id === snapshot.id);
    if (otherIndex >= 0) {
      other.splice(otherIndex, 1);
    }
    const i = list.findIndex((c) => c.id === snapshot.id);
    if (i >= 0) {
      list[i] = snapshot;
    } else {
      list.push(snapshot);
    }
    this.#emitChanged();
  }

  #onEnded(snapshot: CallSnapshot): void {
    this.#objects.delete(snapshot.id);
    this.#lines = this.#lines.filter((c) => c.id !== snapshot.id);
    this.#incoming = this.#incoming.filter((c) => c.id !== snapshot.id);
    if (this.#conference?.calls.some((c) => c.id === snapshot.id)) {
      void this.#endConference();
    }
    if (this.#focusedId === snapshot.id) {
      this.#focusedId = this.#lines[0]?.id ?? null;
    }
    const consultFor = this.#consults[snapshot.id] ?? null;
    delete this.#consults[snapshot.id];
    const dnd = this.#dndDeclined.delete(snapshot.id);
    if (!dnd) {
      this.#showEnded(snapshot);
    }
    for (const listener of this.#listeners.ended) {
      listener({ snapshot, dnd, consultFor });
    }
    this.#emitChanged();
  }

  async #endConference(): Promise<void> {
    const conference = this.#conference;
    this.#conference = null;
    this.#conferenceIds = null;
    await conference?.stop();
  }

  #showEnded(snapshot: CallSnapshot): void {
    this.#lastEnded = snapshot;
    if (this.#endedTimer) {
      clearTimeout(this.#endedTimer);
    }
    this.#endedTimer = setTimeout(() => {
      if (this.#lastEnded?.id === snapshot.id) {
        this.#lastEnded = null;
      }
    }, ENDED_VISIBLE_MS);
  }
}
