// The raw report descriptor parser: items of every size, the global/local state machine
// (push/pop, usage pages, ranges, report ids, signed logical ranges), collections with their
// ancestors' copies of report items, and the result on a real Jabra descriptor compared with
// the WebHID structure written out by hand (jabra-collections.ts).
import { describe, expect, it } from 'vitest';
import {
  descriptorFromHex,
  descriptorItems,
} from '../../../src-renderer/src/lib/headset/descriptor-items';
import { parseReportDescriptor } from '../../../src-renderer/src/lib/headset/report-descriptor';
import type { HidReportItemInfo } from '../../../src-renderer/src/lib/headset/webhid';
import { DESCRIPTORS } from './descriptors.corpus';
import { JABRA_BIZ_2400_TELEPHONY } from './jabra-collections';

const parse = (hex: string) => parseReportDescriptor(descriptorFromHex(hex));

function onlyItem(hex: string, kind: 'inputReports' | 'outputReports' = 'inputReports') {
  const { collections } = parse(hex);
  const item = collections[0]?.[kind]?.[0]?.items?.[0];
  if (!item) {
    throw new Error('no item');
  }
  return item;
}

describe('items', () => {
  it('reads 0-, 1-, 2- and 4-byte short items little-endian, and skips long items', () => {
    const { items, warnings } = descriptorItems(
      descriptorFromHex('c0 05 0b 26 ff 00 27 78 56 34 12 fe 02 10 aa bb 09 20'),
    );
    expect(warnings).toEqual([]);
    expect(items.map(({ type, tag, value, size }) => [type, tag, value, size])).toEqual([
      ['main', 0xc, 0, 0],
      ['global', 0x0, 0x0b, 1],
      ['global', 0x2, 0xff, 2],
      ['global', 0x2, 0x12345678, 4],
      ['long', 0x10, 0, 2],
      ['local', 0x0, 0x20, 1],
    ]);
  });

  it('stops at an item that runs past the end, with a warning', () => {
    const { items, warnings } = descriptorItems(descriptorFromHex('05 0b 26 ff'));
    expect(items).toHaveLength(1);
    expect(warnings).toEqual(['an item at byte 2 runs past the end; the rest was ignored']);
  });

  it('reads hex as usbhid-dump, hid-recorder and C sources print it', () => {
    expect([...descriptorFromHex('05 0B, 0x09 0x05\n a1')]).toEqual([5, 11, 9, 5, 0xa1]);
    expect(() => descriptorFromHex('05 0b // Usage Page')).toThrow(/hex digits/);
  });
});

describe('state machine', () => {
  it('push saves and pop restores the global state (usage page, report size)', () => {
    const hex =
      '05 08 75 01 95 01 15 00 25 01 a1 01 85 01 a4 05 0b 75 02 09 20 81 02 b4 09 09 91 02 c0';
    const input = onlyItem(hex);
    const output = onlyItem(hex, 'outputReports');
    expect(input).toMatchObject({ usages: [0x000b0020], reportSize: 2 });
    expect(output).toMatchObject({ usages: [0x00080009], reportSize: 1 });
  });

  it('keeps the report id outside push/pop, as Chromium does', () => {
    const { collections } = parse('a1 01 a4 85 05 b4 05 0b 09 20 75 01 95 01 81 02 c0');
    expect(collections[0]?.inputReports?.[0]?.reportId).toBe(5);
  });

  it('ignores a report id and main items outside any collection', () => {
    const { collections } = parse(
      '85 07 05 0b 09 2f 75 01 95 01 81 06 a1 01 09 20 81 02 c0 09 21 81 02',
    );
    expect(collections).toHaveLength(1);
    expect(collections[0]?.inputReports).toEqual([
      { reportId: 0, items: [expect.objectContaining({ usages: [0x000b0020] })] },
    ]);
  });

  it('takes the page current at the Usage item; a 4-byte usage carries its own page', () => {
    const item = onlyItem(
      'a1 01 05 0b 09 20 05 08 0b 17 00 08 00 09 18 75 01 95 03 91 02 c0',
      'outputReports',
    );
    expect(item.usages).toEqual([0x000b0020, 0x00080017, 0x00080018]);
  });

  it('marks ranges (Usage Minimum ≠ Maximum) and lists plain usages otherwise', () => {
    const range = onlyItem('05 0b a1 01 19 b0 29 bb 15 00 25 0b 75 04 95 01 81 00 c0');
    expect(range).toMatchObject({
      isRange: true,
      isArray: true,
      usageMinimum: 0x000b00b0,
      usageMaximum: 0x000b00bb,
    });
    expect(range.usages).toBeUndefined();
  });

  it('reads logical and physical limits as signed at their encoded size', () => {
    const item = onlyItem('05 0b a1 01 09 20 15 ff 25 01 35 80 46 ff 00 75 02 95 01 81 06 c0');
    expect(item).toMatchObject({
      logicalMinimum: -1,
      logicalMaximum: 1,
      physicalMinimum: -128,
      physicalMaximum: 255,
    });
  });

  it('decodes every Main item flag bit, including buffered bytes in a 2-byte item', () => {
    const flags = onlyItem('06 00 ff a1 01 09 01 75 08 95 02 92 ff 01 c0', 'outputReports');
    const expected: Partial<HidReportItemInfo> = {
      isConstant: true,
      isArray: false,
      isAbsolute: false,
      wrap: true,
      isLinear: false,
      hasPreferredState: false,
      hasNull: true,
      isVolatile: true,
      isBufferedBytes: true,
    };
    expect(flags).toMatchObject(expected);
  });

  it('copies report items into every ancestor and keeps children in order', () => {
    const { collections } = parse(
      '05 0b 09 05 a1 01 85 02 09 20 75 01 95 01 81 02 09 06 a1 02 09 2f 81 06 c0 09 21 81 06 c0',
    );
    const top = collections[0];
    expect(top?.inputReports?.[0]?.items?.map((i) => i.usages)).toEqual([
      [0x000b0020],
      [0x000b002f],
      [0x000b0021],
    ]);
    expect(top?.children?.[0]).toMatchObject({ usagePage: 0x0b, usage: 0x06, type: 2 });
    expect(top?.children?.[0]?.inputReports?.[0]?.items?.map((i) => i.usages)).toEqual([
      [0x000b002f],
    ]);
  });

  it('survives 60 nested collections (depth bound 50) and unbalanced ends, with warnings', () => {
    const deep = `${'a1 01 '.repeat(60)}09 20 75 01 95 01 81 02 ${'c0 '.repeat(61)}`;
    const { collections, warnings } = parse(deep);
    let depth = 0;
    for (let c = collections[0]; c; c = c.children?.[0]) {
      depth += 1;
    }
    expect(depth).toBe(50);
    expect(warnings).toEqual(['an End Collection at byte 188 closes nothing']);
    expect(parse('a1 01').warnings).toEqual(['1 collection(s) were never closed']);
  });
});

describe('real descriptors', () => {
  it('gives the Jabra BIZ 2400 II the same collection WebHID shows', () => {
    const { collections, warnings } = parse(DESCRIPTORS.jabraBiz2400II.hex);
    expect(warnings).toEqual([]);
    expect(collections[0]).toEqual(JABRA_BIZ_2400_TELEPHONY);
    expect(collections.map((c) => [c.usagePage, c.usage])).toEqual([
      [0x0b, 0x05],
      [0xff00, 0x01],
      [0x0c, 0x01],
    ]);
  });

  it('parses every corpus descriptor completely, each with exactly its telephony collections', () => {
    for (const [key, d] of Object.entries(DESCRIPTORS)) {
      const bytes = descriptorFromHex(d.hex);
      const { collections, warnings } = parseReportDescriptor(bytes);
      expect(warnings, key).toEqual([]);
      const telephony = collections.filter((c) => c.usagePage === 0x0b && c.usage === 0x05);
      // Independent of the parser: the marker bytes of a Telephony/Headset application collection.
      const markers = d.hex.split('05 0b 09 05 a1 01').length - 1;
      expect(telephony.length, key).toBe(markers);
    }
  });
});
