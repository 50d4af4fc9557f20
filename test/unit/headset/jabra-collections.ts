// The Jabra BIZ 2400 II's telephony top-level collection as WebHID (Chromium) presents it in
// HIDDevice.collections, written out by hand from the descriptor bytes (descriptors.corpus.ts)
// following hid_collection.cc / hid_device.cc: items with their flags, usages as
// page << 16 | id, report 2 for input and output, the keypad's logical child collection whose
// item also appears in its parent. Independent of the parser it checks.
import type {
  HidCollectionInfo,
  HidReportItemInfo,
} from '../../../src-renderer/src/lib/headset/webhid';

function item(fields: Partial<HidReportItemInfo>): HidReportItemInfo {
  return {
    isConstant: false,
    isArray: false,
    isAbsolute: true,
    wrap: false,
    isLinear: true,
    hasPreferredState: true,
    hasNull: false,
    isVolatile: false,
    isBufferedBytes: false,
    isRange: false,
    usages: [],
    reportSize: 1,
    reportCount: 1,
    unitExponent: 0,
    logicalMinimum: 0,
    logicalMaximum: 1,
    physicalMinimum: 0,
    physicalMaximum: 0,
    ...fields,
  };
}

const keypad: HidReportItemInfo = (() => {
  const { usages: _none, ...rest } = item({
    isArray: true,
    hasNull: true,
    isRange: true,
    usageMinimum: 0x000b00b0,
    usageMaximum: 0x000b00bb,
    reportSize: 4,
    logicalMaximum: 12,
  });
  return rest;
})();

/** 81 22: hook switch + line busy tone; 81 06: mute, flash, redial, voice mail, speed dial. */
export const JABRA_BIZ_2400_TELEPHONY: HidCollectionInfo = {
  usagePage: 0x0b,
  usage: 0x05,
  type: 1,
  children: [
    {
      usagePage: 0x0b,
      usage: 0x06,
      type: 2,
      children: [],
      inputReports: [{ reportId: 2, items: [keypad] }],
      outputReports: [],
      featureReports: [],
    },
  ],
  inputReports: [
    {
      reportId: 2,
      items: [
        item({
          hasPreferredState: false,
          usages: [0x000b0020, 0x000b0097],
          reportCount: 2,
        }),
        item({
          isAbsolute: false,
          usages: [0x000b002f, 0x000b0021, 0x000b0024, 0x000b0070, 0x000b0050],
          reportCount: 5,
        }),
        keypad,
        // 09 07 is read while the Telephony page is current (Programmable Button), then 05 09.
        item({ usages: [0x000b0007] }),
        item({ isConstant: true, isArray: true, reportCount: 4 }),
      ],
    },
  ],
  outputReports: [
    {
      reportId: 2,
      items: [
        item({
          hasPreferredState: false,
          usages: [0x00080017, 0x00080009, 0x00080018, 0x00080020, 0x00080021],
          reportCount: 5,
        }),
        item({ hasPreferredState: false, usages: [0x000b009e] }),
        item({ isConstant: true, isArray: true, reportCount: 10 }),
      ],
    },
  ],
  featureReports: [],
};
