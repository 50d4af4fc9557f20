// Unit tests of the window service with a fake BrowserWindow: every security option, start
// hidden, close-to-tray versus quitting, bring-to-front (also before the page is ready),
// toggling from the tray and typed events to the page.
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

function setup(opts: { quitting?: boolean } = {}) {
  const state = { quitting: opts.quitting ?? false, resets: 0, visibility: 0, focusApp: 0 };
  let created: FakeWindow | null = null;
  const window = new MainWindow({
    createWindow: (options) => (created = new FakeWindow(options)),
    options: mainWindowOptions({ preload: 'p', devTools: false }),
    url: 'app://softphone/index.html',
    isQuitting: () => state.quitting,
    focusApp: () => (state.focusApp += 1),
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
    expect(window.send('tray/action', { action: 'toggle-dnd' })).toBe(true);
    expect(fake().webContents.sent).toEqual([
      { channel: 'tray/action', payload: { action: 'toggle-dnd' } },
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
});
