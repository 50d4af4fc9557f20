// The account form's number fields are checked in main's shared validation (the same check runs
// on save in the renderer and on provisioning): each out-of-range value is named with its range.
import { describe, expect, it } from 'vitest';
import { checkAccount } from '../../../src-main/shared/account-validation';
import { DEFAULT_ACCOUNT, type AccountSettings } from '../../../src-main/shared/settings-types';

const base: AccountSettings = {
  ...DEFAULT_ACCOUNT,
  id: 'a',
  label: 'Office',
  websocketUri: 'wss://pbx.example.com/ws',
  sipUri: 'sip:1001@pbx.example.com',
};

describe('account number ranges', () => {
  it('accepts the defaults', () => {
    expect(checkAccount(base)).toEqual({});
  });

  it('keeps the keep-alive between 0 (off) and 300 s, whole seconds', () => {
    expect(checkAccount({ ...base, keepAliveS: 0 })).toEqual({});
    expect(checkAccount({ ...base, keepAliveS: 300 })).toEqual({});
    for (const keepAliveS of [-1, 301, 2.5, Number.NaN]) {
      expect(checkAccount({ ...base, keepAliveS }).keepAliveS).toBe(
        'Enter a whole number from 0 to 300 (seconds; 0 turns it off).',
      );
    }
  });

  it('names the registration expiry and the STUN/TURN wait when they are out of range', () => {
    const problems = checkAccount({ ...base, registerExpires: 10, iceGatheringCapMs: 50 });
    expect(problems.registerExpires).toBe('Enter a whole number from 60 to 86400 (seconds).');
    expect(problems.iceGatheringCapMs).toBe('Enter a whole number from 100 to 30000 (ms).');
  });
});
