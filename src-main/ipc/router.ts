// The IPC router: one place that checks every request's sender frame is our own page (and the
// incoming-call popup asks only what it may), parses its payload with the channel's schema and
// turns any failure into a plain error reply. It is Electron-free, so the same router serves
// ipcMain in the app and the test transport in e2e.
import {
  INVOKE_CHANNELS,
  POPUP_INVOKE_CHANNELS,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
  type IpcReply,
} from '@shared/ipc-contract';
import { describeIssues, invokeSchemas } from '@shared/ipc-schemas';

/** Which of our windows sent a request ('other': a WebContents that is neither). */
export type SenderWindow = 'main' | 'popup' | 'other';

/** Who sent a request: the URL of the sending frame (null when the frame is gone). */
export interface SenderInfo {
  url: string | null;
  /** Which window; absent where there is only the phone window (the e2e transport). */
  window?: SenderWindow;
}

export type Handler<C extends InvokeChannel> = (
  payload: InvokeRequest<C>,
) => Promise<InvokeResponse<C>> | InvokeResponse<C>;

export type Handlers = { [C in InvokeChannel]: Handler<C> };

/** A refusal whose message can be shown to the user as it is. */
export class UserFacingError extends Error {
  override name = 'UserFacingError';
}

export interface IpcRouter {
  dispatch(
    channel: unknown,
    payload: unknown,
    sender: SenderInfo,
  ): Promise<IpcReply<InvokeChannel>>;
}

/**
 * Builds the router. `isTrustedSender` decides whether a frame URL is our own page; handler
 * errors that are not UserFacingError become a generic message (their detail goes to `report`).
 */
export function createIpcRouter(
  handlers: Handlers,
  isTrustedSender: (sender: SenderInfo) => boolean,
  report: (channel: string, error: unknown) => void = () => {},
): IpcRouter {
  const known = new Set<string>(INVOKE_CHANNELS);
  const forPopup = new Set<string>(POPUP_INVOKE_CHANNELS);
  const allowedFrom = (sender: SenderInfo, channel: InvokeChannel): boolean =>
    sender.window === undefined ||
    sender.window === 'main' ||
    (sender.window === 'popup' && forPopup.has(channel));
  const isChannel = (channel: unknown): channel is InvokeChannel =>
    typeof channel === 'string' && known.has(channel);

  // Generic in the channel, so its schema, handler and reply types line up without a cast.
  async function run<C extends InvokeChannel>(channel: C, payload: unknown): Promise<IpcReply<C>> {
    const parsed = invokeSchemas[channel].safeParse(payload);
    if (!parsed.success) {
      return {
        ok: false,
        error: `Invalid request for ${channel}: ${describeIssues(parsed.error)}.`,
      };
    }
    try {
      const handler: Handler<C> = handlers[channel];
      return { ok: true, value: await handler(parsed.data) };
    } catch (error: unknown) {
      report(channel, error);
      const message =
        error instanceof UserFacingError ? error.message : `The request ${channel} failed.`;
      return { ok: false, error: message };
    }
  }

  return {
    dispatch(channel, payload, sender) {
      if (!isChannel(channel)) {
        return Promise.resolve({ ok: false, error: 'Unknown request.' });
      }
      if (!isTrustedSender(sender) || !allowedFrom(sender, channel)) {
        const from = `${sender.window ?? 'page'} ${sender.url ?? 'a closed frame'}`;
        report(channel, new Error(`refused a request from ${from}`));
        return Promise.resolve({
          ok: false,
          error: 'Request refused: it did not come from the phone window.',
        });
      }
      return run(channel, payload);
    },
  };
}

/**
 * True when `url` (a page URL or a bare origin) belongs to our app: same origin as `appUrl`
 * (file:// paths must match exactly). Our app:// scheme is not special to WHATWG URL, whose
 * origin for it is opaque ('null'), so there scheme, host and port are compared instead.
 */
export function isAppUrl(url: string | null, appUrl: string): boolean {
  if (!url) {
    return false;
  }
  try {
    const a = new URL(url);
    const b = new URL(appUrl);
    if (a.username || a.password) {
      return false;
    }
    if (a.protocol === 'file:' || b.protocol === 'file:') {
      return a.protocol === b.protocol && a.pathname === b.pathname;
    }
    if (b.origin !== 'null') {
      return a.origin === b.origin;
    }
    return a.protocol === b.protocol && b.host !== '' && a.host === b.host;
  } catch {
    return false;
  }
}
