// A journal of the calls in progress, kept in the page's localStorage (it survives a crashed or
// killed page and a reload; the history's IndexedDB is not synchronous enough to write on every
// change). When the page starts and finds calls in the journal, the previous page died during
// them (a renderer crash or hang, a kill, a power cut): they are handed to the call log as
// ended with the cause 'interrupted', so the history says what happened, with the recordings
// they had (their files were closed by main when the page died). No secrets: the same party
// facts the history keeps. A change of the lines is written after the task that made it (one
// write for a burst of changes): answering a call sends its 200 OK without waiting for the
// synchronous localStorage write (issue 19).
import { callEnd, type CallSnapshot, type LineManager } from '../phone';

const KEY = 'open-softphone.live-calls';

/** The part of the Web Storage API the journal uses (injectable for tests). */
export type JournalStorage = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

interface Entry {
  /** When the journal was last written (epoch ms): the call was up at least until then. */
  savedAt: number;
  calls: CallSnapshot[];
  /** Recording ids per call id (main's list), for calls that were being recorded. */
  recordings?: Record<string, string[]>;
}

/** What a previous page left in progress. */
export interface InterruptedCalls {
  calls: CallSnapshot[];
  recordings: Record<string, string[]>;
}

type RecordingIds = () => Record<string, string[]>;

/** Runs a write later (the renderer root passes ui/after-paint.ts's afterPaint). */
export type Defer = (write: () => void) => void;

const nextTask: Defer = (write) => void setTimeout(write, 0);

export class CallJournal {
  readonly #storage: JournalStorage | null;
  readonly #now: () => number;
  readonly #defer: Defer;
  #rewrite: (() => void) | null = null;

  constructor(
    storage: JournalStorage | null,
    now: () => number = Date.now,
    defer: Defer = nextTask,
  ) {
    this.#storage = storage;
    this.#now = now;
    this.#defer = defer;
  }

  /**
   * Keeps the journal in step with the lines (and the recordings of their calls) from now on;
   * returns the unsubscribe.
   */
  follow(lines: LineManager, recordings: RecordingIds = () => ({})): () => void {
    let following = true;
    let queued = false;
    const write = (): void => {
      queued = false;
      if (following) {
        this.#write([...lines.incoming, ...lines.lines], recordings());
      }
    };
    this.#rewrite = write;
    const off = lines.on('changed', () => {
      if (!queued) {
        queued = true;
        this.#defer(write);
      }
    });
    return () => {
      following = false;
      off();
      this.#rewrite = null;
    };
  }

  /** Writes again now (a call's recording started). */
  refresh(): void {
    this.#rewrite?.();
  }

  /**
   * The calls a previous page left in progress, ended as 'interrupted' (at `endedAt`, or when
   * the journal was last written), and the journal cleared. Unreadable content is dropped.
   */
  takeInterrupted(endedAt: number | null = null): CallSnapshot[] {
    return this.takeInterruptedCalls(endedAt).calls;
  }

  /** As takeInterrupted, with the recording ids of those calls. */
  takeInterruptedCalls(endedAt: number | null = null): InterruptedCalls {
    const entry = this.#read();
    this.#storage?.removeItem(KEY);
    if (!entry) {
      return { calls: [], recordings: {} };
    }
    const at = endedAt ?? entry.savedAt;
    const calls = entry.calls.map((call) => ({
      ...call,
      status: 'ended' as const,
      endedAt: Math.max(at, call.answeredAt ?? call.createdAt),
      end: callEnd('interrupted'),
    }));
    return { calls, recordings: entry.recordings ?? {} };
  }

  #write(calls: CallSnapshot[], recordings: Record<string, string[]>): void {
    try {
      if (calls.length === 0) {
        this.#storage?.removeItem(KEY);
      } else {
        const live = Object.fromEntries(
          Object.entries(recordings).filter(([id]) => calls.some((c) => c.id === id)),
        );
        const entry: Entry = { savedAt: this.#now(), calls, recordings: live };
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
        recordings: recordingIds(entry.recordings),
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

// Only string arrays of strings survive (the journal is read back from storage).
function recordingIds(value: unknown): Record<string, string[]> {
  if (typeof value !== 'object' || value === null) {
    return {};
  }
  return Object.fromEntries(
    Object.entries(value).filter(
      (e): e is [string, string[]] =>
        Array.isArray(e[1]) && e[1].every((id) => typeof id === 'string'),
    ),
  );
}
