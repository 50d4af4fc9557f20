// Code-splitting for views that are not on the first screen: `lazy(() => import('./X.svelte'))`
// is a component with X's props that fetches X's chunk the first time it is shown, so the
// startup bundle holds only what shows the phone and registers. Callers keep their markup
// (`<X prop={…} />`); only the import changes. Lazy views read the renderer root's parts (chat,
// presence, recording, desk: a chunk of their own), so none shows before they are built
// (`holdLazyViewsUntil`).
import type { Component } from 'svelte';
import LazyView from '../components/LazyView.svelte';
import { loadOnce } from './load-once';

/** A loader of a Svelte component module (what a dynamic `import()` of a .svelte file returns). */
export type ComponentLoader<P extends { [K in keyof P]: unknown }> = () => Promise<{
  default: Component<P>;
}>;

/** A lazily loaded component; `preload()` fetches its chunk ahead of its first showing. */
export type LazyComponent<P extends { [K in keyof P]: unknown }> = Component<P> & {
  preload(): Promise<unknown>;
};

// What lazy views wait for before their first showing (the root's parts); open by default (the
// popup window has no parts).
let gate: { ready: Promise<unknown>; open: boolean } = { ready: Promise.resolve(), open: true };

/**
 * Lazy views wait for `ready` (the renderer root's parts) before they show; a failure opens the
 * gate too (a view that needs a part then says why it cannot show).
 */
export function holdLazyViewsUntil(ready: Promise<unknown>): void {
  const held = { ready: Promise.resolve(), open: false };
  held.ready = ready.then(
    () => void (held.open = true),
    () => void (held.open = true),
  );
  gate = held;
}

/**
 * A component that renders the one `load` resolves to with the same props. The chunk is
 * fetched once (on first showing, or by `preload()`); a failed fetch shows the reason in place
 * and the next showing tries again. A chunk already loaded shows in the same render.
 */
export function lazy<P extends { [K in keyof P]: unknown }>(
  load: ComponentLoader<P>,
): LazyComponent<P> {
  const module = loadOnce(load);
  const afterGate = async (): Promise<{ default: Component<P> }> => {
    await gate.ready;
    return module.get();
  };
  const component: Component<P> = (internals, props) =>
    LazyView(internals, {
      load: () => (gate.open ? module.value : null) ?? afterGate(),
      props,
    });
  return Object.assign(component, { preload: () => module.get() });
}
