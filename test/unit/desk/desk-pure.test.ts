// The pure parts of the desk: a key press in the hotkey settings becomes an Electron
// accelerator main can check (the physical key, the platform's main modifier as
// CommandOrControl), and redial finds the newest outgoing call in the history.
import { describe, expect, it } from 'vitest';
import { checkAccelerator } from '@shared/accelerator';
import { captureKeys, type KeyPress } from '../../../src-renderer/src/lib/desk/accelerator-capture';
import { findRedial, lastDialled } from '../../../src-renderer/src/lib/desk/redial';
import type { HistoryEntry } from '../../../src-renderer/src/lib/history/types';

function press(code: string, key: string, mods: Partial<KeyPress> = {}): KeyPress {
  return { code, key, ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...mods };
}

describe('capturing hotkeys', () => {
  it.each([
    [
      press('KeyA', 'A', { ctrlKey: true, altKey: true, shiftKey: true }),
      'linux',
      'CommandOrControl+Alt+Shift+A',
    ],
    [press('KeyA', 'å', { metaKey: true, altKey: true }), 'darwin', 'CommandOrControl+Alt+A'],
    [press('KeyH', 'h', { ctrlKey: true, metaKey: true }), 'darwin', 'CommandOrControl+Control+H'],
    [press('KeyK', 'k', { metaKey: true, altKey: true }), 'win32', 'Super+Alt+K'],
    [press('Digit1', '!', { ctrlKey: true, shiftKey: true }), 'linux', 'CommandOrControl+Shift+1'],
    [press('Numpad5', '5', { ctrlKey: true }), 'linux', 'CommandOrControl+num5'],
    [press('F13', 'F13'), 'linux', 'F13'],
    [
      press('ArrowUp', 'ArrowUp', { ctrlKey: true, altKey: true }),
      'win32',
      'CommandOrControl+Alt+Up',
    ],
    [press('Slash', '/', { ctrlKey: true, altKey: true }), 'linux', 'CommandOrControl+Alt+/'],
    [press('', 'AudioVolumeMute'), 'linux', 'VolumeMute'],
    [press('', 'MediaPlayPause', { altKey: true }), 'linux', 'Alt+MediaPlayPause'],
  ])('%o on %s is %s, which main accepts', (event, platform, accelerator) => {
    expect(captureKeys(event, platform)).toEqual({ kind: 'keys', accelerator });
    const keysPlatform = platform === 'darwin' || platform === 'win32' ? platform : 'linux';
    expect(checkAccelerator(accelerator, keysPlatform).ok).toBe(true);
  });

  it('waits for a key, lets Tab and Escape through, and clears with Backspace or Delete', () => {
    expect(captureKeys(press('ControlLeft', 'Control', { ctrlKey: true }), 'linux')).toEqual({
      kind: 'ignore',
    });
    expect(captureKeys(press('Tab', 'Tab'), 'linux')).toEqual({ kind: 'ignore' });
    expect(captureKeys(press('Escape', 'Escape'), 'linux')).toEqual({ kind: 'ignore' });
    expect(captureKeys(press('Backspace', 'Backspace'), 'linux')).toEqual({ kind: 'clear' });
    expect(captureKeys(press('Delete', 'Delete'), 'darwin')).toEqual({ kind: 'clear' });
    expect(captureKeys(press('IntlRo', 'ろ', { ctrlKey: true }), 'linux')).toEqual({
      kind: 'ignore',
    });
    // A plain letter is recorded as pressed; main then says it needs a modifier.
    const plain = captureKeys(press('KeyQ', 'q'), 'linux');
    expect(plain).toEqual({ kind: 'keys', accelerator: 'Q' });
    expect(checkAccelerator('Q', 'linux')).toMatchObject({ ok: false, problem: 'needs-modifier' });
  });
});

function entry(over: Partial<HistoryEntry>): HistoryEntry {
  return {
    id: 'c',
    startedAt: 0,
    answeredAt: null,
    endedAt: null,
    durationS: 0,
    direction: 'incoming',
    outcome: 'answered',
    accountId: 'acc-1',
    accountLabel: 'Office',
    partyName: null,
    partyUser: '1001',
    partyUri: 'sip:1001@pbx.test',
    partyKey: '1001',
    endCause: null,
    endCode: null,
    seen: true,
    ...over,
  };
}

describe('redial', () => {
  it('finds the newest outgoing call, answered or not, on its account', async () => {
    const entries = [
      entry({ id: 'a', direction: 'incoming', partyUser: '555' }),
      entry({
        id: 'b',
        direction: 'outgoing',
        partyUser: '+4930123',
        outcome: 'busy',
        accountId: 'acc-2',
      }),
      entry({ id: 'c', direction: 'outgoing', partyUser: '777' }),
    ];
    expect(findRedial(entries)).toEqual({ dial: '+4930123', accountId: 'acc-2' });
    const addressed = entry({
      direction: 'outgoing',
      partyUser: 'bob',
      partyUri: 'sip:bob@x.test',
    });
    expect(findRedial([addressed])).toEqual({ dial: 'sip:bob@x.test', accountId: 'acc-1' });
    expect(findRedial([entries[0]!])).toBeNull();
    const asked: number[] = [];
    const found = await lastDialled(async (limit) => {
      asked.push(limit);
      return { entries, next: null };
    });
    expect(found?.dial).toBe('+4930123');
    expect(asked).toEqual([100]);
    expect(await lastDialled(null)).toBeNull();
  });
});
