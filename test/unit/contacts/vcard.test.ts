// vCard reading on a corpus of real-world shaped files (exact expected contacts and skip
// reports), the lexical details one by one, writing 3.0/4.0 (escaping, folding) and round trips.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseVCards } from '../../../src-renderer/src/lib/contacts/vcard';
import {
  decodeQuotedPrintable,
  logicalLines,
  parseContentLine,
} from '../../../src-renderer/src/lib/contacts/vcard-lines';
import {
  foldLine,
  serializeVCard,
  serializeVCards,
} from '../../../src-renderer/src/lib/contacts/vcard-write';
import { EXPECTED } from './vcard-corpus';

const DIR = resolve(import.meta.dirname, '../../fixtures/vcards');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.vcf'));

function bytesOf(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, file)));
}

describe('vCard corpus', () => {
  it('has an expectation for every fixture file', () => {
    expect(FILES.sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(FILES)('%s gives exactly the expected contacts and skip report', (file) => {
    expect(parseVCards(bytesOf(file))).toEqual(EXPECTED[file]);
  });

  it.each(FILES)('%s round-trips through vCard 3.0 and 4.0', (file) => {
    const { imported } = parseVCards(bytesOf(file));
    for (const version of ['3.0', '4.0'] as const) {
      const text = serializeVCards(imported, version);
      expect(parseVCards(text), version).toEqual({ imported, skipped: [] });
      expect(parseVCards(new TextEncoder().encode(text)), `${version} bytes`).toEqual({
        imported,
        skipped: [],
      });
    }
  });
});

describe('vCard lines', () => {
  it('unfolds CRLF/LF followed by a space or tab', () => {
    expect(logicalLines('NOTE:a\r\n b\n\tc\r\nFN:x\n')).toEqual(['NOTE:abc', 'FN:x']);
  });

  it('joins quoted-printable soft line breaks and 2.1 base64 continuation lines', () => {
    const text =
      'NOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb=3D\r\nPHOTO;BASE64:\r\nQUJD\r\nREVG\r\n\r\nFN:x';
    expect(logicalLines(text)).toEqual([
      'NOTE;ENCODING=QUOTED-PRINTABLE:ab=3D',
      'PHOTO;BASE64:QUJDREVG',
      'FN:x',
    ]);
  });

  it('decodes quoted-printable to bytes', () => {
    expect(Array.from(decodeQuotedPrintable('a=C3=A9=3d=zz'))).toEqual([
      0x61, 0xc3, 0xa9, 0x3d, 0x3d, 0x7a, 0x7a,
    ]);
  });

  it('splits group, name, repeated and listed parameters, quoted values and 2.1 bare parameters', () => {
    const line = parseContentLine('item1.tel;type=WORK;TYPE="voice,fax";X-A="a:b":tel:+1');
    expect(line).toEqual({
      group: 'item1',
      name: 'TEL',
      params: new Map([
        ['TYPE', ['WORK', 'voice', 'fax']],
        ['X-A', ['a:b']],
      ]),
      value: 'tel:+1',
    });
    expect(parseContentLine('TEL;WORK;QUOTED-PRINTABLE:1')?.params).toEqual(
      new Map([
        ['TYPE', ['WORK']],
        ['ENCODING', ['QUOTED-PRINTABLE']],
      ]),
    );
    expect(parseContentLine('no colon here')).toBeNull();
  });

  it('reads ISO-8859-1 and UTF-8 quoted-printable, escapes and base64 text values', () => {
    const card = [
      'BEGIN:VCARD',
      'VERSION:3.0',
      'FN;ENCODING=QUOTED-PRINTABLE;CHARSET=ISO-8859-1:Fran=E7ois',
      'ORG;ENCODING=b;CHARSET=UTF-8:w4ljb2xlIGRlIFBhcmlz',
      'NOTE:a\\,b\\;c\\\\d\\Ne',
      'TEL:1',
      'END:VCARD',
    ].join('\r\n');
    expect(parseVCards(card).imported).toEqual([
      {
        name: 'François',
        org: 'École de Paris',
        numbers: [{ label: 'other', value: '1' }],
        sipAddresses: [],
        favourite: false,
        notes: 'a,b;c\\d\ne',
      },
    ]);
  });
});

describe('vCard writing', () => {
  const contact = {
    name: 'Zoë, the "Boss"; Ångström',
    org: 'ACME',
    numbers: [
      { label: 'mobile', value: '+46 70 123 45 67' },
      { label: 'work fax', value: '+46-8-123' },
      { label: 'Sister', value: '555' },
      { label: 'other', value: '*97' },
    ],
    sipAddresses: ['zoe@example.com', 'sips:z@secure.example.com'],
    favourite: true,
    notes: 'line 1\nline 2',
  };

  it('writes vCard 3.0 exactly', () => {
    expect(serializeVCard(contact, '3.0').split('\r\n')).toEqual([
      'BEGIN:VCARD',
      'VERSION:3.0',
      'PRODID:-//Open Softphone//Contacts export//EN',
      'FN:Zoë\\, the "Boss"\\; Ångström',
      'N:Ångström;Zoë\\, the "Boss"\\;;;;',
      'ORG:ACME',
      'TEL;TYPE=CELL:+46 70 123 45 67',
      'TEL;TYPE=WORK,FAX:+46-8-123',
      'item1.TEL:555',
      'item1.X-ABLabel:Sister',
      'TEL:*97',
      'IMPP:sip:zoe@example.com',
      'IMPP:sips:z@secure.example.com',
      'CATEGORIES:Favorites',
      'NOTE:line 1\\nline 2',
      'END:VCARD',
      '',
    ]);
  });

  it('writes vCard 4.0 with tel: URIs where lossless and text values otherwise', () => {
    const lines = serializeVCard(contact, '4.0').split('\r\n');
    expect(lines.filter((l) => l.includes('TEL'))).toEqual([
      'TEL;VALUE=text;TYPE=cell:+46 70 123 45 67',
      'TEL;VALUE=uri;TYPE="work,fax":tel:+46-8-123',
      'item1.TEL;VALUE=uri:tel:555',
      'TEL;VALUE=text:*97',
    ]);
    expect(lines).not.toContain(expect.stringMatching(/^N:/));
  });

  it('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = `NOTE:${'ab€😀'.repeat(40)}`;
    const folded = foldLine(line);
    const physical = folded.split('\r\n');
    expect(physical.length).toBeGreaterThan(1);
    for (const [i, part] of physical.entries()) {
      const bytes = new TextEncoder().encode(part);
      expect(bytes.length).toBeLessThanOrEqual(75);
      expect(i === 0 || part.startsWith(' ')).toBe(true);
    }
    expect(physical.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line);
    expect(logicalLines(folded)).toEqual([line]);
  });

  it('round-trips a contact with every kind of field through both versions', () => {
    for (const version of ['3.0', '4.0'] as const) {
      expect(parseVCards(serializeVCard(contact, version)).imported).toEqual([contact]);
    }
  });
});
