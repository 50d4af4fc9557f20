// The call log writes one history entry per ended call. The history opens after the phone's first
// registration, so a call can end before it is open (one declined by do-not-disturb at once): its
// entry waits for the history instead of being lost, and a history that never opens is said.
import { describe, expect, it, vi } from 'vitest';
import { TypedEmitter } from '../../../src-renderer/src/lib/emitter';
import type { EntryInfo } from '../../../src-renderer/src/lib/history/outcome';
import type { LineEvents, LineManager } from '../../../src-renderer/src/lib/phone';
import type { CallSnapshot } from '../../../src-renderer/src/lib/phone/types';
import { CallLog, type CallHistory } from '../../../src-renderer/src/lib/state/call-log';
import { endedCall } from './fake-db';

class FakeLines extends TypedEmitter<LineEvents> {
  end(snapshot: CallSnapshot, autoDeclined: 'dnd' | null): void {
    this.emit('ended', { snapshot, autoDeclined, consultFor: null });
  }
}

class FakeHistory implements CallHistory {
  readonly written: { id: string; info: EntryInfo }[] = [];
  record(call: CallSnapshot, info: EntryInfo): ReturnType<CallHistory['record']> {
    this.written.push({ id: call.id, info });
    return Promise.resolve({} as Awaited<ReturnType<CallHistory['record']>>);
  }
}

function setUp(history: () => Promise<CallHistory | null>) {
  const lines = new FakeLines();
  const recorded = vi.fn();
  const log = new CallLog(lines as unknown as LineManager, {
    history,
    accountLabel: (id) => `label of ${id}`,
    takeQuality: () => null,
    recorded,
  });
  return { lines, recorded, log };
}

describe('CallLog', () => {
  it('writes the entry of a call that ended before the history opened, once it has', async () => {
    const history = new FakeHistory();
    let open!: (h: CallHistory | null) => void;
    const opening = new Promise<CallHistory | null>((resolve) => (open = resolve));
    const asked = vi.fn(() => opening);
    const { lines, recorded } = setUp(asked);

    lines.end(endedCall({ id: 'declined-by-dnd', direction: 'incoming' }), 'dnd');
    lines.end(endedCall({ id: 'second', direction: 'incoming' }), null);
    // Both entries wait for the history, and nothing is written or lost meanwhile.
    await vi.waitFor(() => expect(asked).toHaveBeenCalledTimes(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(history.written).toEqual([]);
    expect(recorded).not.toHaveBeenCalled();

    open(history);
    await vi.waitFor(() => expect(recorded).toHaveBeenCalledTimes(2));
    expect(history.written.map(({ id, info }) => [id, info.autoDeclined])).toEqual([
      ['declined-by-dnd', true],
      ['second', false],
    ]);
    expect(history.written[0]!.info.accountLabel).toMatch(/^label of /);
  });

  it('gives the entry up, and says so, when the history cannot open', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const { lines, recorded } = setUp(() => Promise.resolve(null));
      lines.end(endedCall({ id: 'lost', direction: 'incoming' }), null);
      await vi.waitFor(() =>
        expect(warn.mock.calls.flat().join(' ')).toMatch(/history entry not written.*lost/),
      );
      expect(recorded).not.toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });
});
