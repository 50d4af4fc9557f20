// One app-wide notice the user must see whatever screen is open (the page was restarted after a
// crash and a call was lost), until dismissed.
export class AppNotice {
  #message = $state<string | null>(null);

  get message(): string | null {
    return this.#message;
  }

  show(message: string): void {
    this.#message = message;
  }

  dismiss(): void {
    this.#message = null;
  }
}
