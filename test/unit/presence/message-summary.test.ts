// Owns the unit tests of RFC 3842 message-summary reading (message-summary.ts): the RFC's
// example, Asterisk's and FreeSWITCH's bodies, the spelling variants seen in the field, and the
// bounds.
import { describe, expect, it } from 'vitest';
import {
  MAX_COUNT,
  MAX_SUMMARY_LENGTH,
  parseCounts,
  parseMessageSummary,
  type MessageSummary,
} from '../../../src-renderer/src/lib/presence/message-summary';
import { MWI_ASTERISK, MWI_FREESWITCH, MWI_RFC } from './samples';

function summary(body: string | Uint8Array): MessageSummary {
  const r = parseMessageSummary(body);
  if (!r.ok) {
    throw new Error(r.message);
  }
  return r.summary;
}

const counts = (n: number, o: number, un = 0, uo = 0) => ({
  new: n,
  old: o,
  urgentNew: un,
  urgentOld: uo,
});

describe('parseMessageSummary', () => {
  it('reads the RFC 3842 example', () => {
    expect(summary(MWI_RFC)).toEqual({
      waiting: true,
      account: 'sip:alice@vmail.example.com',
      voice: counts(4, 8, 1, 2),
      classes: { voice: counts(4, 8, 1, 2) },
    });
  });

  it('reads Asterisk and FreeSWITCH bodies', () => {
    expect(summary(MWI_ASTERISK)).toMatchObject({
      waiting: true,
      account: 'sip:*97@pbx.example',
      voice: counts(2, 5),
    });
    expect(summary(MWI_FREESWITCH)).toMatchObject({ waiting: false, voice: counts(0, 3) });
  });

  it('reads every message class', () => {
    const s = summary(
      'Messages-Waiting: yes\nVoice-Message: 1/2\nFax-Message: 3/4 (1/0)\nPager-Message: 0/1\nMultimedia-Message: 5/6\nText-Message: 7/8\nNone: 0/0\n',
    );
    expect(s.classes).toEqual({
      voice: counts(1, 2),
      fax: counts(3, 4, 1, 0),
      pager: counts(0, 1),
      multimedia: counts(5, 6),
      text: counts(7, 8),
      none: counts(0, 0),
    });
  });

  it.each([
    ['CR LF', 'Messages-Waiting: yes\r\nVoice-Message: 1/0\r\n'],
    ['CR', 'Messages-Waiting: yes\rVoice-Message: 1/0\r'],
    ['lower case', 'messages-waiting: YES\nvoice-message: 1/0'],
    ['spaces', 'Messages-Waiting :  yes  \nVoice-Message:1 / 0 ( 0 / 0 )'],
    ['tabs', 'Messages-Waiting:\tyes\nVoice-Message:\t1/0\t(0/0)'],
    [
      'leading blank lines and a BOM',
      '\uFEFF\r\n\r\nMessages-Waiting: yes\r\nVoice-Message: 1/0 (0/0)',
    ],
    ['folded line', 'Messages-Waiting: yes\nVoice-Message:\n 1/0 (0/0)'],
    [
      'angle-bracketed account',
      'Messages-Waiting: yes\nMessage-Account: <sip:vm@x>\nVoice-Message: 1/0',
    ],
  ])('tolerates %s', (_name, body) => {
    expect(summary(body)).toMatchObject({ waiting: true, voice: counts(1, 0) });
  });

  it('ignores message headers after the blank line', () => {
    const s = summary(
      'Messages-Waiting: yes\r\nVoice-Message: 1/0\r\n\r\nTo: <sip:alice@x>\r\nFax-Message: 9/9\r\nSubject: hi\r\n',
    );
    expect(s.classes).toEqual({ voice: counts(1, 0) });
  });

  it('derives waiting from the counts when Messages-Waiting is missing or unreadable', () => {
    expect(summary('Voice-Message: 2/0').waiting).toBe(true);
    expect(summary('Voice-Message: 0/7').waiting).toBe(false);
    expect(summary('Messages-Waiting: maybe\nVoice-Message: 1/0').waiting).toBe(true);
  });

  it('keeps the first of repeated lines', () => {
    expect(
      summary(
        'Messages-Waiting: no\nMessages-Waiting: yes\nVoice-Message: 0/1\nVoice-Message: 9/9',
      ),
    ).toMatchObject({
      waiting: false,
      voice: counts(0, 1),
    });
  });

  it('reads Messages-Waiting alone (no counts) and has no voice counts', () => {
    expect(summary('Messages-Waiting: yes')).toEqual({
      waiting: true,
      account: null,
      voice: null,
      classes: {},
    });
  });

  it('drops an account that is not a plain URI', () => {
    expect(summary('Messages-Waiting: no\nMessage-Account: <script>x</script>').account).toBeNull();
    expect(summary('Messages-Waiting: no\nMessage-Account: sip:a b@x').account).toBeNull();
    expect(summary('Messages-Waiting: no\nMessage-Account: sip:\u202Eevil@x').account).toBeNull();
  });

  it('reads bytes as strict UTF-8', () => {
    expect(summary(new TextEncoder().encode(MWI_RFC)).voice).toEqual(counts(4, 8, 1, 2));
    const bad = parseMessageSummary(new Uint8Array([0x4d, 0xff, 0x3a]));
    expect(bad.ok ? 'ok' : bad.reason).toBe('bad-encoding');
  });

  it.each([
    ['', 'not-a-summary'],
    ['hello world', 'not-a-summary'],
    ['<xml/>', 'not-a-summary'],
    ['Voice-Message: lots', 'not-a-summary'],
    [`Voice-Message: ${MAX_COUNT + 1}/0`, 'not-a-summary'],
    [`Messages-Waiting: yes\n${'X-Pad: y\n'.repeat(3000)}`, 'too-large'],
  ])('refuses %j', (body, reason) => {
    const r = parseMessageSummary(body);
    expect(r.ok ? 'ok' : r.reason).toBe(reason);
  });

  it('stops reading after the line limit', () => {
    const body = `${'X: y\n'.repeat(250)}Messages-Waiting: yes`;
    expect(body.length).toBeLessThan(MAX_SUMMARY_LENGTH);
    expect(parseMessageSummary(body).ok).toBe(false);
  });
});

describe('parseCounts', () => {
  it.each([
    ['4/8 (1/2)', counts(4, 8, 1, 2)],
    ['4/8', counts(4, 8)],
    ['0/0 (0/0)', counts(0, 0)],
    [` ${MAX_COUNT}/0 `, counts(MAX_COUNT, 0)],
    ['4/8 (1)', null],
    ['4 8', null],
    ['-1/0', null],
    ['1/0 (0/0) extra', null],
    ['1234567890/0', null],
  ])('%j → %j', (value, expected) => {
    expect(parseCounts(value)).toEqual(expected);
  });
});
