// Accelerator checks before anything reaches globalShortcut: Electron's grammar, one key, a
// modifier, combinations the OS or every app owns, and the same keys spelled two ways.
import { describe, expect, it } from 'vitest';
import { checkAccelerator, displayAccelerator, planHotkeys } from '@shared/accelerator';
import { DEFAULT_HOTKEYS, type HotkeySettings } from '@shared/settings-types';

describe('checkAccelerator', () => {
  it('accepts Electron accelerators and gives one canonical form per platform', () => {
    const cases: [string, 'darwin' | 'win32' | 'linux', string][] = [
      ['CommandOrControl+Alt+Shift+A', 'linux', 'Control+Alt+Shift+A'],
      ['CommandOrControl+Alt+Shift+A', 'darwin', 'Alt+Shift+Super+A'],
      ['cmdorctrl+option+shift+a', 'darwin', 'Alt+Shift+Super+A'],
      ['Ctrl+Alt+F9', 'win32', 'Control+Alt+F9'],
      ['Control+Alt+!', 'linux', 'Control+Alt+Shift+1'],
      ['Ctrl+Shift+Plus', 'linux', 'Control+Shift+='],
      ['Super+Alt+Return', 'linux', 'Alt+Super+Enter'],
      ['Alt+Shift+Esc', 'linux', 'Alt+Shift+Escape'],
      ['F13', 'win32', 'F13'],
      ['MediaPlayPause', 'linux', 'MediaPlayPause'],
      ['Ctrl+Alt+num5', 'linux', 'Control+Alt+num5'],
    ];
    for (const [text, platform, canonical] of cases) {
      expect(checkAccelerator(text, platform), `${text} on ${platform}`).toEqual({
        ok: true,
        canonical,
      });
    }
  });

  it('refuses what Electron cannot parse, with the reason', () => {
    const refusals: [string, string, RegExp][] = [
      ['Ctrl+Alt+Foo', 'invalid', /"Foo" is not a key name/],
      ['Ctrl++', 'invalid', /not a valid shortcut/],
      ['Ctrl+Alt+é', 'invalid', /not a valid shortcut/],
      ['Ctrl+F25', 'invalid', /"F25" is not a key name/],
      ['Ctrl+Alt', 'no-key', /has modifiers but no key/],
      ['Ctrl+A+B', 'two-keys', /names two keys/],
    ];
    for (const [text, problem, message] of refusals) {
      const check = checkAccelerator(text, 'linux');
      expect(check.ok, text).toBe(false);
      expect(check.ok ? null : check.problem, text).toBe(problem);
      expect(check.ok ? '' : check.message, text).toMatch(message);
    }
  });

  it('refuses keys that would take typing away from every app', () => {
    for (const text of ['A', 'Shift+A', 'Space', 'Shift+1', 'Enter', 'F5']) {
      const check = checkAccelerator(text, 'linux');
      expect(check.ok ? null : check.problem, text).toBe('needs-modifier');
    }
  });

  it('refuses combinations the OS or every app already uses', () => {
    const reserved: [string, 'darwin' | 'win32' | 'linux', RegExp][] = [
      ['CommandOrControl+C', 'linux', /copy, paste or undo/],
      ['CommandOrControl+Shift+V', 'darwin', /Cmd\+Shift\+V|copy, paste or undo/],
      ['Cmd+Space', 'darwin', /Spotlight/],
      ['Cmd+Tab', 'darwin', /switches apps/],
      ['Ctrl+Alt+Delete', 'win32', /security screen/],
      ['Alt+F4', 'win32', /closes the window/],
      ['Super+D', 'win32', /belongs to Windows/],
      ['Ctrl+Alt+T', 'linux', /terminal/],
      ['Ctrl+Alt+F2', 'linux', /console/],
      ['Super+L', 'linux', /locks the screen/],
    ];
    for (const [text, platform, message] of reserved) {
      const check = checkAccelerator(text, platform);
      expect(check.ok ? null : check.problem, `${text} on ${platform}`).toBe('reserved');
      expect(check.ok ? '' : check.message).toMatch(message);
    }
    // The same keys are fine where they are not reserved.
    expect(checkAccelerator('Ctrl+Alt+T', 'win32').ok).toBe(true);
    expect(checkAccelerator('Super+D', 'linux').ok).toBe(true);
  });

  it('shows keys the way each OS names them', () => {
    expect(displayAccelerator('Alt+Shift+Super+A', 'darwin')).toBe('Option+Shift+Cmd+A');
    expect(displayAccelerator('Control+Alt+Shift+A', 'win32')).toBe('Ctrl+Alt+Shift+A');
  });
});

describe('planHotkeys', () => {
  const settings = (accelerators: Partial<HotkeySettings['accelerators']>): HotkeySettings => ({
    ...DEFAULT_HOTKEYS,
    enabled: true,
    accelerators: { ...DEFAULT_HOTKEYS.accelerators, ...accelerators },
  });

  it('has valid, distinct defaults on every platform', () => {
    for (const platform of ['darwin', 'win32', 'linux'] as const) {
      const states = planHotkeys(settings({}), platform).map((p) => p.state);
      expect(states, platform).toEqual(['ready', 'ready', 'ready', 'ready', 'ready']);
    }
  });

  it('marks both actions of a conflict, even spelled differently', () => {
    const plans = planHotkeys(
      settings({ answer: 'Ctrl+Alt+!', mute: 'Control+Shift+Alt+1', showPhone: '' }),
      'linux',
    );
    expect(plans.map((p) => [p.action, p.state])).toEqual([
      ['answer', 'duplicate'],
      ['hangUp', 'ready'],
      ['mute', 'duplicate'],
      ['showPhone', 'unassigned'],
      ['dialSelection', 'ready'],
    ]);
    const answer = plans[0];
    expect(answer && 'message' in answer ? answer.message : '').toBe(
      'Answer and Mute use the same keys (Ctrl+Alt+Shift+1); give each its own.',
    );
  });

  it('on macOS CommandOrControl and Cmd are the same keys; elsewhere they are not', () => {
    const both = settings({ answer: 'CommandOrControl+Alt+K', hangUp: 'Cmd+Alt+K' });
    expect(planHotkeys(both, 'darwin')[0]?.state).toBe('duplicate');
    expect(planHotkeys(both, 'linux')[0]?.state).toBe('ready');
  });
});
