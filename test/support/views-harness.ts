// Opens the component-test page (test/e2e/pages/views) in a browser: one of the app's real views
// inside a real renderer root whose bridge runs the real main-process handlers, with a call
// snapshot or a whole scenario (lines, ringing calls, conference, registrations) injected, and
// the call actions the views ask for recorded.
import type { Browser, Page } from 'playwright-core';
import type { AccountSettings } from '../../src-main/shared/settings-types';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { CallSnapshot } from '../../src-renderer/src/lib/phone/types';
import type { Scenario } from './scenario';
import { buildTestPage, type BuiltPage } from '../bench/build-page';
import { launchPhoneBrowser } from './chromium';
import { serveStatic, type StaticServer } from './static-server';
import { TestBridge } from './test-bridge';

export { snapshot } from './call-info';
export type { Scenario } from './scenario';

/** The views test page, built, served and opened in a browser for one test file. */
export interface ViewsPage {
  readonly url: string;
  readonly browser: Browser;
}

/** Views opened and not closed yet: each test's are closed after it, passed or failed. */
const openViews = new Set<ViewPage>();

/**
 * Builds and serves the views test page before the file's tests; closes everything after. A
 * view a test left open (it failed, or it does not close its views) is closed after the test,
 * with its bridge's settings folder.
 */
export function useViewsPage(): ViewsPage {
  let built: BuiltPage | undefined;
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    built = await buildTestPage(resolve(import.meta.dirname, '../e2e/pages/views'));
    server = await serveStatic(built.dir);
    browser = await launchPhoneBrowser();
  });
  afterEach(async () => {
    for (const view of [...openViews]) {
      await view.close();
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await built?.remove();
  });
  return {
    get url(): string {
      if (!server) {
        throw new Error('views page not started');
      }
      return server.url;
    },
    get browser(): Browser {
      if (!browser) {
        throw new Error('views page not started');
      }
      return browser;
    },
  };
}

export interface ViewOptions {
  snapshot?: CallSnapshot;
  scenario?: Scenario;
  viewport?: { width: number; height: number };
  colorScheme?: 'light' | 'dark';
  /** Accounts saved through the real handler before the page loads (ids as given). */
  accounts?: (Partial<AccountSettings> & Pick<AccountSettings, 'id' | 'websocketUri' | 'sipUri'>)[];
  /** Runs in the page before it loads (e.g. fake devices). */
  init?: () => void;
  /** Requests whose URL matches are refused (a chunk that cannot load). */
  refuse?: RegExp;
}

export interface ViewPage {
  page: Page;
  bridge: TestBridge;
  close(): Promise<void>;
}

/** Opens `view` (call | incoming | main | window | layout) of the page served at `url`. */
export async function openView(
  browser: Browser,
  url: string,
  view: string,
  opts: ViewOptions = {},
): Promise<ViewPage> {
  const context = await browser.newContext({
    viewport: opts.viewport ?? { width: 1280, height: 720 },
    colorScheme: opts.colorScheme ?? 'light',
  });
  const page = await context.newPage();
  const bridge = await TestBridge.create({ appUrl: url }).catch(async (error: unknown) => {
    await context.close();
    throw error;
  });
  // Registered before anything else can fail: a view that did not open is closed after the test.
  const opened: ViewPage = {
    page,
    bridge,
    close: async () => {
      openViews.delete(opened);
      await context.close();
      await bridge.dispose();
    },
  };
  openViews.add(opened);
  for (const account of opts.accounts ?? []) {
    await bridge.seedAccount({ label: account.id, ...account }, 'secret-password');
  }
  await bridge.attach(page);
  await page.addInitScript(
    (data) => {
      const w = window as unknown as Record<string, unknown>;
      if (data.snapshot) {
        w.__snapshot = data.snapshot;
      }
      if (data.scenario) {
        w.__scenario = data.scenario;
      }
    },
    { snapshot: opts.snapshot, scenario: opts.scenario },
  );
  if (opts.init) {
    await page.addInitScript(opts.init);
  }
  if (opts.refuse) {
    await page.route(opts.refuse, (route) => route.abort());
  }
  await page.goto(`${url}?view=${view}`);
  await page.locator(view === 'window' || view === 'layout' ? 'body > div' : 'main').waitFor();
  return opened;
}

/** The call actions the page's views asked for, in order. */
export function actions(page: Page): Promise<unknown[][]> {
  return page.evaluate(() => (window as unknown as { __actions: unknown[][] }).__actions);
}

/** Changes the page's scenario (the views follow). */
export async function setScenario(page: Page, next: Scenario): Promise<void> {
  await page.evaluate((s) => {
    (window as unknown as { __setScenario(s: unknown): void }).__setScenario(s);
  }, next);
}

/** The element that has the focus: its tag, text and accessible name attributes. */
export function focused(page: Page): Promise<{ tag: string; text: string; id: string }> {
  return page.evaluate(() => {
    const el = document.activeElement;
    return {
      tag: el?.tagName.toLowerCase() ?? '',
      text: (el?.textContent ?? '').trim(),
      id: el?.id ?? '',
    };
  });
}
