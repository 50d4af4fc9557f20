// The call log: writes one history entry for every call that ends (with its account, whether a
// policy declined it, and its quality summary), then refreshes the recent numbers the tray
// offers. The only place a history entry is written from a call.
import type { CallQualitySummary } from '../audio/quality-monitor';
import { createLogger } from '../logger';
import type { CallSnapshot, EndedCall, LineManager } from '../phone';
import type { MemoryState } from './memory.svelte';

const log = createLogger('call-log');

export interface CallLogDeps {
  memory: MemoryState;
  accountLabel(accountId: string): string;
  /** Ends the call's quality monitoring and returns its summary, when it had one. */
  takeQuality(callId: string): CallQualitySummary | null;
  /** A new entry was written (the recent numbers changed). */
  recorded(): void;
}

export class CallLog {
  readonly #deps: CallLogDeps;
  readonly #off: () => void;

  constructor(lines: LineManager, deps: CallLogDeps) {
    this.#deps = deps;
    this.#off = lines.on('ended', (ended) => this.#record(ended));
  }

  /** Stops logging (teardown). */
  dispose(): void {
    this.#off();
  }

  /** Writes the entries of calls a previous page left in progress (see CallJournal). */
  recordInterrupted(snapshots: readonly CallSnapshot[]): void {
    for (const snapshot of snapshots) {
      this.#record({ snapshot, autoDeclined: null, consultFor: null });
    }
  }

  #record({ snapshot, autoDeclined }: EndedCall): void {
    const quality = this.#deps.takeQuality(snapshot.id);
    const history = this.#deps.memory.history;
    if (!history) {
      return;
    }
    history
      .record(snapshot, {
        accountLabel: this.#deps.accountLabel(snapshot.accountId),
        autoDeclined: autoDeclined !== null,
        ...(quality ? { quality } : {}),
      })
      .then(() => this.#deps.recorded())
      .catch((error: unknown) => log.warn(`history entry not written: ${String(error)}`));
  }
}
