// The OS microphone permission, with systemPreferences modelled per its docs:
// getMediaAccessStatus exists on macOS and Windows (Windows: the global desktop-apps switch),
// askForMediaAccess on macOS only (and resolves with the existing state once asked).
import { describe, expect, it } from 'vitest';
import {
  MicrophoneAccessCheck,
  type MediaPermissionsLike,
} from '../../../src-main/media/microphone-access';

function mac(initial: 'not-determined' | 'granted' | 'denied' | 'restricted', userSays = true) {
  let status = initial;
  const asked: string[] = [];
  const prefs: MediaPermissionsLike = {
    getMediaAccessStatus: () => status,
    askForMediaAccess: (type) => {
      asked.push(type);
      if (status === 'not-determined') {
        status = userSays ? 'granted' : 'denied';
      }
      return Promise.resolve(status === 'granted');
    },
  };
  return { check: new MicrophoneAccessCheck(prefs, 'darwin'), asked };
}

describe('MicrophoneAccessCheck', () => {
  it('macOS: not asked at start; asked right before the first call', async () => {
    const { check, asked } = mac('not-determined');
    expect(await check.check(false)).toEqual({ status: 'not-determined', message: null });
    expect(asked).toEqual([]);
    expect(await check.check(true)).toEqual({ status: 'granted', message: null });
    expect(asked).toEqual(['microphone']);
  });

  it('macOS: a refusal is named with the setting to change', async () => {
    const { check } = mac('not-determined', false);
    const result = await check.check(true);
    expect(result.status).toBe('denied');
    expect(result.message).toContain('System Settings › Privacy & Security › Microphone');
  });

  it('macOS: denied earlier is not asked again (the OS would not show a prompt)', async () => {
    const { check, asked } = mac('denied');
    expect((await check.check(true)).message).toMatch(/does not let Open Softphone/);
    expect(asked).toEqual([]);
  });

  it('macOS: restricted by a profile', async () => {
    const { check } = mac('restricted');
    expect((await check.check(true)).message).toMatch(/administrator/);
  });

  it('Windows: the global switch, never a prompt', async () => {
    const check = new MicrophoneAccessCheck({ getMediaAccessStatus: () => 'denied' }, 'win32');
    const result = await check.check(true);
    expect(result.message).toContain('Let desktop apps access your microphone');
  });

  it('Linux: no OS switch, always usable', async () => {
    const check = new MicrophoneAccessCheck({}, 'linux');
    expect(await check.check(true)).toEqual({ status: 'granted', message: null });
  });
});
