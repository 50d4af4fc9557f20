// Owns the property tests of the XML reader: seeded random mutations of real event bodies never
// make it throw and always give either a tree that respects every limit and namespace rule, or a
// refusal from the fixed list; whatever it accepts survives write → read unchanged; and random
// trees written by the writer read back identical.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src-renderer/src/lib/xml/reader';
import { serializeXml, toXmlChars, xmlElement } from '../../../src-renderer/src/lib/xml/write';
import {
  DEFAULT_XML_LIMITS,
  type XmlElement,
  type XmlErrorCode,
  type XmlLimits,
} from '../../../src-renderer/src/lib/xml/types';
import { XML_SAMPLES } from '../presence/samples';
import { mutate, seeded } from './mutate';

const CODES: ReadonlySet<XmlErrorCode> = new Set<XmlErrorCode>([
  'empty',
  'too-large',
  'too-deep',
  'too-many-elements',
  'too-many-attributes',
  'name-too-long',
  'doctype-forbidden',
  'entity-declaration-forbidden',
  'undefined-entity',
  'invalid-character',
  'unsupported-encoding',
  'invalid-encoding',
  'malformed',
  'mismatched-tag',
  'unclosed',
  'duplicate-attribute',
  'unbound-prefix',
  'reserved-namespace',
]);

/** Every structural promise of an accepted tree that `el` breaks (plain checks: fast). */
function treeProblems(el: XmlElement, limits: XmlLimits, depth = 1, out: string[] = []): string[] {
  const where = `${el.qname}@${depth}`;
  if (depth > limits.maxDepth) {
    out.push(`${where}: deeper than maxDepth`);
  }
  if (el.kind !== 'element' || el.local === '' || el.local.includes(':')) {
    out.push(`${where}: bad local name`);
  }
  if (el.qname.length > limits.maxNameLength || el.attributes.length > limits.maxAttributes) {
    out.push(`${where}: over a limit`);
  }
  const names = el.attributes.map((a) => `${a.ns ?? ''} ${a.local}`);
  if (new Set(names).size !== names.length) {
    out.push(`${where}: duplicate attribute`);
  }
  if (el.attributes.some((a) => a.qname === 'xmlns' || a.qname.startsWith('xmlns:'))) {
    out.push(`${where}: namespace declaration kept as an attribute`);
  }
  let previousText = false;
  for (const child of el.children) {
    if (child.kind === 'text') {
      if (child.text === '' || child.text.includes('\r') || previousText) {
        out.push(`${where}: empty, unnormalised or unmerged text`);
      }
      previousText = true;
    } else {
      previousText = false;
      treeProblems(child, limits, depth + 1, out);
    }
  }
  return out;
}

function countElements(el: XmlElement): number {
  return el.children.reduce((n, c) => n + (c.kind === 'element' ? countElements(c) : 0), 1);
}

interface Plain {
  ns: string | null;
  local: string;
  attrs: string[];
  children: (Plain | string)[];
}

/** The tree without qnames (prefixes are the writer's choice) and with attributes sorted. */
function plain(el: XmlElement): Plain {
  return {
    ns: el.ns,
    local: el.local,
    attrs: el.attributes.map((a) => `${a.ns ?? ''}|${a.local}=${a.value}`).sort(),
    children: el.children.map((c) => (c.kind === 'text' ? c.text : plain(c))),
  };
}

const ROUND_TRIP_LIMITS = { maxAttributes: 256, maxLength: 1 << 22 };

describe('seeded mutations of real bodies', () => {
  XML_SAMPLES.forEach((sample, index) => {
    it(
      `sample ${index}: 2000 mutants never throw and are well-formed or refused`,
      { timeout: 60_000 },
      () => {
        const random = seeded(0x5eed + index);
        let accepted = 0;
        const problems: string[] = [];
        for (let n = 0; n < 2000; n++) {
          const input = mutate(sample, random);
          const result = parseXml(input);
          if (result.ok) {
            accepted++;
            const root = result.document.root;
            problems.push(...treeProblems(root, DEFAULT_XML_LIMITS));
            if (countElements(root) > DEFAULT_XML_LIMITS.maxElements) {
              problems.push(`mutant ${n}: too many elements accepted`);
            }
            const again = parseXml(serializeXml(root), ROUND_TRIP_LIMITS);
            if (
              !again.ok ||
              JSON.stringify(plain(again.document.root)) !== JSON.stringify(plain(root))
            ) {
              problems.push(`mutant ${n}: changed through write → read: ${JSON.stringify(input)}`);
            }
          } else if (!CODES.has(result.error.code) || !(result.error.offset >= 0)) {
            problems.push(`mutant ${n}: ${result.error.code} at ${result.error.offset}`);
          }
        }
        expect(problems).toEqual([]);
        // The mutator is gentle enough that some mutants stay well-formed (the check above runs).
        expect(accepted).toBeGreaterThan(0);
      },
    );
  });

  it('mutated bytes (random bytes spliced into UTF-8) never throw', { timeout: 60_000 }, () => {
    const random = seeded(77);
    const problems: string[] = [];
    for (let n = 0; n < 2000; n++) {
      const sample = XML_SAMPLES[n % XML_SAMPLES.length]!;
      const bytes = Array.from(new TextEncoder().encode(mutate(sample, random)));
      const at = Math.floor(random() * (bytes.length + 1));
      bytes.splice(
        at,
        0,
        ...Array.from({ length: 1 + Math.floor(random() * 4) }, () => Math.floor(random() * 256)),
      );
      const result = parseXml(new Uint8Array(bytes));
      if (!result.ok && !CODES.has(result.error.code)) {
        problems.push(result.error.code);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('random trees through the writer and back', () => {
  const NAMESPACES = [null, 'urn:a', 'urn:b', 'urn:ietf:params:xml:ns:pidf'];
  const NAMES = ['a', 'b', 'dialog', 'x-y', 'n.1', 'é', '𐀀z'];
  const TEXTS = [
    '',
    'plain',
    '<&>"\'',
    ']]>',
    ' \t\n',
    '\r\n',
    'é😀',
    '\u202Eevil',
    '\u0000\u0007',
  ];

  function randomTree(random: () => number, depth: number): XmlElement {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
    const attrs = new Map<
      string,
      { ns: string | null; local: string; qname: string; value: string }
    >();
    for (let i = Math.floor(random() * 4); i > 0; i--) {
      const ns = pick(NAMESPACES);
      const local = pick(NAMES);
      attrs.set(`${ns} ${local}`, { ns, local, qname: local, value: pick(TEXTS) });
    }
    const children: (XmlElement | string)[] = [];
    for (let i = depth > 5 ? 0 : Math.floor(random() * 4); i > 0; i--) {
      children.push(random() < 0.4 ? pick(TEXTS) : randomTree(random, depth + 1));
    }
    return xmlElement(pick(NAMESPACES), pick(NAMES), [...attrs.values()], children);
  }

  /** What the reader should see: writer-replaced characters, merged non-empty text. */
  function expected(el: XmlElement): Plain {
    const children: (Plain | string)[] = [];
    for (const c of el.children) {
      const item = c.kind === 'text' ? toXmlChars(c.text) : expected(c);
      const last = children[children.length - 1];
      if (typeof item === 'string') {
        if (item === '') {
          continue;
        }
        if (typeof last === 'string') {
          children[children.length - 1] = last + item;
          continue;
        }
      }
      children.push(item);
    }
    return {
      ns: el.ns,
      local: el.local,
      attrs: el.attributes.map((a) => `${a.ns ?? ''}|${a.local}=${toXmlChars(a.value)}`).sort(),
      children,
    };
  }

  it('1000 random trees read back identical', { timeout: 60_000 }, () => {
    const random = seeded(4242);
    const problems: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const tree = randomTree(random, 1);
      const prefixes: Record<string, string> = random() < 0.5 ? { 'urn:b': 'b' } : {};
      const result = parseXml(serializeXml(tree, { prefixes }), ROUND_TRIP_LIMITS);
      const got = result.ok ? JSON.stringify(plain(result.document.root)) : result.error.code;
      if (got !== JSON.stringify(expected(tree))) {
        problems.push(`tree ${n}: ${got}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
