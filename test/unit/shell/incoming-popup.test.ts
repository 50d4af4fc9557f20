// Unit tests of the incoming-call popup with a fake window and a fake screen that model the
// documented per-OS behaviour: the popup opens on the display the pointer is on (screen
// getCursorScreenPoint / getDisplayNearestPoint), shows over full-screen apps on macOS
// (setVisibleOnAllWorkspaces visibleOnFullScreen, darwin only), and on Wayland — where
// setPosition, setAlwaysOnTop, showInactive and getCursorScreenPoint are "not supported" per
// the BrowserWindow and screen docs — opens no window and asks the phone window for attention.
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions, Point, Rectangle } from 'electron';
import {
  IncomingPopup,
  isPopupDocument,
  popupBounds,
  popupUrl,
  type PopupScreen,
  type PopupWindowLike,
} from '../../../src-main/windows/incoming-popup';

let nextId = 100;

class FakePopup implements PopupWindowLike {
  readonly webContents = { id: nextId++ };
  url: string | null = null;
  shown = false;
  closed = false;
  readonly calls: string[] = [];
  #listeners = new Map<string, (() => void)[]>();
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  showInactive(): void {
    this.shown = true;
  }
  setVisibleOnAllWorkspaces(visible: boolean, options?: { visibleOnFullScreen?: boolean }): void {
    this.calls.push(`allWorkspaces ${visible} fullScreen=${options?.visibleOnFullScreen}`);
  }
  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.calls.push(`alwaysOnTop ${flag} ${level}`);
  }
  close(): void {
    this.closed = true;
    for (const l of this.#listeners.get('closed') ?? []) {
      l();
    }
  }
  isDestroyed(): boolean {
    return this.closed;
  }
  on(event: string, listener: () => void): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    return this;
  }
}

/** Two displays side by side; the pointer is where the test puts it. */
class FakeScreen implements PopupScreen {
  pointer: Point = { x: 100, y: 100 };
  cursorReads = 0;
  readonly left: Rectangle = { x: 0, y: 0, width: 1920, height: 1040 };
  readonly right: Rectangle = { x: 1920, y: 0, width: 2560, height: 1400 };
  getCursorScreenPoint(): Point {
    this.cursorReads += 1;
    return this.pointer;
  }
  getDisplayNearestPoint(point: Point): { workArea: Rectangle } {
    return { workArea: point.x >= 1920 ? this.right : this.left };
  }
  getPrimaryDisplay(): { workArea: Rectangle } {
    return { workArea: this.left };
  }
}

const notice = { callId: 'call-7', name: 'Bob Example', number: '1002', accountLabel: 'Office' };

function setup(
  opts: { mainVisible?: boolean; platform?: NodeJS.Platform; wayland?: boolean } = {},
) {
  const windows: FakePopup[] = [];
  const actions: [string, string][] = [];
  const screen = new FakeScreen();
  const counts = { fronted: 0, attention: 0 };
  const popup = new IncomingPopup({
    createWindow: (options) => {
      const w = new FakePopup(options);
      windows.push(w);
      return w;
    },
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      preload: '/popup.cjs',
    },
    url: 'app://softphone/index.html',
    screen,
    wayland: opts.wayland ?? false,
    mainWindowVisible: () => opts.mainVisible ?? false,
    bringMainToFront: () => (counts.fronted += 1),
    requestAttention: () => (counts.attention += 1),
    sendAction: (callId, action) => actions.push([callId, action]),
    platform: opts.platform ?? 'linux',
  });
  return { popup, windows, actions, screen, counts };
}

describe('incoming-call popup', () => {
  it('opens a small secure always-on-top window in the corner, inactive, with the caller in the URL', async () => {
    const { popup, windows } = setup();
    popup.show(notice);
    await Promise.resolve();
    const w = windows[0]!;
    expect(w.options).toMatchObject({
      x: 1920 - 340 - 16,
      y: 1040 - 132 - 16,
      width: 340,
      height: 132,
      frame: false,
      alwaysOnTop: true,
      skipTaskbar: true,
      show: false,
      webPreferences: { sandbox: true, contextIsolation: true, preload: '/popup.cjs' },
    });
    expect(w.url).toBe(
      'app://softphone/index.html?window=popup#popup?callId=call-7&number=1002&account=Office&name=Bob+Example',
    );
    expect(isPopupDocument(w.url!)).toBe(true);
    expect(isPopupDocument('app://softphone/index.html')).toBe(false);
    expect(w.shown).toBe(true);
    expect(w.calls).toEqual([]); // nothing macOS-only on Linux
  });

  it('opens on the display the pointer is on', () => {
    const { popup, windows, screen } = setup();
    screen.pointer = { x: 3000, y: 500 };
    popup.show(notice);
    expect(windows[0]!.options).toMatchObject({
      x: 1920 + 2560 - 340 - 16,
      y: 1400 - 132 - 16,
    });
  });

  it('macOS: top-right, and over full-screen apps on every Space', () => {
    const { popup, windows } = setup({ platform: 'darwin' });
    popup.show(notice);
    expect(windows[0]!.options).toMatchObject({ x: 1920 - 340 - 16, y: 16 });
    expect(windows[0]!.calls).toEqual([
      'allWorkspaces true fullScreen=true',
      'alwaysOnTop true screen-saver',
    ]);
  });

  it('Wayland: no popup window (it could not place itself or stay on top); the phone window asks for attention', () => {
    const { popup, windows, screen, counts } = setup({ wayland: true });
    popup.show(notice);
    expect(windows).toHaveLength(0);
    expect(counts.attention).toBe(1);
    expect(screen.cursorReads).toBe(0);
    expect(popup.contentsId).toBeNull();
  });

  it('is not shown when the phone window is on screen', () => {
    const { popup, windows, counts } = setup({ mainVisible: true });
    popup.show(notice);
    expect(windows).toHaveLength(0);
    expect(counts.attention).toBe(0);
  });

  it('routes Answer to the phone window and brings it up; Decline does not', () => {
    const { popup, windows, actions, counts } = setup();
    popup.show(notice);
    expect(popup.contentsId).toBe(windows[0]!.webContents.id);
    popup.action('call-7', 'answer');
    expect(actions).toEqual([['call-7', 'answer']]);
    expect(counts.fronted).toBe(1);
    expect(windows[0]!.closed).toBe(true);
    expect(popup.contentsId).toBeNull();

    popup.show({ ...notice, callId: 'call-8' });
    popup.action('call-8', 'decline');
    expect(actions.at(-1)).toEqual(['call-8', 'decline']);
    expect(counts.fronted).toBe(1);
  });

  it('ignores actions for another call, and closes when its call stops ringing', () => {
    const { popup, windows, actions } = setup();
    popup.show(notice);
    popup.action('call-1', 'answer');
    expect(actions).toEqual([]);
    popup.callEnded('call-other');
    expect(windows[0]!.closed).toBe(false);
    popup.callEnded('call-7');
    expect(windows[0]!.closed).toBe(true);
    expect(popup.callId).toBeNull();
  });

  it('replaces the popup of an earlier call', () => {
    const { popup, windows } = setup();
    popup.show(notice);
    popup.show({ ...notice, callId: 'call-9' });
    expect(windows[0]!.closed).toBe(true);
    expect(popup.callId).toBe('call-9');
  });

  it('keeps any base URL hash or query out', () => {
    expect(popupBounds({ x: 100, y: 25, width: 1440, height: 875 }, 'darwin')).toEqual({
      x: 100 + 1440 - 340 - 16,
      y: 25 + 16,
      width: 340,
      height: 132,
    });
    expect(popupUrl('http://localhost:5173/?x=1#x', { ...notice, name: null })).toBe(
      'http://localhost:5173/?window=popup#popup?callId=call-7&number=1002&account=Office',
    );
  });
});
