// Unit tests of the window service with a fake BrowserWindow: every security option, start
// hidden, close-to-tray versus quitting, and without a tray (stock GNOME) close minimises and
// start hidden is ignored; bring-to-front (also before the page is ready), toggling from the
// tray, typed events to the page, reload keys swallowed, the page's crash and hang and the
// Windows session-end events passed on (BrowserWindow docs: win32 only, never prevented), and
// the Wayland attention request (BrowserWindow.focus on Wayland may only flash the icon).
import { describe, expect, it } from 'vitest';
import { MainWindow, mainWindowOptions } from '../../../src-main/windows/main-window';
import { FakeWindow } from '../../support/fake-window';

describe('mainWindowOptions', () => {
  it('sets every option of the security baseline', () => {
    const options = mainWindowOptions({ preload: '/app/out/preload/index.cjs', devTools: false });
    expect(options.show).toBe(false);
    expect(options.webPreferences).toEqual({
      preload: '/app/out/preload/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: false,
      backgroundThrottling: false,
      autoplayPolicy: 'no-user-gesture-required',
    });
  });

  it('allows DevTools only when asked (dev builds)', () => {
    expect(mainWindowOptions({ preload: 'p', devTools: true }).webPreferences?.devTools).toBe(true);
  });
});

function setup(opts: { quitting?: boolean; tray?: boolean } = {}) {
  const state = {
    quitting: opts.quitting ?? false,
    tray: opts.tray ?? true,
    resets: 0,
    visibility: 0,
    focusApp: 0,
    events: [] as string[],
  };
  let created: FakeWindow | null = null;
  const window = new MainWindow({
    createWindow: (options) => (created = new FakeWindow(options)),
    options: mainWindowOptions({ preload: 'p', devTools: false }),
    url: 'app://softphone/index.html',
    isQuitting: () => state.quitting,
    canHide: () => state.tray,
    focusApp: () => (state.focusApp += 1),
    onRendererGone: (reason) => state.events.push(`gone ${reason}`),
    onUnresponsive: (hung) => state.events.push(hung ? 'unresponsive' : 'responsive'),
    onSessionEnding: (phase) => state.events.push(`session ${phase}`),
    onRendererReset: () => (state.resets += 1),
    onVisibilityChange: () => (state.visibility += 1),
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const fake = (): FakeWindow => {
    if (!created) {
      throw new Error('no window yet');
    }
    return created;
  };
  return { window, fake, state };
}

describe('MainWindow', () => {
  it('loads the app URL with the secure options and shows it when ready', async () => {
    const { window, fake, state } = setup();
    await window.open({ startHidden: false });
    expect(fake().loaded).toBe('app://softphone/index.html');
    expect(fake().options.webPreferences?.sandbox).toBe(true);
    expect(state.resets).toBe(1);
    expect(fake().visible).toBe(false);
    fake().emit('ready-to-show');
    expect(fake().visible).toBe(true);
    expect(fake().calls).toEqual(['show', 'moveTop', 'focus']);
    expect(state.focusApp).toBe(1);
  });

  it('starts hidden in the tray when asked', async () => {
    const { window, fake } = setup();
    await window.open({ startHidden: true });
    expect(window.readyToShow).toBe(false);
    fake().emit('ready-to-show');
    expect(window.readyToShow).toBe(true);
    expect(fake().visible).toBe(false);
    expect(window.isVisible()).toBe(false);
  });

  it('a link before the page is ready still brings the hidden window up once ready', async () => {
    const { window, fake } = setup();
    window.bringToFront();
    await window.open({ startHidden: true });
    expect(fake().visible).toBe(false);
    fake().emit('ready-to-show');
    expect(fake().visible).toBe(true);
  });

  it('closing hides to the tray while running, and really closes when quitting', async () => {
    const { window, fake, state } = setup();
    await window.open({ startHidden: false });
    fake().emit('ready-to-show');
    expect(fake().userClose()).toBe(false);
    expect(fake().visible).toBe(false);
    expect(fake().destroyed).toBe(false);
    expect(window.send('power/changed', { reason: 'resume' })).toBe(true);
    state.quitting = true;
    expect(fake().userClose()).toBe(true);
    expect(window.send('power/changed', { reason: 'resume' })).toBe(false);
  });

  it('bringToFront restores a minimised window and focuses it', async () => {
    const { window, fake } = setup();
    await window.open({ startHidden: true });
    fake().emit('ready-to-show');
    fake().minimized = true;
    fake().calls.length = 0;
    window.bringToFront();
    expect(fake().calls).toEqual(['restore', 'show', 'moveTop', 'focus']);
    expect(window.isVisible()).toBe(true);
  });

  it('toggle hides a visible window and brings back a hidden one; the tray hears about it', async () => {
    const { window, fake, state } = setup();
    await window.open({ startHidden: false });
    fake().emit('ready-to-show');
    const before = state.visibility;
    window.toggle();
    expect(window.isVisible()).toBe(false);
    window.toggle();
    expect(window.isVisible()).toBe(true);
    expect(state.visibility - before).toBe(2);
  });

  it('sends typed events to the page, and says when there is no page', async () => {
    const { window, fake } = setup();
    expect(window.send('app/quitting', null)).toBe(false);
    await window.open({ startHidden: false });
    expect(window.send('tray/action', { action: 'show-window' })).toBe(true);
    expect(fake().webContents.sent).toEqual([
      { channel: 'tray/action', payload: { action: 'show-window' } },
    ]);
    fake().webContents.destroyed = true;
    expect(window.send('app/quitting', null)).toBe(false);
  });

  it('reports page reloads (links are queued again until the page asks)', async () => {
    const { window, fake, state } = setup();
    await window.open({ startHidden: false });
    fake().webContents.emit('did-start-loading');
    expect(state.resets).toBe(2);
    window.reload();
    expect(fake().webContents.reloads).toBe(1);
    expect(state.resets).toBe(3);
  });

  it('without a tray, closing minimises and start hidden is ignored: never an invisible app', async () => {
    const { window, fake } = setup({ tray: false });
    await window.open({ startHidden: true });
    fake().emit('ready-to-show');
    expect(fake().visible).toBe(true);
    expect(fake().userClose()).toBe(false);
    expect(fake().calls.at(-1)).toBe('minimize');
    expect(fake().visible).toBe(true);
    window.hide();
    expect(fake().calls.at(-1)).toBe('minimize');
    expect(fake().calls).not.toContain('hide');
  });

  it('swallows reload keys (F5, Ctrl/Cmd+R, with Shift) and lets other keys through', async () => {
    const { window, fake } = setup();
    await window.open({ startHidden: false });
    const contents = fake().webContents;
    expect(contents.press({ key: 'F5' })).toBe(false);
    expect(contents.press({ key: 'r', control: true })).toBe(false);
    expect(contents.press({ key: 'R', control: true, shift: true })).toBe(false);
    expect(contents.press({ key: 'r', meta: true })).toBe(false);
    expect(contents.press({ key: 'r' })).toBe(true);
    expect(contents.press({ key: 'c', control: true })).toBe(true);
    expect(contents.press({ key: '5' })).toBe(true);
  });

  it('passes on a crashed or hung page and the Windows session ending', async () => {
    const { window, fake, state } = setup();
    await window.open({ startHidden: false });
    fake().webContents.emit('render-process-gone', {}, { reason: 'oom', exitCode: -1 });
    fake().emit('unresponsive');
    fake().emit('responsive');
    const query = { preventDefault: () => state.events.push('prevented') };
    fake().emit('query-session-end', query);
    fake().emit('session-end', query);
    expect(state.events).toEqual([
      'gone oom',
      'unresponsive',
      'responsive',
      'session query',
      'session end',
    ]);
    window.killRenderer();
    expect(fake().webContents.crashes).toBe(1);
    expect(state.events.at(-1)).toBe('gone killed');
  });

  it('asks for attention without a popup (Wayland): shows, requests focus, urgency until focused', async () => {
    const { window, fake } = setup();
    await window.open({ startHidden: true });
    fake().emit('ready-to-show');
    fake().calls.length = 0;
    window.requestAttention();
    expect(fake().calls).toEqual(['show', 'focus', 'flashFrame true']);
    expect(fake().flashing).toBe(true);
    fake().emit('focus');
    expect(fake().flashing).toBe(false);
  });

  it('knows its WebContents id (for the IPC sender check)', async () => {
    const { window, fake } = setup();
    expect(window.contentsId).toBeNull();
    await window.open({ startHidden: false });
    expect(window.contentsId).toBe(fake().webContents.id);
  });
});
