// Owns the unit tests of the safe XML reader (src-renderer/src/lib/xml/reader.ts, decode.ts,
// query.ts): what well-formed input becomes, every refusal code with the input that causes it,
// namespaces, limits, encodings, and the writer's escaping round trip (write.ts).
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src-renderer/src/lib/xml/reader';
import {
  attribute,
  childElements,
  firstChild,
  ownText,
} from '../../../src-renderer/src/lib/xml/query';
import {
  escapeXmlAttribute,
  escapeXmlText,
  serializeXml,
  xmlElement,
} from '../../../src-renderer/src/lib/xml/write';
import {
  DEFAULT_XML_LIMITS,
  XML_NAMESPACE,
  type XmlElement,
  type XmlErrorCode,
  type XmlResult,
} from '../../../src-renderer/src/lib/xml/types';

function root(input: string | Uint8Array): XmlElement {
  const r = parseXml(input);
  if (!r.ok) {
    throw new Error(`expected a document, got ${r.error.code}`);
  }
  return r.document.root;
}

function code(r: XmlResult): XmlErrorCode | 'ok' {
  return r.ok ? 'ok' : r.error.code;
}

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('well-formed documents', () => {
  it('reads elements, attributes and text in document order', () => {
    const el = root('<a x="1" y=\'two\'>hi<b/>there<c>in</c></a>');
    expect(el).toMatchObject({ local: 'a', ns: null });
    expect(el.attributes.map((a) => [a.local, a.value])).toEqual([
      ['x', '1'],
      ['y', 'two'],
    ]);
    expect(el.children.map((c) => (c.kind === 'text' ? `#${c.text}` : c.local))).toEqual([
      '#hi',
      'b',
      '#there',
      'c',
    ]);
    expect(ownText(firstChild(el, null, 'c')!)).toBe('in');
  });

  it('accepts the XML declaration with encoding and standalone, a BOM, comments and PIs', () => {
    const r = parseXml(
      '\uFEFF<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!-- c --><?pi data?>\n<a><!-- in --><?x y?>t</a>\n<!-- after -->\n',
    );
    expect(r.ok && r.document.declaredEncoding).toBe('UTF-8');
    expect(r.ok && ownText(r.document.root)).toBe('t');
  });

  it('merges text, CDATA and references into one text node', () => {
    const el = root('<a>x &lt;<![CDATA[<b>&amp;</b>]]>&#65;&#x42;&gt;</a>');
    expect(el.children).toEqual([{ kind: 'text', text: 'x <<b>&amp;</b>AB>' }]);
  });

  it('decodes exactly the five predefined entities', () => {
    expect(ownText(root('<a>&lt;&gt;&amp;&quot;&apos;</a>'))).toBe('<>&"\'');
  });

  it('normalises CR LF and lone CR to LF in text and attributes', () => {
    const el = root('<a t="x\r\ny">1\r\n2\r3</a>');
    expect(ownText(el)).toBe('1\n2\n3');
    // Literal line breaks and tabs in attribute values become spaces (XML 1.0 §3.3.3) ...
    expect(attribute(el, 't')).toBe('x y');
    // ... but character references keep them.
    expect(attribute(root('<a t="x&#10;&#9;y"/>'), 't')).toBe('x\n\ty');
  });

  it('reads astral characters in names and text', () => {
    const el = root('<𐀀a 𐀁="😀">😀</𐀀a>');
    expect(el.local).toBe('𐀀a');
    expect(attribute(el, '𐀁')).toBe('😀');
    expect(ownText(el)).toBe('😀');
  });

  it('allows white space inside end tags and around "="', () => {
    expect(attribute(root('<a  x = "1"  ></a >'), 'x')).toBe('1');
  });
});

describe('namespaces', () => {
  const doc = `<r xmlns="urn:d" xmlns:p="urn:p" a="1" p:b="2" xml:lang="en">
      <c/><p:d/><e xmlns=""/><f xmlns:p="urn:other"><p:g/></f></r>`;

  it('resolves prefixes and the default namespace to URIs', () => {
    const r = root(doc);
    expect(r.ns).toBe('urn:d');
    const kids = childElements(r);
    expect(kids.map((k) => [k.qname, k.ns])).toEqual([
      ['c', 'urn:d'],
      ['p:d', 'urn:p'],
      ['e', null],
      ['f', 'urn:d'],
    ]);
    expect(childElements(kids[3]!)[0]).toMatchObject({ local: 'g', ns: 'urn:other' });
  });

  it('puts unprefixed attributes in no namespace and resolves prefixed ones', () => {
    const r = root(doc);
    expect(attribute(r, 'a')).toBe('1');
    expect(attribute(r, 'b')).toBeUndefined();
    expect(attribute(r, 'b', 'urn:p')).toBe('2');
    expect(attribute(r, 'lang', XML_NAMESPACE)).toBe('en');
    expect(r.attributes.some((a) => a.qname.startsWith('xmlns'))).toBe(false);
  });

  it('matches on the namespace, not the prefix the sender chose', () => {
    const a = root('<x:r xmlns:x="urn:d"><x:c/></x:r>');
    const b = root('<r xmlns="urn:d"><c/></r>');
    expect(firstChild(a, 'urn:d', 'c')).toBeDefined();
    expect(firstChild(b, 'urn:d', 'c')).toBeDefined();
    expect(firstChild(a, null, 'c')).toBeUndefined();
  });

  it.each([
    ['<p:a/>', 'unbound-prefix'],
    ['<a p:x="1"/>', 'unbound-prefix'],
    ['<a xmlns:p=""/>', 'reserved-namespace'],
    ['<a xmlns:xmlns="urn:x"/>', 'reserved-namespace'],
    ['<a xmlns:xml="urn:x"/>', 'reserved-namespace'],
    ['<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>', 'reserved-namespace'],
    ['<a xmlns="http://www.w3.org/2000/xmlns/"/>', 'reserved-namespace'],
    ['<a:b:c xmlns:a="urn:a"/>', 'malformed'],
    ['<a: xmlns:a="urn:a"/>', 'malformed'],
    ['<a xmlns:p="urn:x" xmlns:q="urn:x" p:z="1" q:z="2"/>', 'duplicate-attribute'],
    ['<a xmlns:p="urn:x" xmlns:p="urn:y"/>', 'duplicate-attribute'],
  ] as const)('%s → %s', (input, expected) => {
    expect(code(parseXml(input))).toBe(expected);
  });

  it('accepts the xml prefix declared to its own URI', () => {
    expect(code(parseXml('<a xmlns:xml="http://www.w3.org/XML/1998/namespace"/>'))).toBe('ok');
  });

  it('scopes declarations to their element', () => {
    expect(code(parseXml('<a><b xmlns:p="urn:p"/><p:c/></a>'))).toBe('unbound-prefix');
  });
});

describe('refusals', () => {
  it.each([
    ['', 'empty'],
    ['   \n\t', 'empty'],
    ['<!DOCTYPE a><a/>', 'doctype-forbidden'],
    ['<!doctype a><a/>', 'doctype-forbidden'],
    ['<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', 'doctype-forbidden'],
    ['<a><!DOCTYPE a></a>', 'doctype-forbidden'],
    ['<!ENTITY x "y"><a/>', 'entity-declaration-forbidden'],
    ['<a><!ENTITY x "y"></a>', 'entity-declaration-forbidden'],
    ['<a>&x;</a>', 'undefined-entity'],
    ['<a t="&nbsp;"/>', 'undefined-entity'],
    ['<a>&#0;</a>', 'invalid-character'],
    ['<a>&#xD800;</a>', 'invalid-character'],
    ['<a>&#x110000;</a>', 'invalid-character'],
    ['<a>\u0000</a>', 'invalid-character'],
    ['<a>\u0001</a>', 'invalid-character'],
    ['<a>\uFFFE</a>', 'invalid-character'],
    ['<a>\uD800</a>', 'invalid-character'],
    ['<a>\uDC00x</a>', 'invalid-character'],
    ['<a>& b</a>', 'malformed'],
    ['<a>&#xZZ;</a>', 'malformed'],
    ['<a>&#;</a>', 'malformed'],
    [`<a>&${'x'.repeat(80)};</a>`, 'malformed'],
    ['<a>x]]>y</a>', 'malformed'],
    ['<a t="<"/>', 'malformed'],
    ['<a t=1/>', 'malformed'],
    ['<a t/>', 'malformed'],
    ['<a x="1"y="2"/>', 'malformed'],
    ['<a><b></a>', 'mismatched-tag'],
    ['<a></b>', 'mismatched-tag'],
    ['<a>', 'unclosed'],
    ['<a><b>', 'unclosed'],
    ['<a t="1', 'unclosed'],
    ['<a><!-- x', 'unclosed'],
    ['<a><![CDATA[x', 'unclosed'],
    ['<a><?pi', 'unclosed'],
    ['<a/><b/>', 'malformed'],
    ['text<a/>', 'malformed'],
    ['<a/>text', 'malformed'],
    ['<a><!-- a -- b --></a>', 'malformed'],
    ['<a><!-- x ---></a>', 'malformed'],
    ['<a><?xml version="1.0"?></a>', 'malformed'],
    [' <?xml version="1.0"?><a/>', 'malformed'],
    ['<?xml version="2.0"?><a/>', 'malformed'],
    ['<?xml encoding="UTF-8" version="1.0"?><a/>', 'malformed'],
    ['<?xml version="1.0" standalone="maybe"?><a/>', 'malformed'],
    ['<?xml version="1.0" foo="bar"?><a/>', 'malformed'],
    ['<?xml version="1.0" version="1.0"?><a/>', 'malformed'],
    ['<?xml?><a/>', 'malformed'],
    ['<?xml version="1.0"', 'unclosed'],
    ['<a x="1" x="2"/>', 'duplicate-attribute'],
    ['<1a/>', 'malformed'],
    ['<a><![CDATA[x]]></a><![CDATA[y]]>', 'malformed'],
    ['<a><!ELEMENT a ANY></a>', 'malformed'],
  ] as const)('%j → %s', (input, expected) => {
    const r = parseXml(input);
    expect(code(r)).toBe(expected);
    if (!r.ok) {
      expect(r.error.message).toMatch(/^[A-Z][^\n]*\.$/);
      expect(r.error.offset).toBeGreaterThanOrEqual(0);
      expect(r.error.offset).toBeLessThanOrEqual(input.length + 1);
    }
  });

  it('never quotes the body in its message', () => {
    const r = parseXml('<a>&secret-token-value;</a>');
    expect(!r.ok && r.error.message).not.toContain('secret');
  });
});

describe('limits', () => {
  const nest = (n: number): string => `${'<a>'.repeat(n)}${'</a>'.repeat(n)}`;

  it('refuses a body over maxLength before reading it', () => {
    expect(code(parseXml(`<a>${'x'.repeat(100)}</a>`, { maxLength: 100 }))).toBe('too-large');
    expect(code(parseXml(enc(`<a>${'x'.repeat(100)}</a>`), { maxLength: 100 }))).toBe('too-large');
    expect(code(parseXml(`<a>${'x'.repeat(90)}</a>`, { maxLength: 100 }))).toBe('ok');
  });

  it('refuses nesting deeper than maxDepth, and reads exactly maxDepth', () => {
    expect(code(parseXml(nest(DEFAULT_XML_LIMITS.maxDepth)))).toBe('ok');
    expect(code(parseXml(nest(DEFAULT_XML_LIMITS.maxDepth + 1)))).toBe('too-deep');
    expect(code(parseXml(nest(5000)))).toBe('too-deep');
  });

  it('refuses more elements than maxElements', () => {
    expect(code(parseXml(`<a>${'<b/>'.repeat(9)}</a>`, { maxElements: 10 }))).toBe('ok');
    expect(code(parseXml(`<a>${'<b/>'.repeat(10)}</a>`, { maxElements: 10 }))).toBe(
      'too-many-elements',
    );
  });

  it('refuses more attributes than maxAttributes (declarations count)', () => {
    const attrs = (n: number): string =>
      Array.from({ length: n }, (_, i) => `a${i}="${i}"`).join(' ');
    expect(code(parseXml(`<a ${attrs(4)}/>`, { maxAttributes: 4 }))).toBe('ok');
    expect(code(parseXml(`<a ${attrs(5)}/>`, { maxAttributes: 4 }))).toBe('too-many-attributes');
    expect(code(parseXml(`<a xmlns="urn:x" ${attrs(4)}/>`, { maxAttributes: 4 }))).toBe(
      'too-many-attributes',
    );
  });

  it('refuses names longer than maxNameLength', () => {
    expect(code(parseXml(`<${'n'.repeat(128)}/>`))).toBe('ok');
    expect(code(parseXml(`<${'n'.repeat(129)}/>`))).toBe('name-too-long');
    expect(code(parseXml(`<a ${'n'.repeat(10_000)}="1"/>`))).toBe('name-too-long');
  });
});

describe('bytes and encodings', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(ownText(root(enc('<a>é€😀</a>')))).toBe('é€😀');
    expect(ownText(root(new Uint8Array([0xef, 0xbb, 0xbf, ...enc('<a>é</a>')])))).toBe('é');
  });

  it('reads UTF-16 by its BOM and without one', () => {
    const le = (s: string): number[] =>
      [...s].flatMap((ch) => [ch.charCodeAt(0) & 0xff, ch.charCodeAt(0) >> 8]);
    const be = (s: string): number[] =>
      [...s].flatMap((ch) => [ch.charCodeAt(0) >> 8, ch.charCodeAt(0) & 0xff]);
    expect(ownText(root(new Uint8Array([0xff, 0xfe, ...le('<a>é</a>')])))).toBe('é');
    expect(ownText(root(new Uint8Array([0xfe, 0xff, ...be('<a>é</a>')])))).toBe('é');
    expect(ownText(root(new Uint8Array(le('<?xml version="1.0"?><a>x</a>'))))).toBe('x');
    expect(ownText(root(new Uint8Array(be('<?xml version="1.0"?><a>x</a>'))))).toBe('x');
  });

  it('reads the encoding the declaration names', () => {
    const latin1 = new Uint8Array([
      ...enc('<?xml version="1.0" encoding="ISO-8859-1"?><a>'),
      0xe9,
      ...enc('</a>'),
    ]);
    expect(ownText(root(latin1))).toBe('é');
    const single = new Uint8Array([
      ...enc("<?xml version='1.0' encoding='windows-1252'?><a>"),
      0x80,
      ...enc('</a>'),
    ]);
    expect(ownText(root(single))).toBe('€');
  });

  it('refuses invalid UTF-8 instead of replacing it', () => {
    for (const bad of [[0xc3, 0x28], [0xff], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]]) {
      const bytes = new Uint8Array([...enc('<a>'), ...bad, ...enc('</a>')]);
      expect(code(parseXml(bytes))).toBe('invalid-encoding');
    }
  });

  it('refuses unknown encodings and an ASCII body that claims UTF-16', () => {
    expect(code(parseXml(enc('<?xml version="1.0" encoding="x-klingon"?><a/>')))).toBe(
      'unsupported-encoding',
    );
    expect(code(parseXml(enc('<?xml version="1.0" encoding="UTF-16"?><a/>')))).toBe(
      'invalid-encoding',
    );
  });

  it('takes a string as already decoded whatever its declaration says', () => {
    const r = parseXml('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>');
    expect(r.ok && ownText(r.document.root)).toBe('é');
    expect(r.ok && r.document.declaredEncoding).toBe('ISO-8859-1');
  });

  it('returns an error, not an exception, for input that is neither text nor bytes', () => {
    expect(code(parseXml(null as unknown as string))).toBe('empty');
    expect(code(parseXml({} as unknown as string))).toBe('empty');
  });
});

describe('writer', () => {
  it('escapes markup characters in text and attributes', () => {
    expect(escapeXmlText('<b>&</b>]]>')).toBe('&lt;b&gt;&amp;&lt;/b&gt;]]&gt;');
    expect(escapeXmlAttribute(`"'<&>\t\n\r`)).toBe('&quot;&apos;&lt;&amp;&gt;&#9;&#10;&#13;');
  });

  it('replaces characters XML cannot carry with U+FFFD', () => {
    expect(escapeXmlText('a\u0000b\u0007c\uD800d\uFFFFe')).toBe('a\uFFFDb\uFFFDc\uFFFDd\uFFFDe');
    expect(escapeXmlText('😀')).toBe('😀');
  });

  it('round-trips hostile text and attribute values exactly', () => {
    const nasty = `<script>alert("x")</script> & ]]> ' " \t\n é 😀 \u202E`;
    const tree = xmlElement('urn:a', 'r', { v: nasty }, [
      nasty,
      xmlElement('urn:b', 'c', [{ ns: 'urn:c', local: 'z', qname: 'z', value: nasty }]),
    ]);
    const back = root(serializeXml(tree, { prefixes: { 'urn:b': 'b' } }));
    expect(back.ns).toBe('urn:a');
    expect(attribute(back, 'v')).toBe(nasty);
    expect(ownText(back)).toBe(nasty);
    const c = firstChild(back, 'urn:b', 'c')!;
    expect(attribute(c, 'z', 'urn:c')).toBe(nasty);
  });

  it('declares namespaces where needed, including undeclaring the default', () => {
    const tree = xmlElement('urn:a', 'r', {}, [
      xmlElement(null, 'plain'),
      xmlElement('urn:a', 'same'),
    ]);
    const xml = serializeXml(tree, { declaration: false });
    expect(xml).toBe('<r xmlns="urn:a"><plain xmlns=""/><same/></r>');
    const back = root(xml);
    expect(childElements(back).map((c) => c.ns)).toEqual([null, 'urn:a']);
  });
});
