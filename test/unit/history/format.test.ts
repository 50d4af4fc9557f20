// How history rows are shown and called back.
import { describe, expect, it } from 'vitest';
import {
  dialStringOf,
  endReasonText,
  formatDuration,
  formatWhen,
  outcomeIcon,
  summaryOf,
} from '../../../src-renderer/src/lib/history/format';
import { entry } from './fake-db';

describe('history formatting', () => {
  it('calls numbers back as numbers and everything else by SIP address', () => {
    expect(dialStringOf({ partyUser: '+49301234567', partyUri: 'sip:+49301234567@gw' })).toBe(
      '+49301234567',
    );
    expect(dialStringOf({ partyUser: '1001', partyUri: 'sip:1001@pbx' })).toBe('1001');
    expect(dialStringOf({ partyUser: 'alice', partyUri: 'sip:alice@pbx' })).toBe('sip:alice@pbx');
  });

  it('formats talk time', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(65)).toBe('1:05');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('formats when: time today, yesterday, date this year, date with year before', () => {
    const now = new Date(2024, 5, 15, 12, 0).getTime();
    expect(formatWhen(new Date(2024, 5, 15, 9, 5).getTime(), now, 'en-GB')).toBe('09:05');
    expect(formatWhen(new Date(2024, 5, 14, 23, 59).getTime(), now, 'en-GB')).toBe(
      'Yesterday 23:59',
    );
    expect(formatWhen(new Date(2024, 0, 3, 8, 0).getTime(), now, 'en-GB')).toBe('3 Jan 08:00');
    expect(formatWhen(new Date(2023, 11, 31, 8, 0).getTime(), now, 'en-GB')).toBe('31 Dec 2023');
  });

  it('summarises outcomes in words with an icon', () => {
    expect(summaryOf(entry('a', { direction: 'incoming', durationS: 75 }))).toBe('Incoming, 1:15');
    expect(summaryOf(entry('b', { outcome: 'missed', direction: 'incoming' }))).toBe('Missed call');
    expect(summaryOf(entry('c', { outcome: 'busy' }))).toBe('Outgoing, busy');
    expect(summaryOf(entry('d', { outcome: 'transferred', durationS: 5 }))).toBe(
      'Outgoing, transferred, 0:05',
    );
    expect(summaryOf(entry('e', { outcome: 'answered-elsewhere', direction: 'incoming' }))).toBe(
      'Incoming, answered elsewhere',
    );
    expect(outcomeIcon({ direction: 'outgoing', outcome: 'answered' })).toBe('↗');
    expect(outcomeIcon({ direction: 'incoming', outcome: 'declined' })).toBe('⊘');
  });

  it('says why a call ended when the outcome does not: the connection, the audio, no answer', () => {
    expect(
      summaryOf(entry('a', { outcome: 'answered', durationS: 125, endCause: 'connection-lost' })),
    ).toBe('Outgoing, 2:05, connection lost');
    expect(summaryOf(entry('b', { outcome: 'failed', endCause: 'media-failed' }))).toBe(
      'Outgoing, failed, audio failed',
    );
    expect(
      summaryOf(
        entry('c', { outcome: 'missed', direction: 'incoming', endCause: 'connection-lost' }),
      ),
    ).toBe('Missed call, connection lost');
    expect(summaryOf(entry('d', { outcome: 'failed', endCause: 'no-answer' }))).toBe(
      'Outgoing, failed, no answer',
    );
    // Hang-ups, declines and cancels are the outcome already; an unknown stored cause says nothing.
    expect(summaryOf(entry('e', { durationS: 5, endCause: 'hangup-remote' }))).toBe(
      'Outgoing, 0:05',
    );
    expect(summaryOf(entry('f', { outcome: 'declined', endCause: 'declined' }))).toBe(
      'Outgoing, declined',
    );
    expect(endReasonText('toString')).toBeNull();
    expect(endReasonText('<b>x</b>')).toBeNull();
    expect(endReasonText(null)).toBeNull();
  });
});
