// Unit tests of src-main/shared/network-text.ts on the hostile-name corpus: one inert line,
// whatever arrives, bounded in length, and the helpers for plain-text and markup OS surfaces.
import { describe, expect, it } from 'vitest';
import {
  escapeBodyMarkup,
  isolate,
  NAME_MAX,
  networkLabel,
  neutralizeTags,
} from '@shared/network-text';
import { forbiddenIn, HOSTILE_NAMES } from '../support/hostile-names';

describe('networkLabel on the hostile-name corpus', () => {
  it.each(HOSTILE_NAMES.map((n) => [n.what, n] as const))('%s', (_what, name) => {
    const label = networkLabel(name.raw);
    expect(forbiddenIn(label)).toBeNull();
    expect(Array.from(label).length).toBeLessThanOrEqual(NAME_MAX);
    expect(label).toBe(label.trim());
    expect(label).not.toMatch(/ {2}/);
    if (name.shown !== undefined) {
      expect(label).toBe(name.shown);
    }
    expect(networkLabel(label)).toBe(label);
  });

  it('keeps the names people have', () => {
    for (const name of ['Bob Builder', 'José Müller-Lüdenscheidt', '李小龍', '+49 30 123456']) {
      expect(networkLabel(name)).toBe(name);
    }
  });

  it('never cuts an emoji sequence into a dangling joiner', () => {
    const family = '👩‍👩‍👧‍👦';
    for (let max = 2; max < 12; max += 1) {
      expect(networkLabel(family.repeat(5), max)).not.toMatch(/\u200d…$/);
    }
  });
});

describe('plain-text and markup surfaces', () => {
  it('isolates right-to-left labels only', () => {
    expect(isolate('Carol')).toBe('Carol');
    expect(isolate('محمد')).toBe('\u2068محمد\u2069');
  });

  it('neutralizes tags for rich-text-reading desktops', () => {
    expect(neutralizeTags('<b>Boss</b>')).toBe('‹b›Boss‹/b›');
  });

  it('escapes the three markup characters for notification bodies', () => {
    expect(escapeBodyMarkup('Tom & <b>Jerry</b> &amp;')).toBe(
      'Tom &amp; &lt;b&gt;Jerry&lt;/b&gt; &amp;amp;',
    );
  });
});
