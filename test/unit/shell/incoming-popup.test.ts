import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import {
  IncomingPopup,
  popupBounds,
  popupUrl,
  type PopupWindowLike,
} from '../../../src-main/windows/incoming-popup';

class FakePopup implements PopupWindowLike {
  url: string | null = null;
  shown = false;
  closed = false;
  #listeners = new Map<string, (() => void)[]>();
  constructor(readonly options: BrowserWindowConstructorOptions) {}
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  showInactive(): void {
    this.shown = true;
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

const notice = { callId: 'call-7', name: 'Bob Example', number: '1002', accountLabel: 'Office' };

function setup(mainVisible = false) {
  const windows: FakePopup[] = [];
  const actions: [string, string][] = [];
  let fronted = 0;
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
      preload: '/p.cjs',
    },
    url: 'app://softphone/index.html',
    workArea: () => ({ x: 0, y: 0, width: 1920, height: 1040 }),
    mainWindowVisible: () => mainVisible,
    bringMainToFront: () => (fronted += 1),
    sendAction: (callId, action) => actions.push([callId, action]),
    platform: 'linux',
  });
  return { popup, windows, actions, fronted: () => fronted };
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
      webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false },
    });
    expect(w.url).toBe(
      'app://softphone/index.html#popup?callId=call-7&number=1002&account=Office&name=Bob+Example',
    );
    expect(w.shown).toBe(true);
  });

  it('is not shown when the phone window is on screen', () => {
    const { popup, windows } = setup(true);
    popup.show(notice);
    expect(windows).toHaveLength(0);
  });

  it('routes Answer to the phone window and brings it up; Decline does not', () => {
    const { popup, windows, actions, fronted } = setup();
    popup.show(notice);
    popup.action('call-7', 'answer');
    expect(actions).toEqual([['call-7', 'answer']]);
    expect(fronted()).toBe(1);
    expect(windows[0]!.closed).toBe(true);

    popup.show({ ...notice, callId: 'call-8' });
    popup.action('call-8', 'decline');
    expect(actions.at(-1)).toEqual(['call-8', 'decline']);
    expect(fronted()).toBe(1);
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

  it('goes top-right on macOS and keeps any base URL hash out', () => {
    expect(popupBounds({ x: 100, y: 25, width: 1440, height: 875 }, 'darwin')).toEqual({
      x: 100 + 1440 - 340 - 16,
      y: 25 + 16,
      width: 340,
      height: 132,
    });
    expect(popupUrl('http://localhost:5173/#x', { ...notice, name: null })).toBe(
      'http://localhost:5173/#popup?callId=call-7&number=1002&account=Office',
    );
  });
});
