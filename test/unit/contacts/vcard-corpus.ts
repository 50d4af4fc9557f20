// The exact contacts expected from each file of test/fixtures/vcards (real-world shaped exports).
import type { VCardReport } from '../../../src-renderer/src/lib/contacts/vcard';

const NESTED =
  'A new card begins before this one ends (END:VCARD is missing or a card is nested in it).';

/** File name → the whole expected report. */
export const EXPECTED: Record<string, VCardReport> = {
  'apple-contacts.vcf': {
    imported: [
      {
        name: 'Johnny Appleseed',
        org: 'Apple Inc.',
        numbers: [
          { label: 'mobile', value: '+1 (408) 555-0100' },
          { label: 'work', value: '+1 (408) 555-0199' },
          { label: 'home fax', value: '+1 408 555 0142' },
          { label: 'Sister', value: '+1 408 555 0143' },
        ],
        sipAddresses: ['johnny@voip.example.com'],
        favourite: false,
        notes: 'Met at WWDC, 2019\nLikes apples; and pears',
      },
      {
        name: 'Zoë Ångström',
        numbers: [
          { label: 'mobile', value: '+46 70 123 45 67' },
          { label: 'main', value: '+46 8 123 456 78' },
        ],
        sipAddresses: [],
        favourite: false,
      },
      {
        name: '王小明',
        numbers: [{ label: 'mobile', value: '+86 138 0013 8000' }],
        sipAddresses: [],
        favourite: false,
      },
      {
        name: 'محمد عبد الله',
        numbers: [{ label: 'home', value: '+971 4 123 4567' }],
        sipAddresses: [],
        favourite: false,
      },
    ],
    skipped: [],
  },
  'google.vcf': {
    imported: [
      {
        name: 'Élodie Durand',
        org: 'Durand & Fils',
        numbers: [
          { label: 'mobile', value: '+33 6 12 34 56 78' },
          { label: 'work', value: '01 23 45 67 89' },
        ],
        sipAddresses: [],
        favourite: true,
        notes:
          'Rappeler avant le déménagement du bureau de Lyon vers Villeurbanne, prévu pour le printemps. Préfère être appelée le matin.',
      },
      {
        name: 'Çağrı Öztürk',
        numbers: [{ label: 'mobile', value: '+90 532 123 45 67' }],
        sipAddresses: [],
        favourite: false,
      },
    ],
    skipped: [
      { index: 2, reason: 'The card has no phone number or SIP address.', snippet: 'Only Email' },
    ],
  },
  'outlook-2.1-qp.vcf': {
    imported: [
      {
        name: 'Dr. Jürgen Müller',
        org: 'Bäckerei Schmidt, Vertrieb',
        numbers: [
          { label: 'work', value: '+49 (30) 1234567' },
          { label: 'mobile', value: '0170 1234567' },
          { label: 'work fax', value: '+49 30 1234568' },
        ],
        sipAddresses: [],
        favourite: false,
        notes: 'Ansprechpartner für Großkunden.\nRückruf bitte vormittags, nicht nach 14 Uhr.',
      },
      {
        name: '田中 太郎',
        numbers: [
          { label: 'home', value: '03-1234-5678' },
          { label: 'pager', value: '+81 90 0000 1111' },
        ],
        sipAddresses: [],
        favourite: false,
      },
    ],
    skipped: [],
  },
  'android.vcf': {
    imported: [
      {
        name: 'Małgorzata Nowak',
        numbers: [
          { label: 'mobile', value: '+48 601 234 567' },
          { label: 'Biuro', value: '+48 22 123 45 67' },
        ],
        sipAddresses: ['malgorzata@sip.example.pl', 'gosia@pbx.example.pl'],
        favourite: false,
      },
      { name: 'Reception', numbers: [], sipAddresses: ['200@pbx.example.pl'], favourite: false },
      {
        name: '🍕 Pizza Roma 🇮🇹',
        numbers: [
          { label: 'work', value: '+39 06 1234 5678' },
          { label: 'home fax', value: '+39 06 1234 5679' },
        ],
        sipAddresses: [],
        favourite: false,
      },
    ],
    skipped: [],
  },
  'thunderbird.vcf': {
    imported: [
      {
        name: 'Ana Lúcia Pereira',
        org: 'Empresa Ltda., Compras',
        numbers: [
          { label: 'work', value: '+55 11 3456-7890' },
          { label: 'mobile', value: '+55 11 98765-4321' },
          { label: 'other', value: '*97' },
        ],
        sipAddresses: [],
        favourite: false,
        notes: 'Prefere WhatsApp; ligar depois das 10h\nRamal 2041',
      },
    ],
    skipped: [],
  },
  'rfc6350-uri.vcf': {
    imported: [
      {
        name: 'Simon Perreault',
        numbers: [
          { label: 'work', value: '+1-418-656-9254 x102' },
          { label: 'work mobile', value: '+1-418-262-6501' },
          { label: 'home', value: '+1-418-555-0199' },
        ],
        sipAddresses: ['reception@viagenie.ca', 'simon.perreault@viagenie.ca'],
        favourite: false,
      },
    ],
    skipped: [],
  },
  'broken.vcf': {
    imported: [
      {
        name: 'After The Lost End',
        numbers: [{ label: 'work', value: '+44 20 7946 0001' }],
        sipAddresses: [],
        favourite: false,
      },
      {
        name: 'ACME Corp.',
        org: 'ACME Corp.',
        numbers: [{ label: 'work', value: '+1 212 555 0123' }],
        sipAddresses: [],
        favourite: false,
      },
      {
        name: 'Assistant',
        numbers: [{ label: 'work', value: '+1 555 0101' }],
        sipAddresses: [],
        favourite: false,
      },
      {
        name: '+1 555 0102',
        numbers: [{ label: 'other', value: '+1 555 0102' }],
        sipAddresses: [],
        favourite: false,
      },
    ],
    skipped: [
      { index: 1, reason: NESTED, snippet: 'Lost End' },
      {
        index: 3,
        reason: 'The card has no name, phone number or SIP address.',
        snippet: 'EMAIL:nobody@example.com',
      },
      { index: 4, reason: 'The card has no phone number or SIP address.', snippet: 'Name Only' },
      {
        index: 6,
        reason: 'Duplicate of card 2 (same name, numbers and addresses).',
        snippet: 'After The Lost End',
      },
      { index: 7, reason: NESTED, snippet: 'Boss' },
      {
        index: 10,
        reason: 'The file ends before this card does (END:VCARD is missing).',
        snippet: 'Truncated',
      },
    ],
  },
};
