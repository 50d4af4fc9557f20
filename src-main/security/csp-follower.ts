// Keeps the page's CSP in step with the accounts. A policy is fixed when its document loads,
// so after an account's server is added, changed or removed the page still runs under the old
// connect-src (a new server would be blocked). This reloads the page once the policy it was
// served with is out of date, but never in the middle of a call: then it waits for the call to
// end. Only pages served by the app:// handler are followed (the dev server has no header), and
// only the phone window's: the incoming-call popup is served the same page, and its loads must
// not stand for the phone window's policy (isPopupDocument tells them apart).
import { isPopupDocument } from '../windows/incoming-popup';

export interface CspFollowerDeps {
  /** The policy a document would be served with now. */
  policy(): string;
  /** Whether a call is ringing, being set up or going on. */
  callActive(): boolean;
  /** Reloads the page (after the current IPC reply has gone out). */
  reload(): void;
}

export class CspFollower {
  #served: string | null = null;
  #stale = false;
  readonly #deps: CspFollowerDeps;

  constructor(deps: CspFollowerDeps) {
    this.#deps = deps;
  }

  /** The app protocol served a document (`url`) with `policy`. */
  documentServed(policy: string, url: string): void {
    if (isPopupDocument(url)) {
      return;
    }
    this.#served = policy;
    this.#stale = false;
  }

  /** Settings were saved: reload now or after the call when the policy changed. */
  settingsChanged(): void {
    if (this.#served !== null && this.#served !== this.#deps.policy()) {
      this.#stale = true;
      this.#reloadWhenIdle();
    }
  }

  /** The phone's state changed: a reload held back by a call happens when it is over. */
  phoneStateChanged(): void {
    if (this.#stale) {
      this.#reloadWhenIdle();
    }
  }

  /** Whether a reload is waiting for a call to end. */
  get waiting(): boolean {
    return this.#stale;
  }

  #reloadWhenIdle(): void {
    if (this.#deps.callActive()) {
      return;
    }
    this.#stale = false;
    this.#deps.reload();
  }
}
