// The views the phone shows only once there is a call, or a colleague to watch, as chunks of
// their own (startup budget, issue 19): the call and the conference, the call-waiting and lines
// panels, the strip of the call in progress above the settings, the banner of the call that
// just ended, and the busy lamps. They are fetched in the background once the phone has started
// (`preloadCallViews`), so answering or dialling never waits for a chunk.
import { lazy } from '../lazy/lazy-component';

export const CallView = lazy(() => import('./CallView.svelte'));
export const ConferenceView = lazy(() => import('./ConferenceView.svelte'));
export const LampsPanel = lazy(() => import('./LampsPanel.svelte'));
export const CallWaiting = lazy(() => import('../components/CallWaiting.svelte'));
export const LinesPanel = lazy(() => import('../components/LinesPanel.svelte'));
export const CallStrip = lazy(() => import('../components/CallStrip.svelte'));
export const EndedBanner = lazy(() => import('../components/EndedBanner.svelte'));

/** Fetches every view above (once the phone has registered and is idle). */
export async function preloadCallViews(): Promise<void> {
  await Promise.all(
    [CallView, ConferenceView, LampsPanel, CallWaiting, LinesPanel, CallStrip, EndedBanner].map(
      (v) => v.preload(),
    ),
  );
}
