// Owns the unit tests of PIDF presence: reading (pidf.ts) RFC 3863/4480 documents and the
// variants real servers send into one status and note, and building our own PUBLISH body
// (pidf-build.ts), checked by reading it back.
import { describe, expect, it } from 'vitest';
import { parsePidf, type PresenceInfo } from '../../../src-renderer/src/lib/presence/pidf';
import { buildPidf, type OwnStatus } from '../../../src-renderer/src/lib/presence/pidf-build';
import { parseXml } from '../../../src-renderer/src/lib/xml/reader';
import { ASTERISK_PIDF_INUSE, LEGACY_RPID_AWAY, PIDF_ON_THE_PHONE } from './samples';

const PIDF = 'urn:ietf:params:xml:ns:pidf';
const DM = 'urn:ietf:params:xml:ns:pidf:data-model';
const RPID = 'urn:ietf:params:xml:ns:pidf:rpid';

function presence(body: string): PresenceInfo {
  const r = parsePidf(body);
  if (!r.ok) {
    throw new Error(r.message);
  }
  return r.presence;
}

function doc(tuples: string, extra = ''): string {
  return `<presence xmlns="${PIDF}" xmlns:dm="${DM}" xmlns:rpid="${RPID}" entity="sip:c@x">${tuples}${extra}</presence>`;
}

const tuple = (basic: string, note = ''): string =>
  `<tuple id="t${Math.random().toString(36).slice(2, 8)}"><status><basic>${basic}</basic></status>${note ? `<note>${note}</note>` : ''}</tuple>`;
const person = (activities: string, note = ''): string =>
  `<dm:person id="p"><rpid:activities>${activities}</rpid:activities>${note ? `<dm:note>${note}</dm:note>` : ''}</dm:person>`;

describe('parsePidf', () => {
  it('reads RPID on-the-phone as busy and prefers the person note', () => {
    expect(presence(PIDF_ON_THE_PHONE)).toEqual({
      entity: 'pres:someone@example.com',
      status: 'busy',
      note: 'Talking to a customer',
      activities: ['on-the-phone'],
      source: 'activity',
    });
  });

  it('reads Asterisk\'s closed + "On the phone" as busy, by the note', () => {
    expect(presence(ASTERISK_PIDF_INUSE)).toMatchObject({
      status: 'busy',
      source: 'note',
      note: 'On the phone',
    });
  });

  it('reads the pre-RFC RPID namespaces', () => {
    expect(presence(LEGACY_RPID_AWAY)).toMatchObject({
      status: 'away',
      source: 'activity',
      activities: ['away'],
    });
  });

  it.each([
    [[tuple('open')], 'available', 'basic'],
    [[tuple('closed')], 'offline', 'basic'],
    [[tuple('closed'), tuple('open')], 'available', 'basic'],
    [[tuple(' OPEN ')], 'available', 'basic'],
    [[], 'unknown', 'none'],
    [[tuple('maybe')], 'unknown', 'none'],
  ] as const)('basic only: %j → %s', (tuples, status, source) => {
    expect(presence(doc(tuples.join('')))).toMatchObject({ status, source });
  });

  it.each([
    ['<rpid:away/>', 'away'],
    ['<rpid:vacation/>', 'away'],
    ['<rpid:sleeping/>', 'away'],
    ['<rpid:busy/>', 'busy'],
    ['<rpid:meeting/>', 'busy'],
    ['<rpid:on-the-phone/>', 'busy'],
    ['<rpid:away/><rpid:on-the-phone/>', 'busy'],
    ['<rpid:other>Do Not Disturb</rpid:other>', 'dnd'],
    ['<rpid:other>dnd</rpid:other><rpid:busy/>', 'dnd'],
    ['<rpid:other>at the gym</rpid:other>', 'available'],
    ['<rpid:working/>', 'available'],
    ['<rpid:unknown/>', 'available'],
  ])('activity %s → %s (over an open tuple)', (activities, status) => {
    expect(presence(doc(tuple('open'), person(activities))).status).toBe(status);
  });

  it('an activity wins over a closed tuple, a note, and the legacy <im:im>', () => {
    expect(presence(doc(tuple('closed', 'Ready'), person('<rpid:away/>'))).status).toBe('away');
    const im = `<tuple id="i"><status><basic>open</basic><im:im xmlns:im="urn:ietf:params:xml:ns:pidf:im">busy</im:im></status></tuple>`;
    expect(presence(doc(im)).status).toBe('busy');
  });

  it.each([
    ['Ready', 'available'],
    ['On the phone', 'busy'],
    ['ringing', 'busy'],
    ['Away.', 'away'],
    ['Do not disturb!', 'dnd'],
    ['Unavailable', 'offline'],
    ['Busy week, call me later', 'offline'],
  ])('known note %j over a closed tuple → %s', (note, status) => {
    expect(presence(doc(tuple('closed'), `<note>${note}</note>`)).status).toBe(status);
  });

  it('ignores activities and notes in foreign namespaces', () => {
    const foreign = `<x:activities xmlns:x="urn:example:not-rpid"><x:busy/></x:activities><y:note xmlns:y="urn:example">Busy</y:note>`;
    expect(presence(doc(tuple('open'), foreign))).toMatchObject({
      status: 'available',
      note: null,
    });
  });

  it('cleans the note: controls and overrides removed, one line, at most 256 code points', () => {
    const p = presence(
      doc(tuple('open', `  line1&#10;line2 &#x202E;evil&#x9F;  ${'é'.repeat(400)}`)),
    );
    expect(p.note?.startsWith('line1 line2 evil ')).toBe(true);
    expect(Array.from(p.note ?? '')).toHaveLength(256);
    expect(p.note?.endsWith('…')).toBe(true);
  });

  it.each([
    ['<presence entity="sip:c@x"/>', 'wrong-document'],
    ['<presence xmlns="urn:ietf:params:xml:ns:pidfX"/>', 'wrong-document'],
    [`<tuple xmlns="${PIDF}"/>`, 'wrong-document'],
    ['<<<', 'xml'],
  ])('refuses %s', (input, kind) => {
    const r = parsePidf(input);
    expect(r.ok ? 'ok' : r.error.kind).toBe(kind);
  });

  it('accepts a document without an entity (entity null)', () => {
    expect(presence(`<presence xmlns="${PIDF}">${tuple('open')}</presence>`).entity).toBeNull();
  });
});

describe('buildPidf', () => {
  const statuses: Array<[OwnStatus, string, string[]]> = [
    ['available', 'available', []],
    ['away', 'away', ['away']],
    ['busy', 'busy', ['busy']],
    // DND publishes "busy" (issue 15): others see we cannot take calls.
    ['dnd', 'busy', ['busy']],
    ['offline', 'offline', []],
  ];

  it.each(statuses)('%s reads back as %s', (status, expected, activities) => {
    const built = buildPidf({ entity: 'sip:alice@example.com', status });
    if (!built.ok) {
      throw new Error(built.message);
    }
    expect(built.contentType).toBe('application/pidf+xml');
    expect(presence(built.body)).toEqual({
      entity: 'sip:alice@example.com',
      status: expected,
      note: null,
      activities,
      source: activities.length ? 'activity' : 'basic',
    });
  });

  it('writes the conventional shape: tuple first, prefixes on the root', () => {
    const built = buildPidf({
      entity: 'sip:alice@example.com',
      status: 'away',
      note: 'Lunch',
      timestamp: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
    });
    expect(built.ok && built.body).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        `<presence xmlns="${PIDF}" xmlns:dm="${DM}" xmlns:rpid="${RPID}" entity="sip:alice@example.com">` +
        '<tuple id="softphone"><status><basic>open</basic></status><timestamp>2024-01-02T03:04:05.000Z</timestamp></tuple>' +
        '<note>Lunch</note>' +
        '<dm:person id="softphone-person"><rpid:activities><rpid:away/></rpid:activities></dm:person>' +
        '</presence>',
    );
  });

  it('escapes a hostile note and keeps it inert', () => {
    const note = '</note><rpid:busy/><script>alert(1)</script> & "q" \u0000';
    const built = buildPidf({ entity: 'sip:a@x', status: 'available', note });
    expect(built.ok).toBe(true);
    const body = built.ok ? built.body : '';
    expect(body).not.toContain('<script>');
    expect(parseXml(body).ok).toBe(true);
    expect(presence(body)).toMatchObject({
      status: 'available',
      note: '</note><rpid:busy/><script>alert(1)</script> & "q"',
      activities: [],
    });
  });

  it.each([
    ['alice@example.com'],
    ['http://example.com'],
    ['sip:a b@x'],
    ['sip:a@x">'],
    ['sip:\u202Eevil@x'],
    [`sip:${'a'.repeat(1100)}@x`],
  ])('refuses the entity %j', (entity) => {
    expect(buildPidf({ entity, status: 'available' }).ok).toBe(false);
  });

  it('accepts sips: and pres: entities and refuses a bad tuple id or status', () => {
    expect(buildPidf({ entity: 'sips:a@x', status: 'busy' }).ok).toBe(true);
    expect(buildPidf({ entity: 'pres:a@x', status: 'busy' }).ok).toBe(true);
    expect(buildPidf({ entity: 'sip:a@x', status: 'busy', tupleId: '1bad' }).ok).toBe(false);
    expect(buildPidf({ entity: 'sip:a@x', status: 'toString' as OwnStatus }).ok).toBe(false);
  });
});
