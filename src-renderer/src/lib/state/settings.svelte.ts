// Reactive mirror of the settings file the main process owns (accounts, app and sound options)
// and of the app's facts (version, platform, where secrets are kept). Main is the only writer:
// every change goes through it and comes back as the saved settings (the reply to an update, or
// the settings/changed event when the tray, another window or a file import changed them).
// The window's own saves go to main one at a time, each built from the newest settings.
import type { AppInfo } from '@shared/ipc-contract';
import type { AccountSettings, AppSettings, AppSettingsPatch } from '@shared/settings-types';
import { invoke, on } from '../bridge';
import { TypedEmitter } from '../emitter';
import { OpQueue } from '../op-queue';
import type { PolicySettings } from '../phone';
import { SettingsEchoes } from './settings-echoes';

export interface SettingsEvents {
  /** The settings changed (saved here, or by main: tray, file import, another window). */
  changed: AppSettings;
}

export class SettingsState extends TypedEmitter<SettingsEvents> {
  #value = $state.raw<AppSettings | null>(null);
  #info = $state.raw<AppInfo | null>(null);
  readonly #echoes = new SettingsEchoes();
  readonly #saves = new OpQueue();
  /** How many of main's events were taken (load and reload drop a reply read across one). */
  #heard = 0;
  /** Whether main's settings/changed events are taken (from the first load on, for good). */
  #listening = false;

  /** The settings, once loaded. */
  get value(): AppSettings | null {
    return this.#value;
  }
  get info(): AppInfo | null {
    return this.#info;
  }
  get accounts(): AccountSettings[] {
    return this.#value?.accounts ?? [];
  }
  get enabledAccounts(): AccountSettings[] {
    return this.accounts.filter((a) => a.enabled);
  }
  /** The account calls go out on unless the user picks another. */
  get defaultAccount(): AccountSettings | null {
    const accounts = this.enabledAccounts;
    return accounts.find((a) => a.id === this.#value?.defaultAccountId) ?? accounts[0] ?? null;
  }
  get doNotDisturb(): boolean {
    return this.#value?.doNotDisturb ?? false;
  }
  account(id: string): AccountSettings | null {
    return this.accounts.find((a) => a.id === id) ?? null;
  }
  /** The account's label, or '' when it is gone. */
  labelOf(id: string): string {
    return this.account(id)?.label ?? '';
  }

  /** What the call policies read for a call on `accountId` (see phone/call-policy.ts). */
  policyFor(accountId: string): PolicySettings {
    const s = this.#value;
    return {
      doNotDisturb: s?.doNotDisturb ?? false,
      dndCode: s?.dndResponseCode ?? 486,
      autoAnswer: s?.autoAnswer ?? false,
      allowAutoAnswerHeader: this.account(accountId)?.allowAutoAnswerHeader ?? false,
      maxLines: s?.maxLines ?? 4,
    };
  }

  /**
   * Loads the app's facts and the settings from main, and from then on takes main's
   * settings/changed events. They are listened to before the settings are asked for: a change
   * the tray makes while the window starts (do-not-disturb) is announced while the read is on
   * its way, and the reply may be older than it (electron/electron#18630): as in `reload`, the
   * event is kept and the reply dropped. Returns the settings as taken.
   */
  async load(): Promise<AppSettings> {
    if (!this.#listening) {
      this.#listening = true;
      on('settings/changed', (settings) => this.heard(settings));
    }
    const heard = this.#heard;
    const [info, settings] = await Promise.all([
      invoke('app/get-info', null),
      invoke('settings/get', null),
    ]);
    this.#info = info;
    if (this.#heard === heard) {
      this.apply(settings);
    }
    return this.#value ?? settings;
  }

  /**
   * Reads the settings again (after an account was saved or deleted), after this window's saves
   * on their way. A change main announced while the read was on its way is kept, and the reply
   * dropped: Electron does not order invoke replies against main's events
   * (electron/electron#18630), so the reply may be older than that change; the event is as new
   * as the reply or newer, or a newer event is still on its way (main's events keep their order).
   */
  reload(): Promise<void> {
    return this.#saves.run(async () => {
      const heard = this.#heard;
      const settings = await invoke('settings/get', null);
      if (this.#heard === heard) {
        this.apply(settings);
      }
    });
  }

  /**
   * Saves app settings (not accounts); the saved settings come back and are applied. Goes to
   * main after this window's earlier saves are answered (`change`).
   */
  update(patch: AppSettingsPatch): Promise<void> {
    return this.#saves.run(() => this.#send(patch));
  }

  /**
   * Saves a change to the settings as they are when it goes to main: once this window's earlier
   * saves are answered, `build` gets the newest settings and returns the patch (null: nothing
   * left to save). A list changed twice within one round trip (two lamps added, a lamp moved
   * twice, two hotkeys set) keeps both changes; a patch built at the time of the second click
   * would have put back the list without the first.
   */
  change(build: (current: AppSettings) => AppSettingsPatch | null): Promise<void> {
    return this.#saves.run(async () => {
      const current = this.#value;
      if (current === null) {
        throw new Error('The settings have not been read yet; try again in a moment.');
      }
      const patch = build(current);
      if (patch !== null) {
        await this.#send(patch);
      }
    });
  }

  // One save. Its reply is not applied when a change main announced after the save's echo was
  // taken while the reply was on its way (settings-echoes.ts): the reply is older than it.
  async #send(patch: AppSettingsPatch): Promise<void> {
    this.#echoes.sent();
    let saved: AppSettings;
    try {
      saved = await invoke('settings/update', patch);
    } catch (error) {
      this.#echoes.answered(null);
      throw error;
    }
    if (this.#echoes.answered(saved)) {
      this.apply(saved);
    }
  }

  /**
   * A settings/changed event from main (listened to since `load`): taken unless it is the late
   * echo of one of this window's saves whose reply was already applied (settings-echoes.ts).
   */
  heard(settings: AppSettings): void {
    if (this.#echoes.take(settings)) {
      this.#heard += 1;
      this.apply(settings);
    }
  }

  /** Turns do-not-disturb on or off. */
  setDoNotDisturb(on: boolean): Promise<void> {
    return this.update({ doNotDisturb: on });
  }

  /** Takes the settings main saved (a reply, or an event `heard` took). */
  apply(settings: AppSettings): void {
    this.#value = settings;
    this.emit('changed', settings);
  }
}
