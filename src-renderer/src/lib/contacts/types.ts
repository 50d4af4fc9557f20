// Owns the shapes of contacts: what is stored, and the draft a form or a vCard file produces.

/** A phone number of a contact. */
export interface ContactNumber {
  /** 'mobile', 'home', 'work', 'main', 'fax', 'pager', 'other', combinations such as 'work fax', or a custom label. */
  label: string;
  /** As the user wrote it ('+49 30 1234567'). */
  value: string;
  /** What it dials, from parseTypedDial ('+49301234567'); digits only when it does not parse; '' when there are none. */
  normalized: string;
}

/** A stored contact. */
export interface Contact {
  id: string;
  name: string;
  org?: string;
  numbers: ContactNumber[];
  /** SIP addresses as 'user@host' (no scheme; 'sips:' kept when the card said sips). */
  sipAddresses: string[];
  favourite: boolean;
  notes?: string;
  /** epoch ms */
  createdAt: number;
  updatedAt: number;
}

/** A contact before it is stored: what the editor and the vCard parser produce. */
export interface ContactDraft {
  name: string;
  org?: string;
  numbers: { label: string; value: string }[];
  sipAddresses: string[];
  favourite: boolean;
  notes?: string;
}
