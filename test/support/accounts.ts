// Account fixtures for tests: an office account on pbx.example.com, and dial rules and a
// screen-pop setting that pass the account checks.
import {
  DEFAULT_ACCOUNT,
  type AccountSettings,
  type DialRules,
  type ScreenPopSettings,
} from '../../src-main/shared/settings-types';

/** A German office PBX: 0 for an outside line, own country dialled nationally. */
export const OFFICE_DIAL_RULES: DialRules = {
  stripPunctuation: true,
  internationalPrefix: '00',
  outsideLinePrefix: '0',
  outsideLineMinDigits: 6,
  rewrites: [{ pattern: '^\\+49', replacement: '0' }],
};

export const CRM_SCREEN_POP: ScreenPopSettings = {
  url: 'https://crm.example.com/?n={number}',
  on: 'answered',
  direction: 'both',
};

/** Account "office" (sip:1001@pbx.example.com) with defaults, plus `overrides`. */
export function officeAccount(overrides: Partial<AccountSettings> = {}): AccountSettings {
  return {
    ...DEFAULT_ACCOUNT,
    id: 'office',
    label: 'Office',
    websocketUri: 'wss://pbx.example.com/ws',
    sipUri: 'sip:1001@pbx.example.com',
    ...overrides,
  };
}
