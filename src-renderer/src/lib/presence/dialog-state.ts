// Owns assembling the dialog table of each watched entity from successive dialog-info NOTIFYs
// (RFC 4235 §4.3 "Constructing Coherent State"): full documents replace the table, partial ones
// update rows, older or repeated versions are ignored, a version gap asks for a refresh, and a
// body that cannot be read leaves the entity 'unknown' (never the last good state shown as if
// current). Pure function plus a small map keyed by the caller's key (the lamp's AOR).
import type { DialogInfoDialog, DialogInfoResult } from './dialog-info';

/** What is known about one entity's dialogs. */
export interface EntityDialogs {
  /** 'unknown' until a readable document arrives, and after an unreadable one. */
  status: 'known' | 'unknown';
  /** Version of the last applied document; null before the first and after reset. */
  version: number | null;
  /** True once a full document was applied with no version gap since. */
  complete: boolean;
  /** The entity the notifier named (informative; keys are the caller's). */
  entity: string | null;
  /** Dialogs that are not terminated, by id, in the order they were first reported. */
  dialogs: ReadonlyMap<string, DialogInfoDialog>;
  /** Why the status is unknown, as one sentence; null when known. */
  cause: string | null;
}

/** How a document was used. */
export type ApplyOutcome = 'applied' | 'stale' | 'refused';

export interface ApplyResult {
  state: EntityDialogs;
  outcome: ApplyOutcome;
  /**
   * True when the subscriber should refresh the subscription to get a full-state NOTIFY:
   * a version gap, a partial document without a full one before it, or an unreadable body.
   */
  resync: boolean;
  /** Dialogs this document reported as terminated (e.g. to tell "answered elsewhere"). */
  ended: DialogInfoDialog[];
}

/** The state before anything was received. */
export const UNKNOWN_DIALOGS: EntityDialogs = {
  status: 'unknown',
  version: null,
  complete: false,
  entity: null,
  dialogs: new Map(),
  cause: 'No dialog information has been received yet.',
};

/** Applies one parsed (or refused) dialog-info body to the previous state. Pure. */
export function applyDialogInfo(prev: EntityDialogs, result: DialogInfoResult): ApplyResult {
  if (!result.ok) {
    const state: EntityDialogs = { ...UNKNOWN_DIALOGS, cause: result.message };
    return { state, outcome: 'refused', resync: true, ended: [] };
  }
  const doc = result.document;
  if (prev.version !== null && doc.version <= prev.version) {
    return { state: prev, outcome: 'stale', resync: false, ended: [] };
  }
  const gap = prev.version !== null && doc.version > prev.version + 1;
  const full = doc.state === 'full';
  const rows = new Map(full ? [] : prev.status === 'known' ? prev.dialogs : []);
  const ended: DialogInfoDialog[] = [];
  for (const dialog of doc.dialogs) {
    if (dialog.state === 'terminated') {
      rows.delete(dialog.id);
      ended.push(dialog);
    } else {
      rows.set(dialog.id, dialog);
    }
  }
  const complete = full || (prev.complete && !gap && prev.status === 'known');
  const state: EntityDialogs = {
    status: 'known',
    version: doc.version,
    complete,
    entity: doc.entity,
    dialogs: rows,
    cause: null,
  };
  return { state, outcome: 'applied', resync: !complete, ended };
}

/**
 * Forgets the version (not the dialogs): call it when a new subscription starts, because
 * versions are scoped to one subscription (RFC 4235 §4.1) and a new one may count from 0.
 */
export function resetDialogVersion(prev: EntityDialogs): EntityDialogs {
  return { ...prev, version: null };
}

/** The dialog tables of every watched entity, keyed by the caller's key. */
export class DialogInfoStore {
  readonly #entities = new Map<string, EntityDialogs>();

  /** The current state of `key` (UNKNOWN_DIALOGS when never seen). */
  get(key: string): EntityDialogs {
    return this.#entities.get(key) ?? UNKNOWN_DIALOGS;
  }

  /** Applies a NOTIFY body's parse result to `key`. */
  apply(key: string, result: DialogInfoResult): ApplyResult {
    const applied = applyDialogInfo(this.get(key), result);
    this.#entities.set(key, applied.state);
    return applied;
  }

  /** A new subscription for `key` started: accept its versions from scratch. */
  resetVersion(key: string): void {
    const prev = this.#entities.get(key);
    if (prev) {
      this.#entities.set(key, resetDialogVersion(prev));
    }
  }

  /** The subscription failed or ended: nothing is known until it works again. */
  markUnknown(key: string, cause: string): void {
    this.#entities.set(key, { ...UNKNOWN_DIALOGS, cause });
  }

  /** Stops tracking `key` (the lamp was removed). */
  forget(key: string): void {
    this.#entities.delete(key);
  }

  /** Keys currently tracked. */
  keys(): string[] {
    return [...this.#entities.keys()];
  }
}
