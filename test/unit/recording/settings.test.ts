// The recording and noise-suppression settings added by issue 17: a settings file written
// before them loads without a single complaint and gets the defaults; bad values are reset
// one field at a time; an account without autoRecord keeps everything else.
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUDIO, DEFAULT_RECORDING, DEFAULT_SETTINGS } from '@shared/settings-types';
import { recoverSettings } from '../../../src-main/settings/recover';

const { rnnoise: _rnnoise, ...oldAudio } = DEFAULT_AUDIO;
const oldAccount = {
  id: 'office',
  label: 'Office',
  enabled: true,
  websocketUri: 'wss://pbx.example.com/ws',
  sipUri: 'sip:1001@pbx.example.com',
  authUser: '',
  displayName: '',
  realm: '',
  secretKind: 'password',
  iceServers: [],
  iceGatheringCapMs: 1000,
  registerExpires: 600,
  dtmfMode: 'rfc4733',
  sessionTimers: true,
  sessionExpires: 1800,
  allowAutoAnswerHeader: false,
};

describe('settings from before recording existed', () => {
  it('load with the defaults and no problems', () => {
    const { recording: _recording, ...old } = DEFAULT_SETTINGS;
    const { settings, problems } = recoverSettings({
      ...old,
      audio: { ...oldAudio, echoCancellation: false },
      accounts: [oldAccount],
    });
    expect(problems).toEqual([]);
    expect(settings.recording).toEqual(DEFAULT_RECORDING);
    expect(settings.audio).toEqual({ ...DEFAULT_AUDIO, echoCancellation: false, rnnoise: false });
    expect(settings.accounts[0]?.autoRecord).toBe(false);
  });

  it('reset a bad recording block on its own, keeping the rest', () => {
    const { settings, problems } = recoverSettings({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      recording: { ...DEFAULT_RECORDING, format: 'mp3', folder: '' },
    });
    expect(problems).toEqual(['The setting "recording" was not valid and was reset.']);
    expect(settings.recording).toEqual(DEFAULT_RECORDING);
    expect(settings.theme).toBe('dark');
  });
});
