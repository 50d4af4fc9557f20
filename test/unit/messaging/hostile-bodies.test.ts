// Owns running the hostile MESSAGE corpus (hostile-bodies.corpus.ts) through the body check and
// the hostile display names through the label cleaner, asserting each exact outcome; plus the
// seeded fuzz of the messaging functions on mutated bodies (nothing throws, text stays clean).
import { describe, expect, it } from 'vitest';
import { acceptIncomingMessage } from '../../../src-renderer/src/lib/messaging/incoming-body';
import { findLinks } from '../../../src-renderer/src/lib/messaging/links';
import { parseIsComposing } from '../../../src-renderer/src/lib/messaging/iscomposing';
import { singleLine } from '../../../src-renderer/src/lib/text/inert-text';
import { HOSTILE_BODIES, HOSTILE_NAMES } from './hostile-bodies.corpus';
import { ISCOMPOSING_ACTIVE } from '../presence/samples';
import { mutate, seeded } from '../xml/mutate';

// What stored text may never contain: C0 (but TAB, LF), DEL, C1, overrides, unpaired surrogates.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202D\u202E\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('hostile MESSAGE bodies', () => {
  it.each(HOSTILE_BODIES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const verdict = acceptIncomingMessage({ contentType: c.contentType, body: c.body });
    if ('text' in c.expect) {
      expect(verdict).toMatchObject({ action: 'message', status: 200, text: c.expect.text });
    } else if ('composing' in c.expect) {
      expect(verdict).toMatchObject({
        action: 'composing',
        indication: { state: c.expect.composing },
      });
    } else {
      expect(verdict).toMatchObject({ action: 'reject', status: c.expect.status });
      if (verdict.action === 'reject') {
        expect(verdict.detail).toMatch(/^[A-Z].*\.$/);
        expect(verdict.headers).toEqual(
          c.expect.status === 415 ? ['Accept: text/plain, application/im-iscomposing+xml'] : [],
        );
      }
    }
  });
});

describe('hostile display names', () => {
  it.each(HOSTILE_NAMES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(singleLine(c.input, 128)).toBe(c.shown);
  });
});

describe('messaging functions on seeded mutations', () => {
  it(
    'never throw; accepted text is always clean; link runs rebuild the text',
    { timeout: 60_000 },
    () => {
      const random = seeded(0x3428);
      const problems: string[] = [];
      const seeds = [
        'Hello https://example.com/x?y=1 and tel:+4930123 \u202Eevil\u0000',
        ISCOMPOSING_ACTIVE,
      ];
      for (let n = 0; n < 3000; n++) {
        const input = mutate(seeds[n % 2]!, random);
        const type = n % 2 ? 'application/im-iscomposing+xml' : 'text/plain; charset=utf-8';
        const verdict = acceptIncomingMessage({ contentType: type, body: input });
        if (verdict.action === 'message') {
          if (FORBIDDEN.test(verdict.text)) {
            problems.push(`unclean: ${JSON.stringify(verdict.text)}`);
          }
          if (
            findLinks(verdict.text)
              .map((r) => r.text)
              .join('') !== verdict.text
          ) {
            problems.push(`runs: ${JSON.stringify(verdict.text)}`);
          }
        }
        const composing = parseIsComposing(input);
        if (composing.ok && !['active', 'idle'].includes(composing.value.state)) {
          problems.push(`state ${composing.value.state}`);
        }
      }
      expect(problems).toEqual([]);
    },
  );
});
