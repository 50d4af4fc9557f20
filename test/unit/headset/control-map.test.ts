// Where each telephony control lives, per real headset: expectations decoded by hand from the
// descriptor bytes (the comment on each row names the Main items it comes from), checked against
// the map built from raw bytes; the same map from WebHID's collections; report layouts across
// top-level collections; relative/absolute/on-off/selector semantics.
import { describe, expect, it } from 'vitest';
import {
  buildControlMap,
  controlMapFromDescriptor,
  hasCallControls,
  type InputControl,
  type InputSemantics,
  type OutputControl,
} from '../../../src-renderer/src/lib/headset/control-map';
import { descriptorFromHex } from '../../../src-renderer/src/lib/headset/descriptor-items';
import { DESCRIPTORS } from './descriptors.corpus';
import { JABRA_BIZ_2400_TELEPHONY } from './jabra-collections';

type Key = keyof typeof DESCRIPTORS;

interface Expected {
  inputs: Partial<Record<InputControl, [reportId: number, bit: number, semantics: InputSemantics]>>;
  outputs: Partial<Record<OutputControl, [reportId: number, bit: number]>>;
  /** Byte lengths of the reports the controls live in. */
  reports: { input: Record<number, number>; output: Record<number, number> };
}

// Jabra/Yealink layout: report 2 in: 81 22 hook,busy | 81 06 mute,flash,redial,…;
// out: 91 22 LED off-hook,mute,ring,hold,mic | 91 22 ringer | 10 const bits.
const JABRA_OUTPUTS: Expected['outputs'] = {
  offHookLed: [2, 0],
  muteLed: [2, 1],
  ringLed: [2, 2],
  holdLed: [2, 3],
  microphoneLed: [2, 4],
  ringer: [2, 5],
};
const JABRA_INPUTS: Expected['inputs'] = {
  hookSwitch: [2, 0, 'absolute'],
  lineBusyTone: [2, 1, 'absolute'],
  phoneMute: [2, 2, 'toggle'],
  flash: [2, 3, 'toggle'],
  redial: [2, 4, 'toggle'],
};
const JABRA_REPORTS = { input: { 2: 2 }, output: { 2: 2 } };
// EPOS IMPACT D (and DW, same descriptor): report 2 in: 2 consumer bits | 81 22 hook | 81 06 flash,redial,mute,drop;
// report 3 out: 91 22 ringer | 91 22 LED off-hook,mic,ring,mute,on-line,hold | 1 const.
const EPOS_D: Expected = {
  inputs: {
    hookSwitch: [2, 2, 'absolute'],
    flash: [2, 3, 'toggle'],
    redial: [2, 4, 'toggle'],
    phoneMute: [2, 5, 'toggle'],
    drop: [2, 6, 'toggle'],
  },
  outputs: {
    ringer: [3, 0],
    offHookLed: [3, 1],
    microphoneLed: [3, 2],
    ringLed: [3, 3],
    muteLed: [3, 4],
    holdLed: [3, 6],
  },
  reports: { input: { 2: 1 }, output: { 3: 1 } },
};
// Poly BT700 / Voyager Base: one input report: 81 22 hook | 81 06 mute | 81 02 flash |
// 81 06 redial | …; one output report per light (1 bit + 7 const).
const poly = (base: number, firstOut: number): Expected => ({
  inputs: {
    hookSwitch: [base, 0, 'absolute'],
    phoneMute: [base, 1, 'toggle'],
    flash: [base, 2, 'absolute'],
    redial: [base, 3, 'toggle'],
  },
  outputs: {
    ringLed: [firstOut, 0],
    muteLed: [firstOut + 2, 0],
    offHookLed: [firstOut + 3, 0],
    holdLed: [firstOut + 4, 0],
  },
  reports: {
    input: { [base]: 1 },
    output: { [firstOut]: 1, [firstOut + 2]: 1, [firstOut + 3]: 1, [firstOut + 4]: 1 },
  },
});

const EXPECTED: Record<Exclude<Key, 'logitechG535'>, Expected> = {
  jabraBiz2400II: { inputs: JABRA_INPUTS, outputs: JABRA_OUTPUTS, reports: JABRA_REPORTS },
  jabraEvolveLinkMs: { inputs: JABRA_INPUTS, outputs: JABRA_OUTPUTS, reports: JABRA_REPORTS },
  yealinkWh66: { inputs: JABRA_INPUTS, outputs: JABRA_OUTPUTS, reports: JABRA_REPORTS },
  // 81 22 hook,busy | 81 06 mute,flash (no redial on a speakerphone).
  jabraSpeak810: {
    inputs: {
      hookSwitch: [2, 0, 'absolute'],
      lineBusyTone: [2, 1, 'absolute'],
      phoneMute: [2, 2, 'toggle'],
      flash: [2, 3, 'toggle'],
    },
    outputs: JABRA_OUTPUTS,
    reports: JABRA_REPORTS,
  },
  // Report 8 in: 81 06 mute | 81 22 hook | 81 02 flash | 81 06 redial; lights in reports 9, 0x17,
  // 0x18, 0x20 (one each).
  polyBlackwireC5220: {
    inputs: {
      phoneMute: [8, 0, 'toggle'],
      hookSwitch: [8, 1, 'absolute'],
      flash: [8, 2, 'absolute'],
      redial: [8, 3, 'toggle'],
    },
    outputs: { muteLed: [9, 0], offHookLed: [0x17, 0], ringLed: [0x18, 0], holdLed: [0x20, 0] },
    reports: { input: { 8: 1 }, output: { 9: 1, 0x17: 1, 0x18: 1, 0x20: 1 } },
  },
  polyBt700: poly(0x20, 0x21),
  polyVoyagerBaseCd: poly(1, 1),
  // Report 8 in: 81 06 mute | 81 22 hook | 81 06 redial,flash,drop; report 9 out: 91 22 LED
  // mute, off-hook, ring, mic, on-line, hold.
  eposSc660: {
    inputs: {
      phoneMute: [8, 0, 'toggle'],
      hookSwitch: [8, 1, 'absolute'],
      redial: [8, 2, 'toggle'],
      flash: [8, 3, 'toggle'],
      drop: [8, 4, 'toggle'],
    },
    outputs: {
      muteLed: [9, 0],
      offHookLed: [9, 1],
      ringLed: [9, 2],
      microphoneLed: [9, 3],
      holdLed: [9, 5],
    },
    reports: { input: { 8: 1 }, output: { 9: 1 } },
  },
  // Report 2 in: 81 02 hook (absolute, with a preferred state) | 81 06 flash,redial,mute,drop;
  // report 3 out: 91 02 LED off-hook,mic,ring,mute,on-line,hold.
  eposImpactD1: {
    inputs: {
      hookSwitch: [2, 0, 'absolute'],
      flash: [2, 1, 'toggle'],
      redial: [2, 2, 'toggle'],
      phoneMute: [2, 3, 'toggle'],
      drop: [2, 4, 'toggle'],
    },
    outputs: {
      offHookLed: [3, 0],
      microphoneLed: [3, 1],
      ringLed: [3, 2],
      muteLed: [3, 3],
      holdLed: [3, 5],
    },
    reports: { input: { 2: 1 }, output: { 3: 1 } },
  },
  eposImpactD: EPOS_D,
};

function mapOf(key: Key) {
  return controlMapFromDescriptor(descriptorFromHex(DESCRIPTORS[key].hex));
}

describe('control maps of real headsets', () => {
  for (const [key, expected] of Object.entries(EXPECTED) as [Key, Expected][]) {
    it(`${DESCRIPTORS[key].name}: every control where its descriptor puts it`, () => {
      const { map, warnings } = mapOf(key);
      expect(warnings).toEqual([]);
      const inputs = Object.fromEntries(
        Object.entries(map.inputs).map(([c, f]) => [c, [f.reportId, f.bitOffset, f.semantics]]),
      );
      const outputs = Object.fromEntries(
        Object.entries(map.outputs).map(([c, f]) => [c, [f.reportId, f.bitOffset]]),
      );
      expect(inputs).toEqual(expected.inputs);
      expect(outputs).toEqual(expected.outputs);
      for (const f of [...Object.values(map.inputs), ...Object.values(map.outputs)]) {
        expect(f.bitSize).toBe(1);
      }
      const lengths = (layouts: { reportId: number; byteLength: number }[], ids: string[]) =>
        Object.fromEntries(
          layouts
            .filter((l) => ids.includes(String(l.reportId)))
            .map((l) => [l.reportId, l.byteLength]),
        );
      expect(lengths(map.inputReports, Object.keys(expected.reports.input))).toEqual(
        expected.reports.input,
      );
      expect(lengths(map.outputReports, Object.keys(expected.reports.output))).toEqual(
        expected.reports.output,
      );
      expect(map.telephonyCollection).toBe(true);
      expect(hasCallControls(map)).toBe(true);
    });
  }

  it('finds nothing on a gaming headset without the Telephony page', () => {
    const { map } = mapOf('logitechG535');
    expect(map.telephonyCollection).toBe(false);
    expect(map.inputs).toEqual({});
    expect(map.outputs).toEqual({});
    expect(hasCallControls(map)).toBe(false);
  });

  it('ignores the vendor-page copies of the telephony usages (Jabra 0xFF30, Poly 0xFFA2)', () => {
    // Jabra's report 4 mirrors hook/mute on page 0xFF30; the map must stay on report 2.
    expect(mapOf('jabraBiz2400II').map.inputs.hookSwitch?.reportId).toBe(2);
    expect(mapOf('polyBlackwireC5220').map.outputs.ringer).toBeUndefined();
  });
});

describe('from WebHID collections', () => {
  it('builds the same map from HIDDevice.collections as from the raw bytes', () => {
    const fromCollections = buildControlMap([JABRA_BIZ_2400_TELEPHONY]);
    const fromBytes = mapOf('jabraBiz2400II').map;
    expect(fromCollections.inputs).toEqual(fromBytes.inputs);
    expect(fromCollections.outputs).toEqual(fromBytes.outputs);
    expect(fromCollections.outputReports).toEqual([{ reportId: 2, byteLength: 2 }]);
  });

  it('lays out a report id shared by two top-level collections in collection order', () => {
    const map = buildControlMap([
      {
        usagePage: 0x0c,
        usage: 1,
        inputReports: [
          { reportId: 1, items: [{ usages: [0x000c00e9], reportSize: 3, reportCount: 1 }] },
        ],
      },
      {
        usagePage: 0x0b,
        usage: 5,
        inputReports: [
          {
            reportId: 1,
            items: [{ usages: [0x000b0020], reportSize: 1, reportCount: 1, isAbsolute: true }],
          },
        ],
      },
    ]);
    expect(map.inputs.hookSwitch).toMatchObject({ reportId: 1, bitOffset: 3 });
    expect(map.inputReports).toEqual([{ reportId: 1, byteLength: 1 }]);
  });

  it('prefers a control found in the Telephony collection over the same usage elsewhere', () => {
    const hook = { usages: [0x000b0020], reportSize: 1, reportCount: 1, isAbsolute: true };
    const map = buildControlMap([
      { usagePage: 0xff00, inputReports: [{ reportId: 9, items: [hook] }] },
      { usagePage: 0x0b, inputReports: [{ reportId: 2, items: [hook] }] },
    ]);
    expect(map.inputs.hookSwitch?.reportId).toBe(2);
  });

  it('reads -1/+1 relative fields as on/off buttons and array usages as selectors', () => {
    const map = controlMapFromDescriptor(
      descriptorFromHex(
        '05 0b 09 05 a1 01 09 20 15 ff 25 01 75 02 95 01 81 06 ' +
          '19 21 29 2f 15 01 25 0f 75 04 95 02 81 00 c0',
      ),
    ).map;
    expect(map.inputs.hookSwitch).toMatchObject({ semantics: 'on-off', bitOffset: 0, bitSize: 2 });
    // Usage 0x21 is selector 1, 0x24 is selector 4, 0x2f selector 15; two 4-bit slots from bit 2.
    expect(map.inputs.flash).toMatchObject({
      semantics: 'selector',
      selector: 1,
      slots: 2,
      bitOffset: 2,
    });
    expect(map.inputs.redial).toMatchObject({ selector: 4 });
    expect(map.inputs.phoneMute).toMatchObject({ selector: 15 });
  });

  it('gives the last usage to the remaining fields and skips constant padding', () => {
    const map = buildControlMap([
      {
        usagePage: 0x08,
        outputReports: [
          {
            reportId: 0,
            items: [
              { isConstant: true, reportSize: 3, reportCount: 1 },
              { usages: [0x00080018, 0x00080017], reportSize: 1, reportCount: 3 },
            ],
          },
        ],
      },
    ]);
    expect(map.outputs.ringLed?.bitOffset).toBe(3);
    expect(map.outputs.offHookLed?.bitOffset).toBe(4);
    expect(map.outputReports).toEqual([{ reportId: 0, byteLength: 1 }]);
  });
});
