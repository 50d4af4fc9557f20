// Ghost calls (issue 20): a call whose far end vanished (a frozen or crashed phone, a network
// that dropped it) looks connected for ever unless someone notices. While a call is answered
// and nobody holds it, this watch reads the inbound audio packets from the connection's
// statistics every GHOST_POLL_S; when neither audio nor signalling of this dialog arrives for
// GHOST_WARN_S the user is warned, and after GHOST_END_S the call ends with "connection lost".
// A call that never received any audio (no inbound statistics at all) is not called a ghost:
// that is one-way audio, a different problem, and the statistics claim nothing.

/** Seconds between two reads of the statistics. */
export const GHOST_POLL_S = 2;
/** Seconds of silence (no audio, no signalling) before the user is warned. */
export const GHOST_WARN_S = 10;
/** Seconds of silence before the call ends. */
export const GHOST_END_S = 30;

/** What the watch needs of its call. */
export interface GhostWatchOptions {
  /** Inbound audio packets received so far; null when the statistics claim nothing. */
  packets(): Promise<number | null>;
  /** Silence is expected now: the call is held (either side) or being recovered. */
  quietExpected(): boolean;
  /** Nothing arrived for `silentS`: tell the user. */
  warn(silentS: number): void;
  /** Audio or signalling arrived again after a warning. */
  recovered(): void;
  /** Nothing arrived for `silentS` (≥ GHOST_END_S): end the call. */
  dead(silentS: number): void;
}

/** Watches one answered call for a vanished far end; `heard()` on its signalling. */
export class GhostWatch {
  readonly #opts: GhostWatchOptions;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #running = false;
  #lastPackets: number | null = null;
  #silentS = 0;
  #warned = false;

  constructor(opts: GhostWatchOptions) {
    this.#opts = opts;
  }

  /** The call was answered: start reading its statistics. */
  start(): void {
    if (this.#running) {
      return;
    }
    this.#running = true;
    this.#schedule();
  }

  /** Signalling of this dialog arrived from the far end: it is there. */
  heard(): void {
    this.#reset();
  }

  /** The call ended. */
  stop(): void {
    this.#running = false;
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #schedule(): void {
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#poll();
    }, GHOST_POLL_S * 1000);
  }

  async #poll(): Promise<void> {
    const packets = await this.#opts.packets();
    if (!this.#running) {
      return;
    }
    const previous = this.#lastPackets;
    this.#lastPackets = packets;
    if (packets === null || previous === null || packets > previous || this.#opts.quietExpected()) {
      this.#reset();
      this.#schedule();
      return;
    }
    this.#silentS += GHOST_POLL_S;
    if (this.#silentS >= GHOST_END_S) {
      this.stop();
      this.#opts.dead(this.#silentS);
      return;
    }
    if (this.#silentS >= GHOST_WARN_S && !this.#warned) {
      this.#warned = true;
      this.#opts.warn(this.#silentS);
    }
    this.#schedule();
  }

  #reset(): void {
    this.#silentS = 0;
    if (this.#warned) {
      this.#warned = false;
      this.#opts.recovered();
    }
  }
}
