// Owns the link between the open headset and the calls: its buttons act on the line manager
// (hook: answer the ringing call, or hang up; mute: set mute to what the headset asks; flash:
// take the waiting call, swap lines, or hold; redial: call the last number; drop: hang up), and
// its lights follow the call state (off-hook while a call is in progress, ring while one rings,
// mute, hold) whatever changed it — the window, a hotkey, the other side. Every button press is
// answered with the lights, also when it did nothing, because a headset that gets no answer
// may undo the press by itself (WICG/webhid#72). Framework-free.
import {
  answerRinging,
  flash,
  hangUp,
  isMuted,
  setMuted,
  type DeskLines,
  type DeskOutcome,
} from '../desk/call-actions';
import { TypedEmitter } from '../emitter';
import { createLogger, type Logger } from '../logger';
import type { LineManager } from '../phone';
import type { HeadsetLights, TelephonyHeadset } from './telephony-headset';

/** The headset buttons that act on calls. */
export type HeadsetButton =
  'hook-off' | 'hook-on' | 'mute' | 'unmute' | 'flash' | 'redial' | 'drop';

export interface HeadsetCallsEvents {
  /** A button was pressed and this is what it did. */
  acted: { button: HeadsetButton; outcome: DeskOutcome };
  /** Line Busy Tone: the headset is in a call of another device. */
  'line-busy': { busy: boolean };
  /** A light could not be set, in a sentence for the user. */
  problem: { message: string };
}

export interface HeadsetCallsDeps {
  lines: DeskLines & Pick<LineManager, 'on'>;
  /** Calls the last number dialled; resolves with whether there was one. */
  redial(): Promise<boolean>;
  log?: Logger;
}

/** The lights for the call state: off-hook, ring, mute and hold. */
export function lightsFor(lines: DeskLines): HeadsetLights {
  return {
    offHook: lines.lines.length > 0,
    ring: lines.incoming.some((c) => c.status === 'incoming'),
    mute: isMuted(lines),
    hold: lines.current?.hold.local ?? false,
  };
}

export class HeadsetCalls extends TypedEmitter<HeadsetCallsEvents> {
  readonly #deps: HeadsetCallsDeps;
  readonly #log: Logger;
  readonly #offLines: () => void;
  #headset: TelephonyHeadset | null = null;
  #offHeadset: (() => void)[] = [];

  constructor(deps: HeadsetCallsDeps) {
    super();
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('headset');
    this.#offLines = deps.lines.on('changed', () => void this.#sync());
  }

  /** The headset whose buttons and lights follow the calls. */
  get headset(): TelephonyHeadset | null {
    return this.#headset;
  }

  /** Follows `headset` from now on: its lights show the calls at once. */
  attach(headset: TelephonyHeadset): Promise<void> {
    this.detach();
    this.#headset = headset;
    this.#offHeadset = [
      headset.on('hook', ({ offHook }) => void this.#press(offHook ? 'hook-off' : 'hook-on')),
      headset.on('mute', ({ muted }) => void this.#press(muted ? 'mute' : 'unmute')),
      headset.on('flash', () => void this.#press('flash')),
      headset.on('redial', () => void this.#press('redial')),
      headset.on('drop', () => void this.#press('drop')),
      headset.on('line-busy', (busy) => this.emit('line-busy', busy)),
      headset.on('error', (problem) => this.emit('problem', problem)),
    ];
    return this.#sync();
  }

  /** Stops following the headset (it was closed or unplugged). */
  detach(): void {
    this.#offHeadset.splice(0).forEach((off) => off());
    if (this.#headset) {
      this.#headset = null;
      this.emit('line-busy', { busy: false });
    }
  }

  /** Stops listening to the calls and the headset (teardown). */
  dispose(): void {
    this.detach();
    this.#offLines();
    this.removeAllListeners();
  }

  async #press(button: HeadsetButton): Promise<void> {
    let outcome: DeskOutcome = 'nothing';
    try {
      outcome = await this.#act(button);
    } catch (error: unknown) {
      this.#log.warn(
        `headset ${button}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    this.#log.debug(`headset ${button}: ${outcome}`);
    this.emit('acted', { button, outcome });
    await this.#sync(); // the answer the headset waits for, also when nothing happened
  }

  async #act(button: HeadsetButton): Promise<DeskOutcome> {
    const lines = this.#deps.lines;
    switch (button) {
      case 'hook-off':
        return answerRinging(lines);
      case 'hook-on':
      case 'drop':
        return hangUp(lines);
      case 'mute':
      case 'unmute':
        return setMuted(lines, button === 'mute');
      case 'flash':
        return flash(lines);
      case 'redial':
        if (lines.lines.length > 0 || lines.incoming.length > 0) {
          return 'nothing'; // redial is for an idle phone
        }
        return (await this.#deps.redial()) ? 'redialled' : 'nothing';
    }
  }

  #sync(): Promise<void> {
    return this.#headset?.setLights(lightsFor(this.#deps.lines)) ?? Promise.resolve();
  }
}
