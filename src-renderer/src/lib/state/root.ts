// The renderer root: builds every part of the phone once, wires them together explicitly, and
// is shared with components through context. Where things live:
//   settings  — the settings file's mirror (settings.svelte.ts)
//   accounts  — engines and registrations (accounts.svelte.ts)
//   lines     — every live call and multi-call action (phone/lines.ts), mirrored by `calls`
//   dialer    — the dial field, links, the next call's account (dialer.svelte.ts)
//   memory    — history and contacts, and the name shown for a party (memory.svelte.ts)
//   audio     — devices, ringing, levels, call quality (audio.svelte.ts)
//   desk      — headset buttons and lights, global hotkeys, screen-pop, redial (desk.svelte.ts)
//   recording — call recording and noise suppression per call (recording.svelte.ts)
//   call log  — the history entry of every ended call (call-log.ts)
//   presence  — busy lamps, watched presence, voicemail waiting, our status (presence.svelte.ts)
//   chat      — conversations, messages, typing, unread (chat.svelte.ts over messaging/)
//   main link — everything to and from the main process (main-link.ts; chat's in chat-link.ts)
// Chat, presence, recording and the desk are one chunk of their own (parts.ts), imported at once
// and built before any account starts; the first screen reads them through `parts` (null until
// they are built) with a placeholder meanwhile (startup budget, issue 19).
import { createContext } from 'svelte';
import { monitorSourceFor, senderStatsOf } from '../audio/monitor-source';
import {
  browserMediaEnvironment,
  LineManager,
  loadDialCode,
  loadJsSipSessions,
  type MediaEnvironment,
  type PhoneCall,
  warmUpWebRtc,
} from '../phone';
import { AccountsState } from './accounts.svelte';
import { AppNotice } from './app-notice.svelte';
import { AudioState } from './audio.svelte';
import type { CallJournal } from './call-journal';
import { CallLog } from './call-log';
import { CallsState } from './calls.svelte';
import type { ChatState } from './chat.svelte';
import type { DeskState } from './desk.svelte';
import { DialerState } from './dialer.svelte';
import { LazyPart } from './lazy-part.svelte';
import { MainLink } from './main-link';
import { MemoryState } from './memory.svelte';
import { MicrophoneGate } from './microphone-gate';
import type { PhoneParts } from './parts';
import type { PresenceState } from './presence.svelte';
import type { RecordingState } from './recording.svelte';
import { SettingsState } from './settings.svelte';
import { holdLazyViewsUntil } from '../lazy/lazy-component';
import { createLogger } from '../logger';
import { afterPaint } from '../ui/after-paint';
import type { RecentNumber } from '@shared/ipc-contract';

const log = createLogger('root');
/** How long chat, history and contacts wait for the first registration before opening anyway. */
const REGISTRATION_WAIT_MS = 3000;
/** Longest the audio output's warm-up waits for an idle moment after the first registration. */
const AUDIO_WARM_BOUND_MS = 5000;
/**
 * Longest a call that ended waits for the call history to open before its entry is given up
 * (and the log says so). The history opens after the first registration's outcome, the audio
 * devices and the chat store (init), so a call can end before it is open: one declined by
 * do-not-disturb at once, or a caller who gives up while the phone starts.
 */
const HISTORY_OPEN_WAIT_MS = 60_000;

export class PhoneRoot {
  readonly settings = new SettingsState();
  readonly memory = new MemoryState();
  /** A notice every screen shows (the page was restarted and a call lost). */
  readonly notice = new AppNotice();
  readonly lines: LineManager;
  readonly calls: CallsState;
  readonly accounts: AccountsState;
  readonly dialer: DialerState;
  readonly audio: AudioState;
  readonly #parts: LazyPart<PhoneParts>;
  readonly #link: MainLink;
  /** Set once the phone has started (its code is a chunk of its own). */
  #journal: CallJournal | null = null;
  readonly #microphone = new MicrophoneGate();
  /** Writes the history entry of every call that ends. */
  readonly callLog: CallLog;
  #recent: RecentNumber[] = [];
  #tonesQueued = false;

  constructor(media: MediaEnvironment = browserMediaEnvironment()) {
    this.lines = new LineManager({ settings: (id) => this.settings.policyFor(id) });
    this.audio = new AudioState({
      devices: navigator.mediaDevices,
      saveAudio: (audio) => this.settings.update({ audio }),
      liveCalls: () => this.lines.objects,
      setCallDefaults: (microphone, speaker) => this.accounts.setAudio(microphone, speaker),
    });
    this.accounts = new AccountsState({
      settings: this.settings,
      lines: this.lines,
      media,
      audioDefaults: () => ({
        microphone: this.audio.microphoneOptions(),
        speakerId: this.audio.speakerId(),
      }),
    });
    const engineOf = (id: string) => this.accounts.engineOf(id);
    const microphoneProblem = (ask: boolean) => this.#microphone.problem(ask);
    this.calls = new CallsState(this.lines, engineOf, microphoneProblem);
    this.dialer = new DialerState({
      settings: this.settings,
      lines: this.lines,
      engineOf,
      microphoneProblem,
    });
    // Their code is fetched now, while the settings load; a lazy view waits for it.
    // They resolve lamp and chat addresses with the dial code: built once both are loaded.
    this.#parts = new LazyPart(() =>
      Promise.all([import('./parts'), loadDialCode()]).then(([{ buildParts }]) => {
        const parts = buildParts({
          settings: this.settings,
          lines: this.lines,
          dialer: this.dialer,
          memory: this.memory,
          engineOf,
          microphoneProblem,
        });
        this.#wireParts(parts);
        return parts;
      }),
    );
    holdLazyViewsUntil(this.#parts.ready);
    this.callLog = new CallLog(this.lines, {
      history: () => this.memory.historyWhenOpen(HISTORY_OPEN_WAIT_MS),
      accountLabel: (id) => this.settings.labelOf(id),
      takeQuality: (id) => this.audio.untrackCall(id),
      recordingsOf: (id) => this.parts?.recording.calls.settle(id) ?? Promise.resolve([]),
      recorded: () => void this.#refreshRecent(),
    });
    this.#link = new MainLink({
      lines: this.lines,
      // A link with a message (?body=) opens the chat with it as a draft; it never dials.
      dialFromLink: (request) =>
        request.target.body !== undefined
          ? void this.parts?.chat.fromLink(request.target)
          : this.dialer.fromLink(request),
      linkRefused: (message) => this.dialer.linkRefused(message),
      reconnectAll: () => this.accounts.reconnectAll(),
      callBack: (dial) => void this.dialer.callBack(dial),
      callVoicemail: () => void this.#callVoicemail(),
      // Recordings are closed first (their last audio written); subscriptions and our
      // published status end (bounded) before the accounts unregister; then the headset's
      // lights go off and its device closes.
      stopAll: async () => {
        const parts = this.parts;
        await parts?.recording.calls.stopAll();
        await parts?.presence.stop();
        await this.accounts.stopAll();
        await parts?.desk.stop();
      },
      summaryInputs: () => ({
        accounts: this.settings.accounts,
        registrationOf: (id) => this.accounts.registrationOf(id),
        doNotDisturb: this.settings.doNotDisturb,
        missedCount: this.memory.missedCount,
        unreadMessages: this.parts?.chat.unreadTotal ?? 0,
        recentNumbers: this.#recent,
        voicemail: this.parts?.presence.voicemailTotal ?? { waiting: false, newCount: 0 },
        nameOf: (party) => this.memory.nameOf(party),
        recording: this.parts?.recording.calls.summary ?? null,
      }),
      callerName: (call) => {
        const name = this.memory.nameOf(call.party);
        return name === call.party.user ? null : name;
      },
      accountLabel: (id) => this.settings.labelOf(id),
      recordingNote: (call) =>
        this.parts?.recording.calls.summary
          ? 'in-progress'
          : this.settings.account(call.accountId)?.autoRecord
            ? 'will-record'
            : null,
      restarted: (restart) => this.notice.show(restart.message),
    });
    this.#wire();
  }

  /** Chat, presence, recording and the desk once their code has loaded, else null (reactive). */
  get parts(): PhoneParts | null {
    return this.#parts.value;
  }
  /** Resolves once the parts are built (they are before any account starts). */
  get partsReady(): Promise<PhoneParts> {
    return this.#parts.ready;
  }
  /** Chat; for views shown only once the parts are built (lazy views wait for them). */
  get chat(): ChatState {
    return this.#parts.get('Chat').chat;
  }
  /** Presence; for views shown only once the parts are built. */
  get presence(): PresenceState {
    return this.#parts.get('Presence').presence;
  }
  /** Recording; for views shown only once the parts are built. */
  get recording(): RecordingState {
    return this.#parts.get('Recording').recording;
  }
  /** The desk; for views shown only once the parts are built. */
  get desk(): DeskState {
    return this.#parts.get('The desk').desk;
  }

  /**
   * Loads settings, starts enabled accounts, opens the history and listens to main. Registering
   * goes first: the device lists, the microphone check and the database (its code is a chunk of
   * its own) follow once the first registration has an outcome, or after a bound.
   */
  async init(): Promise<void> {
    // The parts', the dial code's and JsSIP's session chunks are fetched while the settings' IPC
    // round trip runs; accounts start once all are there, so chat and presence are bound to
    // every engine from its first request and every call finds the dial rules.
    const loaded = this.settings.load();
    // The accounts' passwords and their servers' connections need only the settings: asked for
    // and opened while the chunks load (AccountsState.prepare). A failed load is init's to report.
    loaded.then(
      () => this.accounts.prepare(),
      () => {},
    );
    const [settings, , parts] = await Promise.all([
      loaded,
      // The dial parser and rules (a chunk of their own, fetched since the dialer was built):
      // every call goes through them.
      loadDialCode().catch((error: unknown) => log.warn(`dialling unavailable: ${String(error)}`)),
      this.#parts.ready.catch((error: unknown) => {
        log.warn(`chat, presence, recording and desk unavailable: ${String(error)}`);
        return null;
      }),
      // JsSIP's session, MESSAGE and subscription code (a chunk of its own): every request the
      // accounts take and every call, message and subscription they make finds it loaded.
      loadJsSipSessions().catch((error: unknown) =>
        log.warn(`calls, chat and presence unavailable: ${String(error)}`),
      ),
    ]);
    this.audio.load(settings.audio);
    this.#link.start();
    const registered = this.#firstRegistrationOutcome();
    // Nothing else waits before the accounts start registering. Chat's store (its database code
    // is a chunk of its own) starts opening once the first registration has an outcome (its
    // code and database work beside the REGISTER delayed it by ~30 ms): in the same task, so
    // before any request the registration lets in. A MESSAGE that comes before the store is
    // open (a server's store-and-forward delivers right after the REGISTER) is accepted and
    // written once it is (ChatService.open); only a store that cannot open answers 480 with
    // Retry-After.
    const chat = parts ? registered.then(() => this.#openChat(parts.chat)) : Promise.resolve();
    const accounts = this.accounts.startEnabled();
    await accounts;
    await this.#link.takePendingLink();
    // The device lists and the microphone check follow the first registration's outcome.
    await registered;
    await this.audio.start().catch((error: unknown) => log.warn(`audio devices: ${String(error)}`));
    void this.dialer.checkMicrophone();
    // The tone players' audio graphs are built ahead of the first call, once the page is idle
    // (within 5 s), and kept suspended: the first AudioContext of a run costs 100–260 ms of the
    // main thread, each later one 3–20 ms, which otherwise fell on a call's ringing
    // (AudioController.warmOutput).
    requestIdleCallback(() => this.audio.controller.warmOutput(), { timeout: AUDIO_WARM_BOUND_MS });
    // The browser's WebRTC stack too, in a task of its own: its start (~15–25 ms of the main
    // thread) otherwise fell on the first call's click or ring (webrtc-warm-up.ts). A call that
    // came first has started it already.
    requestIdleCallback(
      () => {
        if (this.lines.lines.length === 0 && this.lines.incoming.length === 0) {
          void warmUpWebRtc();
        }
      },
      { timeout: AUDIO_WARM_BOUND_MS },
    );
    await chat;
    await Promise.all([this.#openMemory(), parts?.desk.start()]);
    // Calls the previous page left in progress (it crashed or was killed) go to the history,
    // with the recordings it had made of them.
    const journal = await this.#openJournal();
    if (journal) {
      const interrupted = journal.takeInterruptedCalls();
      this.callLog.recordInterrupted(interrupted.calls, interrupted.recordings);
      journal.follow(this.lines, () => parts?.recording.calls.idsInProgress() ?? {});
    }
    this.#link.pushSummary();
  }

  /** The user has seen the missed calls. */
  async markMissedSeen(): Promise<void> {
    await this.memory.markMissedSeen();
    this.#link.pushSummary();
  }

  // The links between parts that are not a constructor argument of one of them.
  #wire(): void {
    this.settings.on('changed', (settings) => {
      this.audio.load(settings.audio);
      const parts = this.parts;
      parts?.presence.settingsChanged();
      parts?.chat.service.accountsChanged();
      parts?.desk.settingsChanged(settings);
      this.#link.pushSummary();
    });
    this.accounts.on('engine', ({ accountId, engine }) => {
      this.parts?.chat.engineChanged(accountId, engine);
      this.parts?.presence.engineChanged(accountId, engine);
    });
    this.accounts.on('registration', ({ accountId, state }) => {
      this.dialer.registrationChanged(accountId, state);
      this.#link.pushSummary();
    });
    // The audio layer rings for ringing calls, meters the microphone of the call in view and
    // watches each call's quality; the call log takes the quality summary when a call ends.
    this.lines.on('changed', () => this.#syncTones());
    this.lines.on('answering', () => this.#syncTones());
    this.lines.on('started', (call) => this.#followAudio(call));
    this.lines.on('ended', () => {
      if (this.lines.lines.length === 0) {
        this.audio.watchCallMicrophone(null);
      }
    });
  }

  // The call journal's code is a chunk of its own (startup budget, issue 19): it is needed only
  // once the phone has started. A chunk that cannot load leaves the phone without a journal (a
  // crashed page's calls then miss the history), and says so in the log.
  async #openJournal(): Promise<CallJournal | null> {
    try {
      const { CallJournal } = await import('./call-journal');
      this.#journal = new CallJournal(storageOrNull(), Date.now, afterPaint);
      return this.#journal;
    } catch (error) {
      log.warn(`call journal unavailable: ${String(error)}`);
      return null;
    }
  }

  // The parts' links to the tray's summary and the call journal, once they are built.
  #wireParts(parts: PhoneParts): void {
    parts.chat.on('unread', () => this.#link.pushSummary());
    parts.presence.on('voicemail', () => this.#link.pushSummary());
    // REC in the tray; a recording's id goes into the journal as soon as it exists.
    parts.recording.calls.on('changed', () => {
      this.#journal?.refresh();
      this.#link.pushSummary();
    });
    this.#link.pushSummary();
  }

  // Tones follow the calls. While a call rings, they start once the ringing view has been
  // painted (building the ringer's AudioContext and oscillators takes a few milliseconds, which
  // held back that frame), at the next task in a hidden window, within 50 ms whatever happens
  // (ui/after-paint.ts). With no ringing call, tones stop in the same task, but after what
  // changed the calls has run: answering starts the microphone and the SIP answer first
  // (releasing the ringer's audio graph took milliseconds off answer → 200 OK). They follow the
  // calls as they are, not as the lines last showed them: an answered call is 'answering' at
  // once (the ringer stops on the click), though the lines show it with its 200 OK. After the
  // ringer has started, the ringing calls' answers are prepared (answer-ahead.ts).
  #syncTones(): void {
    const calls = () =>
      [...this.lines.incoming, ...this.lines.lines].map(
        (shown) => this.lines.object(shown.id)?.snapshot ?? shown,
      );
    const sync = () => this.audio.syncCalls(calls());
    if (!calls().some((c) => c.status === 'incoming')) {
      queueMicrotask(sync);
    } else if (!this.#tonesQueued) {
      this.#tonesQueued = true;
      afterPaint(() => {
        this.#tonesQueued = false;
        sync();
        this.lines.prepareAnswers();
      });
    }
  }

  // Resolves when an account's registration has an outcome (registered, failed, stopped…), at
  // once without enabled accounts, and after REGISTRATION_WAIT_MS whatever happens.
  #firstRegistrationOutcome(): Promise<void> {
    if (this.settings.enabledAccounts.length === 0) {
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(bound);
        off();
        resolve();
      };
      const bound = setTimeout(done, REGISTRATION_WAIT_MS);
      const off = this.accounts.on('registration', ({ state }) => {
        if (state.status !== 'connecting' && state.status !== 'registering') {
          done();
        }
      });
    });
  }

  #followAudio(call: PhoneCall): void {
    call.on('microphone', (track) => {
      if (this.lines.current?.id === call.id || this.lines.lines.length <= 1) {
        this.audio.watchCallMicrophone(
          track,
          () => call.snapshot.muted,
          senderStatsOf(call),
          call.id,
        );
      }
    });
    call.on('answered', () => this.audio.trackCall(call.id, monitorSourceFor(call)));
  }

  // The tray's "Call voicemail": the account with new messages, else the default one.
  async #callVoicemail(): Promise<void> {
    const presence = this.parts?.presence;
    const accounts = this.settings.enabledAccounts;
    const waiting = accounts.find((a) => presence?.voicemailOf(a.id)?.waiting);
    const account = waiting ?? this.settings.defaultAccount;
    if (account && presence) {
      await presence.actions.callVoicemail(account.id);
    }
  }

  // Chat's store counts as opening from the first line on (before any account starts), so a
  // MESSAGE that comes meanwhile waits for it instead of being turned away.
  async #openChat(chat: ChatState): Promise<void> {
    const db = import('../db/phone-db').then(({ openPhoneDb }) => openPhoneDb());
    try {
      await chat.openStore(db);
    } catch (error: unknown) {
      log.warn(`messages unavailable: ${String(error)}`);
    }
  }

  async #openMemory(): Promise<void> {
    await this.memory.open();
    if (this.memory.contacts) {
      this.parts?.presence.useContacts(this.memory.contacts);
    }
    this.memory.historyStore?.on('changed', () => this.#link.pushSummary());
    await this.#refreshRecent();
  }

  async #refreshRecent(): Promise<void> {
    this.#recent = await this.memory.recentNumbers(5);
    this.#link.pushSummary();
  }
}

// localStorage may be missing (a test page's opaque origin) or refused: no journal then.
function storageOrNull(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

const [getPhone, setPhone, hasPhone] = createContext<PhoneRoot>();
export { getPhone, setPhone, hasPhone };
