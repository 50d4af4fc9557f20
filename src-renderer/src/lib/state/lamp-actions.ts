// Owns what a click on a busy lamp or on "Call voicemail" does, through the line manager (so
// the call in progress is held first and the line limit holds): call the colleague; pick up
// their ringing call — with the account's feature code ('*8' + extension) when one is set, else
// with an INVITE carrying Replaces built from the dialog information; transfer the call in
// progress to them, blind or attended (consult first; the lamp or the call view completes it);
// call the account's voicemail. Each failure becomes one sentence (`notice`, announced with the
// 'notice' event for the reactive mirror), never an exception. Framework-free.
import { TypedEmitter } from '../emitter';
import type { LineManager, PhoneEngine } from '../phone';
import { aorHost, aorUser, canonicalAor } from '../presence/aor';
import { featureCodePickup, type Lamp } from '../presence/lamp';
import type { VoicemailState } from '../presence/presence-agent';
import { accountDomainOf } from './presence-targets';
import type { SettingsState } from './settings.svelte';

/** The lamp an action is for. */
export interface LampRef {
  accountId: string;
  aor: string;
  lamp: Lamp;
  /** The name shown for the colleague. */
  name: string;
}

export interface LampActionDeps {
  /** The account settings (pickup code, voicemail number) by id. */
  settings: Pick<SettingsState, 'account'>;
  lines: LineManager;
  engineOf(accountId: string): PhoneEngine | null;
  voicemailOf(accountId: string): VoicemailState | null;
  /** Null when calls can use the microphone, else the sentence (MicrophoneGate); none = allowed. */
  microphoneProblem?(ask: boolean): Promise<string | null>;
}

export interface LampActionEvents {
  /** The notice changed (null: cleared by a new action). */
  notice: string | null;
}

export class LampActions extends TypedEmitter<LampActionEvents> {
  readonly #deps: LampActionDeps;
  #notice: string | null = null;

  constructor(deps: LampActionDeps) {
    super();
    this.#deps = deps;
  }

  /** Why the last action failed, until the next one. */
  get notice(): string | null {
    return this.#notice;
  }

  /** Forgets the notice. */
  dismiss(): void {
    this.#setNotice(null);
  }

  /** Calls the colleague. */
  call(ref: LampRef): Promise<void> {
    return this.#place(ref.accountId, ref.aor);
  }

  /** Picks up the colleague's ringing call (feature code, else Replaces). */
  pickUp(ref: LampRef): Promise<void> {
    const { lamp } = ref;
    if (lamp.state !== 'ringing') {
      return this.#fail(`${ref.name} is not ringing any more.`);
    }
    const code = this.#deps.settings.account(ref.accountId)?.pickupCode.trim() ?? '';
    if (code) {
      const dial = featureCodePickup(code, aorUser(ref.aor));
      return dial
        ? this.#place(ref.accountId, dial)
        : this.#fail(`${ref.name}'s extension cannot be dialled after the pickup code ${code}.`);
    }
    const pickup = lamp.pickup;
    if (!pickup) {
      return this.#fail(
        'The phone system does not say which call is ringing there. Set the pickup code of the account (for example *8) to pick up calls.',
      );
    }
    // RFC 3891: the INVITE goes to the caller's side; 'Require: replaces' makes a phone that
    // does not know Replaces refuse it (420) instead of ringing as a new call.
    return this.#place(ref.accountId, this.#pickupUri(ref), [
      `Replaces: ${pickup.replaces}`,
      'Require: replaces',
    ]);
  }

  /** Transfers the call in view to the colleague: at once, or after talking to them first. */
  async transfer(ref: LampRef, mode: 'blind' | 'attended'): Promise<void> {
    this.#setNotice(null);
    const { lines } = this.#deps;
    const call = lines.current;
    const engine = call ? this.#deps.engineOf(call.accountId) : null;
    if (!call || !engine) {
      this.#setNotice('There is no call to transfer.');
      return;
    }
    if (mode === 'blind') {
      await lines.blindTransfer(call.id, engine, ref.aor);
    } else {
      await lines.consult(call.id, engine, ref.aor);
    }
  }

  /** The consult call to this colleague that a transfer is waiting on, if any. */
  consultTo(ref: Pick<LampRef, 'aor'>): string | null {
    const { lines } = this.#deps;
    const consult = lines.lines.find(
      (l) => lines.consultFor(l.id) !== null && canonicalAor(l.party.uri) === ref.aor,
    );
    return consult?.id ?? null;
  }

  /** Connects the held caller with the colleague being consulted (the second click). */
  completeTransfer(consultId: string): Promise<void> {
    this.#setNotice(null);
    return this.#deps.lines.completeTransfer(consultId);
  }

  /** Calls the voicemail of `accountId` (its number, else the account the server named). */
  callVoicemail(accountId: string): Promise<void> {
    const number = this.#deps.settings.account(accountId)?.voicemailNumber.trim() ?? '';
    const named = this.#deps.voicemailOf(accountId)?.messageAccount ?? null;
    const dial = number || named;
    return dial
      ? this.#place(accountId, dial)
      : this.#fail('Set the voicemail number of the account (Accounts → Edit) to call voicemail.');
  }

  // Replaces goes to the caller (its address of record when it is in our domain, so the PBX can
  // route it), else the caller's target, else the colleague: a PBX matches Replaces itself.
  #pickupUri(ref: LampRef): string {
    const account = this.#deps.settings.account(ref.accountId);
    const caller = canonicalAor(ref.lamp.caller?.uri ?? '');
    if (caller && account && aorHost(caller) === accountDomainOf(account)) {
      return caller;
    }
    return ref.lamp.pickup?.requestUri ?? caller ?? ref.aor;
  }

  async #place(accountId: string, target: string, extraHeaders?: string[]): Promise<void> {
    this.#setNotice(null);
    const engine = this.#deps.engineOf(accountId);
    if (!engine || engine.registration.status !== 'registered') {
      this.#setNotice('The account is not connected, so calls cannot be placed yet.');
      return;
    }
    const microphone = (await this.#deps.microphoneProblem?.(true)) ?? null;
    if (microphone) {
      this.#setNotice(microphone); // the call would go out silent
      return;
    }
    try {
      await this.#deps.lines.place(engine, target, extraHeaders ? { extraHeaders } : {});
    } catch (error: unknown) {
      this.#setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  #fail(message: string): Promise<void> {
    this.#setNotice(message);
    return Promise.resolve();
  }

  #setNotice(notice: string | null): void {
    if (notice !== this.#notice) {
      this.#notice = notice;
      this.emit('notice', notice);
    }
  }
}
