// Drives the busy-lamp panel and the presence parts of the app in an e2e page (PhonePage): add a
// lamp through the form, read a lamp's state and detail, press its buttons, set our status, and
// read voicemail counts. Everything waits for the DOM, never for a clock.
import type { Locator } from 'playwright-core';
import type { PhonePage } from './phone-page';

/** The panel of one phone. */
export class LampsPage {
  constructor(readonly phone: PhonePage) {}

  get panel(): Locator {
    return this.phone.page.getByTestId('lamps-panel');
  }

  /** Adds a lamp by typing `target` and pressing Enter; waits until it is listed. */
  async add(target: string, aor: string): Promise<void> {
    await this.panel.getByLabel('Extension, address or contact').fill(target);
    await this.panel.getByLabel('Extension, address or contact').press('Enter');
    await this.row(aor).waitFor();
  }

  row(aor: string): Locator {
    return this.panel.locator(`[data-testid="lamp-row"][data-aor="${aor}"]`);
  }

  /** Waits until the lamp of `aor` shows `state` (idle, ringing, in-call, unknown). */
  async waitForState(aor: string, state: string, timeoutMs = 20_000): Promise<void> {
    await this.panel
      .locator(`[data-testid="lamp-row"][data-aor="${aor}"][data-state="${state}"]`)
      .waitFor({ timeout: timeoutMs });
  }

  /** The lamp's detail line (who is calling, or why it is unknown). */
  async detail(aor: string): Promise<string> {
    return (await this.row(aor).getByTestId('lamp-detail').innerText()).trim();
  }

  /** Clicks one of a lamp's buttons by its accessible name (Pick up, Transfer, Talk first…). */
  async press(aor: string, name: string | RegExp): Promise<void> {
    await this.row(aor)
      .getByRole('button', { name, exact: typeof name === 'string' })
      .click();
  }

  /** The presence dot shown on the lamp, or null. */
  async presenceOf(aor: string): Promise<string | null> {
    const dot = this.row(aor).getByTestId('presence-dot');
    return (await dot.count()) > 0 ? dot.getAttribute('data-status') : null;
  }

  /** Waits until the lamp of `aor` shows the presence `status` (available, away, busy, offline…). */
  async waitForPresence(aor: string, status: string, timeoutMs = 20_000): Promise<void> {
    await this.row(aor)
      .locator(`[data-testid="presence-dot"][data-status="${status}"]`)
      .waitFor({ timeout: timeoutMs });
  }

  /** Chooses our own status. */
  async setStatus(label: 'Available' | 'Away' | 'Busy' | 'Do not disturb'): Promise<void> {
    await this.panel.getByTestId('own-status').selectOption({ label });
  }
}
