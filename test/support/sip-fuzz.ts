// The SIP mutation fuzzer's pieces: a seeded random source (every run can be replayed from its
// seed) and SIP-aware mutation operators that turn a well-formed message into the kinds of
// malformed-but-real and hostile ones phones meet: headers dropped, duplicated or overlong,
// wrong status codes, CSeq numbers and methods, foreign tags and Call-IDs, broken or hostile
// SDP, bad numbers in Expires/Min-SE/Content-Length, hostile display names, truncation, junk.
import { seededRandom } from './seeded-random';

/** A seeded random source (test/support/seeded-random.ts); the same seed gives the same run. */
export class Rng {
  readonly next: () => number;

  constructor(readonly seed: number) {
    this.next = seededRandom(seed);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) {
      throw new Error('pick from an empty list');
    }
    return item;
  }
}

/** A message split into its start line, header lines and body (CRLF, as on the wire). */
interface Parts {
  start: string;
  headers: string[];
  body: string;
}

function split(text: string): Parts {
  const end = text.indexOf('\r\n\r\n');
  const head = end >= 0 ? text.slice(0, end) : text;
  const [start = '', ...headers] = head.split('\r\n');
  return { start, headers, body: end >= 0 ? text.slice(end + 4) : '' };
}

function join(parts: Parts): string {
  return [parts.start, ...parts.headers].join('\r\n') + '\r\n\r\n' + parts.body;
}

/** Replaces the value of every header called `name` (long or compact form). */
function setHeader(parts: Parts, names: string[], value: (old: string) => string): Parts {
  const re = new RegExp(`^(${names.join('|')})[ \\t]*:[ \\t]*(.*)$`, 'i');
  return {
    ...parts,
    headers: parts.headers.map((h) => {
      const m = re.exec(h);
      return m ? `${m[1] ?? ''}: ${value(m[2] ?? '')}` : h;
    }),
  };
}

const HOSTILE_CHARS = [
  '\u0000',
  '\u202e',
  '<',
  '>',
  '"',
  '\\',
  ';',
  ',',
  '%',
  '\r',
  '\n',
  ' ',
  'é',
  '😀',
  '\uffff',
  ':',
  '@',
];

const NUMBERS = [
  '0',
  '-1',
  'abc',
  '4294967296',
  '99999999999999999999',
  '1e3',
  '',
  ' 5',
  '0x10',
  'NaN',
  '3600.5',
];

/** Header lines that hit the parsing and timer code of a UA. */
const HOSTILE_HEADERS = [
  'Expires: abc',
  'Expires: 4294967296',
  'Contact: <sip:mallory@evil.example>;expires=-1',
  'Contact: *',
  'Contact: <sip:x@[::1>',
  'Min-Expires: 0',
  'Min-SE: abc',
  'Session-Expires: 1;refresher=uas',
  'Session-Expires: 4294967296',
  'Retry-After: -5',
  'Require: 100rel, timer, x-unknown',
  'Supported: ',
  'Event: refer;id=abc',
  'Event: ',
  'Subscription-State: terminated;reason=bogus',
  'Subscription-State: active;expires=-1',
  'Refer-To: <sip:%00@example.com>',
  'Refer-To: <tel:+1>',
  'Replaces: nonexistent@x;to-tag=a;from-tag=b',
  'Record-Route: <sip:evil.example;lr>',
  'Content-Length: 99999',
  'Content-Type: application/sdp; charset=\u0000',
  'WWW-Authenticate: Digest realm="evil.example", nonce="n"',
  'Proxy-Authenticate: Digest realm="example.com", nonce="", algorithm=SHA-512',
  'Max-Forwards: -1',
  `X-Long: ${'A'.repeat(20_000)}`,
  'Call-Info: <http://x>;answer-after=0',
  'Alert-Info: <http://x>;info=alert-autoanswer',
  'Reason: SIP ;cause=200 ;text="Call completed elsewhere"',
];

const SDP_LINES = [
  'm=audio 0 RTP/AVP 0',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 96',
  'a=rtpmap:96 telephone-event/8000',
  'a=rtpmap:111 telephone-event/48000',
  'a=sendonly',
  'a=inactive',
  'a=recvonly',
  'c=IN IP4 256.0.0.1',
  'c=IN IP6 ::1',
  'a=x-refuse',
  'a=fingerprint:sha-256 00',
  'm=video 9 UDP/TLS/RTP/SAVPF 100',
];

const HOSTILE_NAMES = [
  '"\u202eevil"',
  '"<b>Boss</b>"',
  `"${'A'.repeat(3000)}"`,
  '"\\\u0007bell"',
  '"unterminated',
  '""',
];

type Mutator = (text: string, rng: Rng) => string;

/** The mutation operators, by name (the name is printed with a failing seed). */
export const MUTATORS: Record<string, Mutator> = {
  dropHeader: (text, rng) => {
    const p = split(text);
    if (p.headers.length === 0) {
      return text;
    }
    const i = rng.int(p.headers.length);
    return join({ ...p, headers: p.headers.filter((_, j) => j !== i) });
  },
  duplicateHeader: (text, rng) => {
    const p = split(text);
    const h = p.headers[rng.int(Math.max(1, p.headers.length))];
    return h === undefined ? text : join({ ...p, headers: [...p.headers, h] });
  },
  statusCode: (text, rng) => {
    const codes = [
      100, 180, 181, 183, 199, 200, 202, 299, 301, 401, 403, 404, 407, 408, 422, 423, 481, 486, 487,
      488, 491, 500, 503, 600, 603, 699,
    ];
    return text.replace(/^SIP\/2\.0 \d{3}/, `SIP/2.0 ${rng.pick(codes)}`);
  },
  cseqNumber: (text, rng) =>
    join(
      setHeader(split(text), ['CSeq'], (v) =>
        v.replace(/^\s*\S+/, rng.pick([...NUMBERS, String(rng.int(100_000))])),
      ),
    ),
  cseqMethod: (text, rng) =>
    join(
      setHeader(split(text), ['CSeq'], (v) =>
        v.replace(
          /\S+\s*$/,
          rng.pick(['INVITE', 'BYE', 'REGISTER', 'CANCEL', 'ACK', 'NOTIFY', 'FOO', '']),
        ),
      ),
    ),
  foreignTag: (text, rng) =>
    join(
      setHeader(split(text), rng.chance(0.5) ? ['To', 't'] : ['From', 'f'], (v) =>
        rng.chance(0.5)
          ? v.replace(/;\s*tag=[^;\s]*/i, '')
          : `${v.replace(/;\s*tag=[^;\s]*/i, '')};tag=${rng.int(1e9)}`,
      ),
    ),
  foreignCallId: (text, rng) =>
    join(setHeader(split(text), ['Call-ID', 'i'], () => `fuzz${rng.int(1e9)}`)),
  truncate: (text, rng) => text.slice(0, rng.int(text.length + 1)),
  flipChars: (text, rng) => {
    const chars = Array.from(text);
    for (let n = 1 + rng.int(4); n > 0 && chars.length > 0; n -= 1) {
      chars[rng.int(chars.length)] = rng.pick(HOSTILE_CHARS);
    }
    return chars.join('');
  },
  hostileHeader: (text, rng) => {
    const p = split(text);
    return join({ ...p, headers: [...p.headers, rng.pick(HOSTILE_HEADERS)] });
  },
  badNumber: (text, rng) =>
    join(
      setHeader(
        split(text),
        [
          'Expires',
          'Min-Expires',
          'Min-SE',
          'Session-Expires',
          'x',
          'Content-Length',
          'l',
          'Retry-After',
        ],
        () => rng.pick(NUMBERS),
      ),
    ),
  contactExpires: (text, rng) =>
    join(
      setHeader(split(text), ['Contact', 'm'], (v) =>
        /;\s*expires=/i.test(v)
          ? v.replace(/;\s*expires=[^;,\s]*/i, `;expires=${rng.pick(NUMBERS)}`)
          : `${v};expires=${rng.pick(NUMBERS)}`,
      ),
    ),
  contactParams: (text, rng) =>
    join(setHeader(split(text), ['Contact', 'm'], (v) => `${v};expires=${rng.pick(NUMBERS)}`)),
  sdp: (text, rng) => {
    const p = split(text);
    const lines = p.body.split('\r\n');
    if (rng.chance(0.4) && lines.length > 1) {
      lines.splice(rng.int(lines.length), 1);
    } else {
      lines.splice(rng.int(lines.length + 1), 0, rng.pick(SDP_LINES));
    }
    const body = lines.join('\r\n');
    return join(
      setHeader({ ...p, body }, ['Content-Length', 'l'], () => String(Buffer.byteLength(body))),
    );
  },
  noBody: (text) => {
    const p = split(text);
    return join(setHeader({ ...p, body: '' }, ['Content-Length', 'l'], () => '0'));
  },
  contentType: (text, rng) =>
    join(
      setHeader(split(text), ['Content-Type', 'c'], () =>
        rng.pick([
          'text/plain',
          'application/sdp;x=<',
          '',
          'multipart/mixed;boundary=x',
          'message/sipfrag',
        ]),
      ),
    ),
  displayName: (text, rng) =>
    join(
      setHeader(split(text), rng.chance(0.5) ? ['From', 'f'] : ['To', 't'], (v) =>
        v.replace(/^(?:"(?:[^"\\]|\\.)*"|[^<]*)\s*</, `${rng.pick(HOSTILE_NAMES)} <`),
      ),
    ),
  longValue: (text, rng) => {
    const p = split(text);
    const i = rng.int(Math.max(1, p.headers.length));
    return join({
      ...p,
      headers: p.headers.map((h, j) => (j === i ? h + ','.padEnd(5000, 'x') : h)),
    });
  },
  junk: (_text, rng) =>
    rng.pick([
      '',
      '\r\n',
      '\r\n\r\n',
      'SIP/2.0',
      'INVITE',
      '\u0000'.repeat(10),
      'SIP/2.0 200 OK\r\n\r\n',
      '{"not":"sip"}',
    ]),
};

const NAMES = Object.keys(MUTATORS);

/** One to three mutations of `text`; returns the result and the operators used. */
export function mutate(text: string, rng: Rng): { text: string; ops: string[] } {
  let out = text;
  const ops: string[] = [];
  for (let n = 1 + rng.int(3); n > 0; n -= 1) {
    const name = rng.pick(NAMES);
    ops.push(name);
    out = MUTATORS[name]?.(out, rng) ?? out;
  }
  return { text: out, ops };
}
