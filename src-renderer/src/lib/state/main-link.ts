// The renderer's link to the main process, in both directions, in one place:
// - main → phone: OS links, refused links, power and network events, quit, tray and
//   notification actions (settings changed elsewhere: SettingsState, from its first load);
// - phone → main: the small state summary the tray, badge and menus are drawn from, and the
//   incoming-call notification (taken down as soon as the call stops ringing).
// Both go to main after the frame that shows what changed (issue 19: the incoming-call
// notification must not hold back the incoming view, nor the summary a call's INVITE); at the
// next task when the window is hidden.
import type { DialRequest, PhoneSummary, RendererRestart, TrayAction } from '@shared/ipc-contract';
import { invoke, on } from '../bridge';
import { createLogger } from '../logger';
import type { CallSnapshot, LineManager, PhoneCall } from '../phone';
import { networkInformation, watchNetwork } from '../phone';
import { loadOnce } from '../lazy/load-once';
import { afterPaint } from '../ui/after-paint';
import type * as SummaryModule from './summary';
import type { SummaryInputs } from './summary';

const log = createLogger('main-link');

type SummaryCode = typeof SummaryModule;
// The summary's code is a chunk of its own (startup budget, issue 19), fetched with the first
// push (when the parts are built, before any account starts); a failed load is tried again.
const summaryCode = loadOnce<SummaryCode>(() => import('./summary'));

/** What the link drives on the phone side. */
export interface MainLinkPorts {
  lines: LineManager;
  dialFromLink(request: DialRequest): void;
  linkRefused(message: string): void;
  reconnectAll(): void;
  callBack(dial: string): void;
  /** Calls voicemail (the tray's "Call voicemail"). */
  callVoicemail(): void;
  /** Ends every account cleanly before the app quits. */
  stopAll(): Promise<void>;
  /** Facts for the summary, read when it is sent. */
  summaryInputs(): Omit<SummaryInputs, 'calls'>;
  /** The name to show for a caller (contacts first), or null when it is only the number. */
  callerName(call: CallSnapshot): string | null;
  accountLabel(accountId: string): string;
  /** REC for the incoming-call popup: another call is being recorded, or this one will be. */
  recordingNote?(call: CallSnapshot): 'in-progress' | 'will-record' | null;
  /** The page was restarted by main after a crash or hang (say so; lost calls are journaled). */
  restarted(restart: RendererRestart): void;
  /** Runs work after the next paint (ui/after-paint.ts's afterPaint unless a test passes one). */
  afterPaint?: (callback: () => void) => void;
}

export class MainLink {
  readonly #ports: MainLinkPorts;
  readonly #offs: (() => void)[] = [];
  readonly #afterPaint: (callback: () => void) => void;
  #summaryQueued = false;

  constructor(ports: MainLinkPorts) {
    this.#ports = ports;
    this.#afterPaint = ports.afterPaint ?? ((callback) => afterPaint(callback));
  }

  /** Listens to main and to the lines. */
  start(): void {
    const p = this.#ports;
    this.#offs.push(
      on('links/dial-requested', (request) => p.dialFromLink(request)),
      on('links/rejected', ({ message }) => p.linkRefused(message)),
      on('power/changed', () => p.reconnectAll()),
      watchNetwork(window, networkInformation(), () => p.reconnectAll()),
      on('app/quitting', () => void this.#quit()),
      on('tray/action', (action) => this.#onTray(action)),
      on('app/renderer-restarted', (restart) => p.restarted(restart)),
      on('notify/action', ({ callId, action }) => {
        if (action === 'answer') {
          void p.lines.answer(callId);
        } else {
          p.lines.decline(callId);
        }
      }),
      p.lines.on('started', (call) => this.#notifyIncoming(call)),
      p.lines.on('changed', () => this.pushSummary()),
    );
  }

  /** Takes a link that arrived before the page was ready (the app was started by it). */
  async takePendingLink(): Promise<void> {
    const pending = await invoke('links/take-pending', null);
    if (pending) {
      this.#ports.dialFromLink(pending);
    }
  }

  /**
   * Sends main the phone's summary after the next paint, coalesced (once for all the changes
   * until then); the first one once the summary's code, a chunk of its own, has loaded. The
   * summary is read when it is sent.
   */
  pushSummary(): void {
    if (this.#summaryQueued) {
      return;
    }
    this.#summaryQueued = true;
    const summarizer = summaryCode.value;
    if (summarizer) {
      this.#afterPaint(() => this.#sendSummary(summarizer));
      return;
    }
    summaryCode.get().then(
      (loaded) => this.#sendSummary(loaded),
      (error: unknown) => {
        this.#summaryQueued = false;
        log.warn(`state summary unavailable: ${String(error)}`);
      },
    );
  }

  #sendSummary({ summarize }: SummaryCode): void {
    this.#summaryQueued = false;
    const lines = this.#ports.lines;
    const summary: PhoneSummary = summarize({
      ...this.#ports.summaryInputs(),
      calls: [...lines.incoming, ...lines.lines],
    });
    invoke('phone/state-changed', summary).catch((error: unknown) => {
      log.debug(`state summary not delivered: ${String(error)}`);
    });
  }

  /** Stops listening (teardown). */
  stop(): void {
    this.#offs.splice(0).forEach((off) => off());
  }

  #onTray(action: TrayAction): void {
    if (action.action === 'call-back') {
      this.#ports.callBack(action.dial);
    } else if (action.action === 'call-voicemail') {
      this.#ports.callVoicemail();
    }
  }

  // A ringing call gets a native notification (and the popup), after the frame that shows the
  // incoming view; both go away as soon as the call stops ringing (answered anywhere, declined,
  // cancelled), not only when it ends. A call that stops ringing before that frame gets neither.
  #notifyIncoming(call: PhoneCall): void {
    let notified = false;
    const stop = call.on('changed', (s) => {
      if (s.status !== 'incoming') {
        stop();
        if (notified) {
          invoke('notify/call-ended', { callId: s.id }).catch(() => {});
        }
      }
    });
    if (call.snapshot.status !== 'incoming' || call.info.replacesCallId) {
      stop();
      return;
    }
    this.#afterPaint(() => {
      const snapshot = call.snapshot;
      if (snapshot.status !== 'incoming') {
        return;
      }
      notified = true;
      const recording = this.#ports.recordingNote?.(snapshot) ?? null;
      invoke('notify/incoming-call', {
        callId: snapshot.id,
        name: this.#ports.callerName(snapshot),
        number: snapshot.party.user,
        accountLabel: this.#ports.accountLabel(snapshot.accountId),
        ...(recording ? { recording } : {}),
      }).catch((error: unknown) => log.debug(`notification not shown: ${String(error)}`));
    });
  }

  async #quit(): Promise<void> {
    await this.#ports.stopAll();
    await invoke('app/quit-ready', null);
  }
}
