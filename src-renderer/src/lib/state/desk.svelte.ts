// Reactive mirror of the hands-free desk (issue 16): the headset (which one, whether it is
// plugged in, main's picker while one is being chosen, busy elsewhere), the global hotkeys'
// statuses, and the wiring that needs no view — headset buttons and lights on the calls
// (headset/headset-calls.ts), main's hotkey actions on the calls (desk/call-actions.ts),
// screen-pop on call events (desk/screen-pop-trigger.ts) and redial (desk/redial.ts). The
// logic lives in those framework-free modules; this file only builds them and mirrors them.
import type { HeadsetChoiceRequest, HotkeyStatus } from '@shared/ipc-contract';
import type { AppSettings, HotkeySettings } from '@shared/settings-types';
import { invoke, on } from '../bridge';
import { runHotkey } from '../desk/call-actions';
import { lastDialled } from '../desk/redial';
import { ScreenPopTrigger } from '../desk/screen-pop-trigger';
import type { HeadsetCalls } from '../headset/headset-calls';
import type { HeadsetConnection } from '../headset/headset-connection';
import { HeadsetPicker } from '../headset/headset-picker';
import type { Hid } from '../headset/webhid';
import { loadOnce } from '../lazy/load-once';
import { createLogger } from '../logger';
import type { LineManager } from '../phone';
import type { DialerState } from './dialer.svelte';
import type { MemoryState } from './memory.svelte';
import type { SettingsState } from './settings.svelte';

const log = createLogger('desk');

// The headset's driver (HID reports, descriptors, lights) is a chunk of its own, loaded when the
// desk starts, after the first registration (startup budget, issue 19).
const headsetCode = loadOnce(() =>
  Promise.all([import('../headset/headset-connection'), import('../headset/headset-calls')]),
);

const BUTTON_NAMES: Record<string, string> = {
  hookSwitch: 'answer / hang up',
  phoneMute: 'mute',
  flash: 'flash (hold, swap)',
  redial: 'redial',
  drop: 'hang up (drop)',
};

export interface DeskDeps {
  settings: SettingsState;
  lines: LineManager;
  dialer: DialerState;
  memory: MemoryState;
  /** navigator.hid, or undefined where WebHID is missing. */
  hid: Hid | undefined;
}

export class DeskState {
  #headsetName = $state<string | null>(null);
  #headsetButtons = $state.raw<readonly string[]>([]);
  #headsetNotice = $state<string | null>(null);
  #busyElsewhere = $state(false);
  #choosing = $state(false);
  #offer = $state.raw<HeadsetChoiceRequest | null>(null);
  #hotkeys = $state.raw<readonly HotkeyStatus[]>([]);
  readonly #deps: DeskDeps;
  /** The headset's connection and its wiring to the calls, once their code is loaded. */
  #headset: { connection: HeadsetConnection; calls: HeadsetCalls } | null = null;
  readonly #picker: HeadsetPicker;
  readonly #screenPop: ScreenPopTrigger;
  readonly #offs: (() => void)[] = [];
  #offered = false;
  #stopped = false;
  #seen: { headset: string; hotkeys: string } | null = null;

  constructor(deps: DeskDeps) {
    this.#deps = deps;
    this.#picker = new HeadsetPicker({ on, invoke });
    this.#screenPop = new ScreenPopTrigger(deps.lines, {
      settingsOf: (id) => deps.settings.account(id)?.screenPop ?? null,
      nameOf: (snapshot) => {
        const name = deps.memory.nameOf(snapshot.party);
        return name === snapshot.party.user ? null : name;
      },
      open: (request) => invoke('screen-pop/open', request),
    });
    this.#picker.on('changed', (request) => {
      this.#offer = request;
      if (request) {
        this.#offered = true;
      }
    });
  }

  /** False where this window cannot use headset buttons (no WebHID). */
  get headsetSupported(): boolean {
    return this.#deps.hid !== undefined;
  }
  /** The headset in use (plugged in and open), or null. */
  get headsetName(): string | null {
    return this.#headsetName;
  }
  /** The remembered headset's name, plugged in or not. */
  get rememberedHeadset(): string | null {
    return this.#deps.settings.value?.headset.device?.name ?? null;
  }
  /** The buttons the headset in use has, in words. */
  get headsetButtons(): readonly string[] {
    return this.#headsetButtons;
  }
  /** What went wrong with the headset, or what happened to it, in a sentence. */
  get headsetNotice(): string | null {
    return this.#headsetNotice;
  }
  /** The headset is in a call of another device (its Line Busy Tone). */
  get busyElsewhere(): boolean {
    return this.#busyElsewhere;
  }
  /** A headset is being chosen (the system's request is open). */
  get choosing(): boolean {
    return this.#choosing;
  }
  /** Main's list of telephony devices to choose from, while a choice is open. */
  get offer(): HeadsetChoiceRequest | null {
    return this.#offer;
  }
  /** Where each global hotkey stands (registered, or why not). */
  get hotkeys(): readonly HotkeyStatus[] {
    return this.#hotkeys;
  }

  /** Listens to main and opens the remembered headset. Call once the settings are loaded. */
  async start(): Promise<void> {
    const lines = this.#deps.lines;
    this.#offs.push(
      on('hotkeys/status-changed', (statuses) => (this.#hotkeys = statuses)),
      on('hotkeys/action', ({ action }) => {
        runHotkey(lines, action).catch((error: unknown) =>
          log.warn(`hotkey ${action}: ${String(error)}`),
        );
      }),
    );
    const settings = this.#deps.settings.value;
    this.#seen = settings ? seenOf(settings) : null;
    await Promise.all([
      this.#loadHeadset().then(({ connection }) => (this.#stopped ? null : connection.start())),
      this.#refreshHotkeys(),
    ]);
  }

  /** The settings changed: follow another remembered headset, refresh the hotkeys' statuses. */
  settingsChanged(settings: AppSettings): void {
    const seen = seenOf(settings);
    const before = this.#seen;
    this.#seen = seen;
    if (!before) {
      return;
    }
    if (seen.headset !== before.headset) {
      void this.#headset?.connection.rememberedChanged();
    }
    if (seen.hotkeys !== before.hotkeys) {
      void this.#refreshHotkeys();
    }
  }

  /** Opens the system's choice of telephony devices (call from a click: WebHID needs one). */
  async chooseHeadset(): Promise<void> {
    this.#choosing = true;
    this.#offered = false;
    this.#headsetNotice = null;
    try {
      const { connection } = await this.#loadHeadset();
      const name = await connection.choose();
      if (name === null && !this.#offered) {
        this.#headsetNotice =
          'No headset with call buttons is plugged in. Plug it in and choose again.';
      }
    } catch (error: unknown) {
      this.#headsetNotice = error instanceof Error ? error.message : String(error);
    } finally {
      this.#choosing = false;
      this.#picker.clear();
    }
  }

  /** The user's pick in main's list (null = cancel). */
  async pick(deviceId: string | null): Promise<void> {
    try {
      await this.#picker.choose(deviceId);
    } catch (error: unknown) {
      this.#headsetNotice = error instanceof Error ? error.message : String(error);
    }
  }

  /** Forgets the headset: its permission is revoked and the setting cleared. */
  async forgetHeadset(): Promise<void> {
    await (await this.#loadHeadset()).connection.forget();
    await this.#deps.settings.update({ headset: { device: null } });
    this.#headsetNotice = null;
  }

  /**
   * Saves a change to the hotkey settings, made to the newest ones (two keys set within one
   * round trip both stay); main registers them and says how each went.
   */
  async changeHotkeys(change: (current: HotkeySettings) => HotkeySettings): Promise<void> {
    await this.#deps.settings.change((current) => ({ hotkeys: change(current.hotkeys) }));
  }

  /** Calls the last number dialled again; false when there is none. */
  async redial(): Promise<boolean> {
    const store = this.#deps.memory.historyStore;
    const last = await lastDialled(store ? (limit) => store.page(limit) : null);
    if (!last) {
      return false;
    }
    await this.#deps.dialer.callBack(last.dial, last.accountId);
    return true;
  }

  /** Stops listening and closes the headset (lights off). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#offs.splice(0).forEach((off) => off());
    this.#screenPop.dispose();
    this.#picker.dispose();
    this.#headset?.calls.dispose();
    await this.#headset?.connection.stop();
  }

  // The headset's connection and calls, built (and wired) the first time they are needed.
  async #loadHeadset(): Promise<{ connection: HeadsetConnection; calls: HeadsetCalls }> {
    const [{ HeadsetConnection }, { HeadsetCalls }] = await headsetCode.get();
    if (this.#headset) {
      return this.#headset;
    }
    const deps = this.#deps;
    const connection = new HeadsetConnection({
      hid: deps.hid,
      remembered: () => deps.settings.value?.headset.device ?? null,
    });
    const calls = new HeadsetCalls({ lines: deps.lines, redial: () => this.redial() });
    connection.on('connected', ({ headset, name }) => {
      this.#headsetName = name;
      this.#headsetNotice = null;
      this.#headsetButtons = headset.capabilities.inputs.flatMap((c) => BUTTON_NAMES[c] ?? []);
      void calls.attach(headset);
    });
    connection.on('disconnected', ({ name, reason }) => {
      calls.detach();
      this.#headsetName = null;
      this.#headsetButtons = [];
      if (reason === 'unplugged') {
        this.#headsetNotice = `${name} was unplugged. Plug it in again to use its buttons.`;
      }
    });
    connection.on('error', ({ message }) => (this.#headsetNotice = message));
    calls.on('line-busy', ({ busy }) => (this.#busyElsewhere = busy));
    calls.on('problem', ({ message }) => (this.#headsetNotice = message));
    this.#headset = { connection, calls };
    return this.#headset;
  }

  async #refreshHotkeys(): Promise<void> {
    try {
      this.#hotkeys = await invoke('hotkeys/get-status', null);
    } catch (error: unknown) {
      log.debug(`hotkey statuses not read: ${String(error)}`);
    }
  }
}

function seenOf(settings: AppSettings): { headset: string; hotkeys: string } {
  return {
    headset: JSON.stringify(settings.headset.device),
    hotkeys: JSON.stringify(settings.hotkeys),
  };
}
