// Keeps the display awake while a call is ringing, being set up or active (from the renderer's
// summary), so the call screen does not go dark mid-call; released as soon as the call ends.
import type { PhoneSummary } from '@shared/ipc-contract';

/** The part of Electron's powerSaveBlocker used here. */
export interface PowerSaveBlockerLike {
  start(type: 'prevent-display-sleep'): number;
  stop(id: number): boolean;
}

/** Whether a summary describes a call that should keep the display on. */
export function callNeedsDisplay(summary: PhoneSummary): boolean {
  return summary.call !== 'idle';
}

export class DisplayAwake {
  #blocker: number | null = null;

  constructor(private readonly powerSaveBlocker: PowerSaveBlockerLike) {}

  update(summary: PhoneSummary): void {
    this.#set(callNeedsDisplay(summary));
  }

  get active(): boolean {
    return this.#blocker !== null;
  }

  /** Lets the display sleep again (quit). */
  release(): void {
    this.#set(false);
  }

  #set(wanted: boolean): void {
    if (wanted && this.#blocker === null) {
      this.#blocker = this.powerSaveBlocker.start('prevent-display-sleep');
    } else if (!wanted && this.#blocker !== null) {
      this.powerSaveBlocker.stop(this.#blocker);
      this.#blocker = null;
    }
  }
}
