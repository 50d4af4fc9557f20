// Small types shared by views and components, kept in TypeScript so every module (and the
// linter) can see them.

/** One tab: its id, its visible name and an optional count after it. */
export interface TabItem<Id extends string> {
  id: Id;
  label: string;
  /** A short note after the label (a count), part of the tab's name. */
  badge?: string;
  /** The badge's accessible name ("3 unread"); the badge text alone when absent. */
  badgeLabel?: string;
  /** A test id on the badge. */
  badgeTestId?: string;
}

/** The panel open under a call: none, the keypad (DTMF), transfer, add a call, or chat. */
export type CallPanel = 'none' | 'keypad' | 'transfer' | 'add' | 'chat';
