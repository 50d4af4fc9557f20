// Owns the mapping between vCard TYPE parameters / Apple X-ABLabel values and the phone number
// labels of a contact ('mobile', 'work fax', a custom label), both ways. Pure.

/** The label kinds that map to TYPE values, in the order they are written in a combined label. */
export const LABEL_KINDS = ['work', 'home', 'mobile', 'main', 'fax', 'pager'] as const;

type LabelKind = (typeof LABEL_KINDS)[number];

const TYPE_TO_KIND: Record<string, LabelKind> = {
  work: 'work',
  home: 'home',
  cell: 'mobile',
  mobile: 'mobile',
  iphone: 'mobile',
  main: 'main',
  fax: 'fax',
  pager: 'pager',
};

const KIND_TO_TYPE: Record<LabelKind, string> = {
  work: 'work',
  home: 'home',
  mobile: 'cell',
  main: 'main',
  fax: 'fax',
  pager: 'pager',
};

// Apple's built-in labels as they appear in X-ABLabel ('_$!<HomeFAX>!$_').
const APPLE_LABELS: Record<string, string> = {
  mobile: 'mobile',
  iphone: 'mobile',
  home: 'home',
  work: 'work',
  main: 'main',
  homefax: 'home fax',
  workfax: 'work fax',
  otherfax: 'fax',
  pager: 'pager',
  other: 'other',
};

/** The label for TYPE values (any case; 'voice', 'pref' and unknown ones ignored): 'work fax', or 'other'. */
export function labelFromTypes(types: readonly string[]): string {
  const kinds = new Set<LabelKind>();
  for (const type of types) {
    const kind = TYPE_TO_KIND[type.toLowerCase()];
    if (kind) {
      kinds.add(kind);
    }
  }
  const label = LABEL_KINDS.filter((k) => kinds.has(k)).join(' ');
  return label === '' ? 'other' : label;
}

/** The label for an Apple X-ABLabel value: built-in ones mapped, custom ones kept as written. */
export function labelFromAppleLabel(value: string): string {
  const inner = /^_\$!<(.*)>!\$_$/.exec(value.trim())?.[1];
  if (inner === undefined) {
    return value.trim();
  }
  return APPLE_LABELS[inner.toLowerCase()] ?? inner;
}

/** TYPE values for a label ('work fax' → ['work', 'fax']); null for a custom label. */
export function typesFromLabel(label: string): string[] | null {
  if (label === 'other') {
    return [];
  }
  const words = label.split(' ');
  const kinds = words.filter((w): w is LabelKind => (LABEL_KINDS as readonly string[]).includes(w));
  if (
    kinds.length !== words.length ||
    labelFromTypes(kinds.map((k) => KIND_TO_TYPE[k])) !== label
  ) {
    return null;
  }
  return kinds.map((k) => KIND_TO_TYPE[k]);
}
