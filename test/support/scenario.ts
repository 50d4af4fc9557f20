// What the views test page shows instead of the line manager's and the engines' state (lines,
// ringing calls, conference, registrations). Renderer types only: the page imports it too.
import type { CallSnapshot, RegistrationState } from '../../src-renderer/src/lib/phone/types';

/** What the views read instead of the line manager and the engines. */
export interface Scenario {
  lines?: CallSnapshot[];
  incoming?: CallSnapshot[];
  currentId?: string;
  conferenceIds?: string[] | null;
  conferenceMuted?: boolean;
  lastEnded?: CallSnapshot | null;
  registrations?: Record<string, RegistrationState>;
}
