// The tabs of the phone screen. In a narrow window the dialer is a tab; in a wide one it stands
// beside the others. A new screen (chat…) becomes a tab by adding an entry here and its panel
// in MainView.svelte. The busy lamps are a tab only in a narrow window.
import type { TabItem } from '../ui/view-types';

export type PhoneTab = 'keypad' | 'recent' | 'contacts' | 'chat' | 'lamps';

/** Every tab, in order. */
export const PHONE_TABS: readonly TabItem<PhoneTab>[] = [
  { id: 'keypad', label: 'Keypad' },
  { id: 'recent', label: 'Recent' },
  { id: 'contacts', label: 'Contacts' },
  { id: 'chat', label: 'Chat' },
  { id: 'lamps', label: 'Colleagues' },
];

/** The tabs beside the dialer in a wide window (the lamps have their own column there). */
export const SIDE_TABS: readonly TabItem<PhoneTab>[] = PHONE_TABS.filter(
  (t) => t.id !== 'keypad' && t.id !== 'lamps',
);
