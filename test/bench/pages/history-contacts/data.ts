// Deterministic, realistic-looking data for the benchmark: call history entries drawn from a
// pool of parties (names in several scripts, international and national numbers, SIP users),
// contacts, and a .vcf file mixing the shapes real exporters write.
import { numberKey } from '../../../../src-renderer/src/lib/contacts/normalize';
import type { ContactDraft } from '../../../../src-renderer/src/lib/contacts/types';
import { serializeVCard } from '../../../../src-renderer/src/lib/contacts/vcard-write';
import type { CallOutcome, HistoryEntry } from '../../../../src-renderer/src/lib/history/types';
import { seededRandom } from '../../../support/seeded-random';

const FIRST = [
  'Anna',
  'Jürgen',
  'Zoë',
  'Élodie',
  'Małgorzata',
  'José',
  'Björn',
  'Ana Lúcia',
  'Çağrı',
  'Søren',
  'John',
  'Mary',
  'Ahmed',
  'Fatima',
  'Wei',
  'Yuki',
  'Olga',
  'Pierre',
  'Giulia',
  'Dr. Hans',
  'Lena',
  'Marek',
  'Chloé',
  'Sven',
  'Aoife',
  'Nikolai',
  'Priya',
  'Kofi',
  'Ingrid',
  'Tomás',
];
const LAST = [
  'Müller',
  'Schmidt',
  'Ångström',
  'Durand',
  'Nowak',
  'García',
  'Öztürk',
  'Pereira',
  'Jensen',
  'Smith',
  'Johnson',
  'Khan',
  'Zhang',
  'Tanaka',
  'Ivanova',
  'Dubois',
  'Rossi',
  'Weber',
  'Fischer',
  'Kowalski',
  'Bernard',
  'Lindqvist',
  "O'Brien",
  'Petrov',
  'Sharma',
  'Mensah',
  'Berg',
  'Ruiz',
];
const SCRIPTS = [
  '王小明',
  '田中太郎',
  'محمد عبد الله',
  'Дмитрий Соколов',
  '김민준',
  'Γιώργος Παπαδόπουλος',
];
const OUTCOMES: [CallOutcome, number][] = [
  ['answered', 0.6],
  ['missed', 0.15],
  ['declined', 0.05],
  ['cancelled', 0.08],
  ['failed', 0.07],
  ['busy', 0.03],
  ['transferred', 0.02],
];

/** A small deterministic PRNG (mulberry32). */
export const random = seededRandom;

function pick<T>(rnd: () => number, list: readonly T[]): T {
  return list[Math.floor(rnd() * list.length)] as T;
}

function digits(rnd: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) {
    s += String(Math.floor(rnd() * 10));
  }
  return s;
}

interface Party {
  name: string | null;
  user: string;
  uri: string;
  key: string;
}

function party(rnd: () => number, i: number): Party {
  const r = rnd();
  const name = r < 0.08 ? pick(rnd, SCRIPTS) : `${pick(rnd, FIRST)} ${pick(rnd, LAST)}`;
  if (r < 0.25) {
    const user = `${
      name
        .split(' ')[0]
        ?.toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/g, '') || 'user'
    }${i}`;
    return { name, user, uri: `sip:${user}@pbx.example.com`, key: '' };
  }
  const user =
    r < 0.6
      ? `+49${pick(rnd, ['30', '40', '89', '151', '160'])}${digits(rnd, 7)}`
      : `0${digits(rnd, 9)}`;
  const uri = `sip:${user}@gw.example.com`;
  return { name: rnd() < 0.7 ? name : null, user, uri, key: numberKey(user) };
}

function outcomeOf(rnd: () => number): CallOutcome {
  let r = rnd();
  for (const [outcome, p] of OUTCOMES) {
    if ((r -= p) < 0) {
      return outcome;
    }
  }
  return 'answered';
}

/** `n` history entries over the three years before `now`, parties reused as in real life. */
export function makeHistory(n: number, now: number, seed = 1): HistoryEntry[] {
  const rnd = random(seed);
  const parties = Array.from({ length: Math.max(1, Math.floor(n / 6)) }, (_, i) => party(rnd, i));
  const span = 3 * 365 * 86_400_000;
  return Array.from({ length: n }, (_, i) => {
    const p = pick(rnd, parties);
    const outcome = outcomeOf(rnd);
    const startedAt = now - Math.floor(rnd() * span);
    const talked = outcome === 'answered' || outcome === 'transferred';
    const durationS = talked ? Math.floor(rnd() * 900) : 0;
    return {
      id: `h${i}`,
      startedAt,
      answeredAt: talked ? startedAt + 5000 : null,
      endedAt: startedAt + 5000 + durationS * 1000,
      durationS,
      direction: outcome === 'missed' || rnd() < 0.5 ? 'incoming' : 'outgoing',
      outcome,
      accountId: rnd() < 0.7 ? 'acc-1' : 'acc-2',
      accountLabel: rnd() < 0.7 ? 'Office' : 'Home',
      partyName: p.name,
      partyUser: p.user,
      partyUri: p.uri,
      partyKey: p.key,
      endCause: null,
      endCode: null,
      seen: true,
    };
  });
}

/** `n` contacts with one to three numbers, some with SIP addresses, some favourites. */
export function makeContacts(n: number, seed = 2): ContactDraft[] {
  const rnd = random(seed);
  return Array.from({ length: n }, (_, i) => {
    const p = party(rnd, i);
    const name = p.name ?? `${pick(rnd, FIRST)} ${pick(rnd, LAST)}`;
    const numbers = Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => ({
      label: pick(rnd, ['mobile', 'work', 'home', 'main', 'work fax']),
      value: `+${pick(rnd, ['49', '33', '44', '1'])} ${digits(rnd, 3)} ${digits(rnd, 4)} ${digits(rnd, 3)}`,
    }));
    const draft: ContactDraft = {
      name: `${name} ${i}`,
      numbers,
      sipAddresses: rnd() < 0.3 ? [`${i}@pbx.example.com`] : [],
      favourite: rnd() < 0.05,
    };
    if (rnd() < 0.3) {
      draft.org = pick(rnd, ['ACME GmbH', 'Durand & Fils', 'Example Ltd.', 'Bäckerei Schmidt']);
    }
    return draft;
  });
}

function qp(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) =>
    b >= 0x21 && b <= 0x7e && b !== 0x3d
      ? String.fromCharCode(b)
      : `=${b.toString(16).toUpperCase().padStart(2, '0')}`,
  ).join('');
}

/** An Outlook-style vCard 2.1 card with quoted-printable UTF-8 names. */
function card21(c: ContactDraft): string {
  const lines = [
    'BEGIN:VCARD',
    'VERSION:2.1',
    `N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;${qp(c.name)};;;`,
    `FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:${qp(c.name)}`,
    ...c.numbers.map((n) => `TEL;${n.label.includes('work') ? 'WORK' : 'CELL'};VOICE:${n.value}`),
    'END:VCARD',
  ];
  return `${lines.join('\r\n')}\r\n`;
}

/** A .vcf text of `n` cards: vCard 3.0 (folded), 4.0 (tel: URIs) and 2.1 (quoted-printable). */
export function makeVCardFile(n: number, seed = 3): string {
  const contacts = makeContacts(n, seed);
  return contacts
    .map((c, i) =>
      i % 3 === 0 ? serializeVCard(c, '3.0') : i % 3 === 1 ? serializeVCard(c, '4.0') : card21(c),
    )
    .join('');
}
