// Outcome derivation and the history entry built from a call's final snapshot.
import { describe, expect, it } from 'vitest';
import { deriveOutcome, entryFromCall } from '../../../src-renderer/src/lib/history/outcome';
import type { CallEndCause, CallSnapshot } from '../../../src-renderer/src/lib/phone/types';
import { endedCall } from './fake-db';

function ended(
  direction: CallSnapshot['direction'],
  cause: CallEndCause | null,
  answeredAt: number | null = null,
): CallSnapshot {
  const end = cause === null ? null : { cause, code: null, message: '' };
  return endedCall({ direction, answeredAt, end });
}

describe('deriveOutcome', () => {
  it.each<[CallSnapshot['direction'], CallEndCause | null, string]>([
    ['incoming', 'canceled-remote', 'missed'],
    ['incoming', 'no-answer', 'missed'],
    ['incoming', 'connection-lost', 'missed'],
    ['incoming', 'busy', 'missed'],
    ['incoming', null, 'missed'],
    ['incoming', 'declined-local', 'declined'],
    ['incoming', 'answered-elsewhere', 'answered-elsewhere'],
    ['incoming', 'microphone-unavailable', 'failed'],
    ['incoming', 'media-failed', 'failed'],
    ['incoming', 'error', 'failed'],
    ['outgoing', 'canceled-local', 'cancelled'],
    ['outgoing', 'busy', 'busy'],
    ['outgoing', 'declined', 'declined'],
    ['outgoing', 'no-answer', 'failed'],
    ['outgoing', 'not-found', 'failed'],
    ['outgoing', 'unavailable', 'failed'],
    ['outgoing', 'rejected', 'failed'],
    ['outgoing', 'connection-lost', 'failed'],
    ['outgoing', null, 'failed'],
  ])('%s call ended by %s before answer → %s', (direction, cause, outcome) => {
    expect(deriveOutcome(ended(direction, cause))).toBe(outcome);
  });

  it('an answered call is answered whoever hangs up or however it ends', () => {
    for (const cause of [
      'hangup-local',
      'hangup-remote',
      'connection-lost',
      'media-failed',
    ] as const) {
      expect(deriveOutcome(ended('incoming', cause, 1))).toBe('answered');
      expect(deriveOutcome(ended('outgoing', cause, 1))).toBe('answered');
    }
  });

  it('a hang-up without answeredAt still counts as answered (JsSIP only reports it for established calls)', () => {
    expect(deriveOutcome(ended('incoming', 'hangup-remote'))).toBe('answered');
  });

  it('transferred wins over answered; it means nothing for unanswered calls', () => {
    expect(deriveOutcome(ended('incoming', 'hangup-local', 1), { transferred: true })).toBe(
      'transferred',
    );
    expect(deriveOutcome(ended('incoming', 'canceled-remote'), { transferred: true })).toBe(
      'missed',
    );
  });

  it('an incoming call declined by the app itself (do-not-disturb) is missed', () => {
    expect(deriveOutcome(ended('incoming', 'declined-local'), { autoDeclined: true })).toBe(
      'missed',
    );
  });
});

describe('entryFromCall', () => {
  it('copies the snapshot, computes the talk time and the party key; answered calls are seen', () => {
    const call = endedCall({
      id: 'call-7',
      direction: 'outgoing',
      party: { name: null, user: '+49301234567', uri: 'sip:+49301234567@pbx.example.com' },
      createdAt: 1000,
      answeredAt: 3000,
      endedAt: 65_600,
      end: { cause: 'hangup-remote', code: null, message: 'The other side hung up.' },
    });
    const quality = {
      mos: 4.3,
      jitterMs: 3,
      lossPct: 0.1,
      rttMs: 40,
      codec: 'opus',
      concealedPct: 0.2,
    };
    expect(entryFromCall(call, { accountLabel: 'Office', quality })).toEqual({
      id: 'call-7',
      startedAt: 1000,
      answeredAt: 3000,
      endedAt: 65_600,
      durationS: 63,
      direction: 'outgoing',
      outcome: 'answered',
      accountId: 'acc-1',
      accountLabel: 'Office',
      partyName: null,
      partyUser: '+49301234567',
      partyUri: 'sip:+49301234567@pbx.example.com',
      partyKey: '301234567',
      endCause: 'hangup-remote',
      endCode: null,
      quality,
      seen: true,
    });
  });

  it('a missed call starts unseen and has no duration', () => {
    const entry = entryFromCall(endedCall(), { accountLabel: 'Office' });
    expect(entry.outcome).toBe('missed');
    expect(entry.seen).toBe(false);
    expect(entry.durationS).toBe(0);
    expect(entry).not.toHaveProperty('quality');
  });
});
