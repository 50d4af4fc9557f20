// The code of what a call in progress does only when the user asks for it: merging calls into a
// local conference (its Web Audio mix, conference.ts) and transferring one (REFER and the
// progress NOTIFYs, call-transfer.ts). It is a chunk of its own, off the renderer's first load
// (startup budget, issue 19): fetched in the background once the phone has started
// (`preloadCallActions`, beside the call views) and on first use otherwise. Registering,
// ringing, answering and hanging up never need it. A chunk that cannot load fails only the
// action, with a sentence for the user; the call goes on.
import { loadOnce } from '../lazy/load-once';
import type * as CallActionsModule from './call-actions-impl';

/** What the conference and transfer paths use of the chunk. */
export type CallActions = typeof CallActionsModule;

const code = loadOnce<CallActions>(() => import('./call-actions-impl'));

/** Loads the conference and transfer code (once; a failed load is tried again next time). */
export async function loadCallActions(): Promise<CallActions> {
  try {
    return await code.get();
  } catch (error) {
    throw new Error(
      `Conference and transfer are unavailable: the app could not load their code (${String(error)}).`,
      { cause: error },
    );
  }
}

/** Fetches the conference and transfer code ahead of use (once the phone has started). */
export async function preloadCallActions(): Promise<void> {
  await loadCallActions();
}
