// The dialer: what is in the dial field, the account and caller-ID choice for the next call,
// the target a link handed over (kept whole, so its extension and phone-context reach the
// engine), what will be dialled ("Will dial …", from the account's dial rules, which the engine
// applies on every path: phone/target.ts), and the sentence shown when a call cannot be
// placed. A link only fills the field and moves the focus; it dials by itself only when the
// user turned that setting on.
import type { DialTarget } from '@shared/dial-target';
import type { DialRequest } from '@shared/ipc-contract';
import type { AccountSettings } from '@shared/settings-types';
import {
  accountHintFor,
  dialCodeOrNull,
  dialPlan,
  loadDialCode,
  type LineManager,
  type PhoneEngine,
  type RegistrationState,
} from '../phone';
import type { SettingsState } from './settings.svelte';

export interface DialerDeps {
  settings: SettingsState;
  lines: LineManager;
  engineOf(accountId: string): PhoneEngine | null;
  /** Why the OS keeps the microphone from calls, or null (asked right before a call). */
  microphoneProblem(ask: boolean): Promise<string | null>;
}

export class DialerState {
  #text = $state('');
  #notice = $state<string | null>(null);
  #focusTick = $state(0);
  #accountId = $state<string | null>(null);
  #anonymous = $state(false);
  #target = $state.raw<DialTarget | null>(null);
  /** The dial parser's chunk has loaded (the preview waits for it: phone/dial-code.ts). */
  #dialCode = $state(dialCodeOrNull() !== null);
  readonly #deps: DialerDeps;
  /**
   * A call is being placed from here (the microphone check and the lines take a few ms): a
   * second Call meanwhile (a double click, Enter twice) does nothing, where it used to place
   * the call a second time.
   */
  #placing = false;

  constructor(deps: DialerDeps) {
    this.#deps = deps;
    if (!this.#dialCode) {
      loadDialCode().then(
        () => (this.#dialCode = true),
        () => {},
      );
    }
  }

  /** The dial field. Typing over a link's number forgets the link. */
  get text(): string {
    return this.#text;
  }
  set text(value: string) {
    this.#text = value;
    this.#notice = null;
  }
  /** Why the last call could not be placed, or why a link was refused. */
  get notice(): string | null {
    return this.#notice;
  }
  /** Changes whenever the dial field should take focus (a link arrived). */
  get focusTick(): number {
    return this.#focusTick;
  }
  /** The link's target while the field still shows it (its extension, its context). */
  get linkTarget(): DialTarget | null {
    return this.#target && this.#target.display === this.#text.trim() ? this.#target : null;
  }
  /**
   * Shown under the dial field before the call: the number the account's dial rules make of it
   * ("Will dial …", or why the rules refuse it), and for a link the number its context makes,
   * the extension dialled after answer, and a domain it is local to that no account serves.
   * One sentence, or null.
   */
  get preview(): string | null {
    const link = this.linkTarget;
    const target = link ?? typedTarget(this.#text);
    const account = this.account;
    if (!target || !account || !this.#dialCode) {
      return null;
    }
    const plan = dialPlan(target, account.sipUri, account.dialRules);
    if (plan.refused) {
      return plan.refused;
    }
    const parts: string[] = [];
    if (plan.willDial) {
      parts.push(plan.willDial);
    } else if (link && plan.calls !== target.dial) {
      parts.push(`Calls ${plan.calls}`);
    }
    if (plan.foreignContext) {
      parts.push(
        `A number of ${plan.foreignContext}, which none of your accounts serves: it will be called on ${account.label}`,
      );
    }
    if (plan.extension) {
      parts.push(`then dials extension ${plan.extension} after the answer`);
    }
    if (plan.callerId) {
      parts.push(plan.callerId === 'hidden' ? 'with your number hidden' : 'with your number shown');
    }
    if (parts.length === 0) {
      return null;
    }
    const sentence = parts.join(', ');
    return `${sentence.charAt(0).toUpperCase()}${sentence.slice(1)}.`;
  }

  /** The account the next call goes out on (the default unless the user picked another). */
  get account(): AccountSettings | null {
    const enabled = this.#deps.settings.enabledAccounts;
    return enabled.find((a) => a.id === this.#accountId) ?? this.#deps.settings.defaultAccount;
  }
  set accountId(id: string | null) {
    this.#accountId = id;
  }
  /** Whether the next call hides our identity. */
  get anonymous(): boolean {
    return this.#anonymous;
  }
  set anonymous(value: boolean) {
    this.#anonymous = value;
  }

  /** Calls what is in the dial field on the chosen account (holding a call in progress). */
  async place(): Promise<void> {
    if (this.#placing) {
      return;
    }
    this.#placing = true;
    try {
      await this.#place();
    } finally {
      this.#placing = false;
    }
  }

  async #place(): Promise<void> {
    const account = this.account;
    const engine = account ? this.#deps.engineOf(account.id) : null;
    const text = this.#text.trim();
    if (!engine || !text) {
      this.#notice = engine ? 'Type a number or address first.' : 'Set up an account first.';
      return;
    }
    const microphone = await this.#deps.microphoneProblem(true);
    if (microphone) {
      this.#notice = microphone; // the call would go out silent
      return;
    }
    try {
      await this.#deps.lines.place(engine, this.linkTarget ?? text, { anonymous: this.#anonymous });
      this.#target = null;
      this.#notice = null;
      this.#text = '';
    } catch (error: unknown) {
      this.#notice = error instanceof Error ? error.message : String(error);
    }
  }

  /** Calls a number or address from history or contacts (on `accountId` when still enabled). */
  async callBack(dial: string, accountId?: string): Promise<void> {
    if (accountId && this.#deps.settings.enabledAccounts.some((a) => a.id === accountId)) {
      this.#accountId = accountId;
    }
    this.#target = null;
    this.#text = dial;
    await this.place();
  }

  /** A link from the OS: fill the field, choose the account it names, take the focus. */
  fromLink(request: DialRequest): void {
    const target = request.target;
    this.#target = target;
    this.#text = target.display;
    this.#notice = null;
    const hint = accountHintFor(target, this.#deps.settings.enabledAccounts);
    if (hint) {
      this.#accountId = hint;
    }
    this.#focusTick += 1;
    if (request.autoDial) {
      void this.place();
    }
  }

  /** Says early (at start) when the OS keeps the microphone from calls. */
  async checkMicrophone(): Promise<void> {
    const problem = await this.#deps.microphoneProblem(false);
    if (problem) {
      this.#notice = problem;
    }
  }

  /** A link main refused: say why where the number would have appeared. */
  linkRefused(message: string): void {
    this.#notice = message;
  }

  /**
   * A link that arrived before its account registered (the app was started by the link) could
   * not put focus on the disabled Call button; once that account is registered, try again,
   * unless the user has changed the dial field since.
   */
  registrationChanged(accountId: string, state: RegistrationState): void {
    if (state.status === 'registered' && this.linkTarget && this.account?.id === accountId) {
      this.#focusTick += 1;
    }
  }
}

// What typed text will call, when it parses (the preview stays quiet about text that does not).
function typedTarget(text: string): DialTarget | null {
  const trimmed = text.trim();
  if (!trimmed) {
    return null;
  }
  const parsed = dialCodeOrNull()?.parseTypedDial(trimmed);
  return parsed?.ok ? parsed.target : null;
}
