// Drives the Chat of one phone page (PhonePage) like a user: the Chat tab, starting and opening
// conversations, typing (key by key when the typing indicator matters), sending, and reading the
// thread back as the DOM shows it. Waits are Playwright waits on elements, never sleeps.
import type { Locator } from 'playwright-core';
import type { PhonePage } from './phone-page';

/** A message as the thread shows it. */
export interface ShownMessage {
  direction: string;
  state: string;
  text: string;
}

export class ChatPage {
  constructor(readonly phone: PhonePage) {}

  get page() {
    return this.phone.page;
  }

  /** The thread on screen (the Chat view's, or the call's). */
  get thread(): Locator {
    return this.page.getByTestId('chat-thread');
  }

  /** Shows the Chat tab (its list, or the open conversation). */
  async openTab(): Promise<void> {
    await this.page.getByRole('tab', { name: /^Chat/ }).click();
  }

  /** Starts (or reopens) the conversation with a number or address from the Chat view. */
  async start(peer: string): Promise<void> {
    await this.openTab();
    await this.back();
    await this.page.getByLabel('Number or address to message').fill(peer);
    await this.page.getByRole('button', { name: 'Start', exact: true }).click();
    await this.thread.waitFor();
  }

  /** Back to the conversation list when a conversation is open. */
  async back(): Promise<void> {
    const back = this.page.getByRole('button', { name: 'Back to conversations' });
    if ((await back.count()) > 0) {
      await back.click();
    }
  }

  /** Opens the conversation whose row shows `name` in the list. */
  async open(name: string): Promise<void> {
    await this.openTab();
    await this.back();
    await this.page.getByTestId('chat-row').filter({ hasText: name }).click();
    await this.page.keyboard.press('Enter');
    await this.thread.waitFor();
  }

  /** Types into the composer key by key (each key is an edit, as a person types). */
  async type(text: string): Promise<void> {
    await this.page.getByTestId('chat-composer').pressSequentially(text);
  }

  /** Replaces the composer's text at once. */
  async fill(text: string): Promise<void> {
    await this.page.getByTestId('chat-composer').fill(text);
  }

  async draft(): Promise<string> {
    return this.page.getByTestId('chat-composer').inputValue();
  }

  async send(): Promise<void> {
    await this.page.getByTestId('chat-send').click();
  }

  /** The messages of the open thread, oldest first. */
  async messages(): Promise<ShownMessage[]> {
    return this.thread.getByTestId('chat-message').evaluateAll((items) =>
      items.map((li) => ({
        direction: li.getAttribute('data-direction') ?? '',
        state: li.getAttribute('data-state') ?? '',
        text: li.querySelector('.text')?.textContent?.trim() ?? '',
      })),
    );
  }

  /** The message whose text contains `text`. */
  message(text: string): Locator {
    return this.thread.getByTestId('chat-message').filter({ hasText: text });
  }

  /** Waits until the message with `text` is in one of `states`. */
  async waitForState(text: string, states: string[], timeoutMs = 20_000): Promise<void> {
    const selector = states.map((s) => `[data-state="${s}"]`).join(',');
    await this.message(text).and(this.page.locator(selector)).waitFor({ timeout: timeoutMs });
  }

  /** Waits for a message with `text` to be shown. */
  async waitForMessage(text: string, timeoutMs = 20_000): Promise<void> {
    await this.message(text).first().waitFor({ timeout: timeoutMs });
  }

  /** Waits until "… is typing" is shown (`shown`) or gone. */
  async waitForTyping(shown: boolean, timeoutMs = 20_000): Promise<void> {
    await this.page
      .getByTestId('chat-typing')
      .waitFor({ state: shown ? 'visible' : 'detached', timeout: timeoutMs });
  }

  /** The unread count on the Chat tab (0 when there is no badge). */
  async unreadBadge(): Promise<number> {
    const badge = this.page.getByTestId('chat-unread-badge');
    return (await badge.count()) === 0 ? 0 : Number(await badge.innerText());
  }
}
