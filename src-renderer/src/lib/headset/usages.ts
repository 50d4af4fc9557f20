// The HID usages a telephony headset speaks (HID Usage Tables 1.5: §11 LED page 0x08, §14
// Telephony Device page 0x0B), as 32-bit extended usages (page << 16 | id), with names for logs.

export const PAGE_LED = 0x08;
export const PAGE_TELEPHONY = 0x0b;

/** page << 16 | id. */
export function usage(page: number, id: number): number {
  return ((page & 0xffff) << 16) | (id & 0xffff);
}

export function usagePageOf(extended: number): number {
  return extended >>> 16;
}

export function usageIdOf(extended: number): number {
  return extended & 0xffff;
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

const NAMES = new Map<number, string>([
  [TELEPHONY.headset, 'Telephony/Headset'],
  [TELEPHONY.programmableButton, 'Telephony/Programmable Button'],
  [TELEPHONY.hookSwitch, 'Telephony/Hook Switch'],
  [TELEPHONY.flash, 'Telephony/Flash'],
  [TELEPHONY.redial, 'Telephony/Redial'],
  [TELEPHONY.drop, 'Telephony/Drop'],
  [TELEPHONY.phoneMute, 'Telephony/Phone Mute'],
  [TELEPHONY.lineBusyTone, 'Telephony/Line Busy Tone'],
  [TELEPHONY.ringer, 'Telephony/Ringer'],
  [LED.mute, 'LED/Mute'],
  [LED.offHook, 'LED/Off-Hook'],
  [LED.ring, 'LED/Ring'],
  [LED.hold, 'LED/Hold'],
  [LED.microphone, 'LED/Microphone'],
]);

/** "LED/Off-Hook", or "0x000b:0x0099" for usages without a name here. */
export function usageName(extended: number): string {
  const hex = (n: number, width: number): string => n.toString(16).padStart(width, '0');
  return (
    NAMES.get(extended) ?? `0x${hex(usagePageOf(extended), 4)}:0x${hex(usageIdOf(extended), 4)}`
  );
}
