// Hooks for the Playwright `_electron` specs (test/electron). Only compiled into the test build
// (SOFTPHONE_TEST_HOOKS=1 at build time → out-test/); the shipped bundle does not contain them.
// The specs read and drive the services through `electronApp.evaluate` on globalThis.
import type { PhoneSummary } from '@shared/ipc-contract';
import type { LinkService } from '../links/link-service';
import type { QuitFlow } from '../lifecycle/quit-flow';
import type { TrayCommand, TrayMenuEntry } from '../tray/tray-model';
import type { TrayService } from '../tray/tray-service';
import type { MainWindow } from '../windows/main-window';

export interface SoftphoneTestHooks {
  trayMenu(): TrayMenuEntry[];
  trayTooltipSummary(): PhoneSummary;
  runTrayCommand(command: TrayCommand): void;
  windowVisible(): boolean;
  /** The page painted once (ready-to-show has fired), whether or not the window is shown. */
  windowReady(): boolean;
  quitting(): boolean;
  /** Delivers a command line as a second instance would (argv as Electron passes it). */
  secondInstance(argv: string[]): void;
}

export interface TestHookServices {
  tray: TrayService<unknown>;
  window: MainWindow;
  quit: QuitFlow;
  links: LinkService;
  summary(): PhoneSummary;
}

/** Puts the hooks on globalThis.__softphoneTest. */
export function installTestHooks(services: TestHookServices): void {
  const hooks: SoftphoneTestHooks = {
    trayMenu: () => services.tray.menu(),
    trayTooltipSummary: () => services.summary(),
    runTrayCommand: (command) => services.tray.run(command),
    windowVisible: () => services.window.isVisible(),
    windowReady: () => services.window.readyToShow,
    quitting: () => services.quit.quitting,
    secondInstance: (argv) => services.links.fromSecondInstance(argv),
  };
  (globalThis as { __softphoneTest?: SoftphoneTestHooks }).__softphoneTest = hooks;
}
