// Owns when the phone asks main for a screen-pop: each call's events (it rings, it is
// answered, it ends) are put to the account's choice (shared/screen-pop.ts decideScreenPop)
// and only the event the user picked is sent on ('screen-pop/open'), once per call and event.
// A call do-not-disturb or a full set of lines declined never rang for the user: nothing of it
// opens. An incoming call rings when it arrives; an outgoing one when the far end rings (or
// answers straight away). Main reads the template from its own settings, fills it and opens
// the page; the page never hands over a URL. Framework-free.
import { decideScreenPop, MAX_SCREEN_POP_VALUE, type ScreenPopCallFacts } from '@shared/screen-pop';
import type { ScreenPopRequest, ScreenPopResult } from '@shared/ipc-contract';
import type { ScreenPopEvent, ScreenPopSettings } from '@shared/settings-types';
import { createLogger, type Logger } from '../logger';
import type { CallSnapshot, EndedCall, LineManager, PhoneCall } from '../phone';

export interface ScreenPopPorts {
  /** The account's screen-pop settings, or null when the account is gone. */
  settingsOf(accountId: string): ScreenPopSettings | null;
  /** The caller's name to show (a contact's first), or null when only the number is known. */
  nameOf(snapshot: CallSnapshot): string | null;
  /** Asks main to open the page ('screen-pop/open'). */
  open(request: ScreenPopRequest): Promise<ScreenPopResult>;
  /** A unique id for a new call ({callId}: the same for every event of the call). */
  newId?: () => string;
  log?: Logger;
}

export class ScreenPopTrigger {
  readonly #ports: ScreenPopPorts;
  readonly #log: Logger;
  readonly #offs: (() => void)[];
  /** Per live call: its screen-pop id and the events already sent. */
  readonly #calls = new Map<string, { popId: string; sent: Set<ScreenPopEvent> }>();

  constructor(lines: Pick<LineManager, 'on'>, ports: ScreenPopPorts) {
    this.#ports = ports;
    this.#log = ports.log ?? createLogger('screen-pop');
    this.#offs = [
      lines.on('started', (call) => this.#follow(call)),
      lines.on('ended', (ended) => this.#ended(ended)),
    ];
  }

  /** Stops listening (teardown). */
  dispose(): void {
    this.#offs.splice(0).forEach((off) => off());
    this.#calls.clear();
  }

  #follow(call: PhoneCall): void {
    const snapshot = call.snapshot;
    if (snapshot.direction === 'incoming') {
      // A call that replaces one of ours (attended transfer) is taken at once; it never rings.
      if (snapshot.status === 'incoming' && !call.info.replacesCallId) {
        this.#event('ringing', snapshot, false);
      }
    } else if (!this.#outgoingRang(snapshot)) {
      const off = call.on('changed', (s) => {
        if (this.#outgoingRang(s) || s.status === 'ended') {
          off();
        }
      });
    }
    const offAnswered = call.on('answered', (s) => {
      offAnswered();
      this.#event('answered', s, false);
    });
  }

  // An outgoing call rings once the far end rings, or answers without ringing first.
  #outgoingRang(snapshot: CallSnapshot): boolean {
    if (snapshot.status === 'ringing' || snapshot.status === 'active') {
      this.#event('ringing', snapshot, false);
      return true;
    }
    return false;
  }

  #ended({ snapshot, autoDeclined }: EndedCall): void {
    this.#event('ended', snapshot, autoDeclined !== null);
    this.#calls.delete(snapshot.id);
  }

  #event(event: ScreenPopEvent, snapshot: CallSnapshot, declinedAutomatically: boolean): void {
    const settings = this.#ports.settingsOf(snapshot.accountId);
    if (!settings) {
      return;
    }
    const facts: ScreenPopCallFacts = { direction: snapshot.direction, declinedAutomatically };
    if (!decideScreenPop(event, facts, settings).open) {
      return;
    }
    const known = this.#calls.get(snapshot.id) ?? {
      popId: (this.#ports.newId ?? (() => globalThis.crypto.randomUUID()))(),
      sent: new Set<ScreenPopEvent>(),
    };
    this.#calls.set(snapshot.id, known);
    if (known.sent.has(event)) {
      return;
    }
    known.sent.add(event);
    const request: ScreenPopRequest = {
      accountId: snapshot.accountId,
      event,
      call: {
        callId: known.popId,
        // Only this much of each value goes into the address (a name from the network can be long).
        number: snapshot.party.user.slice(0, MAX_SCREEN_POP_VALUE),
        name: this.#ports.nameOf(snapshot)?.slice(0, MAX_SCREEN_POP_VALUE) ?? null,
        direction: snapshot.direction,
      },
    };
    this.#ports
      .open(request)
      .then((result) => {
        if (!result.opened) {
          this.#log.info(`screen-pop not opened: ${result.message ?? 'no reason given'}`);
        }
      })
      .catch((error: unknown) => this.#log.warn(`screen-pop request failed: ${String(error)}`));
  }
}
