// The parts of the phone that showing it, registering and ringing do not need: chat (its
// service, messenger, outbox and the XML of typing indications), presence (busy lamps, watched
// status, voicemail waiting, our published status), call recording with noise suppression, and
// the desk (headset, global hotkeys, screen-pop, redial). They are one chunk of their own
// (startup budget, issue 19), which the renderer root imports at once and builds before any
// account starts (state/root.ts), so no MESSAGE, NOTIFY or call ever comes before them.
import type { DialTarget } from '@shared/dial-target';
import type { LineManager, PhoneEngine } from '../phone';
import { navigatorHid } from '../headset/webhid';
import { ChatState } from './chat.svelte';
import { startChatLink } from './chat-link';
import { DeskState } from './desk.svelte';
import type { DialerState } from './dialer.svelte';
import type { MemoryState } from './memory.svelte';
import { PresenceState } from './presence.svelte';
import { RecordingState } from './recording.svelte';
import type { SettingsState } from './settings.svelte';

/** What the parts read from the rest of the phone. */
export interface PartsDeps {
  settings: SettingsState;
  lines: LineManager;
  dialer: DialerState;
  memory: MemoryState;
  engineOf(accountId: string): PhoneEngine | null;
  /** Null when calls can use the microphone, else the sentence for the user (MicrophoneGate). */
  microphoneProblem(ask: boolean): Promise<string | null>;
}

/** Chat, presence, recording and the desk, built together. */
export interface PhoneParts {
  readonly chat: ChatState;
  readonly presence: PresenceState;
  readonly recording: RecordingState;
  readonly desk: DeskState;
}

/** Builds the parts and starts chat's link to main (notification replies, the tray's entry). */
export function buildParts(deps: PartsDeps): PhoneParts {
  const { settings, lines, dialer, memory } = deps;
  const chat = new ChatState({
    settings,
    contactName: (user, uri) => memory.contacts?.nameFor(user, uri) ?? null,
    dialLink: (target: DialTarget) => dialer.fromLink({ target, source: 'link', autoDial: false }),
  });
  startChatLink(chat);
  return {
    chat,
    presence: new PresenceState({
      settings,
      lines,
      engineOf: (id) => deps.engineOf(id),
      microphoneProblem: (ask) => deps.microphoneProblem(ask),
    }),
    recording: new RecordingState({
      lines,
      settings,
      partyName: (call) => memory.nameOf(call.party),
    }),
    desk: new DeskState({ settings, lines, dialer, memory, hid: navigatorHid() }),
  };
}
