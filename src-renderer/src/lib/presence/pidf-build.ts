// Owns the PIDF body we PUBLISH for our own status (RFC 3903 + RFC 3863, activities from RFC
// 4480): one tuple with <basic>, a top-level <note>, and a data-model person with the activity.
// Do-not-disturb publishes "busy" (issue 15): others see that we cannot take calls, not why.
// Every value is escaped by the XML writer; a malformed entity is refused, never sent.
import { isVisibleToken, singleLine } from '../text/inert-text';
import { serializeXml, xmlElement } from '../xml/write';
import type { XmlElement } from '../xml/types';
import { DATA_MODEL_NS, PIDF_NS, RPID_NS } from './namespaces';

/** The statuses a user can choose for themselves. */
export type OwnStatus = 'available' | 'away' | 'busy' | 'dnd' | 'offline';

export interface PidfInput {
  /** Our address of record, e.g. 'sip:alice@example.com' (sip:, sips: or pres:). */
  entity: string;
  status: OwnStatus;
  /** Free text next to the status; cleaned to one line of at most 256 code points. */
  note?: string | null;
  /** Tuple id (an XML NCName); stable across PUBLISH refreshes. Default 'softphone'. */
  tupleId?: string;
  /** When the status was set; written as the tuple's <timestamp>. */
  timestamp?: Date;
}

export type PidfBuildResult =
  { ok: true; body: string; contentType: 'application/pidf+xml' } | { ok: false; message: string };

const ACTIVITY: Readonly<Record<OwnStatus, string | null>> = {
  available: null,
  away: 'away',
  busy: 'busy',
  dnd: 'busy',
  offline: null,
};

const NCNAME = /^[A-Za-z_][A-Za-z0-9._-]{0,63}$/;
const ENTITY = /^(sips?|pres):[^<>"\\]+$/i;

/** Builds the body of a PUBLISH for our own status. Never throws. */
export function buildPidf(input: PidfInput): PidfBuildResult {
  const entity = input.entity.trim();
  if (entity.length > 1024 || !ENTITY.test(entity) || !isVisibleToken(entity)) {
    return { ok: false, message: 'Our own address is not a SIP URI that can be published.' };
  }
  const tupleId = input.tupleId ?? 'softphone';
  if (!NCNAME.test(tupleId)) {
    return { ok: false, message: 'The tuple id is not a valid XML name.' };
  }
  if (!Object.hasOwn(ACTIVITY, input.status)) {
    return { ok: false, message: 'The status is not one that can be published.' };
  }
  const note = input.note ? singleLine(input.note, 256) : '';
  const activity = ACTIVITY[input.status];
  const timestamp =
    input.timestamp && Number.isFinite(input.timestamp.getTime())
      ? [xmlElement(PIDF_NS, 'timestamp', {}, [input.timestamp.toISOString()])]
      : [];
  const tuple = xmlElement(PIDF_NS, 'tuple', { id: tupleId }, [
    xmlElement(PIDF_NS, 'status', {}, [
      xmlElement(PIDF_NS, 'basic', {}, [input.status === 'offline' ? 'closed' : 'open']),
    ]),
    ...timestamp,
  ]);
  const children: XmlElement[] = [tuple];
  if (note !== '') {
    children.push(xmlElement(PIDF_NS, 'note', {}, [note]));
  }
  if (activity !== null) {
    children.push(
      xmlElement(DATA_MODEL_NS, 'person', { id: `${tupleId}-person` }, [
        xmlElement(RPID_NS, 'activities', {}, [xmlElement(RPID_NS, activity)]),
      ]),
    );
  }
  const root = xmlElement(PIDF_NS, 'presence', { entity }, children);
  const body = serializeXml(root, {
    prefixes: { [DATA_MODEL_NS]: 'dm', [RPID_NS]: 'rpid' },
    declareAtRoot: activity !== null,
  });
  return { ok: true, body, contentType: 'application/pidf+xml' };
}
