// Which settings/changed events the window takes: main echoes each of the window's saves, and
// the echo may come before or after the reply, or after the reply to a later save (Electron does
// not order invoke replies against webContents.send). A late echo must not undo a newer reply;
// an early one is taken; a change main makes on its own is always taken; a reply must not undo
// a change main made after the save's early echo.
import { describe, expect, it } from 'vitest';
import { SettingsEchoes } from '../../../src-renderer/src/lib/state/settings-echoes';

const at = (dnd: boolean, ringer: string | null = null) => ({
  doNotDisturb: dnd,
  audio: { ringer },
});

describe('SettingsEchoes', () => {
  it('drops the echo of a save that comes after the reply to a later save', () => {
    const echoes = new SettingsEchoes();
    const speaker = at(false, null);
    const ringer = at(false, 'out-2');
    echoes.sent();
    echoes.answered(speaker);
    echoes.sent();
    echoes.answered(ringer);
    expect(echoes.owed).toBe(2);
    expect(echoes.take(speaker)).toBe(false);
    expect(echoes.take(ringer)).toBe(false);
    expect(echoes.owed).toBe(0);
  });

  it('takes an echo that comes before its reply, and the reply then owes nothing', () => {
    const echoes = new SettingsEchoes();
    echoes.sent();
    expect(echoes.take(at(true))).toBe(true);
    echoes.answered(at(true));
    expect(echoes.owed).toBe(0);
    // The user turns DND off here and the tray turns it on again: the same settings as the
    // first save, and a change of main's own. It is taken.
    echoes.sent();
    expect(echoes.take(at(false))).toBe(true);
    echoes.answered(at(false));
    expect(echoes.take(at(true))).toBe(true);
  });

  it('tells not to apply a reply when a change main made after its early echo was taken', () => {
    const echoes = new SettingsEchoes();
    const saved = at(false, 'out-2');
    const trayDnd = at(true, 'out-2');
    echoes.sent();
    expect(echoes.take(saved)).toBe(true); // the echo, before the reply
    expect(echoes.take(trayDnd)).toBe(true); // the tray, after the save
    expect(echoes.answered(saved)).toBe(false);
    expect(echoes.owed).toBe(0);
  });

  it('applies a reply whose echo is the last event taken, or has not come yet', () => {
    const echoes = new SettingsEchoes();
    echoes.sent();
    expect(echoes.take(at(true))).toBe(true);
    expect(echoes.answered(at(true))).toBe(true);
    // A change main made before the save comes first; the save's echo is still on its way.
    echoes.sent();
    expect(echoes.take(at(false))).toBe(true);
    expect(echoes.answered(at(false, 'out-1'))).toBe(true);
    expect(echoes.take(at(false, 'out-1'))).toBe(false);
  });

  it('takes every change main makes on its own, also one equal to an earlier state', () => {
    const echoes = new SettingsEchoes();
    expect(echoes.take(at(true))).toBe(true);
    expect(echoes.take(at(false))).toBe(true);
    expect(echoes.take(at(true))).toBe(true);
    expect(echoes.owed).toBe(0);
  });

  it('owes nothing for a save that failed', () => {
    const echoes = new SettingsEchoes();
    echoes.sent();
    echoes.answered(null);
    expect(echoes.owed).toBe(0);
    expect(echoes.take(at(false))).toBe(true);
  });

  it('keeps a bounded number of owed echoes', () => {
    const echoes = new SettingsEchoes();
    for (let i = 0; i < 40; i += 1) {
      echoes.sent();
      echoes.answered(at(i % 2 === 0, `out-${i}`));
    }
    expect(echoes.owed).toBe(16);
    // The oldest were let go: a state equal to one of them is taken as a change.
    expect(echoes.take(at(true, 'out-0'))).toBe(true);
    expect(echoes.take(at(false, 'out-39'))).toBe(false);
  });
});
