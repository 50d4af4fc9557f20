// The tabs of the settings screen. A new settings page becomes a tab by adding an entry here
// and its panel in SettingsView.svelte.
import type { TabItem } from '../ui/view-types';

export type SettingsTab = 'accounts' | 'sound' | 'general';

export const SETTINGS_TABS: readonly TabItem<SettingsTab>[] = [
  { id: 'accounts', label: 'Accounts' },
  { id: 'sound', label: 'Sound' },
  { id: 'general', label: 'General' },
];

/** An account form to open with one field focused (a failing account's way out). */
export interface AccountFix {
  accountId: string;
  field: 'secret' | 'sipUri';
}
