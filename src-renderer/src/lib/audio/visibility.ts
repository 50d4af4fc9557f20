// Whether the window is on screen (Page Visibility API), as a small port: the call's level meter
// and quality polling run at full rate only while the user can see them. Without a document
// (unit tests in Node) the page counts as always visible.

/** The window's visibility and its changes. */
export interface Visibility {
  /** True while the page is visible (document.visibilityState === 'visible'). */
  readonly visible: boolean;
  /** Calls `listener` on every change; returns the function that stops it. */
  onChange(listener: () => void): () => void;
}

/** The parts of Document the port reads. */
export type VisibilityDocument = Pick<
  Document,
  'visibilityState' | 'addEventListener' | 'removeEventListener'
>;

/** Visibility of `doc` (the page's document by default). */
export function documentVisibility(
  doc: VisibilityDocument | undefined = globalThis.document,
): Visibility {
  if (!doc) {
    return { visible: true, onChange: () => () => {} };
  }
  return {
    get visible() {
      return doc.visibilityState === 'visible';
    },
    onChange(listener) {
      doc.addEventListener('visibilitychange', listener);
      return () => doc.removeEventListener('visibilitychange', listener);
    },
  };
}
