// A journal of the calls in progress, kept in the page's localStorage (it survives a crashed or
// killed page and a reload; the history's IndexedDB is not synchronous enough to write on every
// change). When the page starts and finds calls in the journal, the previous page died during
// them (a renderer crash or hang, a kill, a power cut): they are handed to the call log as
// ended with the cause 'interrupted', so the history says what happened. No secrets: the same
// party facts the history keeps.
import { callEnd, type CallSnapshot, type LineManager } from '../phone';

const KEY = 'open-softphone.live-calls';

/** The part of the Web Storage API the journal uses (injectable for tests). */
export type JournalStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface Entry {
  /** When the journal was last written (epoch ms): the call was up at least until then. */
  savedAt: number;
  calls: CallSnapshot[];
}

export class CallJournal {
  readonly #storage: JournalStorage | null;
  readonly #now: () => number;

  constructor(storage: JournalStorage | null, now: () => number = Date.now) {
    this.#storage = storage;
    this.#now = now;
  }

  /** Keeps the journal in step with the lines from now on; returns the unsubscribe. */
  follow(lines: LineManager): () => void {
    return lines.on('changed', () => this.#write([...lines.incoming, ...lines.lines]));
  }

  /**
   * The calls a previous page left in progress, ended as 'interrupted' (at `endedAt`, or when
   * the journal was last written), and the journal cleared. Unreadable content is dropped.
   */
  takeInterrupted(endedAt: number | null = null): CallSnapshot[] {
    const entry = this.#read();
    this.#storage?.removeItem(KEY);
    if (!entry) {
      return [];
    }
    const at = endedAt ?? entry.savedAt;
    return entry.calls.map((call) => ({
      ...call,
      status: 'ended',
      endedAt: Math.max(at, call.answeredAt ?? call.createdAt),
      end: callEnd('interrupted'),
    }));
  }

  #write(calls: CallSnapshot[]): void {
    try {
      if (calls.length === 0) {
        this.#storage?.removeItem(KEY);
      } else {
        const entry: Entry = { savedAt: this.#now(), calls };
        this.#storage?.setItem(KEY, JSON.stringify(entry));
      }
    } catch {
      // Storage full or unavailable: the journal is a best effort, calls go on.
    }
  }

  #read(): Entry | null {
    try {
      const raw = this.#storage?.getItem(KEY);
      const entry = raw ? (JSON.parse(raw) as Partial<Entry>) : null;
      if (!entry || typeof entry.savedAt !== 'number' || !Array.isArray(entry.calls)) {
        return null;
      }
      return {
        savedAt: entry.savedAt,
        calls: entry.calls.filter(
          (c): c is CallSnapshot =>
            typeof c === 'object' &&
            c !== null &&
            typeof c.id === 'string' &&
            typeof c.createdAt === 'number' &&
            typeof c.party?.user === 'string',
        ),
      };
    } catch {
      return null;
    }
  }
}
