// Issue 12 §4: `npm run dev` renders styled under the page's CSP. The renderer's dev server,
// built from the renderer section of electron.vite.config.ts exactly as `electron-vite dev`
// builds it, serves the page to Chromium: app.css and the Svelte components' styles (injected
// as inline <style> elements by the dev server) apply, and Chromium reports no CSP violation.
// The same server without the dev-CSP plugin shows the failure it prevents: the styles are
// refused. The production build's policy stays without 'unsafe-inline'.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser } from 'playwright-core';
import { createServer, type InlineConfig, type PluginOption, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import config from '../../electron.vite.config';
import { allowInlineStyles } from '../../scripts/vite/dev-csp';
import { launchPhoneBrowser } from '../support/chromium';
import { PhonePage } from '../support/phone-page';

const REPO = resolve(import.meta.dirname, '../..');

/** The renderer's dev server, as electron-vite dev configures it (optionally without a plugin). */
async function devServer(without?: string): Promise<ViteDevServer> {
  const renderer = config.renderer as InlineConfig;
  const plugins = (renderer.plugins ?? []).filter(
    (p: PluginOption) => !(p && typeof p === 'object' && 'name' in p && p.name === without),
  );
  const server = await createServer({
    ...renderer,
    plugins,
    configFile: false,
    logLevel: 'silent',
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  await server.listen();
  return server;
}

function urlOf(server: ViteDevServer): string {
  const url = server.resolvedUrls?.local[0];
  if (!url) {
    throw new Error('the dev server has no local URL');
  }
  return url;
}

describe('the renderer dev server under the CSP', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchPhoneBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function look(server: ViteDevServer): Promise<{
    background: string;
    shellDisplay: string | null;
    console: string[];
  }> {
    const url = urlOf(server);
    const phone = await PhonePage.open(browser, { url, close: () => Promise.resolve() });
    try {
      // The first-start account form appears once the app has loaded its settings.
      await phone.page.getByLabel('Account name').waitFor({ timeout: 60_000 });
      const styles = await phone.page.evaluate(() => ({
        background: getComputedStyle(document.documentElement).backgroundColor,
        shellDisplay: document.querySelector('.shell')
          ? getComputedStyle(document.querySelector('.shell')!).display
          : null,
      }));
      return { ...styles, console: [...phone.console] };
    } finally {
      await phone.close();
    }
  }

  it('applies the app and component styles with no CSP violation', async () => {
    const server = await devServer();
    try {
      const seen = await look(server);
      // --bg of app.css (light #f6f7f9 or dark #0f1217), not the browser's default.
      expect(['rgb(246, 247, 249)', 'rgb(15, 18, 23)']).toContain(seen.background);
      expect(seen.shellDisplay).toBe('flex'); // App.svelte's scoped .shell style
      expect(seen.console.join('\n')).not.toMatch(/violates the following Content Security Policy/);
    } finally {
      await server.close();
    }
  }, 120_000);

  it('without the dev-CSP plugin the same page is refused its styles (what the plugin fixes)', async () => {
    const server = await devServer('open-softphone-dev-csp');
    try {
      const seen = await look(server);
      expect(seen.shellDisplay).not.toBe('flex');
      expect(seen.console.join('\n')).toMatch(
        /inline style violates the following Content Security Policy directive 'style-src 'self''/,
      );
    } finally {
      await server.close();
    }
  }, 120_000);

  it('leaves the shipped page strict: no inline styles outside the dev server', () => {
    const built = readFileSync(join(REPO, 'out/renderer/index.html'), 'utf8');
    const source = readFileSync(join(REPO, 'src-renderer/index.html'), 'utf8');
    expect(built).not.toContain("'unsafe-inline'");
    expect(source).not.toContain("'unsafe-inline'");
    expect(allowInlineStyles(source)).toContain("style-src 'self' 'unsafe-inline';");
    expect(allowInlineStyles(allowInlineStyles(source))).toBe(allowInlineStyles(source));
  });
});
