// Owns the XML namespace URIs of the event bodies the presence code reads and writes.

/** RFC 4235 dialog-info. */
export const DIALOG_INFO_NS = 'urn:ietf:params:xml:ns:dialog-info';
/** RFC 3863 PIDF. */
export const PIDF_NS = 'urn:ietf:params:xml:ns:pidf';
/** RFC 4479 data model (person, device, note). */
export const DATA_MODEL_NS = 'urn:ietf:params:xml:ns:pidf:data-model';
/** RFC 4480 RPID (activities). */
export const RPID_NS = 'urn:ietf:params:xml:ns:pidf:rpid';
/** The pre-RFC RPID draft namespaces that Asterisk's chan_sip and some phones still send. */
export const LEGACY_RPID_NS: readonly string[] = [
  'urn:ietf:params:xml:ns:pidf:rpid:rpid-person',
  'urn:ietf:params:xml:ns:pidf:rpid:rpid-status',
  'urn:ietf:params:xml:ns:pidf:status:rpid',
];
/** The legacy PIDF IM status extension ('<im:im>busy</im:im>'). */
export const PIDF_IM_NS = 'urn:ietf:params:xml:ns:pidf:im';
