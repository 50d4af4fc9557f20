// Reactive mirror of the line manager (phone/lines.ts) for the UI: the lines, the ringing
// calls, the line in view, the conference and the last ended call's banner. Actions go straight
// to the manager; transfers use the engine of the call's own account. No policy lives here.
import type { CallSnapshot, LineManager, PhoneCall, PhoneEngine } from '../phone';

const ENDED_VISIBLE_MS = 4000;

export class CallsState {
  readonly manager: LineManager;
  #lines = $state.raw<readonly CallSnapshot[]>([]);
  #incoming = $state.raw<readonly CallSnapshot[]>([]);
  #current = $state.raw<CallSnapshot | null>(null);
  #notice = $state<string | null>(null);
  /** Why the last answer did not go ahead (the microphone), until the next action. */
  #answerProblem = $state<string | null>(null);
  #conferenceIds = $state.raw<readonly string[] | null>(null);
  #conferenceMuted = $state(false);
  #lastEnded = $state.raw<CallSnapshot | null>(null);
  #endedTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #engineOf: (accountId: string) => PhoneEngine | null;

  readonly #microphoneProblem: (ask: boolean) => Promise<string | null>;

  constructor(
    manager: LineManager,
    engineOf: (accountId: string) => PhoneEngine | null,
    microphoneProblem: (ask: boolean) => Promise<string | null> = () => Promise.resolve(null),
  ) {
    this.manager = manager;
    this.#engineOf = engineOf;
    this.#microphoneProblem = microphoneProblem;
    manager.on('changed', () => this.#sync());
    manager.on('ended', ({ snapshot, autoDeclined }) => {
      if (!autoDeclined) {
        this.#showEnded(snapshot);
      }
    });
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
    return this.#current;
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
    return this.#answerProblem ?? this.#notice;
  }
  /** Ids of the calls merged into the local conference. */
  get conferenceIds(): readonly string[] | null {
    return this.#conferenceIds;
  }
  /** The user's voice is muted toward every party of the conference. */
  get conferenceMuted(): boolean {
    return this.#conferenceMuted;
  }
  /** For a consult call, the id of the call it consults for. */
  consultFor(id: string): string | null {
    // Read a reactive field so views re-run when lines change.
    void this.#lines;
    return this.manager.consultFor(id);
  }
  /** The live call object (statistics, audio wiring). */
  object(id: string): PhoneCall | null {
    return this.manager.object(id);
  }

  /** Answers, unless the OS keeps the microphone from calls (then the notice says which setting). */
  async answer(id: string): Promise<void> {
    this.#answerProblem = await this.#microphoneProblem(true);
    if (!this.#answerProblem) {
      await this.manager.answer(id);
    }
  }
  decline(id: string, code: 486 | 603 | 480 = 486, reason?: string): void {
    this.manager.decline(id, code, reason);
  }
  hangup(id: string): void {
    this.manager.hangup(id);
  }
  endConference(): void {
    this.manager.endConference();
  }
  toggleMute(id: string): void {
    this.manager.toggleMute(id);
  }
  toggleConferenceMute(): void {
    this.manager.toggleConferenceMute();
  }
  toggleHold(id: string): Promise<void> {
    return this.manager.toggleHold(id);
  }
  switchTo(id: string): Promise<void> {
    return this.manager.switchTo(id);
  }
  sendDtmf(id: string, keys: string): void {
    this.manager.sendDtmf(id, keys);
  }
  merge(): Promise<void> {
    return this.manager.merge();
  }
  split(): Promise<void> {
    return this.manager.split();
  }
  completeTransfer(consultId: string): Promise<void> {
    return this.manager.completeTransfer(consultId);
  }

  /** Blind transfer of a line, on its own account, to what the user typed. */
  async blindTransfer(id: string, input: string): Promise<void> {
    const engine = this.#engineFor(id);
    if (engine) {
      await this.manager.blindTransfer(id, engine, input);
    }
  }

  /** Attended transfer, step 1: hold the line and call the target on the same account. */
  async consult(id: string, input: string): Promise<void> {
    const engine = this.#engineFor(id);
    if (engine) {
      await this.manager.consult(id, engine, input);
    }
  }

  dismissEnded(): void {
    this.#lastEnded = null;
  }

  #engineFor(id: string): PhoneEngine | null {
    const call = this.manager.object(id);
    return call ? this.#engineOf(call.snapshot.accountId) : null;
  }

  #sync(): void {
    const m = this.manager;
    this.#lines = m.lines;
    this.#incoming = m.incoming;
    this.#current = m.current;
    this.#notice = m.notice;
    this.#conferenceIds = m.conferenceIds;
    this.#conferenceMuted = m.conferenceMuted;
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
