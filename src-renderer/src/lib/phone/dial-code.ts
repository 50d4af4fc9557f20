// The dial parser and the account's dial rules (≈ 8 KB gz with their regex safety check) are a
// chunk of their own, off the renderer's first load (startup budget, issue 19). The renderer
// root loads it before any account starts (state/root.ts), and a call needs a registered
// account, so every dial path (target.ts) finds it loaded; until then `dialCode()` is null and
// the dial field's preview says nothing.
import { loadOnce } from '../lazy/load-once';
import type * as DialCodeModule from './dial-code-impl';

/** What the dial paths use of the chunk. */
export type DialCode = typeof DialCodeModule;

const code = loadOnce<DialCode>(() => import('./dial-code-impl'));
// Why the last load failed (a damaged install), until a load succeeds.
let lastFailure: string | null = null;

/** Loads the dial code (once; a failed load is tried again on the next call). */
export function loadDialCode(): Promise<DialCode> {
  return code.get().then(
    (loaded) => {
      lastFailure = null;
      return loaded;
    },
    (error: unknown) => {
      lastFailure = error instanceof Error ? error.message : String(error);
      throw error;
    },
  );
}

/** The dial code once loaded, else null. */
export function dialCodeOrNull(): DialCode | null {
  return code.value;
}

/**
 * The dial code; throws a sentence for the user when it is not loaded: still starting, or its
 * load failed (then it is asked for again, so the next try may find it).
 */
export function dialCode(): DialCode {
  const loaded = code.value;
  if (loaded) {
    return loaded;
  }
  if (lastFailure === null) {
    throw new Error('The phone is still starting: try again in a moment.');
  }
  const reason = lastFailure;
  loadDialCode().catch(() => {}); // the reason stays in lastFailure
  throw new Error(
    `Dialling is unavailable: the app could not load its code (${reason}). Try again; if this keeps happening, reinstall the app.`,
  );
}
