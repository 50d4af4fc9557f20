// The test transport that stands in for Electron IPC (DESIGN.md §7): the page gets a
// window.softphone whose invoke goes through a Playwright binding (or, for the benchmarks, a
// loopback WebSocket: see attach) to the REAL main-process router and handlers running here in
// Node (settings on disk in a temp folder, a real SecretStore), with the sender's URL checked as
// in the app. Desktop effects (tray, notifications, quit) are recorded instead of drawn. The
// desk services are the app's own (src-main/desk.ts: global hotkeys on a fake globalShortcut,
// screen-pop opening into a recorded browser, the headset's WebHID access on a fake HID session
// the page's fake navigator.hid talks to — see fake-hid-page.ts), sending their events to the
// attached pages.
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocketServer, type WebSocket as NodeSocket } from 'ws';
import type {
  DialRequest,
  EventChannel,
  EventMap,
  IncomingCallNotice,
  InvokeChannel,
  MessageNotice,
  PhoneSummary,
} from '../../src-main/shared/ipc-contract';
import { isExternalAllowed } from '../../src-main/security/web-security';
import {
  DEFAULT_ACCOUNT,
  type AccountSettings,
  type AppSettings,
} from '../../src-main/shared/settings-types';
import { POPUP_INVOKE_CHANNELS } from '../../src-main/shared/ipc-contract';
import type { ChosenStore } from '../../src-main/credentials/choose-store';
import type { SenderWindow } from '../../src-main/ipc/router';
import { recordingPorts } from './shell-ports';
import { SessionStore } from '../../src-main/credentials/secret-store';
import { createDesk, type DeskOptions } from '../../src-main/desk';
import type { HidDeviceInfo } from '../../src-main/headset/hid-devices';
import { createHandlers, type ShellPorts } from '../../src-main/ipc/handlers';
import type { RecordingHandlers } from '../../src-main/recording/recording-handlers';
import { createIpcRouter, isAppUrl, type IpcRouter } from '../../src-main/ipc/router';
import { LinkService } from '../../src-main/links/link-service';
import { parseDialLink, parseTypedDial } from '../../src-main/shared/dial-target';
import { SettingsStore } from '../../src-main/settings/settings-store';
import { FakeEmitter, preventable } from './fake-emitter';
import { FakeGlobalShortcut } from './fake-global-shortcut';

/** What the shell was asked to do, in order. */
export interface ShellRecord {
  summaries: PhoneSummary[];
  incoming: IncomingCallNotice[];
  ended: string[];
  shown: number;
  quitReady: number;
  popupActions: { callId: string; action: 'answer' | 'decline' }[];
  settings: AppSettings[];
  /** URLs screen-pop handed to the (recorded) default browser. */
  screenPops: string[];
  headsetChoices: { requestId: string; deviceId: string | null }[];
  /** Chat notifications asked for, and conversations read (their notification taken down). */
  messageNotices: MessageNotice[];
  messagesRead: string[];
  /** URLs main's allow-list let through to the OS (shell.openExternal), and those it refused. */
  opened: string[];
  refusedExternal: string[];
}

export interface TestBridgeOptions {
  /** The page origin the router trusts (the served renderer). */
  appUrl: string;
  secrets?: ChosenStore;
  dir?: string;
  /** Real shell services standing in for some recorded ports (e.g. a LinkService's takePending). */
  ports?: Partial<ShellPorts>;
  /** recording/* answers (e.g. createRecordingHandlers on this bridge's settings); else refused. */
  recordings?: (settings: SettingsStore) => RecordingHandlers;
  /** Accelerators other applications own (the fake globalShortcut refuses them). */
  takenByOthers?: string[];
}

type Walk = (value: unknown) => unknown;
function walk(value: unknown, f: (v: unknown) => unknown): unknown {
  const mapped = f(value);
  if (mapped !== undefined) {
    return mapped;
  }
  if (Array.isArray(value)) {
    return value.map((x) => walk(x, f));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, x]) => [k, walk(x, f)]));
  }
  return value;
}
/** { __bytes: base64 } from the page → Uint8Array, as structured clone would deliver it. */
const bytesIn: Walk = (v) =>
  walk(v, (x) =>
    x && typeof x === 'object' && typeof (x as { __bytes?: unknown }).__bytes === 'string'
      ? new Uint8Array(Buffer.from((x as { __bytes: string }).__bytes, 'base64'))
      : undefined,
  );
const bytesOut: Walk = (v) =>
  walk(v, (x) =>
    x instanceof Uint8Array ? { __bytes: Buffer.from(x).toString('base64') } : undefined,
  );

// Playwright bindings carry JSON; bytes (recording chunks, the announcement file) cross as
// { __bytes: base64 } and are Uint8Arrays again on both sides, as Electron's structured clone
// would deliver them. `allowed`: the invoke channels this window's preload carries (null: all).
// `socket` (the 'socket' transport): the loopback WebSocket that carries invokes and events
// instead of the binding, opened as the page starts, requests queued until it is open.
const INIT_SCRIPT = ({
  allowed,
  socket,
}: {
  allowed: string[] | null;
  socket: string | null;
}): void => {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const w = window as unknown as Record<string, unknown> & {
    __softphoneInvoke(c: string, p: unknown): Promise<unknown>;
    __softphoneEmit(c: string, p: unknown): void;
  };
  if (socket) {
    const ws = new WebSocket(socket);
    const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
    const queued: string[] = [];
    let next = 0;
    ws.onopen = () => queued.splice(0).forEach((m) => ws.send(m));
    ws.onmessage = (event: MessageEvent<string>) => {
      const m = JSON.parse(event.data) as
        | { id: number; result: unknown }
        | { id: number; error: string }
        | { channel: string; payload: unknown };
      if ('id' in m) {
        const request = waiting.get(m.id);
        waiting.delete(m.id);
        if ('error' in m) {
          request?.reject(new Error(String(m.error)));
        } else {
          request?.resolve(m.result);
        }
      } else {
        w.__softphoneEmit(m.channel, m.payload);
      }
    };
    ws.onclose = () => {
      waiting.forEach((p) => p.reject(new Error('The test bridge closed.')));
      waiting.clear();
    };
    w.__softphoneInvoke = (channel: string, payload: unknown) =>
      new Promise((resolve, reject) => {
        if (ws.readyState > WebSocket.OPEN) {
          reject(new Error('The test bridge closed.'));
          return;
        }
        next += 1;
        waiting.set(next, { resolve, reject });
        const message = JSON.stringify({ id: next, channel, payload });
        if (ws.readyState === WebSocket.OPEN) {
          ws.send(message);
        } else {
          queued.push(message);
        }
      });
  }
  const toB64 = (b: Uint8Array): string => {
    let s = '';
    for (let i = 0; i < b.length; i += 0x8000) {
      s += String.fromCharCode(...b.subarray(i, i + 0x8000));
    }
    return btoa(s);
  };
  const fromB64 = (t: string): Uint8Array => Uint8Array.from(atob(t), (c) => c.charCodeAt(0));
  const walk = (v: unknown, f: (x: unknown) => unknown): unknown =>
    f(v) ??
    (Array.isArray(v)
      ? v.map((x) => walk(x, f))
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, f)]))
        : v);
  const out = (v: unknown): unknown =>
    walk(v, (x) => (x instanceof Uint8Array ? { __bytes: toB64(x) } : undefined));
  const back = (v: unknown): unknown =>
    walk(v, (x) =>
      x && typeof x === 'object' && typeof (x as { __bytes?: unknown }).__bytes === 'string'
        ? fromB64((x as { __bytes: string }).__bytes)
        : undefined,
    );
  w.softphone = {
    invoke: (channel: string, payload: unknown) =>
      allowed && !allowed.includes(channel)
        ? Promise.resolve({ ok: false, error: 'Unknown request.' })
        : w.__softphoneInvoke(channel, out(payload)).then(back),
    on: (channel: string, listener: (p: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  w.__softphoneEmit = (channel: string, payload: unknown) => {
    for (const listener of listeners.get(channel) ?? []) {
      listener(payload);
    }
  };
};

/** Requests or replies a test holds back (TestBridge.holdRequests, holdReplies). */
export interface Hold {
  /** How many are held. */
  held(): number;
  /** Lets them go in the order they came, each settled before the next, and stops holding. */
  release(): Promise<void>;
}

export class TestBridge {
  readonly dir: string;
  readonly settings: SettingsStore;
  readonly secrets: ChosenStore;
  readonly router: IpcRouter;
  readonly shell: ShellRecord = {
    summaries: [],
    incoming: [],
    ended: [],
    shown: 0,
    quitReady: 0,
    popupActions: [],
    settings: [],
    screenPops: [],
    headsetChoices: [],
    messageNotices: [],
    messagesRead: [],
    opened: [],
    refusedExternal: [],
  };
  /** The global shortcuts the (real) hotkey service registered, on a Linux X11 fake. */
  readonly globalShortcut: FakeGlobalShortcut;
  /** What the user selected (Linux primary selection) and copied, for dial-selected-text. */
  readonly clipboard = { text: '', selection: '' };
  /** The session's HID events (select-hid-device…), as Electron's Session emits them. */
  readonly hidSession = new FakeEmitter();
  /** Main's link service (links from the OS, the clipboard and the dial-selection hotkey). */
  readonly links: LinkService;
  readonly desk: ReturnType<typeof createDesk>;
  pendingLink: DialRequest | null = null;
  readonly #appUrl: string;
  readonly #ownsDir: boolean;
  readonly #pages = new Set<Page>();
  /** Requests the 'socket' transport has carried (for its own test). */
  socketRequests = 0;
  /** The 'socket' transport's server and its attached pages, by their socket's path. */
  #sockets: Promise<WebSocketServer> | null = null;
  readonly #socketPages = new Map<
    string,
    { page: Page; window: Exclude<SenderWindow, 'other'>; socket: NodeSocket | null }
  >();
  /** The hotkey service's clock (its auto-repeat guard), moved by the test: see later(). */
  #now = 0;
  /** settings/changed events held back by holdSettingsEvents, or null. */
  #heldSettings: AppSettings[] | null = null;
  /** Requests held before main handles them (holdRequests), by channel. */
  readonly #heldRequests = new Map<string, (() => Promise<unknown>)[]>();
  /** Replies held after main handled their requests (holdReplies), by channel. */
  readonly #heldReplies = new Map<string, (() => Promise<unknown>)[]>();

  private constructor(
    dir: string,
    ownsDir: boolean,
    appUrl: string,
    secrets: ChosenStore,
    notices: string[],
    options: Pick<TestBridgeOptions, 'ports' | 'recordings' | 'takenByOthers'>,
  ) {
    const { ports: overrides = {}, recordings } = options;
    this.dir = dir;
    this.#ownsDir = ownsDir;
    this.#appUrl = appUrl;
    this.settings = new SettingsStore(dir);
    this.secrets = secrets;
    this.globalShortcut = new FakeGlobalShortcut({
      platform: 'linux-x11',
      ...(options.takenByOthers ? { takenByOthers: options.takenByOthers } : {}),
    });
    const window = this.#window();
    this.links = new LinkService({
      parseLink: parseDialLink,
      parseTyped: parseTypedDial,
      autoDial: () => this.settings.get().autoDialLinks,
      send: window.send,
      bringToFront: window.bringToFront,
      readClipboard: async () => this.clipboard.text,
    });
    this.desk = this.#createDesk(appUrl, window);
    const ports: ShellPorts = recordingPorts([], {
      phoneStateChanged: (s) => this.shell.summaries.push(s),
      takePendingLink: () => {
        const link = this.pendingLink;
        this.pendingLink = null;
        const queued = this.links.takePending();
        return link ?? queued;
      },
      incomingCall: (n) => this.shell.incoming.push(n),
      callEnded: (id) => this.shell.ended.push(id),
      popupAction: (callId, action) => this.shell.popupActions.push({ callId, action }),
      showWindow: () => (this.shell.shown += 1),
      quitReady: () => (this.shell.quitReady += 1),
      ...this.desk.ports,
      headsetChosen: (requestId, deviceId) => {
        this.shell.headsetChoices.push({ requestId, deviceId });
        this.desk.ports.headsetChosen(requestId, deviceId);
      },
      messageNotice: (n) => this.shell.messageNotices.push(n),
      messageRead: (id) => this.shell.messagesRead.push(id),
      // The allow-list is main's own (web-security.ts); only the OS call is recorded instead.
      openExternal: async (url) => {
        const allowed = isExternalAllowed(url);
        (allowed ? this.shell.opened : this.shell.refusedExternal).push(url);
        return allowed;
      },
      ...overrides,
    });
    // As the shell does: every saved change goes to the phone pages as settings/changed.
    this.settings.onChange((next) => {
      this.shell.settings.push(next);
      this.desk.settingsChanged(next);
      if (this.#heldSettings) {
        this.#heldSettings.push(next);
        return;
      }
      void this.#sendSettings(next);
    });
    this.router = createIpcRouter(
      createHandlers({
        settings: this.settings,
        secrets,
        ...(recordings ? { recordings: recordings(this.settings) } : {}),
        settingsNotices: notices,
        version: 'test',
        platform: process.platform,
        shell: ports,
      }),
      (sender) => isAppUrl(sender.url, appUrl),
    );
  }

  #sendSettings(next: AppSettings): Promise<unknown> {
    return Promise.all(
      [...this.#pages].map((page) => this.emit(page, 'settings/changed', next).catch(() => {})),
    );
  }

  /**
   * Holds main's settings/changed events back (the replies to the page's saves still go):
   * `held()` counts them (an event is held once the store announces the save, after its write;
   * the store's value changes before that), `next()` sends the oldest one held, `release()` all
   * of them and stops holding; each resolves once the pages have them. So the echo of a save can reach the page after the replies to
   * later ones, which Electron allows (it does not order invoke replies against
   * webContents.send, electron/electron#18630).
   */
  holdSettingsEvents(): { held(): number; next(): Promise<void>; release(): Promise<void> } {
    const held: AppSettings[] = (this.#heldSettings ??= []);
    const send = async (next: AppSettings | undefined): Promise<void> => {
      if (!next) {
        throw new Error('No settings/changed event is held.');
      }
      await this.#sendSettings(next);
    };
    return {
      held: () => held.length,
      next: () => send(held.shift()),
      release: async () => {
        this.#heldSettings = null;
        while (held.length > 0) {
          await send(held.shift());
        }
      },
    };
  }

  /**
   * Holds the pages' requests on `channel` before main handles them, as a busy main or a slow
   * disk would: `held()` counts them, `release()` lets them through one by one in the order
   * they came (each handled before the next) and stops holding.
   */
  holdRequests(channel: InvokeChannel): Hold {
    return TestBridge.#hold(this.#heldRequests, channel);
  }

  /**
   * Holds main's replies on `channel` back: main handles each request at once, and the reply
   * reaches the page once `release()` is called (events sent meanwhile go ahead of it, which
   * Electron allows: it does not order invoke replies against webContents.send,
   * electron/electron#18630). `held()` counts them.
   */
  holdReplies(channel: InvokeChannel): Hold {
    return TestBridge.#hold(this.#heldReplies, channel);
  }

  // Holds on `channel` until release, which lets each held one go, in order, one after another.
  static #hold(holds: Map<string, (() => Promise<unknown>)[]>, channel: InvokeChannel): Hold {
    const held: (() => Promise<unknown>)[] = [];
    holds.set(channel, held);
    return {
      held: () => held.length,
      release: async () => {
        holds.delete(channel);
        while (held.length > 0) {
          await held.shift()!();
        }
      },
    };
  }

  #dispatch(...args: Parameters<IpcRouter['dispatch']>): ReturnType<IpcRouter['dispatch']> {
    const channel = typeof args[0] === 'string' ? args[0] : '';
    const heldRequests = this.#heldRequests.get(channel);
    if (heldRequests) {
      return new Promise((resolve, reject) => {
        heldRequests.push(() => this.router.dispatch(...args).then(resolve, reject));
      });
    }
    const reply = this.router.dispatch(...args);
    const heldReplies = this.#heldReplies.get(channel);
    if (!heldReplies) {
      return reply;
    }
    // As Electron serializes a reply when main answers: a handler may answer with an object
    // main changes later (the store's own settings).
    const answered = reply.then((value) => structuredClone(value));
    return new Promise((resolve, reject) => {
      heldReplies.push(async () => {
        await answered.then(resolve, reject);
      });
    });
  }

  /** The main window as the desk services see it: main's events go to every attached phone page. */
  #window(): DeskOptions['window'] {
    return {
      send: (channel, payload) => {
        for (const page of this.#pages) {
          this.emit(page, channel, payload).catch(() => {});
        }
        return this.#pages.size > 0;
      },
      bringToFront: () => (this.shell.shown += 1),
    };
  }

  /** The app's desk services on the fakes: globalShortcut, clipboard, the recorded browser. */
  #createDesk(appUrl: string, window: DeskOptions['window']): ReturnType<typeof createDesk> {
    const clipboard = {
      readText: async () => this.clipboard.text,
      selection: { readText: async () => this.clipboard.selection },
    };
    const shell = {
      openExternal: async (url: string) => {
        this.shell.screenPops.push(url);
      },
    };
    return createDesk({
      electron: {
        clipboard,
        globalShortcut: this.globalShortcut,
        shell,
      } as unknown as DeskOptions['electron'],
      settings: this.settings,
      rendererUrl: appUrl,
      links: this.links,
      window,
      now: () => this.#now,
    });
  }

  /** A bridge with settings in a fresh temp folder (or `dir`) and session-only secrets by default. */
  static async create(opts: TestBridgeOptions): Promise<TestBridge> {
    const dir = opts.dir ?? (await mkdtemp(join(tmpdir(), 'softphone-e2e-')));
    const secrets = opts.secrets ?? {
      store: new SessionStore(),
      info: { backend: 'session' as const, message: null },
    };
    const bridge = new TestBridge(dir, !opts.dir, opts.appUrl, secrets, [], opts);
    const notices = await bridge.settings.load();
    if (notices.length > 0) {
      throw new Error(`unexpected settings notices: ${notices.join(' ')}`);
    }
    bridge.desk.start(bridge.hidSession);
    return bridge;
  }

  /**
   * Installs window.softphone into a page before its scripts run. A 'popup' page gets what the
   * popup's own preload gives (popup/action only) and the router sees it as the popup window.
   *
   * `transport`: 'binding' (the default) carries each request through a Playwright binding, whose
   * sender is the frame Playwright reports. It is slow while a page loads: `settings/get` took
   * 90–190 ms there (p50 of 10–16 loads per run, docs/performance.md), which a benchmark must
   * not charge to the app. 'socket' (the benchmarks') carries requests and events over a
   * WebSocket on the loopback instead: 25–50 ms during the load, most of it the page's own
   * thread busy with its first file, as Electron's IPC would find it. Its sender is the page's
   * origin as the browser sent it in the handshake (a page cannot forge that header), behind a
   * random path per attached page.
   */
  async attach(
    page: Page,
    window: Exclude<SenderWindow, 'other'> = 'main',
    { transport = 'binding' }: { transport?: 'binding' | 'socket' } = {},
  ): Promise<void> {
    let socket: string | null = null;
    if (transport === 'socket') {
      const server = await this.#socketServer();
      const path = `/${randomUUID()}`;
      this.#socketPages.set(path, { page, window, socket: null });
      page.once('close', () => this.#socketPages.delete(path));
      socket = `ws://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    } else {
      await page.exposeBinding(
        '__softphoneInvoke',
        async (source, channel: unknown, payload: unknown) =>
          bytesOut(
            await this.#dispatch(channel, bytesIn(payload), {
              url: source.frame.url(),
              window,
            }),
          ),
      );
    }
    // Under tsx (the bench runner) functions are compiled with keepNames: a function sent to the
    // page calls a __name helper the page does not have.
    await page.addInitScript('globalThis.__name ??= (fn) => fn;');
    await page.addInitScript(INIT_SCRIPT, {
      allowed: window === 'popup' ? [...POPUP_INVOKE_CHANNELS] : null,
      socket,
    });
    if (window === 'main') {
      this.#pages.add(page);
      page.once('close', () => this.#pages.delete(page));
    }
  }

  /**
   * The loopback WebSocket server of the 'socket' transport, started on first use; attaching
   * two pages at once shares the one being started.
   */
  #socketServer(): Promise<WebSocketServer> {
    this.#sockets ??= this.#startSocketServer();
    return this.#sockets;
  }

  async #startSocketServer(): Promise<WebSocketServer> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    server.on('connection', (ws, request) => {
      const attached = this.#socketPages.get(request.url ?? '');
      const origin = URL.parse(request.headers.origin ?? '');
      if (!attached || !origin) {
        ws.close(1008, 'Unknown page.');
        return;
      }
      // A reload opens a new socket for the same page: events go to the newest.
      attached.socket = ws;
      const sender = { url: new URL('/', origin).href, window: attached.window };
      ws.on('message', (data: Buffer) => {
        const { id, channel, payload } = JSON.parse(data.toString('utf8')) as {
          id: number;
          channel: unknown;
          payload: unknown;
        };
        this.socketRequests += 1;
        this.#dispatch(channel, bytesIn(payload), sender).then(
          (result) => ws.send(JSON.stringify({ id, result: bytesOut(result) })),
          (error: unknown) => ws.send(JSON.stringify({ id, error: String(error) })),
        );
      });
    });
    return server;
  }

  /** Delivers a main → renderer event, as webContents.send would. */
  async emit<C extends EventChannel>(page: Page, channel: C, payload: EventMap[C]): Promise<void> {
    const socket = [...this.#socketPages.values()].find((p) => p.page === page)?.socket;
    if (socket && socket.readyState === socket.OPEN) {
      socket.send(JSON.stringify({ channel, payload }));
      return;
    }
    await page.evaluate(
      ([c, p]) =>
        (window as unknown as { __softphoneEmit(c: string, p: unknown): void }).__softphoneEmit(
          c,
          p,
        ),
      [channel, payload] as const,
    );
  }

  /** Saves an account through the real accounts/save handler, as the window would. */
  async seedAccount(
    account: Partial<AccountSettings> & Pick<AccountSettings, 'websocketUri' | 'sipUri'>,
    secret: string,
  ): Promise<AccountSettings> {
    // Saving an account with the same SIP address again edits it, as the account form does.
    const existing = this.settings.get().accounts.find((a) => a.sipUri === account.sipUri);
    const full: AccountSettings = {
      ...DEFAULT_ACCOUNT,
      id: account.id ?? existing?.id ?? `acc-${Math.random().toString(36).slice(2, 10)}`,
      label: account.label ?? 'Lab',
      ...account,
    };
    const reply = await this.router.dispatch(
      'accounts/save',
      { account: full, secret, turnCredential: null },
      { url: this.#appUrl },
    );
    if (!reply.ok) {
      throw new Error(reply.error);
    }
    return full;
  }

  /** Moves the hotkey service's clock on, past its auto-repeat guard for the next press. */
  later(ms: number): void {
    this.#now += ms;
  }

  /**
   * The page called navigator.hid.requestDevice: Electron's select-hid-device, answered by the
   * real HeadsetAccess (main's picker in the page). Resolves with the chosen device id or null.
   * Without preventDefault Electron picks the first device (documented), modelled here too.
   */
  selectHidDevice(deviceList: HidDeviceInfo[], frameUrl: string): Promise<string | null> {
    return new Promise((resolve) => {
      const event = preventable();
      const details = { deviceList, frame: { url: frameUrl } };
      const callback = (deviceId?: string | null): void => resolve(deviceId ?? null);
      this.hidSession.emit('select-hid-device', event, details, callback);
      if (!event.defaultPrevented) {
        resolve(deviceList[0]?.deviceId ?? null);
      }
    });
  }

  /** The session's permission check ('hid') and device permission handler for `device`. */
  hidPermission(device: HidDeviceInfo, origin: string): boolean {
    const access = this.desk.devicePermissions;
    return (
      access.allowCheck('hid', origin, { securityOrigin: origin }) &&
      access.allowDevice({ deviceType: 'hid', origin, device })
    );
  }

  /** HIDDevice.forget() in the page: Electron's hid-device-revoked. */
  hidRevoked(device: HidDeviceInfo): void {
    this.hidSession.emit('hid-device-revoked', {}, { device });
  }

  async dispose(): Promise<void> {
    this.desk.stop();
    // A socket server that failed to start has already failed the attach that asked for it;
    // clean-up goes on (the temp folder) rather than throw that again.
    const server = await this.#sockets?.catch(() => null);
    if (server) {
      server.clients.forEach((ws) => ws.terminate());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    if (this.#ownsDir) {
      await rm(this.dir, { recursive: true, force: true });
    }
  }
}
