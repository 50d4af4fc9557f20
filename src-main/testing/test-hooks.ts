// Hooks for the Playwright `_electron` specs (test/electron). Only compiled into the test build
// (SOFTPHONE_TEST_HOOKS=1 at build time → out-test/); the shipped bundle does not contain them.
// The specs read and drive the services through `electronApp.evaluate` on globalThis.
import type { IncomingCallNotice, PhoneSummary } from '@shared/ipc-contract';
import type { LinkService } from '../links/link-service';
import type { QuitFlow } from '../lifecycle/quit-flow';
import type { TrayAvailability } from '../tray/status-notifier';
import type { TrayCommand, TrayMenuEntry } from '../tray/tray-model';
import type { TrayService } from '../tray/tray-service';
import type { IncomingPopup } from '../windows/incoming-popup';
import type { MainWindow } from '../windows/main-window';

export interface SoftphoneTestHooks {
  trayMenu(): TrayMenuEntry[];
  trayTooltipSummary(): PhoneSummary;
  runTrayCommand(command: TrayCommand): void;
  windowVisible(): boolean;
  /** The page painted once (ready-to-show has fired), whether or not the window is shown. */
  windowReady(): boolean;
  quitting(): boolean;
  /** Whether the desktop shows a tray (the StatusNotifier probe on Linux). */
  trayAvailable(): boolean;
  /** Delivers a command line as a second instance would (argv as Electron passes it). */
  secondInstance(argv: string[]): void;
  /** Opens the incoming-call popup for a made-up call, as notify/incoming-call would. */
  showPopup(notice: IncomingCallNotice): void;
  /** Loads keytar the way index.ts does (from app.asar when packaged): its exports. */
  keytarExports(): string[];
}

export interface TestHookServices {
  tray: TrayService<unknown>;
  trayAvailability: TrayAvailability;
  window: MainWindow;
  popup: IncomingPopup;
  quit: QuitFlow;
  links: LinkService;
  summary(): PhoneSummary;
  loadKeytar(): object;
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
    trayAvailable: () => services.trayAvailability.available,
    secondInstance: (argv) => services.links.fromSecondInstance(argv),
    showPopup: (notice) => services.popup.show(notice),
    keytarExports: () => Object.keys(services.loadKeytar()).sort(),
  };
  (globalThis as { __softphoneTest?: SoftphoneTestHooks }).__softphoneTest = hooks;
}
