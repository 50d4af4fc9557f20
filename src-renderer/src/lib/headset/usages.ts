// The HID usages a telephony headset speaks (HID Usage Tables 1.5: §11 LED page 0x08, §14
// Telephony Device page 0x0B), as 32-bit extended usages (page << 16 | id).

export const PAGE_LED = 0x08;
export const PAGE_TELEPHONY = 0x0b;

/** page << 16 | id. */
export function usage(page: number, id: number): number {
  return ((page & 0xffff) << 16) | (id & 0xffff);
}

/** Telephony page usages. */
export const TELEPHONY = {
  headset: usage(PAGE_TELEPHONY, 0x05),
  programmableButton: usage(PAGE_TELEPHONY, 0x07),
  hookSwitch: usage(PAGE_TELEPHONY, 0x20),
  flash: usage(PAGE_TELEPHONY, 0x21),
  redial: usage(PAGE_TELEPHONY, 0x24),
  drop: usage(PAGE_TELEPHONY, 0x26),
  phoneMute: usage(PAGE_TELEPHONY, 0x2f),
  lineBusyTone: usage(PAGE_TELEPHONY, 0x97),
  ringer: usage(PAGE_TELEPHONY, 0x9e),
} as const;

/** LED page usages. */
export const LED = {
  mute: usage(PAGE_LED, 0x09),
  offHook: usage(PAGE_LED, 0x17),
  ring: usage(PAGE_LED, 0x18),
  hold: usage(PAGE_LED, 0x20),
  microphone: usage(PAGE_LED, 0x21),
} as const;
