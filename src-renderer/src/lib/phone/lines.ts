// The line manager: every live call of every engine, which one has the focus, call waiting,
// and each action that touches more than one call (answer or place a call while one is up,
// switch lines, consult and transfer, merge into a local conference and split it). Every call
// enters through one path, the engines' `incoming`/`outgoing` events, and is treated by the
// pure policies of call-policy.ts. Multi-call actions run one after another (hold the line in
// progress, then act), so holding one line and resuming another can never race.
import type { DialTarget } from '@shared/dial-target';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { PhoneCall } from './call';
import {
  autoAnswerStillApplies,
  decideIncoming,
  outgoingRefusal,
  type LineUse,
  type PolicySettings,
} from './call-policy';
import { loadCallActions } from './call-actions';
import { requireJsSipSessions } from './jssip-deferred';
import type { LocalConference } from './conference';
import type { PhoneEngine } from './engine';
import { OpQueue } from '../op-queue';
import type { CallSnapshot } from './types';

const log = createLogger('lines');

/** How a call that ended got there, beyond its snapshot (for the history). */
export interface EndedCall {
  snapshot: CallSnapshot;
  /** Refused by a policy without ringing: do-not-disturb, or every line taken. */
  autoDeclined: 'dnd' | 'lines-full' | null;
  /** The call this consult call was for, when it was one. */
  consultFor: string | null;
}

export interface LineEvents {
  /** Any line, ringing call, focus, conference or notice changed. */
  changed: undefined;
  /** A call joined the lines (before it is shown); not for calls a policy declined. */
  started: PhoneCall;
  ended: EndedCall;
  /**
   * A ringing call was answered: it is 'answering' from now on, though the lines show it only
   * with its 200 OK (PhoneCall.answer). What must follow at once (the ringer) listens here.
   */
  answering: PhoneCall;
}

/** Runs `fn` after `ms`; returns a function that cancels it. */
export type Schedule = (fn: () => void, ms: number) => () => void;

export interface LineManagerDeps {
  /** The policy settings for a call on `accountId`, read when the call arrives. */
  settings(accountId: string): PolicySettings;
  /** Creates the local conference of `calls` (by default with its code loaded on first use). */
  createConference?(calls: readonly PhoneCall[]): LocalConference | Promise<LocalConference>;
  schedule?: Schedule;
}

const defaultSchedule: Schedule = (fn, ms) => {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
};

export class LineManager extends TypedEmitter<LineEvents> {
  readonly #deps: Required<LineManagerDeps>;
  #lines: readonly CallSnapshot[] = [];
  #incoming: readonly CallSnapshot[] = [];
  #focusedId: string | null = null;
  #notice: string | null = null;
  #conference: LocalConference | null = null;
  readonly #objects = new Map<string, PhoneCall>();
  readonly #declined = new Map<string, 'dnd' | 'lines-full'>();
  readonly #consults = new Map<string, string>();
  readonly #autoAnswers = new Map<string, () => void>();
  readonly #engines = new Map<PhoneEngine, () => void>();
  readonly #ops = new OpQueue();
  /** The call the next outgoing call consults for, while place() runs. */
  #consultFor: string | null = null;

  constructor(deps: LineManagerDeps) {
    super();
    this.#deps = {
      createConference: async (calls) => new (await loadCallActions()).LocalConference(calls),
      schedule: defaultSchedule,
      ...deps,
    };
  }

  /** Calls in progress other than ringing incoming ones, oldest first. */
  get lines(): readonly CallSnapshot[] {
    return this.#lines;
  }
  /** Incoming calls waiting for an answer, oldest first. */
  get incoming(): readonly CallSnapshot[] {
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
  /** A sentence about the last failed call action (transfer, merge…), until the next action. */
  get notice(): string | null {
    return this.#notice;
  }
  /** Ids of the calls merged into the local conference, in the order they joined. */
  get conferenceIds(): readonly string[] | null {
    return this.#conference ? this.#conference.calls.map((c) => c.id) : null;
  }
  /** Whether the user's voice is muted toward every party of the conference. */
  get conferenceMuted(): boolean {
    return this.#conference?.muted ?? false;
  }
  /** For a consult call, the id of the call it consults for. */
  consultFor(id: string): string | null {
    return this.#consults.get(id) ?? null;
  }
  /** The live call object (statistics, audio wiring). */
  object(id: string): PhoneCall | null {
    return this.#objects.get(id) ?? null;
  }
  /** Every live call object. */
  get objects(): PhoneCall[] {
    return [...this.#objects.values()];
  }
  /** How many lines are taken. */
  get use(): LineUse {
    return { lines: this.#lines.length, ringing: this.#incoming.length };
  }

  /** Takes every call `engine` creates from now on; returns the function that lets go. */
  attach(engine: PhoneEngine): () => void {
    const existing = this.#engines.get(engine);
    if (existing) {
      return existing;
    }
    const offs = [
      engine.on('incoming', (call) => this.#adoptIncoming(call)),
      engine.on('outgoing', (call) => this.#adopt(call, this.#consultFor, true)),
    ];
    const detach = (): void => {
      offs.forEach((off) => off());
      this.#engines.delete(engine);
    };
    this.#engines.set(engine, detach);
    return detach;
  }

  /**
   * Places a call on `engine` (attached first); the line in progress is put on hold first
   * ("add call"). Throws with a sentence for the user when no line is free or the input is
   * not dialable. `extraHeaders` go on the INVITE (a pickup's Replaces).
   */
  place(
    engine: PhoneEngine,
    target: string | DialTarget,
    opts: { anonymous?: boolean; consultFor?: string; extraHeaders?: string[] } = {},
  ): Promise<PhoneCall> {
    this.attach(engine);
    return this.#ops.run(async () => {
      const refusal = outgoingRefusal(this.#deps.settings(engine.account.id), this.use);
      if (refusal) {
        throw new Error(refusal);
      }
      requireJsSipSessions(); // JsSIP's call code: a sentence when it could not load
      await this.#holdCurrent();
      this.#consultFor = opts.consultFor ?? null;
      try {
        return engine.call(target, {
          anonymous: opts.anonymous === true,
          ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
        });
      } finally {
        this.#consultFor = null;
      }
    });
  }

  /** Answers an incoming call; the line in progress (or the whole conference) is held first. */
  answer(id: string): Promise<void> {
    return this.#act(async () => {
      const call = this.#objects.get(id);
      if (!call || call.status !== 'incoming') {
        return;
      }
      this.#cancelAutoAnswer(id);
      await this.#holdCurrent();
      this.#focus(id);
      call.answer();
      this.emit('answering', call);
    });
  }

  /**
   * Prepares the answer of every ringing call (PhoneCall.prepareAnswer): called once the ringing
   * view has been painted, so that Answer only has to apply it and send the 200 OK.
   */
  prepareAnswers(): void {
    for (const { id } of this.#incoming) {
      this.#objects.get(id)?.prepareAnswer();
    }
  }

  decline(id: string, code: 486 | 603 | 480 = 486, reason?: string): void {
    this.#cancelAutoAnswer(id);
    this.#objects.get(id)?.decline(code, reason);
  }

  hangup(id: string): void {
    this.#objects.get(id)?.hangup();
  }

  /** Ends every call of the conference. */
  endConference(): void {
    for (const call of this.#conference?.calls ?? []) {
      call.hangup();
    }
  }

  /** Mutes or unmutes one line; in a conference, only the user's voice toward that party. */
  toggleMute(id: string): void {
    const call = this.#objects.get(id);
    if (!call) {
      return;
    }
    const muted = !call.snapshot.muted;
    call.setMuted(muted);
    if (this.#conference?.calls.includes(call)) {
      this.#conference.setMutedFor(call, muted);
    }
  }

  /** Mutes or unmutes the user's voice toward every party of the conference. */
  toggleConferenceMute(): void {
    const conference = this.#conference;
    if (!conference) {
      return;
    }
    const muted = !conference.muted;
    conference.setMuted(muted);
    for (const call of conference.calls) {
      call.setMuted(muted);
    }
    this.#emitChanged();
  }

  /** Holds or resumes a line (a conference party on hold hears nothing and is not heard). */
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
      const inConference = this.#conference?.calls.includes(target) ?? false;
      const currentInConference = this.#conference?.calls.some((c) => c.id === this.current?.id);
      if (inConference && currentInConference) {
        this.#focus(id);
        return;
      }
      await this.#holdCurrent();
      this.#focus(id);
      if (inConference) {
        await Promise.all((this.#conference?.calls ?? []).map((c) => c.resume()));
      } else {
        await target.resume();
      }
    });
  }

  sendDtmf(id: string, keys: string): void {
    try {
      this.#objects.get(id)?.sendDtmf(keys);
    } catch (error: unknown) {
      this.#setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  /** Blind transfer of a line to what the user typed; a failed one resumes the line. */
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
    this.#setNotice(null);
    try {
      await this.place(engine, input, { consultFor: id });
    } catch (error: unknown) {
      this.#setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  /** Attended transfer, step 2: connect the consulted party with the held one. */
  completeTransfer(consultId: string): Promise<void> {
    return this.#act(async () => {
      const originalId = this.#consults.get(consultId);
      const original = originalId ? this.#objects.get(originalId) : undefined;
      const consult = this.#objects.get(consultId);
      if (!original || !consult) {
        throw new Error('The call to transfer is gone.');
      }
      await original.attendedTransfer(consult);
    });
  }

  /**
   * Merges every call in progress into one local conference (or adds the calls not yet in it
   * to the running one). Held calls are resumed first.
   */
  merge(): Promise<void> {
    return this.#act(async () => {
      const calls = this.#lines
        .map((l) => this.#objects.get(l.id))
        .filter((c): c is PhoneCall => c?.status === 'active');
      if (calls.length < 2) {
        throw new Error('A conference needs at least two connected calls.');
      }
      for (const call of calls) {
        await call.resume();
      }
      const conference = this.#conference;
      if (conference) {
        for (const call of calls.filter((c) => !conference.calls.includes(c))) {
          await conference.add(call);
        }
      } else {
        const created = await this.#deps.createConference(calls);
        await created.start();
        this.#conference = created;
      }
      this.#emitChanged();
    });
  }

  /** Splits the conference again: the line in view stays, the others are held. */
  split(): Promise<void> {
    return this.#act(async () => {
      const conference = this.#conference;
      if (!conference) {
        return;
      }
      await this.#endConference();
      const others = conference.calls.filter((c) => c.id !== this.current?.id);
      for (const other of others) {
        await other.hold();
      }
    });
  }

  // Runs a user action in order; a failure becomes the notice instead of an exception.
  #act(action: () => Promise<void>): Promise<void> {
    this.#setNotice(null);
    return this.#ops.run(action).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      this.#setNotice(message);
      log.warn(`call action failed: ${message}`);
    });
  }

  // Holds the line in view (every party of the conference when it is one of them).
  async #holdCurrent(): Promise<void> {
    const current = this.current;
    const call = current ? this.#objects.get(current.id) : undefined;
    if (!call || call.status !== 'active' || call.snapshot.hold.local) {
      return;
    }
    const members = this.#conference?.calls.includes(call) ? this.#conference.calls : [call];
    for (const member of members) {
      await member.hold();
    }
  }

  #adoptIncoming(call: PhoneCall): void {
    const decision = decideIncoming(
      call.info,
      this.#deps.settings(call.snapshot.accountId),
      this.use,
    );
    if (decision.kind === 'decline') {
      // Never shown and never rung: JsSIP sends the refusal, the history logs a missed call.
      this.#declined.set(call.id, decision.reason);
      this.#adopt(call, null, false);
      call.decline(decision.code);
      return;
    }
    this.#adopt(call, null, true);
    if (decision.kind === 'replace') {
      if (this.#focusedId === decision.replacesCallId || this.#focusedId === null) {
        this.#focus(call.id);
      }
      return;
    }
    if (decision.autoAnswerMs !== null) {
      const cancel = this.#deps.schedule(() => {
        this.#autoAnswers.delete(call.id);
        if (autoAnswerStillApplies(call.status, this.use)) {
          void this.answer(call.id);
        }
      }, decision.autoAnswerMs);
      this.#autoAnswers.set(call.id, cancel);
    }
  }

  // The one path by which a call joins the lines.
  #adopt(call: PhoneCall, consultFor: string | null, announce: boolean): void {
    if (this.#objects.has(call.id)) {
      return;
    }
    this.#objects.set(call.id, call);
    if (consultFor) {
      this.#consults.set(call.id, consultFor);
    }
    call.on('changed', (snapshot) => this.#upsert(snapshot));
    call.on('ended', (snapshot) => this.#onEnded(snapshot));
    call.on('notice', (notice) => this.#setNotice(notice));
    if (announce) {
      this.emit('started', call);
    }
    if (call.direction === 'outgoing') {
      this.#focusedId = call.id;
    }
    this.#upsert(call.snapshot);
  }

  #upsert(snapshot: CallSnapshot): void {
    if (snapshot.status === 'ended' || this.#declined.has(snapshot.id)) {
      return;
    }
    const without = (list: readonly CallSnapshot[]): CallSnapshot[] =>
      list.filter((c) => c.id !== snapshot.id);
    const replaceIn = (list: readonly CallSnapshot[]): CallSnapshot[] =>
      list.some((c) => c.id === snapshot.id)
        ? list.map((c) => (c.id === snapshot.id ? snapshot : c))
        : [...list, snapshot];
    if (snapshot.status === 'incoming') {
      this.#incoming = replaceIn(this.#incoming);
      this.#lines = without(this.#lines);
    } else {
      this.#lines = replaceIn(this.#lines);
      this.#incoming = without(this.#incoming);
    }
    this.#emitChanged();
  }

  #onEnded(snapshot: CallSnapshot): void {
    const call = this.#objects.get(snapshot.id);
    this.#objects.delete(snapshot.id);
    this.#cancelAutoAnswer(snapshot.id);
    this.#lines = this.#lines.filter((c) => c.id !== snapshot.id);
    this.#incoming = this.#incoming.filter((c) => c.id !== snapshot.id);
    if (call && this.#conference?.calls.includes(call)) {
      void this.#leaveConference(call);
    }
    if (this.#focusedId === snapshot.id) {
      this.#focusedId = this.#lines[0]?.id ?? null;
    }
    const consultFor = this.#consults.get(snapshot.id) ?? null;
    this.#consults.delete(snapshot.id);
    const autoDeclined = this.#declined.get(snapshot.id) ?? null;
    this.#declined.delete(snapshot.id);
    this.emit('ended', { snapshot, autoDeclined, consultFor });
    this.#emitChanged();
  }

  // A party left: the others keep talking; with one party left the conference is over.
  async #leaveConference(call: PhoneCall): Promise<void> {
    const conference = this.#conference;
    if (!conference) {
      return;
    }
    const remaining = await conference.remove(call);
    if (remaining.filter((c) => c.status !== 'ended').length < 2) {
      await this.#endConference();
    }
    this.#emitChanged();
  }

  async #endConference(): Promise<void> {
    const conference = this.#conference;
    this.#conference = null;
    this.#emitChanged();
    await conference?.stop();
  }

  #cancelAutoAnswer(id: string): void {
    this.#autoAnswers.get(id)?.();
    this.#autoAnswers.delete(id);
  }

  #focus(id: string): void {
    this.#focusedId = id;
    this.#emitChanged();
  }

  #setNotice(notice: string | null): void {
    if (this.#notice !== notice) {
      this.#notice = notice;
      this.#emitChanged();
    }
  }

  #emitChanged(): void {
    this.emit('changed', undefined);
  }
}
