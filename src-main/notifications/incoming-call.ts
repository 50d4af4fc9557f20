// Native notifications for incoming calls: titled with the caller, naming the account, with
// Answer/Decline buttons where Electron supports notification actions (macOS, Windows) and
// click-to-show everywhere (Linux has no actions). Closed when the call ends. Optionally brings
// the window to the front. The renderer decides what an action does (`notify/action`). The
// caller's name and number are network text: one inert line, escaped for Linux servers, which
// read the body as markup (Electron hands title and body to libnotify as they are).
import type { NotificationConstructorOptions } from 'electron';
import type { IncomingCallNotice } from '@shared/ipc-contract';
import { escapeBodyMarkup, isolate, networkLabel, neutralizeTags } from '@shared/network-text';
import type { AppSettings } from '@shared/settings-types';

/** The part of Electron's Notification used here. */
export interface NotificationLike {
  show(): void;
  close(): void;
  on(
    event: 'action',
    listener: (details: { actionIndex: number } | undefined, actionIndex: number) => void,
  ): unknown;
  on(event: 'click', listener: () => void): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface IncomingCallNotifierDeps {
  create(options: NotificationConstructorOptions): NotificationLike;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  settings(): Pick<AppSettings, 'notifyIncoming' | 'bringToFrontOnIncoming'>;
  bringToFront(): void;
  sendAction(callId: string, action: 'answer' | 'decline'): void;
  icon?: string;
}

const ACTIONS = ['answer', 'decline'] as const;

/** Whether Electron shows notification buttons on this platform. */
export function supportsActions(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** The notification's options for a call. */
export function incomingCallOptions(
  notice: IncomingCallNotice,
  platform: NodeJS.Platform,
  icon?: string,
): NotificationConstructorOptions {
  const name = networkLabel(notice.name ?? '');
  const number = networkLabel(notice.number);
  const account = networkLabel(notice.accountLabel);
  const caller = name || number;
  const via = account ? `Incoming call on ${isolate(account)}` : 'Incoming call';
  const body = caller === number ? via : `${isolate(number)}\n${via}`;
  // Linux servers read the body as markup and some desktops the title as rich text; the text
  // is network text (the IPC schema cleaned it already; cleaned again for any other caller).
  const linux = platform === 'linux';
  return {
    title: linux ? neutralizeTags(caller) : caller,
    body: linux ? escapeBodyMarkup(body) : body,
    // The renderer rings; a notification sound on top would be a second ringtone.
    silent: true,
    ...(platform === 'linux' ? { urgency: 'critical' as const } : {}),
    ...(platform !== 'darwin' ? { timeoutType: 'never' as const } : {}),
    ...(supportsActions(platform)
      ? {
          actions: [
            { type: 'button' as const, text: 'Answer' },
            { type: 'button' as const, text: 'Decline' },
          ],
          closeButtonText: 'Ignore',
        }
      : {}),
    ...(icon ? { icon } : {}),
  };
}

export class IncomingCallNotifier {
  // Kept until closed: a notification that is garbage-collected loses its click handlers.
  readonly #open = new Map<string, NotificationLike>();
  readonly #deps: IncomingCallNotifierDeps;

  constructor(deps: IncomingCallNotifierDeps) {
    this.#deps = deps;
  }

  incomingCall(notice: IncomingCallNotice): void {
    const settings = this.#deps.settings();
    if (settings.bringToFrontOnIncoming) {
      this.#deps.bringToFront();
    }
    if (!settings.notifyIncoming || !this.#deps.isSupported()) {
      return;
    }
    this.callEnded(notice.callId);
    const notification = this.#deps.create(
      incomingCallOptions(notice, this.#deps.platform, this.#deps.icon),
    );
    notification.on('click', () => this.#deps.bringToFront());
    notification.on('action', (details, index) => {
      const action = ACTIONS[details?.actionIndex ?? index];
      if (action) {
        this.#deps.sendAction(notice.callId, action);
        if (action === 'answer') {
          this.#deps.bringToFront();
        }
      }
    });
    notification.on('close', () => {
      if (this.#open.get(notice.callId) === notification) {
        this.#open.delete(notice.callId);
      }
    });
    this.#open.set(notice.callId, notification);
    notification.show();
  }

  callEnded(callId: string): void {
    const notification = this.#open.get(callId);
    if (notification) {
      this.#open.delete(callId);
      notification.close();
    }
  }

  /** How many call notifications are showing. */
  get openCount(): number {
    return this.#open.size;
  }
}
