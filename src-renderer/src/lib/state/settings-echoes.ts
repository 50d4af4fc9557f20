// Which settings/changed events the window should take. Main announces every saved change to
// the window, its own saves included, and answers the save as well: the same settings twice.
// Electron carries `invoke` replies and `webContents.send` messages on different pipes and does
// not order one against the other (electron/electron#18630), so the echo of a save can come
// after the reply to a later save, or after another change main made since. Taken then, it
// would put the window back to settings main no longer has, until the next change, and a save
// built from them would write the old values back. Framework-free: SettingsState uses it, the
// unit tests drive it.
//
// The rule: every reply to the window's own save owes one echo (main's store announces every
// update, a no-op one included, before it replies; a save that failed announces nothing and
// owes nothing). An event equal to an owed echo is that echo: it is never newer than the reply
// already taken, so it is dropped. An echo can also come first, while its save is in flight;
// it is taken then (nothing newer is known yet), and its reply owes nothing. A change main
// announced after that echo is newer than the reply (main sends the echo, then the reply, and
// its events in order); taken while the reply was on its way, the reply must not undo it.

/** What the filter needs of a settings value: a stable text form to compare. */
const keyOf = (settings: unknown): string => JSON.stringify(settings);
/**
 * Owed echoes kept at most. One that never comes (a window that was not listening) would
 * otherwise wait for ever and could drop a later change that happens to be equal to it.
 */
const MAX_OWED = 16;

export class SettingsEchoes {
  /** Replies whose echo has not come yet, in the order main made them. */
  readonly #owed: string[] = [];
  /** Events taken while a save was in flight (an echo that came before its reply). */
  readonly #early: string[] = [];
  #inFlight = 0;

  /** A save of the window's own is on its way to main. */
  sent(): void {
    this.#inFlight += 1;
  }

  /**
   * The save got `reply` (null: it failed, no echo comes); whether to apply it. Not when its
   * echo came first and a change main announced after that echo was taken too: that change is
   * newer than the reply.
   */
  answered(reply: unknown): boolean {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    let apply = reply !== null;
    if (reply !== null) {
      const key = keyOf(reply);
      const early = this.#early.indexOf(key);
      if (early >= 0) {
        apply = early === this.#early.length - 1;
        this.#early.splice(early, 1);
      } else {
        this.#owed.push(key);
        if (this.#owed.length > MAX_OWED) {
          this.#owed.shift();
        }
      }
    }
    if (this.#inFlight === 0) {
      this.#early.length = 0;
    }
    return apply;
  }

  /** Whether to take a settings/changed event (false: the late echo of a reply already taken). */
  take(event: unknown): boolean {
    const key = keyOf(event);
    const owed = this.#owed.indexOf(key);
    if (owed >= 0) {
      this.#owed.splice(owed, 1);
      return false;
    }
    if (this.#inFlight > 0) {
      this.#early.push(key);
    }
    return true;
  }

  /** Echoes still owed (tests, diagnostics). */
  get owed(): number {
    return this.#owed.length;
  }
}
