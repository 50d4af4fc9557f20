// The global hotkey service over a fake globalShortcut that refuses what Electron documents
// per OS (test/support/fake-global-shortcut.ts): off by default, each action registered and
// run, conflicts and reserved keys never reach the OS, the OS's silent refusal explained per
// OS (Wayland included), key auto-repeat counted once, everything unregistered when turned off.
import { describe, expect, it } from 'vitest';
import type { HotkeyStatus } from '@shared/ipc-contract';
import { DEFAULT_HOTKEYS, type HotkeyAction, type HotkeySettings } from '@shared/settings-types';
import { HotkeyService, REPEAT_GUARD_MS } from '../../../src-main/hotkeys/hotkey-service';
import { FakeGlobalShortcut, type FakeShortcutOptions } from '../../support/fake-global-shortcut';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const PLATFORM: Record<FakeShortcutOptions['platform'], [NodeJS.Platform, string | undefined]> = {
  darwin: ['darwin', undefined],
  win32: ['win32', undefined],
  'linux-x11': ['linux', 'x11'],
  'linux-wayland': ['linux', 'wayland'],
};

function setup(options: FakeShortcutOptions) {
  const shortcuts = new FakeGlobalShortcut(options);
  const ran: HotkeyAction[] = [];
  const published: HotkeyStatus[][] = [];
  let now = 0;
  const [platform, sessionType] = PLATFORM[options.platform];
  const service = new HotkeyService({
    globalShortcut: shortcuts,
    platform,
    sessionType,
    run: (action) => ran.push(action),
    onStatus: (s) => published.push(s),
    now: () => now,
    log: silent,
  });
  return {
    shortcuts,
    service,
    ran,
    published,
    tick: (ms: number) => (now += ms),
  };
}

const on = (accelerators: Partial<HotkeySettings['accelerators']> = {}): HotkeySettings => ({
  ...DEFAULT_HOTKEYS,
  enabled: true,
  accelerators: { ...DEFAULT_HOTKEYS.accelerators, ...accelerators },
});

const states = (statuses: HotkeyStatus[]) => statuses.map((s) => [s.action, s.state]);

describe('registering', () => {
  it('registers nothing while hotkeys are off (the default) but still shows problems', () => {
    const { service, shortcuts, published } = setup({ platform: 'linux-x11' });
    const statuses = service.apply({
      ...DEFAULT_HOTKEYS,
      accelerators: { ...DEFAULT_HOTKEYS.accelerators, mute: 'Ctrl+Alt+Foo' },
    });
    expect(shortcuts.calls).toEqual([]);
    expect(states(statuses)).toEqual([
      ['answer', 'disabled'],
      ['hangUp', 'disabled'],
      ['mute', 'invalid'],
      ['showPhone', 'disabled'],
      ['dialSelection', 'disabled'],
    ]);
    expect(published).toEqual([statuses]);
  });

  it('registers every action and runs it when its keys are pressed', () => {
    const { service, shortcuts, ran, tick } = setup({ platform: 'win32' });
    const statuses = service.apply(on());
    expect(statuses.every((s) => s.state === 'registered' && s.message === null)).toBe(true);
    for (const accelerator of Object.values(DEFAULT_HOTKEYS.accelerators)) {
      expect(shortcuts.press(accelerator.toLowerCase())).toBe(true);
      tick(1000);
    }
    expect(ran).toEqual(['answer', 'hangUp', 'mute', 'showPhone', 'dialSelection']);
  });

  it('never hands duplicate, invalid or reserved keys to the OS', () => {
    const { service, shortcuts } = setup({ platform: 'linux-x11' });
    const statuses = service.apply(
      on({ answer: 'Ctrl+Alt+K', hangUp: 'Control+Alt+k', mute: 'Ctrl+Alt+T', showPhone: 'Q' }),
    );
    expect(states(statuses)).toEqual([
      ['answer', 'duplicate'],
      ['hangUp', 'duplicate'],
      ['mute', 'reserved'],
      ['showPhone', 'invalid'],
      ['dialSelection', 'registered'],
    ]);
    expect(shortcuts.calls).toEqual([`register ${DEFAULT_HOTKEYS.accelerators.dialSelection}`]);
  });
});

describe('what each OS refuses', () => {
  it('Windows: keys another app registered', () => {
    const { service } = setup({ platform: 'win32', takenByOthers: ['ctrl+alt+shift+h'] });
    const hangUp = service.apply(on()).find((s) => s.action === 'hangUp');
    expect(hangUp).toEqual({
      action: 'hangUp',
      accelerator: DEFAULT_HOTKEYS.accelerators.hangUp,
      state: 'refused',
      message:
        'Ctrl+Alt+Shift+H was refused by Windows: another app has already claimed it. Choose other keys or close that app.',
    });
  });

  it('Linux X11: keys another client grabbed', () => {
    const { service } = setup({ platform: 'linux-x11', takenByOthers: ['Ctrl+Alt+Shift+M'] });
    const mute = service.apply(on()).find((s) => s.action === 'mute');
    expect(mute?.message).toBe(
      'Ctrl+Alt+Shift+M was refused by the desktop: another app already grabbed it. Choose other keys.',
    );
  });

  it('macOS: media keys without Accessibility trust, and keys in use', () => {
    const { service } = setup({ platform: 'darwin', takenByOthers: ['Cmd+Alt+Shift+P'] });
    const statuses = service.apply(on({ answer: 'MediaPlayPause' }));
    expect(statuses.find((s) => s.action === 'answer')?.message).toMatch(
      /MediaPlayPause was refused: macOS only lets apps trusted under System Settings → Privacy & Security → Accessibility/,
    );
    expect(statuses.find((s) => s.action === 'showPhone')?.message).toBe(
      'Option+Shift+Cmd+P was refused by macOS: another app or a system shortcut already uses it. Choose other keys.',
    );
    const trusted = setup({ platform: 'darwin', trustedAccessibilityClient: true });
    expect(trusted.service.apply(on({ answer: 'MediaPlayPause' }))[0]?.state).toBe('registered');
  });

  it('Wayland without the portal: refused, with what to do instead', () => {
    const { service } = setup({ platform: 'linux-wayland' });
    const statuses = service.apply(on());
    expect(statuses.every((s) => s.state === 'refused')).toBe(true);
    expect(statuses[0]?.message).toMatch(
      /on Wayland an app can only have global shortcuts through the desktop's GlobalShortcuts portal/,
    );
  });

  it('Wayland with a portal that silently rejects: registered, with the caveat shown', () => {
    const { service, shortcuts, ran } = setup({
      platform: 'linux-wayland',
      portal: true,
      portalRejects: true,
    });
    const statuses = service.apply(on());
    expect(statuses[0]).toMatchObject({ state: 'registered' });
    expect(statuses[0]?.message).toMatch(/On Wayland the desktop decides/);
    expect(shortcuts.press(DEFAULT_HOTKEYS.accelerators.answer)).toBe(false);
    expect(ran).toEqual([]);
  });

  it('a throw from globalShortcut (before ready, or an accelerator it cannot convert) is a failure, not a crash', () => {
    const { service } = setup({ platform: 'linux-x11', ready: false });
    const statuses = service.apply(on());
    expect(statuses[0]).toMatchObject({
      state: 'failed',
      message: expect.stringContaining('globalShortcut cannot be used before the app is ready'),
    });
  });
});

describe('running and stopping', () => {
  it('counts a held key (auto-repeat) once', () => {
    const { service, shortcuts, ran, tick } = setup({ platform: 'linux-x11' });
    service.apply(on());
    const mute = DEFAULT_HOTKEYS.accelerators.mute;
    shortcuts.press(mute);
    tick(30);
    shortcuts.press(mute);
    tick(REPEAT_GUARD_MS - 31);
    shortcuts.press(mute);
    tick(REPEAT_GUARD_MS);
    shortcuts.press(mute);
    expect(ran).toEqual(['mute', 'mute']);
  });

  it('re-registers on a change, leaves unchanged settings alone, and unregisters when turned off', () => {
    const { service, shortcuts } = setup({ platform: 'linux-x11' });
    service.apply(on());
    expect(shortcuts.count).toBe(5);
    const calls = shortcuts.calls.length;
    service.apply(on());
    expect(shortcuts.calls.length).toBe(calls);
    service.apply(on({ answer: 'Ctrl+Alt+Shift+F1' }));
    expect(shortcuts.count).toBe(5);
    expect(shortcuts.isRegistered('Ctrl+Alt+Shift+F1')).toBe(true);
    expect(shortcuts.isRegistered(DEFAULT_HOTKEYS.accelerators.answer)).toBe(false);
    service.apply({ ...on(), enabled: false });
    expect(shortcuts.count).toBe(0);
  });

  it('unregisters everything on stop (quit), and can start again', () => {
    const { service, shortcuts } = setup({ platform: 'win32' });
    service.apply(on());
    service.stop();
    expect(shortcuts.count).toBe(0);
    expect(service.status().every((s) => s.state === 'disabled')).toBe(true);
    service.apply(on());
    expect(shortcuts.count).toBe(5);
  });
});
