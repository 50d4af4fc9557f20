// What the page gets from Electron itself, which Debian's Chromium in the e2e tests cannot
// show: real getUserMedia through the app's permission handler (audio only), device labels,
// setSinkId on an output; the CSP header the app:// handler sends, enforced; IndexedDB on the
// app:// origin surviving a restart; no reload menu or key; the incoming-call popup with its own
// narrow preload. Chromium's fake media devices stand in for a sound card.
import { describe, expect, it } from 'vitest';
import { hook } from '../support/electron-app';
import { ACCOUNT, ELECTRON, useElectronSuite } from '../support/electron-suite';

const FAKE_MEDIA = ['--use-fake-device-for-media-stream'];

describe.skipIf(!ELECTRON)('the page in Electron', () => {
  const suite = useElectronSuite();

  it('gets a real microphone (audio only), device labels, and can route audio with setSinkId', async () => {
    const { page } = await suite.start(suite.options({}, { switches: FAKE_MEDIA }));
    const result = await page.evaluate(async () => {
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const track = stream.getAudioTracks()[0];
      const devices = await navigator.mediaDevices.enumerateDevices();
      const output = devices.find((d) => d.kind === 'audiooutput' && d.deviceId !== 'default');
      const audio = new Audio();
      let sink = 'no output device';
      if (output) {
        await audio.setSinkId(output.deviceId);
        sink = audio.sinkId === output.deviceId ? 'routed' : `sinkId ${audio.sinkId}`;
      }
      let video = 'granted';
      try {
        (await navigator.mediaDevices.getUserMedia({ video: true }))
          .getTracks()
          .forEach((t) => t.stop());
      } catch (error) {
        video = (error as Error).name;
      }
      track?.stop();
      return {
        live: track?.readyState,
        labels: devices.filter((d) => d.kind === 'audioinput').every((d) => d.label !== ''),
        sink,
        video,
      };
    });
    expect(result).toEqual({
      live: 'live',
      labels: true,
      sink: 'routed',
      video: 'NotAllowedError',
    });
  });

  it('is served with the CSP header built from the accounts, and Chromium enforces it', async () => {
    const { page } = await suite.start(
      suite.options({ accounts: [ACCOUNT], defaultAccountId: 'lab' }),
    );
    const header = await page.evaluate(async () =>
      (await fetch(location.href)).headers.get('content-security-policy'),
    );
    expect(header).toContain('connect-src ws://127.0.0.1:9/ws http://127.0.0.1:9/ws');
    const blocked = await page.evaluate(
      () =>
        new Promise<string>((done) => {
          document.addEventListener('securitypolicyviolation', (e) => done(e.violatedDirective), {
            once: true,
          });
          try {
            new WebSocket('wss://elsewhere.example/ws');
          } catch {
            done('connect-src (thrown)');
          }
        }),
    );
    expect(blocked).toMatch(/^connect-src/);
  });

  it('keeps IndexedDB on the app:// origin across a restart', async () => {
    const opts = suite.options({});
    const first = await suite.start(opts);
    await first.page.evaluate(
      () =>
        new Promise<void>((done, fail) => {
          const open = indexedDB.open('restart-check', 1);
          open.onupgradeneeded = () => open.result.createObjectStore('kv');
          open.onsuccess = () => {
            const tx = open.result.transaction('kv', 'readwrite');
            tx.objectStore('kv').put('still here', 'key');
            tx.oncomplete = () => {
              open.result.close();
              done();
            };
            tx.onerror = () => fail(new Error(String(tx.error)));
          };
          open.onerror = () => fail(new Error(String(open.error)));
        }),
    );
    await first.app.close();
    suite.closed(first.app);
    const second = await suite.start(opts);
    const value = await second.page.evaluate(
      () =>
        new Promise<unknown>((done, fail) => {
          const open = indexedDB.open('restart-check', 1);
          open.onsuccess = () => {
            const get = open.result.transaction('kv').objectStore('kv').get('key');
            get.onsuccess = () => done(get.result);
            get.onerror = () => fail(new Error(String(get.error)));
          };
          open.onerror = () => fail(new Error(String(open.error)));
        }),
    );
    expect(value).toBe('still here');
  });

  it('has no reload menu item and swallows the reload keys', async () => {
    const { app, page } = await suite.start(suite.options({}));
    const items = await app.evaluate(({ Menu }) => {
      const walk = (menu: Electron.Menu | null): string[] =>
        (menu?.items ?? []).flatMap((i) => [String(i.role ?? ''), ...walk(i.submenu ?? null)]);
      return walk(Menu.getApplicationMenu());
    });
    expect(items.map((r) => r.toLowerCase())).not.toContain('reload');
    expect(items.map((r) => r.toLowerCase())).not.toContain('forcereload');
    await page.evaluate(() => {
      (window as unknown as { marker: string }).marker = 'same page';
    });
    for (const key of ['Control+R', 'Control+Shift+R', 'F5', 'Meta+R']) {
      await page.keyboard.press(key);
    }
    // A reload would have replaced the window object; the page is still the same one.
    await page.getByRole('button', { name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe(
      'same page',
    );
  });

  it('the incoming-call popup gets its own preload: it can answer or decline, nothing else', async () => {
    const { app } = await suite.start(suite.options({ startHidden: true }));
    const popupOpened = app.waitForEvent('window');
    await hook(app, 'showPopup', {
      callId: 'c-1',
      name: 'Bob <b>Example</b>',
      number: '1002',
      accountLabel: 'Office',
    });
    const popup = await popupOpened;
    await popup.getByTestId('incoming-popup').waitFor();
    expect(popup.url()).toContain('?window=popup#popup?');
    // Network text stays text.
    expect(await popup.getByTestId('incoming-popup').innerText()).toContain('Bob <b>Example</b>');
    const replies = await popup.evaluate(async () => {
      const bridge = (
        window as unknown as {
          softphone: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> };
        }
      ).softphone;
      return Promise.all([
        bridge.invoke('accounts/get-credentials', { id: 'lab' }),
        bridge.invoke('settings/get', null),
      ]);
    });
    expect(replies.map((r) => r.ok)).toEqual([false, false]);
    const closed = popup.waitForEvent('close');
    await popup.getByRole('button', { name: 'Decline', exact: true }).click();
    await closed;
  });
});
