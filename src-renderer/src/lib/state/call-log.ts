// The call log: writes one history entry for every call that ends (with its account, whether a
// policy declined it, its quality summary and its recordings), then refreshes the recent
// numbers the tray offers. The only place a history entry is written from a call.
import type { CallQualitySummary } from '../audio/quality-monitor';
import type { HistoryState } from '../history/history.svelte';
import { createLogger } from '../logger';
import type { CallSnapshot, EndedCall, LineManager } from '../phone';

const log = createLogger('call-log');

/** Where the entries go: the call history (HistoryState.record). */
export type CallHistory = Pick<HistoryState, 'record'>;

export interface CallLogDeps {
  /**
   * The call history once its database is open (the phone opens it after its first
   * registration, so a call can end before): null when it cannot open, or has not in a bound.
   */
  history(): Promise<CallHistory | null>;
  accountLabel(accountId: string): string;
  /** Ends the call's quality monitoring and returns its summary, when it had one. */
  takeQuality(callId: string): CallQualitySummary | null;
  /** The ids of the call's recordings once they are closed (bounded wait); [] when none. */
  recordingsOf?(callId: string): Promise<string[]>;
  /** A new entry was written (the recent numbers changed). */
  recorded(): void;
}

export class CallLog {
  readonly #deps: CallLogDeps;
  readonly #off: () => void;

  constructor(lines: LineManager, deps: CallLogDeps) {
    this.#deps = deps;
    this.#off = lines.on('ended', (ended) => void this.#record(ended));
  }

  /** Stops logging (teardown). */
  dispose(): void {
    this.#off();
  }

  /**
   * Writes the entries of calls a previous page left in progress (see CallJournal), with the
   * recordings that page had started for them.
   */
  recordInterrupted(
    snapshots: readonly CallSnapshot[],
    recordings: Readonly<Record<string, readonly string[]>> = {},
  ): void {
    for (const snapshot of snapshots) {
      const ids = [...(recordings[snapshot.id] ?? [])];
      void this.#record({ snapshot, autoDeclined: null, consultFor: null }, () =>
        Promise.resolve(ids),
      );
    }
  }

  async #record(
    { snapshot, autoDeclined }: EndedCall,
    recordingsOf = (id: string): Promise<string[]> =>
      this.#deps.recordingsOf?.(id) ?? Promise.resolve([]),
  ): Promise<void> {
    const quality = this.#deps.takeQuality(snapshot.id);
    const recordings = await recordingsOf(snapshot.id).catch(() => []);
    const history = await this.#deps.history();
    if (!history) {
      log.warn(`history entry not written: the call history is unavailable (${snapshot.id})`);
      return;
    }
    try {
      await history.record(snapshot, {
        accountLabel: this.#deps.accountLabel(snapshot.accountId),
        autoDeclined: autoDeclined !== null,
        ...(quality ? { quality } : {}),
        ...(recordings.length > 0 ? { recordings } : {}),
      });
      this.#deps.recorded();
    } catch (error: unknown) {
      log.warn(`history entry not written: ${String(error)}`);
    }
  }
}
