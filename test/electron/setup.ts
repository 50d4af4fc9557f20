// Global set-up of the Electron specs: where there is no Electron binary (and no packaged test
// build), print the one reason the whole suite is skipped; otherwise build the test variant of
// the app once (out-test/) for the dev binary. A packaged test build is already built.
import { buildTestApp, findElectron } from '../support/electron-app';

export default function setup(): void {
  const found = findElectron();
  if ('reason' in found) {
    console.warn(`test/electron skipped: ${found.reason}`);
    return;
  }
  if (!found.packaged) {
    buildTestApp();
  }
}
