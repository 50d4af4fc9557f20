// Owns reading a raw HID report descriptor (HID 1.11 §6.2.2: short and long items, main /
// global / local items, push/pop, collections) into the same structure WebHID gives as
// `HIDDevice.collections`, so one control-map builder serves both. The state machine follows
// Chromium's (services/device/public/cpp/hid/hid_collection.cc, hid_item_state_table.cc), which
// is what produces the collections the page sees:
// - a Usage of 1–2 bytes takes the Usage Page current when the Usage item is read;
// - Report ID is kept outside the global stack (push/pop leave it alone) and only counts
//   inside a collection; main items outside any collection are ignored;
// - every report item is added to its collection and to all ancestors;
// - Logical/Physical Minimum and Maximum are signed at their encoded size (25 FF is -1);
// - an item is a range when Usage Minimum ≠ Usage Maximum; collections nest 50 deep at most.
// Pure: bytes in, plain objects out.
import { descriptorItems, type DescriptorItem } from './descriptor-items';
import type { HidCollectionInfo, HidReportInfo, HidReportItemInfo } from './webhid';

/** Longest descriptor read (USB's wDescriptorLength is 16 bits). */
export const MAX_DESCRIPTOR_BYTES = 0xffff;
const MAX_DEPTH = 50;

export interface ParsedDescriptor {
  collections: HidCollectionInfo[];
  /** What was odd or skipped, in plain words (truncated items, unbalanced collections). */
  warnings: string[];
}

const MAIN = { input: 0x8, output: 0x9, feature: 0xb, collection: 0xa, endCollection: 0xc };
const GLOBAL = {
  usagePage: 0x0,
  logicalMinimum: 0x1,
  logicalMaximum: 0x2,
  physicalMinimum: 0x3,
  physicalMaximum: 0x4,
  unitExponent: 0x5,
  unit: 0x6,
  reportSize: 0x7,
  reportId: 0x8,
  reportCount: 0x9,
  push: 0xa,
  pop: 0xb,
};
const LOCAL = { usage: 0x0, usageMinimum: 0x1, usageMaximum: 0x2 };

/** Global items kept in the state table: tag → field, and whether it is signed. */
const GLOBAL_FIELDS: Partial<Record<number, [keyof GlobalState, boolean]>> = {
  [GLOBAL.usagePage]: ['usagePage', false],
  [GLOBAL.logicalMinimum]: ['logicalMinimum', true],
  [GLOBAL.logicalMaximum]: ['logicalMaximum', true],
  [GLOBAL.physicalMinimum]: ['physicalMinimum', true],
  [GLOBAL.physicalMaximum]: ['physicalMaximum', true],
  [GLOBAL.unitExponent]: ['unitExponent', false],
  [GLOBAL.unit]: ['unit', false],
  [GLOBAL.reportSize]: ['reportSize', false],
  [GLOBAL.reportCount]: ['reportCount', false],
};

interface GlobalState {
  usagePage: number;
  logicalMinimum: number;
  logicalMaximum: number;
  physicalMinimum: number;
  physicalMaximum: number;
  unitExponent: number;
  unit: number;
  reportSize: number;
  reportCount: number;
}

interface LocalState {
  usages: number[];
  usageMinimum: number;
  usageMaximum: number;
}

type ReportKind = 'inputReports' | 'outputReports' | 'featureReports';

interface Collection {
  info: HidCollectionInfo;
  parent: Collection | null;
  reports: Record<ReportKind, Map<number, HidReportItemInfo[]>>;
  children: Collection[];
}

function defaultGlobal(): GlobalState {
  return {
    usagePage: 0,
    logicalMinimum: 0,
    logicalMaximum: 0,
    physicalMinimum: 0,
    physicalMaximum: 0,
    unitExponent: 0,
    unit: 0,
    reportSize: 0,
    reportCount: 0,
  };
}

function emptyLocal(): LocalState {
  return { usages: [], usageMinimum: 0, usageMaximum: 0 };
}

/** Two's complement at the encoded size (Chromium's Int32FromValueAndSize). */
function signed(value: number, size: number): number {
  if (size === 0) {
    return 0;
  }
  const bits = size * 8;
  const limit = 2 ** (bits - 1);
  return value >= limit ? value - 2 ** bits : value;
}

/** A 1–2 byte usage takes the current page; a 4-byte one above 0xffff carries its own. */
function combineUsage(value: number, stack: GlobalState[]): number {
  const top = stack[stack.length - 1];
  if (value > 0xffff || !top) {
    return value;
  }
  return ((top.usagePage & 0xffff) * 0x10000 + value) >>> 0;
}

function unitExponentOf(code: number): number {
  const nibble = code & 0x0f;
  return nibble > 0x08 ? nibble - 16 : nibble;
}

class StateMachine {
  readonly roots: Collection[] = [];
  readonly warnings: string[] = [];
  stack: GlobalState[] = [];
  local: LocalState = emptyLocal();
  reportId = 0;
  current: Collection | null = null;
  depth = 0;

  global(): GlobalState {
    if (this.stack.length === 0) {
      this.stack.push(defaultGlobal());
    }
    return this.stack[this.stack.length - 1] as GlobalState;
  }

  onItem(item: DescriptorItem): void {
    if (item.type === 'main') {
      this.#main(item);
    } else if (item.type === 'global') {
      this.#global(item);
    } else if (item.type === 'local') {
      this.#local(item);
    }
  }

  #main(item: DescriptorItem): void {
    switch (item.tag) {
      case MAIN.collection:
        this.depth += 1;
        if (this.depth <= MAX_DEPTH) {
          this.#openCollection(item.value);
        }
        break;
      case MAIN.endCollection:
        if (this.depth <= MAX_DEPTH && this.current) {
          this.current = this.current.parent;
        }
        if (this.depth > 0) {
          this.depth -= 1;
        } else {
          this.warnings.push(`an End Collection at byte ${item.offset} closes nothing`);
        }
        break;
      case MAIN.input:
        this.#reportItem('inputReports', item.value);
        break;
      case MAIN.output:
        this.#reportItem('outputReports', item.value);
        break;
      case MAIN.feature:
        this.#reportItem('featureReports', item.value);
        break;
      default:
        this.warnings.push(`an unknown main item (tag ${item.tag}) at byte ${item.offset}`);
    }
    this.local = emptyLocal();
  }

  #openCollection(type: number): void {
    const first = this.local.usages[0] ?? 0;
    let page = first >>> 16;
    if (page === 0 && this.stack.length > 0) {
      page = this.global().usagePage & 0xffff;
    }
    const collection: Collection = {
      info: { usagePage: page, usage: first & 0xffff, type },
      parent: this.current,
      reports: { inputReports: new Map(), outputReports: new Map(), featureReports: new Map() },
      children: [],
    };
    (this.current ? this.current.children : this.roots).push(collection);
    this.current = collection;
  }

  #reportItem(kind: ReportKind, flags: number): void {
    if (!this.current) {
      return;
    }
    const info = this.#itemInfo(flags);
    for (let c: Collection | null = this.current; c; c = c.parent) {
      const items = c.reports[kind].get(this.reportId) ?? [];
      items.push({ ...info, ...(info.usages ? { usages: [...info.usages] } : {}) });
      c.reports[kind].set(this.reportId, items);
    }
  }

  #itemInfo(flags: number): HidReportItemInfo {
    const g = this.stack.length > 0 ? this.global() : defaultGlobal();
    const isRange = this.local.usageMinimum !== this.local.usageMaximum;
    const bit = (n: number): boolean => (flags & (1 << n)) !== 0;
    return {
      isConstant: bit(0),
      isArray: !bit(1),
      isAbsolute: !bit(2),
      wrap: bit(3),
      isLinear: !bit(4),
      hasPreferredState: !bit(5),
      hasNull: bit(6),
      isVolatile: bit(7),
      isBufferedBytes: bit(8),
      isRange,
      ...(isRange
        ? { usageMinimum: this.local.usageMinimum, usageMaximum: this.local.usageMaximum }
        : { usages: [...this.local.usages] }),
      reportSize: g.reportSize,
      reportCount: g.reportCount,
      unitExponent: unitExponentOf(g.unitExponent),
      logicalMinimum: g.logicalMinimum,
      logicalMaximum: g.logicalMaximum,
      physicalMinimum: g.physicalMinimum,
      physicalMaximum: g.physicalMaximum,
    };
  }

  #global(item: DescriptorItem): void {
    switch (item.tag) {
      case GLOBAL.push:
        if (this.stack.length > 0) {
          this.stack.push({ ...this.global() });
        }
        return;
      case GLOBAL.pop:
        if (this.stack.length > 0) {
          this.stack.pop();
        } else {
          this.warnings.push(`a Pop at byte ${item.offset} has no matching Push`);
        }
        return;
      case GLOBAL.reportId:
        if (this.current) {
          this.reportId = item.value & 0xff;
        }
        return;
      default:
        this.#setGlobal(item);
    }
  }

  #setGlobal(item: DescriptorItem): void {
    const field = GLOBAL_FIELDS[item.tag];
    if (!field) {
      this.warnings.push(`an unknown global item (tag ${item.tag}) at byte ${item.offset}`);
      return;
    }
    const [name, isSigned] = field;
    this.global()[name] = isSigned ? signed(item.value, item.size) : item.value;
  }

  #local(item: DescriptorItem): void {
    switch (item.tag) {
      case LOCAL.usage:
        this.local.usages.push(combineUsage(item.value, this.stack));
        break;
      case LOCAL.usageMinimum:
        this.local.usageMinimum = combineUsage(item.value, this.stack);
        break;
      case LOCAL.usageMaximum:
        this.local.usageMaximum = combineUsage(item.value, this.stack);
        break;
      default:
        // Designators, strings and delimiters do not change where a control lives.
        break;
    }
  }
}

function toInfo(collection: Collection): HidCollectionInfo {
  const reports = (kind: ReportKind): HidReportInfo[] =>
    [...collection.reports[kind]].map(([reportId, items]) => ({ reportId, items }));
  return {
    ...collection.info,
    children: collection.children.map(toInfo),
    inputReports: reports('inputReports'),
    outputReports: reports('outputReports'),
    featureReports: reports('featureReports'),
  };
}

/** Parses a report descriptor into WebHID-shaped top-level collections. */
export function parseReportDescriptor(bytes: Uint8Array): ParsedDescriptor {
  if (bytes.length > MAX_DESCRIPTOR_BYTES) {
    return { collections: [], warnings: ['the descriptor is longer than 65535 bytes'] };
  }
  const { items, warnings } = descriptorItems(bytes);
  const machine = new StateMachine();
  items.forEach((item) => machine.onItem(item));
  if (machine.depth > 0) {
    machine.warnings.push(`${machine.depth} collection(s) were never closed`);
  }
  return { collections: machine.roots.map(toInfo), warnings: [...warnings, ...machine.warnings] };
}
