// The benchmarks' stand-in for Electron's IPC (issue 19): TestBridge's 'socket' transport, which
// carries the window's requests and main's events over a loopback WebSocket instead of
// Playwright's binding (whose round trip, while a page loads, the app would be charged for).
// - The real renderer in Chromium registers to the lab through it: the settings, the
//   credentials and the summary are requests on the socket, none through a binding.
// - An event main sends (settings/changed after the tray's do-not-disturb) reaches the page on it.
// - A page of another origin on the same socket server is refused, as the router refuses a
//   sender that is not the phone window: the sender is the origin the browser put in the
//   handshake.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { serveStatic, type StaticServer } from '../support/static-server';
import { TestBridge } from '../support/test-bridge';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-bench-bridge', rtpengine: false });
const env = useE2eEnv();

type Reply = { ok: true; value: unknown } | { ok: false; error: string };
const invoke = (channel: string): Promise<Reply> =>
  (
    window as unknown as { softphone: { invoke(c: string, p: null): Promise<Reply> } }
  ).softphone.invoke(channel, null);

describe("the test bridge's socket transport (the benchmarks' IPC)", () => {
  let other: StaticServer;
  beforeAll(async () => {
    other = await serveStatic(); // the same build on another port: another origin
  });
  afterAll(async () => {
    await other?.close();
  });

  it('carries the requests that register and the events main sends', async () => {
    const phone = await PhonePage.open(await env.browser(440), env.server, {
      transport: 'socket',
    });
    try {
      await registerAll(lab.lab, [phone, 'alice']);
      // Loading the settings, the credentials and the phone's summary all went over the socket.
      expect(phone.bridge.socketRequests).toBeGreaterThanOrEqual(3);
      const info = await phone.page.evaluate(invoke, 'app/get-info');
      expect(info).toMatchObject({ ok: true, value: { version: 'test' } });

      const dnd = phone.page.getByRole('button', { name: /Do not disturb/ });
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('false');
      const before = phone.bridge.socketRequests;
      await phone.bridge.settings.update({ doNotDisturb: true }); // what the tray's toggle does
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('true');
      // The page's new summary came back on the socket too.
      await expect.poll(() => phone.bridge.shell.summaries.at(-1)?.doNotDisturb).toBe(true);
      expect(phone.bridge.socketRequests).toBeGreaterThan(before);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('refuses a page of another origin, as the router refuses any sender but the window', async () => {
    const bridge = await TestBridge.create({ appUrl: env.server.url });
    const browser = await env.browser(440);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await bridge.attach(page, 'main', { transport: 'socket' });
      await page.goto(other.url);
      const reply = await page.evaluate(invoke, 'app/get-info');
      expect(reply).toEqual({
        ok: false,
        error: 'Request refused: it did not come from the phone window.',
      });
      expect(bridge.socketRequests).toBeGreaterThan(0);
    } finally {
      await context.close();
      await bridge.dispose();
    }
  });
});
