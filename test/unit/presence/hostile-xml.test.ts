// Owns running the hostile XML corpus (hostile-xml.corpus.ts) through the reader and every
// presence parser: each case's verdict, lamp, caller and presence status are exactly as listed,
// and nothing throws. Also the seeded fuzz of the presence parsers on mutated real bodies.
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../../src-renderer/src/lib/xml/reader';
import { parseDialogInfo } from '../../../src-renderer/src/lib/presence/dialog-info';
import {
  applyDialogInfo,
  UNKNOWN_DIALOGS,
} from '../../../src-renderer/src/lib/presence/dialog-state';
import { deriveLamp } from '../../../src-renderer/src/lib/presence/lamp';
import { parsePidf } from '../../../src-renderer/src/lib/presence/pidf';
import { parseMessageSummary } from '../../../src-renderer/src/lib/presence/message-summary';
import { parseSubscriptionState } from '../../../src-renderer/src/lib/presence/subscription-state';
import { HOSTILE_XML } from './hostile-xml.corpus';
import { MWI_ASTERISK, MWI_RFC, XML_SAMPLES } from './samples';
import { mutate, seeded } from '../xml/mutate';

describe('hostile XML corpus', () => {
  it.each(HOSTILE_XML.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const xml = parseXml(c.body);
    expect(xml.ok ? 'ok' : xml.error.code).toBe(c.xml);

    const lamp = deriveLamp(applyDialogInfo(UNKNOWN_DIALOGS, parseDialogInfo(c.body)).state);
    expect(lamp.state).toBe(c.lamp);
    if (c.caller !== undefined) {
      expect(lamp.caller).toEqual(c.caller);
    }
    if (lamp.state === 'unknown') {
      expect(lamp.cause).toMatch(/^[A-Z].*\.$/);
    }
    if (c.name.includes('header injection')) {
      expect(lamp.pickup).toBeNull();
    }

    const pidf = parsePidf(c.body);
    const status = pidf.ok ? pidf.presence.status : 'unknown';
    if (c.presence !== undefined) {
      expect(status).toBe(c.presence);
    }
    if (c.note !== undefined) {
      expect(pidf.ok && pidf.presence.note).toBe(c.note);
    }
  });

  it('covers the attacks the issue names', () => {
    const names = HOSTILE_XML.map((c) => c.name).join('\n');
    for (const topic of [
      'billion laughs',
      'file:///etc/passwd',
      'http://',
      '1 MB',
      'nested',
      'unknown dialog state',
      'namespace',
      'NUL',
      'invalid UTF-8',
      'script',
      'RLO',
      'character element name',
    ]) {
      expect(names).toContain(topic);
    }
  });
});

describe('presence parsers on seeded mutations of real bodies', () => {
  it('never throw and always give a defined lamp and status', { timeout: 60_000 }, () => {
    const random = seeded(0xb1f);
    const problems: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const input = mutate(XML_SAMPLES[n % XML_SAMPLES.length]!, random);
      const lamp = deriveLamp(applyDialogInfo(UNKNOWN_DIALOGS, parseDialogInfo(input)).state);
      if (!['idle', 'ringing', 'in-call', 'unknown'].includes(lamp.state)) {
        problems.push(`lamp ${lamp.state}`);
      }
      if (
        lamp.pickup &&
        !/^[^\s;]+;to-tag=[^\s;]+;from-tag=[^\s;]+;early-only$/.test(lamp.pickup.replaces)
      ) {
        problems.push(`pickup ${lamp.pickup.replaces}`);
      }
      const pidf = parsePidf(input);
      if (
        pidf.ok &&
        !['available', 'away', 'busy', 'dnd', 'offline', 'unknown'].includes(pidf.presence.status)
      ) {
        problems.push(`status ${pidf.presence.status}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it(
    'message-summary and Subscription-State readers never throw on mutations',
    { timeout: 60_000 },
    () => {
      const random = seeded(0x3842);
      for (let n = 0; n < 3000; n++) {
        const mwi = parseMessageSummary(mutate(n % 2 ? MWI_RFC : MWI_ASTERISK, random));
        expect(typeof mwi.ok).toBe('boolean');
        const state = parseSubscriptionState(
          mutate('terminated;reason=probation;retry-after=30', random),
        );
        expect(typeof state.ok).toBe('boolean');
      }
    },
  );
});
